package dev.fasttok.sql;

import dev.fasttok.Encoding;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code allowed_special} argument of {@code encode_tokens}, parsed for one encoding: a
 * STRING, {@code 'all'} (every special token of the encoding), {@code ''} or {@code 'none'} (none),
 * or the special tokens' texts separated by commas; or an ARRAY<STRING> of the special tokens'
 * texts, each exactly as the encoding has it (empty: none). The text of a special token that is
 * not allowed is encoded as plain text (tiktoken's {@code disallowed_special=()}): a SQL function must not
 * fail a whole job on one row's text.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 */
public final class AllowedSpecial {
  private final Encoding encoding;
  private final Set<String> allowed;

  private AllowedSpecial(Encoding encoding, Set<String> allowed) {
    this.encoding = encoding;
    this.allowed = allowed;
  }

  /** The encoding it was parsed for. */
  public Encoding encoding() {
    return encoding;
  }

  /**
   * The STRING form.
   *
   * @param function the SQL function's name, for the message
   * @throws IllegalArgumentException naming the token when one is not a special token of the
   *     encoding
   */
  public static AllowedSpecial parse(String spec, Encoding encoding, String function) {
    String s = spec.trim();
    if (s.equalsIgnoreCase("all")) return new AllowedSpecial(encoding, encoding.specialTokens().keySet());
    Set<String> names = new LinkedHashSet<>();
    if (!s.isEmpty() && !s.equalsIgnoreCase("none")) {
      for (String part : s.split(",")) {
        String name = part.trim();
        if (!name.isEmpty()) names.add(check(name, encoding, function, " (or use 'all' or 'none')"));
      }
    }
    return new AllowedSpecial(encoding, names);
  }

  /**
   * The ARRAY<STRING> form: the names as they are (no 'all', no trimming, so a name may hold a comma).
   *
   * @param function the SQL function's name, for the message
   * @throws IllegalArgumentException for a NULL element, or naming the token when one is not a
   *     special token of the encoding
   */
  public static AllowedSpecial of(String[] names, Encoding encoding, String function) {
    Set<String> set = new LinkedHashSet<>();
    for (int i = 0; i < names.length; i++) {
      if (names[i] == null) {
        throw new IllegalArgumentException(function + ": allowed_special has a NULL element (element " + (i + 1)
            + " of " + names.length + "); it must name special tokens of " + encoding.name());
      }
      set.add(check(names[i], encoding, function, ""));
    }
    return new AllowedSpecial(encoding, set);
  }

  /**
   * {@link #parse(String, Encoding, String)} through {@code last}, the memo of a function instance:
   * a row's {@code spec} (in the engine's string type) equal to the last one, for the same
   * encoding, is not parsed again.
   *
   * @param copy the engine's string of a Java string, kept as the memo's key (the row's own may be
   *     reused for the next row)
   */
  public static <S> AllowedSpecial parse(LastValue<S, AllowedSpecial> last, S spec, Function<String, S> copy,
      Encoding encoding, String function) {
    AllowedSpecial a = last.get(spec);
    if (a != null && a.encoding == encoding) return a;
    String s = spec.toString();
    a = parse(s, encoding, function);
    return last.put(copy.apply(s), a);
  }

  /** {@link #of(String[], Encoding, String)} through {@code last}, the memo of a function instance. */
  public static AllowedSpecial of(LastValue<String[], AllowedSpecial> last, String[] names, Encoding encoding,
      String function) {
    AllowedSpecial a = last.get(names);
    if (a != null && a.encoding == encoding) return a;
    return last.put(names, of(names, encoding, function));
  }

  private static String check(String name, Encoding encoding, String function, String hint) {
    Set<String> specials = encoding.specialTokens().keySet();
    if (!specials.contains(name)) {
      throw new IllegalArgumentException(function + ": allowed_special names '" + name
          + "', which is not a special token of " + encoding.name() + "; its special tokens are "
          + abbreviate(specials) + hint);
    }
    return name;
  }

  private static String abbreviate(Set<String> names) {
    if (names.size() <= 20) return names.toString();
    String[] first = names.stream().limit(20).toArray(String[]::new);
    return Arrays.toString(first).replaceFirst("]$", ", ... (" + names.size() + " in all)]");
  }

  /** Token ids of utf8[offset, offset + length), with the allowed special tokens recognized. */
  public int[] encode(byte[] utf8, int offset, int length) {
    if (allowed.isEmpty()) return encoding.encodeOrdinary(utf8, offset, length);
    return encoding.encode(utf8, offset, length, allowed, Set.of());
  }
}
