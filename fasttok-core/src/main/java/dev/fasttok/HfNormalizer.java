package dev.fasttok;

/**
 * The NFC and NFKC normalizers of the byte-level pipeline ({@link HfPipeline}), with the tables
 * Hugging Face tokenizers normalizes with (the {@code unicode-normalization-alignments} crate,
 * Unicode 9.0, in {@link BertUnicode}): the same normalization as the component pipeline's
 * ({@link Normalizers#NFC}, {@link Normalizers#NFKC}), so a character assigned after Unicode 9.0
 * has no decomposition and combining class 0 on every JDK. Most text is already normalized; a
 * quick look at each character's flags decides that without normalizing.
 */
final class HfNormalizer {
  static final int NONE = 0;
  static final int NFC = 1;
  static final int NFKC = 2;

  private HfNormalizer() {}

  static String name(int form) {
    switch (form) {
      case NONE: return "none";
      case NFC: return "NFC";
      case NFKC: return "NFKC";
      default: throw new IllegalArgumentException("normalizer " + form);
    }
  }

  /**
   * Whether UTF-8 text is surely unchanged by the normalizer, by a quick look at its bytes (no
   * character at or above U+0300 for NFC, ASCII only for NFKC).
   */
  static boolean isPlain(byte[] b, int from, int to, int form) {
    if (form == NONE) return true;
    int limit = form == NFC ? 0xCC : 0x80; // U+0300 is CC 80 in UTF-8
    for (int i = from; i < to; i++) {
      if ((b[i] & 0xFF) >= limit) return false;
    }
    return true;
  }

  /** The flag of the characters the form leaves as they are among such characters. */
  private static int inert(int form) {
    return form == NFC ? BertUnicode.NFC_INERT : BertUnicode.NFKC_INERT;
  }

  /**
   * Whether the text is unchanged by the normalizer: at once if every character is inert
   * ({@link BertUnicode#NFC_INERT}), else by normalizing it.
   */
  static boolean isNormalized(String s, int form) {
    if (form == NONE) return true;
    int limit = form == NFC ? 0x300 : 0x80;
    int inert = inert(form);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < limit) continue;
      int cp = s.codePointAt(i);
      if ((BertUnicode.of(cp) & inert) == 0) return run(s, form).equals(s);
      if (cp > 0xFFFF) i++;
    }
    return true;
  }

  /** {@link #isNormalized(String, int)} on well-formed UTF-8. */
  static boolean isNormalized(byte[] b, int from, int to, int form) {
    if (form == NONE) return true;
    int limit = form == NFC ? 0x300 : 0x80;
    int inert = inert(form);
    for (int i = from; i < to; ) {
      // ASCII eight bytes at a time.
      while (i + 8 <= to && (Bytes.readLong(b, i) & 0x8080808080808080L) == 0) i += 8;
      if (i >= to) break;
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      int cp = Utf8.codePoint(b, i);
      i += Utf8.length((byte) c);
      if (cp >= limit && (BertUnicode.of(cp) & inert) == 0) {
        String s = new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
        return run(s, form).equals(s);
      }
    }
    return true;
  }

  /** The normalized text. */
  static String normalize(String s, int form) {
    if (isNormalized(s, form)) return s;
    return run(s, form);
  }

  private static String run(String s, int form) {
    return ComponentJson.normalize(s, new TextNormalizer[] {form == NFC ? Normalizers.NFC : Normalizers.NFKC});
  }
}
