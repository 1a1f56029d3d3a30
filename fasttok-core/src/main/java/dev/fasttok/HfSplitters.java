package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-tokenizers of Hugging Face tokenizers as {@link Splitter}s. Unlike a tiktoken split
 * pattern, a Hugging Face {@code Split} with the {@code Isolated} behaviour keeps the text
 * between matches as pieces of its own, so these splitters always cover the whole text (no skip
 * entries).
 */
final class HfSplitters {
  private HfSplitters() {}

  /**
   * The splitter for a {@code Split} regex: a hand-written one where the pattern is exactly one
   * they implement (they cover all text, so they already keep every gap), else the compiled
   * pattern, else (a pattern the compiler does not handle) {@link Regex}.
   */
  static Splitter forRegex(String pattern) {
    if (pattern.equals(Cl100kSplitter.PATTERN)) return new Cl100kSplitter();
    if (pattern.equals(Cl100kSplitter.SINGLE_DIGIT_PATTERN)) return new Cl100kSplitter(1);
    if (pattern.equals(O200kSplitter.PATTERN)) return new O200kSplitter();
    if (pattern.equals(R50kSplitter.PATTERN)) return new R50kSplitter();
    return Splitters.compiledOr(pattern, PatternParser.Dialect.ONIGURUMA, true, () -> new Regex(pattern));
  }

  /**
   * Whether a hand-written splitter implements the pattern: each of their patterns matches at
   * every character, never empty, so the text has no gaps between matches.
   */
  static boolean matchesEveryCharacter(String pattern) {
    return pattern.equals(Cl100kSplitter.PATTERN) || pattern.equals(Cl100kSplitter.SINGLE_DIGIT_PATTERN)
        || pattern.equals(O200kSplitter.PATTERN) || pattern.equals(R50kSplitter.PATTERN);
  }

  /** How a tokenizer.json's pre-tokenizers split: "hand-written", "compiled", "java.util.regex"... */
  static String engine(HfPipeline.Config c) {
    java.util.Set<String> engines = new java.util.LinkedHashSet<>();
    for (int i = 0; i < c.stepKinds().length; i++) {
      engines.add(HfPipeline.isSplit(c.stepKinds()[i]) ? forRegex(c.stepPatterns()[i]).engine() : "hand-written");
    }
    if (c.byteLevelRegex()) engines.add("hand-written");
    return engines.isEmpty() ? "none" : String.join(" and ", engines);
  }

  /**
   * A regular expression as Hugging Face's Oniguruma (Ruby syntax) reads it, through
   * {@code java.util.regex}; Unicode classes are corrected as {@link RegexSplitter} corrects them.
   * Matches and the gaps between them are pieces; an empty match splits a gap.
   */
  static final class Regex extends Splitter {
    private final String pattern;
    private final Pattern compiled;

