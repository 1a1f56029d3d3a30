package dev.fasttok;

import static dev.fasttok.UnicodeClasses.L;
import static dev.fasttok.UnicodeClasses.MARK;
import static dev.fasttok.UnicodeClasses.NEWLINE;
import static dev.fasttok.UnicodeClasses.NUMBER;
import static dev.fasttok.UnicodeClasses.OTHER;
import static dev.fasttok.UnicodeClasses.SPACE;

/**
 * cl100k_base's split pattern, by hand:
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}
 * (Llama 3's too), or the same with {@code \p{N}} for {@code \p{N}{1,3}} (Qwen's: digits one by one).
 */
final class Cl100kSplitter extends Splitter {
  static final String PATTERN =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  /** {@link #PATTERN} with single digits: Qwen's split pattern. */
  static final String SINGLE_DIGIT_PATTERN = PATTERN.replace("\\p{N}{1,3}", "\\p{N}");

  /** How many digits a number piece holds at most: 3, or 1. */
  private final int maxDigits;

  Cl100kSplitter() {
    this(3);
  }

  Cl100kSplitter(int maxDigits) {
    if (maxDigits != 1 && maxDigits != 3) throw new IllegalArgumentException("maxDigits " + maxDigits);
    this.maxDigits = maxDigits;
  }

  // [^\s\p{L}\p{N}]: marks count here, since \p{L} holds letters only.
  private static final int PUNCT = OTHER | MARK;

  @Override
  String pattern() {
    return maxDigits == 3 ? PATTERN : SINGLE_DIGIT_PATTERN;
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
      // Most pieces are a word with or without one leading space (or other leading character).
      int c = b[p];
      int q = -1;
      if (c >= 0 && c != '\'') {
        int cls = ASCII_CLASS[c];
        if ((cls & L) != 0) {
          q = p + 1;
        } else if ((cls & (NUMBER | NEWLINE)) == 0 && p + 1 < end) {
          int d = b[p + 1];
          if (d >= 0 && (ASCII_CLASS[d] & L) != 0) q = p + 2;
        }
      }
      p = q >= 0 ? letters(b, q, end) : piece(b, p, end);
      if (n == out.length) out = ends.grow(n);
      out[n++] = p;
    }
    ends.size = n;
  }

  private int piece(byte[] b, int p, int end) {
    int inf = info(b, p);
    int c0 = inf & 0xFF;
    int next = p + (inf >>> 8);
    if (b[p] == '\'') {
      int e = contraction(b, p, end, true);
      if (e > 0) return e;
    }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if ((c0 & L) != 0) return run(b, next, end, L);
    if ((c0 & (L | NUMBER | NEWLINE)) == 0 && (classAt(b, next, end) & L) != 0) return run(b, next, end, L);
    // \p{N}{1,3} (or \p{N})
    if ((c0 & NUMBER) != 0) {
      int e = next;
      for (int k = 1; k < maxDigits && e < end; k++) {
        int i2 = info(b, e);
        if ((i2 & NUMBER) == 0) break;
        e += i2 >>> 8;
      }
      return e;
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    int q = -1;
    if ((c0 & PUNCT) != 0) q = p;
    else if (b[p] == ' ' && (classAt(b, next, end) & PUNCT) != 0) q = next;
    if (q >= 0) {
      int e = run(b, q, end, PUNCT);
      while (e < end && (b[e] == '\r' || b[e] == '\n')) e++;
      return e;
    }
    return whitespace(b, p, end, true);
  }
}
