package dev.fasttok.sql;

import dev.fasttok.Encoding;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code allowed_special} argument of {@code encode_tokens}, parsed for one encoding:
 * {@code 'all'} (every special token of the encoding), {@code ''} or {@code 'none'} (none), or
 * the special tokens' texts separated by commas. The text of a special token that is not allowed
 * is encoded as plain text (tiktoken's {@code disallowed_special=()}): a SQL function must not
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
   * @param function the SQL function's name, for the message
   * @throws IllegalArgumentException naming the token when one is not a special token of the
   *     encoding
   */
  public static AllowedSpecial parse(String spec, Encoding encoding, String function) {
    String s = spec.trim();
    Map<String, Integer> specials = encoding.specialTokens();
    if (s.equalsIgnoreCase("all")) return new AllowedSpecial(encoding, specials.keySet());
    Set<String> names = new LinkedHashSet<>();
    if (!s.isEmpty() && !s.equalsIgnoreCase("none")) {
      for (String part : s.split(",")) {
        String name = part.trim();
        if (name.isEmpty()) continue;
        if (!specials.containsKey(name)) {
          throw new IllegalArgumentException(function + ": allowed_special names '" + name
              + "', which is not a special token of " + encoding.name() + "; its special tokens are "
              + abbreviate(specials.keySet()) + " (or use 'all' or 'none')");
        }
        names.add(name);
      }
    }
    return new AllowedSpecial(encoding, names);
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