    Regex(String pattern) {
      this.pattern = pattern;
      try {
        this.compiled = Pattern.compile(RegexSplitter.translate(fromOniguruma(pattern)),
            Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid Split regex " + pattern + ": " + e.getMessage(), e);
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
      int prevChar = 0;
      int prevByte = start;
      while (m.find()) {
        int s = m.start();
        int e = m.end();
        if (s > prevChar) {
          prevByte += Utf8.encodedLength(text, prevChar, s);
          ends.add(prevByte);
        }
        if (e > s) {
          prevByte += Utf8.encodedLength(text, s, e);
          ends.add(prevByte);
        }
        prevChar = e;
      }
      if (prevByte < end) ends.add(end);
    }

    /**
     * The matches as Oniguruma's {@code find_iter} gives them to Hugging Face: start and end of
     * each, in order, empty ones included, except an empty match right where the previous match
     * ended (java.util.regex reports that one; Oniguruma's iterator skips it). The end of the
     * text is not tried: an empty match there changes no piece whatever the behaviour.
     */
    void matches(byte[] b, int start, int end, IntList out) {
      matches(b, start, end, out, false);
    }

    /** The matches, and, if {@code atEnd}, also an empty match at the end of the text where there is one. */
    void matches(byte[] b, int start, int end, IntList out, boolean atEnd) {
      String text = new String(b, start, end - start, StandardCharsets.UTF_8);
      Matcher m = compiled.matcher(text);
      int prevChar = 0;
      int prevByte = start;
      int lastEnd = -1;
      while (m.find()) {
        int s = m.start();
        int e = m.end();
        if (s == text.length() && !atEnd) break;
        if (s == e && s == lastEnd) continue;
        int sb = prevByte + Utf8.encodedLength(text, prevChar, s);
        int eb = sb + Utf8.encodedLength(text, s, e);
        out.add(sb);
        out.add(eb);
        prevChar = e;
        prevByte = eb;
        lastEnd = e;
      }
    }

    /**
     * Rewrites what Oniguruma's Ruby syntax reads differently from Java: outside brackets,
     * {@code ^} and {@code $} are line anchors (lines end at '\n' only) and {@code .} is any
     * character but '\n'; {@code \h} is a hexadecimal digit. Punctuation and symbol classes
     * ({@code \p{P}}, {@code \p{S}} and their subcategories) gain the characters Unicode 14.0
     * to 16.0 added to them, which Oniguruma knows and the JDK may not (Java 17 has Unicode 13).
     */
    static String fromOniguruma(String p) {
      StringBuilder out = new StringBuilder(p.length() + 16);
      int depth = 0;
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c == '\\' && i + 1 < p.length()) {
          char n = p.charAt(++i);
          if (n == 'h') {
            out.append(depth > 0 ? "0-9a-fA-F" : "[0-9a-fA-F]");
          } else if (n == 'H' && depth == 0) {
            out.append("[^0-9a-fA-F]");
          } else if ((n == 'p' || n == 'P') && i + 1 < p.length()) {
            String name;
            int next;
            if (p.charAt(i + 1) == '{' && p.indexOf('}', i + 2) > 0) {
              next = p.indexOf('}', i + 2);
              name = p.substring(i + 2, next);
            } else {
              next = i + 1;
              name = String.valueOf(p.charAt(i + 1));
            }
            java.util.BitSet script = UnicodeScripts.of(name, PatternParser.Dialect.ONIGURUMA);
            if (script == null && UnicodeScripts.isScriptSomewhere(name)) {
              throw new IllegalArgumentException("invalid character property name {" + name + "} at " + (i - 1));
            }
            String extra = script != null ? "" : newerPunctuationAndSymbols(name);
            if (script != null) {
              // Oniguruma's own script table, spelled out for the JDK.
              String set = RegexSplitter.classOf(script);
              if (n == 'P') out.append("[^").append(set).append(']');
              else if (depth > 0) out.append(set);
              else out.append('[').append(set).append(']');
              i = next;
              continue;
            }
            if (extra == null) {
              out.append(c).append(n);
              continue;
            }
            boolean negated = n == 'P';
            String set = "\\p{" + name + "}" + extra;
            if (negated) out.append("[^").append(set).append(']');
            else if (depth > 0) out.append(set);
            else out.append('[').append(set).append(']');
            i = next;
          } else {
            out.append(c).append(n);
          }
          continue;
        }
        if (c == '[') {
          depth++;
        } else if (c == ']' && depth > 0) {
          depth--;
        } else if (depth == 0) {
          if (c == '^') {
            out.append("(?<![^\\n])");
            continue;
          }
          if (c == '$') {
            out.append("(?=\\n|\\z)");
            continue;
          }
          if (c == '.') {
            out.append("[^\\n]");
            continue;
          }
        }
        out.append(c);
      }
      return out.toString();
    }

