package dev.fasttok;

/**
 * The tokenizer.json normalizers of SentencePiece-style files, Prepend and Replace with a string
 * pattern, with exactly Hugging Face tokenizers' text and an alignment: for each UTF-16 unit of
 * the output, the UTF-16 index in the original text it came from, so that token ends in
 * normalized text map back to the original.
 *
 * <p>Inserted text (the prepended string, a replacement) is aligned to where it was inserted: the
 * first character's index for Prepend, the match's start for Replace (the end of the text for an
 * empty match there).
 */
final class SentencePieceNormalizers {
  private SentencePieceNormalizers() {}

  /** Normalized text and its alignment to the original. */
  static final class Normalized {
    final String text;
    /** align[i]: the index in the original text that text.charAt(i) came from. */
    final int[] align;

    Normalized(String text, int[] align) {
      this.text = text;
      this.align = align;
    }
  }

  /** The identity alignment of a text: each unit from its own index. */
  static Normalized of(String text) {
    int[] a = new int[text.length()];
    for (int i = 0; i < a.length; i++) a[i] = i;
    return new Normalized(text, a);
  }

  /**
   * Prepend: {@code prepend} before a non-empty text (an empty text stays empty, as in
   * tokenizers).
   *
   * @param align the alignment of {@code text} to the original, or null for the identity
   */
  static Normalized prepend(String text, int[] align, String prepend) {
    if (text.isEmpty()) return new Normalized(text, new int[0]);
    int[] a = new int[prepend.length() + text.length()];
    int origin = align == null ? 0 : align[0];
    for (int i = 0; i < prepend.length(); i++) a[i] = origin;
    for (int i = 0; i < text.length(); i++) a[prepend.length() + i] = align == null ? i : align[i];
    return new Normalized(prepend + text, a);
  }

  /**
   * Replace with a string pattern: every occurrence, left to right without overlap, becomes
   * {@code content}. An empty pattern matches before every character (code point) and at the
   * end of a non-empty text, as tokenizers' regex for it does.
   *
   * @param align the alignment of {@code text} to the original, or null for the identity
   */
  static Normalized replace(String text, int[] align, String pattern, String content) {
    int n = text.length();
    if (n == 0) return new Normalized(text, new int[0]);
    StringBuilder sb = new StringBuilder(n + 8);
    IntList a = new IntList(n + 8);
    int last = 0;
    if (pattern.isEmpty()) {
      for (int i = 0; i < n; ) {
        insert(sb, a, content, origin(align, i, n));
        int step = Character.isHighSurrogate(text.charAt(i)) && i + 1 < n
            && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
        copy(text, align, i, i + step, sb, a);
        i += step;
      }
      insert(sb, a, content, origin(align, n, n));
    } else {
      for (int m; (m = text.indexOf(pattern, last)) >= 0; last = m + pattern.length()) {
        copy(text, align, last, m, sb, a);
        insert(sb, a, content, origin(align, m, n));
      }
      copy(text, align, last, n, sb, a);
    }
    return new Normalized(sb.toString(), a.toArray());
  }

  /** Where text inserted at index i of the text came from in the original. */
  private static int origin(int[] align, int i, int n) {
    if (align == null) return i;
    if (i < n) return align[i];
    return n == 0 ? 0 : align[n - 1] + 1;
  }

  private static void insert(StringBuilder sb, IntList a, String content, int origin) {
    sb.append(content);
    for (int k = 0; k < content.length(); k++) a.add(origin);
  }

  private static void copy(String text, int[] align, int from, int to, StringBuilder sb, IntList a) {
    sb.append(text, from, to);
    for (int i = from; i < to; i++) a.add(align == null ? i : align[i]);
  }
}
