package dev.fasttok;

import static dev.fasttok.UnicodeClasses.L;
import static dev.fasttok.UnicodeClasses.LETTER;
import static dev.fasttok.UnicodeClasses.LOWER;
import static dev.fasttok.UnicodeClasses.MARK;
import static dev.fasttok.UnicodeClasses.NEWLINE;
import static dev.fasttok.UnicodeClasses.NUMBER;
import static dev.fasttok.UnicodeClasses.OTHER;
import static dev.fasttok.UnicodeClasses.UPPER;

/**
 * o200k_base's split pattern, by hand; its alternatives, tried in order at each position:
 * <pre>
 * 1 [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * 2 [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * 3 \p{N}{1,3}
 * 4  ?[^\s\p{L}\p{N}]+[\r\n/]*
 * 5 \s*[\r\n]+
 * 6 \s+(?!\S)
 * 7 \s+
 * </pre>
 */
final class O200kSplitter extends Splitter {
  static final String PATTERN =
      "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
      + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
      + "|\\p{N}{1,3}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"
      + "|\\s*[\\r\\n]+"
      + "|\\s+(?!\\S)"
      + "|\\s+";

  private static final int UPPERISH = UPPER | LETTER | MARK; // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  private static final int LOWERISH = LOWER | LETTER | MARK; // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
  private static final int PUNCT = OTHER | MARK; // [^\s\p{L}\p{N}]

  @Override
  String pattern() {
    return PATTERN;
  }

  @Override
  int cut(byte[] b, int from, int limit) {
    return spaceAfterLetter(b, from, limit);
  }

  @Override
  void split(byte[] b, int start, int end, IntList ends) {
    int[] out = ends.a;
    int n = ends.size;
    int p = start;
    while (p < end) {
      int e = asciiWord(b, p, end);
      p = e >= 0 ? e : piece(b, p, end);
      if (n == out.length) out = ends.grow(n);
      out[n++] = p;
    }
    ends.size = n;
  }

  /**
   * The common piece, an ASCII word ([A-Z]*[a-z]* after an optional leading character), or -1
   * when the text there needs the general rules (no word, a non-ASCII character or an
   * apostrophe right after it).
   */
  private static int asciiWord(byte[] b, int p, int end) {
    int c = b[p];
    if (c < 0) return -1;
    int q = p;
    if ((ASCII_CLASS[c] & L) == 0) {
      if ((ASCII_CLASS[c] & (NUMBER | NEWLINE)) != 0 || p + 1 >= end) return -1;
      q = p + 1;
    }
    int i = q;
    while (i < end && b[i] >= 'A' && b[i] <= 'Z') i++;
    while (i < end && b[i] >= 'a' && b[i] <= 'z') i++;
    if (i == q || (i < end && (b[i] < 0 || b[i] == '\''))) return -1;
    return i;
  }

  private static int piece(byte[] b, int p, int end) {
    int inf = info(b, p);
    int c0 = inf & 0xFF;
    int next = p + (inf >>> 8);
    if ((c0 & (L | NUMBER | NEWLINE)) == 0) {
      // c0 may be the optional leading character; the regex first tries with it taken.
      int e = upperThenLower(b, next, end);
      if (e < 0 && (c0 & MARK) != 0) e = upperThenLower(b, p, end);
      if (e < 0) e = upperRun(b, next, end);
      if (e < 0 && (c0 & MARK) != 0) e = upperRun(b, p, end);
      if (e >= 0) return e;
    } else if ((c0 & L) != 0) {
      int e = upperThenLower(b, p, end);
      return e >= 0 ? e : upperRun(b, p, end);
    }
    if ((c0 & NUMBER) != 0) {
      int e = next;
      for (int k = 1; k < 3 && e < end; k++) {
        int i2 = info(b, e);
        if ((i2 & NUMBER) == 0) break;
        e += i2 >>> 8;
      }
      return e;
    }
    int q = -1;
    if ((c0 & PUNCT) != 0) q = p;
    else if (b[p] == ' ' && (classAt(b, next, end) & PUNCT) != 0) q = next;
    if (q >= 0) {
      int e = run(b, q, end, PUNCT);
      while (e < end && (b[e] == '\r' || b[e] == '\n' || b[e] == '/')) e++;
      return e;
    }
    return whitespace(b, p, end, true);
  }

  /**
   * Alternative 1 without its optional leading character, from a:
   * {@code [upperish]*[lowerish]+} then an optional contraction. The greedy upperish run backs
   * off until a lowerish character can follow, so the match ends after the last lowerish
   * character the regex can reach; -1 if there is none.
   */
  private static int upperThenLower(byte[] b, int a, int end) {
    int i = a;
    int afterLastBoth = -1; // end of the last character in the run that is both upper- and lowerish
    while (i < end) {
      int inf = info(b, i);
      if ((inf & UPPERISH) == 0) break;
      i += inf >>> 8;
      if ((inf & LOWERISH) != 0) afterLastBoth = i;
    }
    int e;
    if ((classAt(b, i, end) & LOWER) != 0) {
      e = run(b, i, end, LOWERISH);
    } else if (afterLastBoth >= 0) {
      e = afterLastBoth;
    } else {
      return -1;
    }
    return withContraction(b, e, end);
  }

  /** Alternative 2 without its optional leading character: {@code [upperish]+[lowerish]*'s?}. */
  private static int upperRun(byte[] b, int a, int end) {
    if ((classAt(b, a, end) & UPPERISH) == 0) return -1;
    int e = run(b, run(b, a, end, UPPERISH), end, LOWERISH);
    return withContraction(b, e, end);
  }

  private static int withContraction(byte[] b, int e, int end) {
    if (e < end && b[e] == '\'') {
      int c = contraction(b, e, end, true);
      if (c > 0) return c;
    }
    return e;
  }
}