    /**
     * Code point ranges (first, last) that Unicode 14.0 to 16.0 added to each punctuation and
     * symbol category; from ICU4J 76.1 ({@code UCharacter.getAge}, {@code getType}).
     */
    private static final java.util.Map<String, int[]> NEWER = java.util.Map.of(
        "Pd", new int[] {0x2E5D, 0x2E5D, 0x10D6E, 0x10D6E},
        "Ps", new int[] {0x2E55, 0x2E55, 0x2E57, 0x2E57, 0x2E59, 0x2E59, 0x2E5B, 0x2E5B},
        "Pe", new int[] {0x2E56, 0x2E56, 0x2E58, 0x2E58, 0x2E5A, 0x2E5A, 0x2E5C, 0x2E5C},
        "Po", new int[] {0x61D, 0x61D, 0x1B4E, 0x1B4F, 0x1B7D, 0x1B7F, 0x2E53, 0x2E54, 0x10F86, 0x10F89, 0x113D4,
            0x113D5, 0x113D7, 0x113D8, 0x116B9, 0x116B9, 0x11B00, 0x11B09, 0x11BE1, 0x11BE1, 0x11F43, 0x11F4F,
            0x12FF1, 0x12FF2, 0x16D6D, 0x16D6F, 0x1E5FF, 0x1E5FF},
        "Sm", new int[] {0x10D8E, 0x10D8F},
        "Sc", new int[] {0x20C0, 0x20C0},
        "Sk", new int[] {0x888, 0x888, 0xFBC2, 0xFBC2},
        "So", new int[] {0x2427, 0x2429, 0x2FFC, 0x2FFF, 0x31E4, 0x31E5, 0x31EF, 0x31EF, 0xFD40, 0xFD4F, 0xFDCF,
            0xFDCF, 0xFDFE, 0xFDFF, 0x1CC00, 0x1CCEF, 0x1CD00, 0x1CEB3, 0x1CF50, 0x1CFC3, 0x1D1E9, 0x1D1EA, 0x1F6DC,
            0x1F6DF, 0x1F774, 0x1F776, 0x1F77B, 0x1F77F, 0x1F7D9, 0x1F7D9, 0x1F7F0, 0x1F7F0, 0x1F8B2, 0x1F8BB,
            0x1F8C0, 0x1F8C1, 0x1F979, 0x1F979, 0x1F9CC, 0x1F9CC, 0x1FA75, 0x1FA77, 0x1FA7B, 0x1FA7C, 0x1FA87,
            0x1FA89, 0x1FA8F, 0x1FA8F, 0x1FAA9, 0x1FAAF, 0x1FAB7, 0x1FABF, 0x1FAC3, 0x1FAC6, 0x1FACE, 0x1FACF,
            0x1FAD7, 0x1FADC, 0x1FADF, 0x1FAE9, 0x1FAF0, 0x1FAF8, 0x1FBCB, 0x1FBEF});

    /** The newer members of a P or S category as regex ranges, or null for another class name. */
    private static String newerPunctuationAndSymbols(String name) {
      String cats;
      if (name.equals("P")) cats = "Pd Ps Pe Po";
      else if (name.equals("S")) cats = "Sm Sc Sk So";
      else if (name.length() == 2 && "PS".indexOf(name.charAt(0)) >= 0) cats = name;
      else return null;
      StringBuilder sb = new StringBuilder();
      for (String cat : cats.split(" ")) {
        int[] r = NEWER.get(cat);
        if (r == null) continue;
        for (int k = 0; k < r.length; k += 2) {
          sb.append("\\x{").append(Integer.toHexString(r[k])).append('}');
          if (r[k + 1] != r[k]) sb.append("-\\x{").append(Integer.toHexString(r[k + 1])).append('}');
        }
      }
      return sb.toString();
    }
  }

