package dev.fasttok;

/**
 * Cuts text into the pieces that byte-pair merging works on, as a tiktoken split pattern does.
 * Works on well-formed UTF-8; the end of the range counts as the end of the text.
 */
abstract class Splitter {
  /** The split pattern this splitter implements, as tiktoken spells it. */
  abstract String pattern();

  /** How this splitter matches: "hand-written", "compiled" or "java.util.regex". */
  String engine() {
    return "hand-written";
  }

  /** Appends to {@code ends} the end offset of each piece of {@code b[start, end)}, in order. */
  abstract void split(byte[] b, int start, int end, IntList ends);

  /**
   * A position in [from, limit) where this pattern ends a piece whatever the text around it, so
   * that the text before it and the text from it split apart exactly as the whole does; -1 if
   * there is none there (or the pattern has no such rule). Long texts are split part by part at
   * these positions, so that the text and its piece ends stay in the processor's cache.
   */
  int cut(byte[] b, int from, int limit) {
    return -1;
  }

  /**
   * The first position in [from, limit) (from > 0) of a space after an ASCII letter. In the
   * tiktoken patterns whose only alternatives holding letters are runs of letters (and marks),
   * optionally followed by a contraction starting with an apostrophe, the piece holding the
   * letter ends there: no alternative continues a letter with a space, and any match attempt
   * that reaches the letter stops at the space as it would at the end of the text. The next
   * piece starts at the space, and matching from there reads nothing before it.
   */
  static int spaceAfterLetter(byte[] b, int from, int limit) {
    for (int i = Math.max(from, 1); i < limit; i++) {
      if (b[i] == ' ') {
        int c = b[i - 1] | 0x20; // ASCII letters to lower case
        if (c >= 'a' && c <= 'z') return i;
      }
    }
    return -1;
  }

  // Character info: class bits (UnicodeClasses) in the low byte, UTF-8 length above.
  static final int[] ASCII_INFO = new int[128];
  /** ASCII_INFO's class bits as bytes, for the tightest loops. */
  static final byte[] ASCII_CLASS = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII_INFO[c] = UnicodeClasses.of(c) | (1 << 8);
      ASCII_CLASS[c] = (byte) UnicodeClasses.of(c);
    }
  }

  static int info(byte[] b, int i) {
    int c = b[i];
    if (c >= 0) return ASCII_INFO[c];
    return UnicodeClasses.bits(Utf8.codePoint(b, i)) | (Utf8.length((byte) c) << 8);
  }

  static int classAt(byte[] b, int i, int end) {
    return i < end ? info(b, i) & 0xFF : 0;
  }

  /**
   * End of an ASCII word (letters) starting at i, continued through any non-ASCII letters; the
   * fast path for the most common piece in text.
   */
  static int letters(byte[] b, int i, int end) {
    while (i < end) {
      int c = b[i];
      if (c < 0) return run(b, i, end, UnicodeClasses.L);
      if ((ASCII_CLASS[c] & UnicodeClasses.L) == 0) break;
      i++;
    }
    return i;
  }

  /** End of the run of characters whose classes intersect {@code set}, starting at i. */
  static int run(byte[] b, int i, int end, int set) {
    while (i < end) {
      int c = b[i];
      if (c >= 0) {
        if ((ASCII_INFO[c] & set) == 0) break;
        i++;
      } else {
        int inf = info(b, i);
        if ((inf & set) == 0) break;
        i += inf >>> 8;
      }
    }
    return i;
  }

  /**
   * The whitespace alternatives shared by all built-in patterns, at a whitespace character p:
   * {@code \s*[\r\n]+} (only if {@code newlines}), then {@code \s+(?!\S)}, then {@code \s+}.
   */
  static int whitespace(byte[] b, int p, int end, boolean newlines) {
    int afterNewline = -1;
    int lastStart = p;
    int chars = 0;
    int i = p;
    while (i < end) {
      int inf = info(b, i);
      if ((inf & UnicodeClasses.SPACE) == 0) break;
      if ((inf & UnicodeClasses.NEWLINE) != 0) afterNewline = i + 1;
      lastStart = i;
      chars++;
      i += inf >>> 8;
    }
    // \s*[\r\n]+ : the run up to and including its last \r or \n.
    if (newlines && afterNewline > 0) return afterNewline;
    // \s+(?!\S) : the whole run at the end of the text, else all but its last character.
    if (i == end || chars == 1) return i;
    return lastStart;
  }

  /** Code point for case-insensitive contraction matching: the folded ASCII letter, or -1. */
  static int foldedLetter(byte[] b, int i, int end) {
    if (i >= end) return -1;
    int c = b[i];
    if (c >= 0) return Contractions.fold(c);
    return Contractions.fold(Utf8.codePoint(b, i));
  }

  /**
   * Matches {@code 's|'t|'re|'ve|'m|'ll|'d} at an apostrophe p; returns the end, or -1.
   * With {@code ignoreCase} a letter matches every code point that folds to it (e.g. U+017F for s).
   */
  static int contraction(byte[] b, int p, int end, boolean ignoreCase) {
    int q = p + 1;
    if (q >= end) return -1;
    int c1 = ignoreCase ? foldedLetter(b, q, end) : b[q];
    if (c1 < 0) return -1;
    int e1 = q + Utf8.length(b[q]);
    switch (c1) {
      case 's': case 't': case 'm': case 'd':
        return e1;
      case 'r': case 'v':
        return letterAt(b, e1, end, 'e', ignoreCase);
      case 'l':
        return letterAt(b, e1, end, 'l', ignoreCase);
      default:
        return -1;
    }
  }

  private static int letterAt(byte[] b, int i, int end, char want, boolean ignoreCase) {
    if (i >= end) return -1;
    int c = ignoreCase ? foldedLetter(b, i, end) : b[i];
    return c == want ? i + Utf8.length(b[i]) : -1;
  }
}
