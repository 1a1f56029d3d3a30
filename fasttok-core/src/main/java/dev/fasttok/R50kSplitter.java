package dev.fasttok;

import static dev.fasttok.UnicodeClasses.L;
import static dev.fasttok.UnicodeClasses.MARK;
import static dev.fasttok.UnicodeClasses.NUMBER;
import static dev.fasttok.UnicodeClasses.OTHER;

/**
 * The split pattern of r50k_base, p50k_base and GPT-2, by hand:
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}
 */
final class R50kSplitter extends Splitter {
  static final String PATTERN =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  private static final int PUNCT = OTHER | MARK;

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
    int p = start;
    while (p < end) {
      p = piece(b, p, end);
      ends.add(p);
    }
  }

  private static int piece(byte[] b, int p, int end) {
    if (b[p] == '\'') {
      int e = contraction(b, p, end, false);
      if (e > 0) return e;
    }
    int c0 = classAt(b, p, end);
    int q = p;
    if (b[p] == ' ' && p + 1 < end) {
      // ' ?' takes the space when the class after it starts a letter, number or punctuation run.
      int c1 = classAt(b, p + 1, end);
      if ((c1 & (L | NUMBER | PUNCT)) != 0) {
        q = p + 1;
        c0 = c1;
      }
    }
    if ((c0 & L) != 0) return run(b, q, end, L);
    if ((c0 & NUMBER) != 0) return run(b, q, end, NUMBER);
    if ((c0 & PUNCT) != 0) return run(b, q, end, PUNCT);
    return whitespace(b, p, end, false);
  }
}