  /**
   * Hugging Face's {@code Digits}: numeric characters (Rust's {@code char::is_numeric}, general
   * category N, as tokenizers' own build sees them) each as a piece of their own ({@code individual_digits}), or runs of them as one
   * piece; the text between them as pieces.
   */
  static final class Digits extends Splitter {
    /**
     * The numeric characters as tokenizers' Digits finds them (Rust's {@code char::is_numeric},
     * of a newer Unicode than fasttok's other tables), as sorted ranges first, last, ...; made
     * by the oracle script ({@code numeric.txt}).
     */
    private static final int[] NUMERIC = ranges("numeric.txt");

    private final boolean individual;

    Digits(boolean individual) {
      this.individual = individual;
    }

    @Override
    String pattern() {
      return individual ? "Digits(individual)" : "Digits";
    }

    static boolean numeric(int cp) {
      if (cp < 0x80) return cp >= '0' && cp <= '9';
      int lo = 0;
      int hi = NUMERIC.length / 2 - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (cp < NUMERIC[2 * mid]) hi = mid - 1;
        else if (cp > NUMERIC[2 * mid + 1]) lo = mid + 1;
        else return true;
      }
      return false;
    }

    private static boolean numericAt(byte[] b, int i) {
      return numeric(b[i] >= 0 ? b[i] : Utf8.codePoint(b, i));
    }

    @Override
    void split(byte[] b, int start, int end, IntList ends) {
      int p = start;
      while (p < end) {
        boolean number = numericAt(b, p);
        int q = p + Utf8.length(b[p]);
        if (!number || !individual) {
          while (q < end && numericAt(b, q) == number) q += Utf8.length(b[q]);
        }
        ends.add(q);
        p = q;
      }
    }

