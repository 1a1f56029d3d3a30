package dev.fasttok.bench;

/**
 * Reads one JSON string literal, such as a line of a {@code .jsonl} corpus: {@code "...\n..."}.
 *
 * <p>Handles every JSON escape: {@code \" \\ \/ \b \f \n \r \t} and {@code \}{@code uXXXX}. A
 * {@code \}{@code uXXXX} escape is one UTF-16 code unit, so an escaped surrogate pair becomes the
 * pair in the Java string (one supplementary code point) and an escaped lone surrogate stays a
 * lone surrogate, as JSON defines it. Unescaped control characters below U+0020 are rejected, as
 * JSON requires; whitespace is allowed around the literal, nothing else.
 */
final class JsonString {
  private JsonString() {}

  /**
   * The string a JSON string literal denotes.
   *
   * @param where names the input in error messages (e.g. {@code file:line})
   * @throws IllegalArgumentException if {@code text} is not exactly one JSON string literal
   */
  static String parse(CharSequence text, String where) {
    int n = text.length();
    int i = skipWhitespace(text, 0);
    if (i >= n || text.charAt(i) != '"') throw error(where, i, "expected '\"' to start a JSON string");
    i++;
    StringBuilder out = new StringBuilder(Math.max(16, n - i));
    while (true) {
      if (i >= n) throw error(where, i, "unterminated JSON string");
      char c = text.charAt(i++);
      if (c == '"') break;
      if (c < 0x20) throw error(where, i - 1, String.format("unescaped control character U+%04X", (int) c));
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i >= n) throw error(where, i, "unterminated escape");
      char e = text.charAt(i++);
      switch (e) {
        case '"': out.append('"'); break;
        case '\\': out.append('\\'); break;
        case '/': out.append('/'); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u': {
          int high = hex4(text, i, where);
          i += 4;
          // A high surrogate followed by an escaped low surrogate is one code point; appending
          // both code units yields exactly that in a Java string. Anything else is kept as given.
          if (Character.isHighSurrogate((char) high) && i + 6 <= n
              && text.charAt(i) == '\\' && text.charAt(i + 1) == 'u') {
            int low = hex4(text, i + 2, where);
            if (Character.isLowSurrogate((char) low)) {
              out.appendCodePoint(Character.toCodePoint((char) high, (char) low));
              i += 6;
              break;
            }
          }
          out.append((char) high);
          break;
        }
        default:
          throw error(where, i - 1, "invalid escape '\\" + e + "'");
      }
    }
    int end = skipWhitespace(text, i);
    if (end != n) throw error(where, end, "unexpected text after the JSON string");
    return out.toString();
  }

  private static int hex4(CharSequence text, int at, String where) {
    if (at + 4 > text.length()) throw error(where, at, "truncated \\u escape");
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(text.charAt(at + k), 16);
      // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
      if (d < 0 || text.charAt(at + k) > 'f') throw error(where, at + k, "invalid hex digit in \\u escape");
      v = (v << 4) | d;
    }
    return v;
  }

  private static int skipWhitespace(CharSequence text, int i) {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
      i++;
    }
    return i;
  }

  private static IllegalArgumentException error(String where, int column, String message) {
    return new IllegalArgumentException(where + ", column " + (column + 1) + ": " + message);
  }
}
