package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any other split pattern, through {@code java.util.regex}. The Unicode classes the patterns use
 * ({@code \p{L}}, {@code \p{N}}, {@code \p{Lu}}..., {@code \s}, {@code \d}) are rewritten to
 * match fasttok's Unicode 16.0 table whatever the running JDK's Unicode version;
 * {@code $} means the end of the text, as in Rust's regex.
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
  String engine() {
    return "java.util.regex";
  }

  @Override
  void split(byte[] b, int start, int end, IntList ends) {
    String text = new String(b, start, end - start, StandardCharsets.UTF_8);
    Matcher m = compiled.matcher(text);
    int charPos = 0;
    int bytePos = start;
    while (m.find()) {
      if (m.end() == m.start()) continue; // an empty match produces no piece
      int s = bytePos + Utf8.encodedLength(text, charPos, m.start());
      int e = s + Utf8.encodedLength(text, m.start(), m.end());
      if (s != bytePos) ends.add(-s - 1); // a gap no match covers
      ends.add(e);
      charPos = m.end();
      bytePos = e;
    }
    if (bytePos != end) ends.add(-end - 1);
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
            BitSet script = UnicodeScripts.of(name, PatternParser.Dialect.TIKTOKEN);
            if (script != null) ranges = join(rangesOf(script)); // the engine's table, not the JDK's
          }
          if (ranges == null) {
            out.append(p, i, next); // a class the table does not hold: the JDK's own
          } else {
            appendClass(out, ranges, n == 'P');
          }
          i = next - 1;
          continue;
        }
        if (n == 's' || n == 'S' || n == 'd' || n == 'D') {
          appendClass(out, n == 's' || n == 'S' ? whiteSpace() : ranges("Nd"), Character.isUpperCase(n));
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

  /** A nested class; inside {@code [^...]} the JDK negates it together with the rest. */
  private static void appendClass(StringBuilder out, String ranges, boolean negated) {
    out.append(negated ? "[^" : "[").append(ranges).append(']');
  }

  private static String whiteSpace() {
    return join(UnicodeClasses.table().whiteSpace);
  }

  private static final Map<String, String> CLASSES = new ConcurrentHashMap<>();

  /**
   * A Java regex class for a general category or group (L, M, N and their subcategories) as
   * Unicode 16.0 has it, or null for another name: the JDK's own property, which is fast, plus
   * the code points it lacks and minus those it has in excess (the running JDK may know an
   * older Unicode).
   */
  private static String ranges(String name) {
    if (!(name.length() == 1 && "LMN".contains(name)) && !UnicodeClasses.table().categories.containsKey(name)) {
      return null;
    }
    return CLASSES.computeIfAbsent(name, RegexSplitter::correctedProperty);
  }

  private static String correctedProperty(String name) {
    BitSet ours = new BitSet(UnicodeTable.MAX_CODE_POINT + 1);
    for (Map.Entry<String, List<int[]>> e : UnicodeClasses.table().categories.entrySet()) {
      if (!e.getKey().startsWith(name)) continue;
      for (int[] r : e.getValue()) ours.set(r[0], r[1] + 1);
    }
    BitSet extra = new BitSet();
    BitSet missing = new BitSet();
    for (int cp = 0; cp <= UnicodeTable.MAX_CODE_POINT; cp++) {
      boolean jdk = jdkCategory(cp).startsWith(name);
      if (ours.get(cp) && !jdk) extra.set(cp);
      else if (!ours.get(cp) && jdk) missing.set(cp);
    }
    StringBuilder sb = new StringBuilder("\\p{").append(name).append('}').append(join(rangesOf(extra)));
    if (!missing.isEmpty()) sb.append("&&[^").append(join(rangesOf(missing))).append(']');
    return sb.toString();
  }

  private static List<int[]> rangesOf(BitSet set) {
    List<int[]> out = new ArrayList<>();
    for (int a = set.nextSetBit(0); a >= 0; ) {
      int end = set.nextClearBit(a);
      out.add(new int[] {a, end - 1});
      a = set.nextSetBit(end);
    }
    return out;
  }

  /** The running JDK's two-letter general category of a code point. */
  private static String jdkCategory(int cp) {
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER: return "Lu";
      case Character.LOWERCASE_LETTER: return "Ll";
      case Character.TITLECASE_LETTER: return "Lt";
      case Character.MODIFIER_LETTER: return "Lm";
      case Character.OTHER_LETTER: return "Lo";
      case Character.NON_SPACING_MARK: return "Mn";
      case Character.COMBINING_SPACING_MARK: return "Mc";
      case Character.ENCLOSING_MARK: return "Me";
      case Character.DECIMAL_DIGIT_NUMBER: return "Nd";
      case Character.LETTER_NUMBER: return "Nl";
      case Character.OTHER_NUMBER: return "No";
      default: return "";
    }
  }

  /** A set as the inside of a java.util.regex class: its ranges, spelled out. */
  static String classOf(BitSet set) {
    return join(rangesOf(set));
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