    private static int[] ranges(String resource) {
      try (java.io.InputStream in = HfSplitters.class.getResourceAsStream(resource)) {
        if (in == null) throw new IllegalStateException("missing resource " + resource + " in the fasttok jar");
        IntList out = new IntList(512);
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          if (line.isEmpty() || line.startsWith("#")) continue;
          int dots = line.indexOf("..");
          out.add(Integer.parseInt(line.substring(0, dots), 16));
          out.add(Integer.parseInt(line.substring(dots + 2).trim(), 16));
        }
        return out.toArray();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * Hugging Face's {@code Split} with any behaviour and {@code invert} (tokenizers'
   * {@code NormalizedString::split} over {@code Pattern::find_matches}): the text cut into the
   * pattern's matches and the gaps between them, each flagged as a match (flags swapped by
   * {@code invert}); the behaviour then merges or removes. A removed piece is written as
   * {@code -end - 1}, the convention for text no piece covers, so that later steps skip it and no
   * token (and no token end) comes from it, while every kept piece keeps its offsets in the
   * caller's text.
   */
  static final class Split extends Splitter {
    private final Splitter matcher;
    private final int behavior;
    private final boolean invert;
    private final ThreadLocal<IntList[]> scratch =
        ThreadLocal.withInitial(() -> new IntList[] {new IntList(64), new IntList(96), new IntList(96), new IntList(64)});

    /** {@code behavior} is one of {@link PreTokenizers}' constants. */
    Split(String regex, int behavior, boolean invert) {
      this.matcher = forRegex(regex);
      this.behavior = behavior;
      this.invert = invert;
    }

    @Override
    String pattern() {
      return matcher.pattern();
    }

    @Override
    String engine() {
      return matcher.engine();
    }

    @Override
    void split(byte[] b, int start, int end, IntList ends) {
      IntList[] lists = scratch.get();
      IntList m = lists[0];
      IntList segs = lists[1];
      IntList out = lists[2];
      m.clear();
      segs.clear();
      out.clear();
      HfSplitters.matches(matcher, b, start, end, m, lists[3], false);
      // find_matches: the gaps and the matches in order, as (start, end, isMatch).
      int prev = start;
      for (int i = 0; i < m.size; i += 2) {
        int s = m.a[i];
        int e = m.a[i + 1];
        if (prev != s) add(segs, prev, s, invert);
        add(segs, s, e, !invert);
        prev = e;
      }
      if (prev != end) add(segs, prev, end, invert);
      // The behaviour, as tokenizers folds the list: (start, end, remove); Removed removes the matches.
      int n = segs.size;
      int[] g = segs.a;
      switch (behavior) {
        case PreTokenizers.ISOLATED:
          for (int i = 0; i < n; i += 3) add(out, g[i], g[i + 1], false);
          break;
        case PreTokenizers.REMOVED:
          for (int i = 0; i < n; i += 3) add(out, g[i], g[i + 1], g[i + 2] != 0);
          break;
        case PreTokenizers.CONTIGUOUS: {
          boolean previous = false;
          for (int i = 0; i < n; i += 3) {
            boolean match = g[i + 2] != 0;
            if (match == previous && out.size > 0) out.a[out.size - 2] = g[i + 1];
            else add(out, g[i], g[i + 1], false);
            previous = match;
          }
          break;
        }
        case PreTokenizers.MERGED_WITH_PREVIOUS: {
          boolean previous = false;
          for (int i = 0; i < n; i += 3) {
            boolean match = g[i + 2] != 0;
            if (match && !previous && out.size > 0) out.a[out.size - 2] = g[i + 1];
            else add(out, g[i], g[i + 1], false);
            previous = match;
          }
          break;
        }
        case PreTokenizers.MERGED_WITH_NEXT: {
          // From the end: a match joins the piece after it, unless that piece is a match.
          boolean previous = false;
          for (int i = n - 3; i >= 0; i -= 3) {
            boolean match = g[i + 2] != 0;
            if (match && !previous && out.size > 0) out.a[out.size - 3] = g[i];
            else add(out, g[i], g[i + 1], false);
            previous = match;
          }
          reverse(out);
          break;
        }
        default:
          throw new IllegalStateException("behavior " + behavior);
      }
      for (int i = 0; i < out.size; i += 3) {
        int s = out.a[i];
        int e = out.a[i + 1];
        if (e == s) continue; // tokenizers drops empty pieces
        ends.add(out.a[i + 2] != 0 ? -e - 1 : e);
      }
    }

    /** Appends (start, end, flag): in the find_matches list whether it is a match, after it whether it is removed. */
    private static void add(IntList l, int s, int e, boolean flag) {
      l.add(s);
      l.add(e);
      l.add(flag ? 1 : 0);
    }

    private static void reverse(IntList l) {
      int[] a = l.a;
      for (int i = 0, j = l.size - 3; i < j; i += 3, j -= 3) {
        for (int k = 0; k < 3; k++) {
          int t = a[i + k];
          a[i + k] = a[j + k];
          a[j + k] = t;
        }
      }
    }
  }

  /**
   * A regex's matches in {@code b[start, end)}, start and end of each, as Hugging Face's regex
   * ({@code find_iter}) finds them; with {@code atEnd} also an empty match at the end of the text.
   *
   * @param matcher a splitter of {@link #forRegex}
   * @param pieces scratch space
   */
  static void matches(Splitter matcher, byte[] b, int start, int end, IntList out, IntList pieces, boolean atEnd) {
    if (matcher instanceof CompiledSplitter) {
      ((CompiledSplitter) matcher).matches(b, start, end, out, atEnd);
    } else if (matcher instanceof Regex) {
      ((Regex) matcher).matches(b, start, end, out, atEnd);
    } else {
      // A hand-written splitter: its pattern matches every character, never empty, so each
      // piece is a match and there are no gaps, nor an empty match at the end.
      pieces.clear();
      matcher.split(b, start, end, pieces);
      int p = start;
      for (int i = 0; i < pieces.size; i++) {
        int e = pieces.a[i];
        if (e < 0) {
          p = -e - 1;
          continue;
        }
        out.add(p);
        out.add(e);
        p = e;
      }
    }
  }

  /**
   * Writes the UTF-8 of {@code text[from, to)} to {@code b} (3 bytes per unit suffice) and, for
   * each byte, the UTF-16 index of its character to {@code unit} ({@code unit[n] = to}); returns
   * the byte count n. Hugging Face's regexes run on UTF-8; the component pipeline's text is UTF-16.
   */
  static int utf8(CharSequence text, int from, int to, byte[] b, int[] unit) {
    int n = 0;
    for (int i = from; i < to; ) {
      int cp = Character.codePointAt(text, i);
      int start = n;
      n = Utf8.put(cp, b, n);
      for (int k = start; k < n; k++) unit[k] = i;
      i += Character.charCount(cp);
    }
    unit[n] = to;
    return n;
  }

  /**
   * A {@link Split} for the component pipeline, which cuts UTF-16 text: the same cuts, made on
   * the piece's UTF-8 and mapped back to its UTF-16 indices; removed text is in no piece.
   */
  static PreTokenizer preTokenizer(String regex, int behavior, boolean invert) {
    return preTokenizer(new Split(regex, behavior, invert));
  }

  /**
   * A splitter of UTF-8 (a {@link Split}, {@link Digits}, GPT-2's pattern) for the component
   * pipeline, which cuts UTF-16 text: the same cuts, made on the piece's UTF-8 and mapped back
   * to its UTF-16 indices; removed text is in no piece.
   */
  static PreTokenizer preTokenizer(Splitter split) {
    return (text, from, to, pieces) -> {
      int max = 3 * (to - from);
      byte[] b = new byte[max];
      int[] unit = new int[max + 1]; // UTF-16 index of each byte's character
      int n = utf8(text, from, to, b, unit);
      IntList ends = new IntList(16);
      split.split(b, 0, n, ends);
      int p = 0;
      for (int i = 0; i < ends.size; i++) {
        int e = ends.a[i];
        if (e < 0) {
          p = -e - 1;
          continue;
        }
        pieces.add(unit[p]);
        pieces.add(unit[e]);
        p = e;
      }
    };
  }

  /** A regex that matches the text literally, as tokenizers escapes a String Split pattern. */
  static String literal(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\^$.|?*+()[]{}-&~#".indexOf(c) >= 0 || c == ' ') sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }

  /** Pre-tokenizers applied in turn, each to every piece of the one before. */
  static final class Sequence extends Splitter {
    private final Splitter[] steps;
    private final ThreadLocal<IntList[]> scratch;

    Sequence(Splitter[] steps) {
      this.steps = steps.clone();
      this.scratch = ThreadLocal.withInitial(() -> {
        IntList[] lists = new IntList[steps.length];
        for (int i = 0; i < lists.length; i++) lists[i] = new IntList(64);
        return lists;
      });
    }

    @Override
    String engine() {
      java.util.Set<String> engines = new java.util.LinkedHashSet<>();
      for (Splitter s : steps) engines.add(s.engine());
      return String.join(" and ", engines);
    }

    @Override
    String pattern() {
      StringBuilder sb = new StringBuilder();
      for (Splitter s : steps) sb.append(sb.length() == 0 ? "" : " then ").append(s.pattern());
      return sb.toString();
    }

    @Override
    void split(byte[] b, int start, int end, IntList ends) {
      split(0, b, start, end, ends, scratch.get());
    }

    private void split(int level, byte[] b, int start, int end, IntList ends, IntList[] lists) {
      if (level == steps.length - 1) {
        steps[level].split(b, start, end, ends);
        return;
      }
      IntList pieces = lists[level];
      pieces.clear();
      steps[level].split(b, start, end, pieces);
      int p = start;
      for (int i = 0; i < pieces.size; i++) {
        int e = pieces.a[i];
        if (e < 0) {
          // Text a Split removed: no later step sees it.
          ends.add(e);
          p = -e - 1;
          continue;
        }
        split(level + 1, b, p, e, ends, lists);
        p = e;
      }
    }
  }
}
