package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any other split pattern, through {@code java.util.regex}. The Unicode classes the patterns use
 * ({@code \p{L}}, {@code \p{N}}, {@code \p{Lu}}..., {@code \s}, {@code \d}) are rewritten into
 * explicit code point ranges from fasttok's Unicode 16.0 table, so they do not depend on the
 * running JDK's Unicode version; {@code $} means the end of the text, as in Rust's regex.
 * Text that no match covers is skipped, as tiktoken skips it.
 */
final class RegexSplitter extends Splitter {
  private final String pattern;
  private final Pattern compiled;

  RegexSplitter(String pattern) {
    this.pattern = pattern;
    try {
      this.compiled = Pattern.compile(translate(pattern), Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid split pattern " + pattern + ": " + e.getMessage(), e);
    }
  }

  @Override
  String pattern() {
    return pattern;
  }

  @Override
  void split(byte[] b, int start, int end, IntList ends) {
    String text = new String(b, start, end - start, StandardCharsets.UTF_8);
    Matcher m = compiled.matcher(text);
    int charPos = 0;
    int bytePos = start;
    while (m.find()) {
      if (m.end() == m.start()) continue; // an empty match produces no piece
      int s = bytePos + utf8Length(text, charPos, m.start());
      int e = s + utf8Length(text, m.start(), m.end());
      if (s != bytePos) ends.add(-s - 1); // a gap no match covers
      ends.add(e);
      charPos = m.end();
      bytePos = e;
    }
    if (bytePos != end) ends.add(-end - 1);
  }

  private static int utf8Length(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  /** Rewrites Unicode classes into explicit ranges and {@code $} into {@code \z}. */
  static String translate(String p) {
    StringBuilder out = new StringBuilder(p.length() * 2);
    int depth = 0; // inside a character class when > 0
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\' && i + 1 < p.length()) {
        char n = p.charAt(i + 1);
        if ((n == 'p' || n == 'P') && i + 2 < p.length()) {
          String name;
          int next;
          if (p.charAt(i + 2) == '{') {
            int close = p.indexOf('}', i + 3);
            if (close < 0) throw new IllegalArgumentException("unclosed \\" + n + "{ at " + i);
            name = p.substring(i + 3, close);
            next = close + 1;
          } else {
            name = String.valueOf(p.charAt(i + 2));
            next = i + 3;
          }
          String ranges = ranges(name);
          if (ranges == null) {
            out.append(p, i, next); // a class the table does not hold: the JDK's own
          } else {
            out.append(n == 'P' ? "[^" : "[").append(ranges).append(']');
          }
          i = next - 1;
          continue;
        }
        if (n == 's' || n == 'S' || n == 'd' || n == 'D') {
          String ranges = n == 's' || n == 'S' ? whiteSpace() : ranges("Nd");
          out.append(Character.isUpperCase(n) ? "[^" : "[").append(ranges).append(']');
          i++;
          continue;
        }
        out.append(c).append(n);
        i++;
        continue;
      }
      if (c == '[') depth++;
      else if (c == ']' && depth > 0) depth--;
      else if (c == '$' && depth == 0) {
        out.append("\\z");
        continue;
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String whiteSpace() {
    return join(UnicodeClasses.TABLE.whiteSpace);
  }

  /** The ranges of a general category or group (L, M, N and their subcategories), or null. */
  private static String ranges(String name) {
    UnicodeTable t = UnicodeClasses.TABLE;
    if (name.length() == 1 && "LMN".contains(name)) {
      StringBuilder sb = new StringBuilder();
      for (var e : t.categories.entrySet()) {
        if (e.getKey().startsWith(name)) sb.append(join(e.getValue()));
      }
      return sb.toString();
    }
    List<int[]> r = t.categories.get(name);
    return r == null ? null : join(r);
  }

  private static String join(List<int[]> ranges) {
    StringBuilder sb = new StringBuilder();
    for (int[] r : ranges) {
      sb.append("\\x{").append(Integer.toHexString(r[0])).append('}');
      if (r[1] != r[0]) sb.append("-\\x{").append(Integer.toHexString(r[1])).append('}');
    }
    return sb.toString();
  }
}
