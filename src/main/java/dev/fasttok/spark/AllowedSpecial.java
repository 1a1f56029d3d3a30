package dev.fasttok.spark;

import dev.fasttok.Encoding;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code allowed_special} argument of {@code encode_tokens}, parsed for one encoding:
 * {@code 'all'} (every special token of the encoding), {@code ''} or {@code 'none'} (none), or
 * the special tokens' texts separated by commas. The text of a special token that is not allowed
 * is encoded as plain text.
 */
final class AllowedSpecial {
  final Encoding encoding;
  final String spec;
  /** Null for 'all', empty for none. */
  final Set<String> names;
  /** Bytes and ids of the allowed tokens when only some are allowed. */
  final byte[][] tokens;
  final int[] ids;

  private AllowedSpecial(Encoding encoding, String spec, Set<String> names, byte[][] tokens, int[] ids) {
    this.encoding = encoding;
    this.spec = spec;
    this.names = names;
    this.tokens = tokens;
    this.ids = ids;
  }

  boolean all() {
    return names == null;
  }

  boolean none() {
    return names != null && names.isEmpty();
  }

  /**
   * @throws IllegalArgumentException naming the token when one is not a special token of the
   *     encoding
   */
  static AllowedSpecial parse(String spec, Encoding encoding, String function) {
    String s = spec.trim();
    if (s.equalsIgnoreCase("all")) return new AllowedSpecial(encoding, spec, null, null, null);
    Set<String> names = new LinkedHashSet<>();
    if (!s.isEmpty() && !s.equalsIgnoreCase("none")) {
      for (String part : s.split(",")) {
        String name = part.trim();
        if (!name.isEmpty()) names.add(name);
      }
    }
    Map<String, Integer> specials = encoding.specialTokens();
    byte[][] tokens = new byte[names.size()][];
    int[] ids = new int[names.size()];
    int i = 0;
    for (String name : names) {
      Integer id = specials.get(name);
      if (id == null) {
        throw new IllegalArgumentException(function + ": allowed_special names '" + name
            + "', which is not a special token of " + encoding.name() + "; its special tokens are "
            + abbreviate(specials.keySet()) + " (or use 'all' or 'none')");
      }
      tokens[i] = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ids[i++] = id;
    }
    return new AllowedSpecial(encoding, spec, names, tokens, ids);
  }

  private static String abbreviate(Set<String> names) {
    if (names.size() <= 20) return names.toString();
    String[] first = names.stream().limit(20).toArray(String[]::new);
    return Arrays.toString(first).replaceFirst("]$", ", ... (" + names.size() + " in all)]");
  }

  /** Token ids of utf8[offset, offset + length), with the allowed special tokens recognized. */
  int[] encode(byte[] utf8, int offset, int length) {
    if (names == null) return encoding.encode(utf8, offset, length, encoding.specialTokens().keySet());
    if (names.isEmpty()) return encoding.encodeOrdinary(utf8, offset, length);
    // Some allowed: cut the text at each allowed token (leftmost; the longest where several
    // start at one place), encode the pieces between as ordinary text. Other special tokens'
    // text stays plain text, which Encoding.encode(..., allowed) would refuse.
    int end = offset + length;
    int[] out = new int[Math.max(16, length / 3)];
    int n = 0;
    int pos = offset;
    while (true) {
      int best = -1;
      int which = -1;
      for (int t = 0; t < tokens.length; t++) {
        int at = indexOf(utf8, pos, end, tokens[t]);
        if (at >= 0 && (best < 0 || at < best || (at == best && tokens[t].length > tokens[which].length))) {
          best = at;
          which = t;
        }
      }
      int[] piece = encoding.encodeOrdinary(utf8, pos, (best < 0 ? end : best) - pos);
      if (n + piece.length + 1 > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, n + piece.length + 1));
      System.arraycopy(piece, 0, out, n, piece.length);
      n += piece.length;
      if (best < 0) break;
      out[n++] = ids[which];
      pos = best + tokens[which].length;
    }
    return Arrays.copyOf(out, n);
  }

  private static int indexOf(byte[] b, int from, int to, byte[] needle) {
    int last = to - needle.length;
    byte first = needle[0];
    outer:
    for (int i = from; i <= last; i++) {
      if (b[i] != first) continue;
      for (int k = 1; k < needle.length; k++) if (b[i + k] != needle[k]) continue outer;
      return i;
    }
    return -1;
  }
}
