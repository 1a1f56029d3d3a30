package dev.fasttok;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * The NFC and NFKC normalizers of Hugging Face tokenizers, through {@link java.text.Normalizer}.
 *
 * <p>Hugging Face normalizes with the Rust crate {@code unicode-normalization-alignments}, whose
 * tables are those of Unicode 9.0: to it, every character assigned later is unassigned, so it
 * has no decomposition and combining class 0 (it neither decomposes nor reorders nor blocks
 * like a combining mark). The JDK's tables are newer (Java 17 has Unicode 13). This class gives
 * exactly the Unicode 9.0 result on any JDK up to Unicode 16: it normalizes the text between the
 * characters that are newer than Unicode 9.0 and that the JDK would touch (a nonzero combining
 * class, a decomposition, or a part in a composition, listed in {@link #NEWER} from the Unicode 16.0 database), and keeps
 * those characters as they are. That equals treating them as inert starters, since such a
 * character composes with nothing, and a starter ends every reordering run and blocks every
 * composition across it.
 */
final class HfNormalizer {
  static final int NONE = 0;
  static final int NFC = 1;
  static final int NFKC = 2;

  private HfNormalizer() {}

  /**
   * Code point ranges (first, last) assigned after Unicode 9.0 with a nonzero canonical
   * combining class, a (canonical or compatibility) decomposition, or a place in another
   * character's canonical decomposition (it composes), as of Unicode 16.0; from ICU4J 76.1,
   * re-derived by {@code HfNormalizerTest}.
   */
  static final int[] NEWER = {
      0x7FD, 0x7FD, 0x897, 0x89F, 0x8CA, 0x8D3, 0x9FE, 0x9FE, 0xC3C, 0xC3C, 0xD3B, 0xD3C, 0xEBA,
      0xEBA, 0x1715, 0x1715, 0x1ABF, 0x1ACE, 0x1DF6, 0x1DFA, 0x32FF, 0x32FF, 0xA7F2, 0xA7F4, 0xA82C,
      0xA82C, 0xAB69, 0xAB69, 0x105C9, 0x105C9, 0x105D2, 0x105D2, 0x105DA, 0x105DA, 0x105E4,
      0x105E4, 0x10781, 0x10785, 0x10787, 0x107B0, 0x107B2, 0x107BA, 0x10D24, 0x10D27, 0x10D69,
      0x10D6D, 0x10EAB, 0x10EAC, 0x10EFD, 0x10EFF, 0x10F46, 0x10F50, 0x10F82, 0x10F85, 0x11070,
      0x11070, 0x1133B, 0x1133B, 0x11382, 0x11385, 0x1138B, 0x1138B, 0x1138E, 0x1138E, 0x11390,
      0x11391, 0x113B8, 0x113B8, 0x113BB, 0x113BB, 0x113C2, 0x113C2, 0x113C5, 0x113C5, 0x113C7,
      0x113C9, 0x113CE, 0x113D0, 0x1145E, 0x1145E, 0x11839, 0x1183A, 0x11930, 0x11930, 0x11935,
      0x11935, 0x11938, 0x11938, 0x1193D, 0x1193E, 0x11943, 0x11943, 0x119E0, 0x119E0, 0x11A34,
      0x11A34, 0x11A47, 0x11A47, 0x11A99, 0x11A99, 0x11D42, 0x11D42, 0x11D44, 0x11D45, 0x11D97,
      0x11D97, 0x11F41, 0x11F42, 0x1611E, 0x16129, 0x1612F, 0x1612F, 0x16D63, 0x16D63, 0x16D67,
      0x16D6A, 0x16FF0, 0x16FF1, 0x1CCD6, 0x1CCF9, 0x1E030, 0x1E06D, 0x1E08F, 0x1E08F, 0x1E130,
      0x1E136, 0x1E2AE, 0x1E2AE, 0x1E2EC, 0x1E2EF, 0x1E4EC, 0x1E4EF, 0x1E5EE, 0x1E5EF, 0x1F16C,
      0x1F16C, 0x1FBF0, 0x1FBF9,
  };

  static String name(int form) {
    switch (form) {
      case NONE: return "none";
      case NFC: return "NFC";
      case NFKC: return "NFKC";
      default: throw new IllegalArgumentException("normalizer " + form);
    }
  }

  private static Normalizer.Form jdkForm(int form) {
    return form == NFKC ? Normalizer.Form.NFKC : Normalizer.Form.NFC;
  }

  /** Whether a code point is one of {@link #NEWER}. */
  static boolean isNewer(int cp) {
    if (cp < 0x7FD) return false;
    int i = Arrays.binarySearch(NEWER, cp);
    // Found: cp is a range bound. Else the insertion point is odd inside a range.
    return i >= 0 || ((-i - 1) & 1) == 1;
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

  /**
   * Whether the text is unchanged by the normalizer. A text the JDK finds normalized is also
   * normalized for Unicode 9.0 (which composes and reorders less), and so is every substring of
   * it. Most text is decided by a table of the characters that are safe on their own
   * ({@link #safe}); the JDK decides the rest.
   */
  static boolean isNormalized(String s, int form) {
    if (form == NONE) return true;
    int limit = form == NFC ? 0x300 : 0x80;
    long[] safe = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < limit) continue;
      if (safe == null) safe = safe(form);
      if ((safe[c >>> 6] & (1L << c)) == 0) return Normalizer.isNormalized(s, jdkForm(form));
    }
    return true;
  }

  /** {@link #isNormalized(String, int)} on well-formed UTF-8. */
  static boolean isNormalized(byte[] b, int from, int to, int form) {
    if (form == NONE) return true;
    int limit = form == NFC ? 0x300 : 0x80;
    long[] safe = null;
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
      if (cp < limit) continue;
      if (safe == null) safe = safe(form);
      if (cp > 0xFFFF || (safe[cp >>> 6] & (1L << cp)) == 0) {
        return Normalizer.isNormalized(new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8),
            jdkForm(form));
      }
    }
    return true;
  }

  /**
   * Characters that never start a change when they stand next to each other in text of such
   * characters (with plain characters below the form's limit): NFC_QC (or NFKC_QC) Yes,
   * canonical combining class 0, and not the second character of a composition (the ones with
   * class 0 are in {@link #COMPOSES_BACKWARDS}).
   */
  private static final char[] COMPOSES_BACKWARDS = {
      0x9BE, 0x9D7, 0xB3E, 0xB56, 0xB57, 0xBBE, 0xBD7, 0xCC2, 0xCD5, 0xCD6, 0xD3E, 0xD57, 0xDCF, 0xDDF, 0x102E, 0x1B35,
  };
  private static volatile long[] safeNfc;
  private static volatile long[] safeNfkc;

  /** The BMP characters at or above U+0300 that are safe for the form, one bit each, by the JDK's tables. */
  private static long[] safe(int form) {
    long[] t = form == NFC ? safeNfc : safeNfkc;
    if (t != null) return t;
    Normalizer.Form f = jdkForm(form);
    t = new long[1 << 10];
    for (int c = 0x80; c <= 0xFFFF; c++) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      if (c >= 0x1161 && c <= 0x1175 || c >= 0x11A8 && c <= 0x11C2) continue; // Hangul vowels and trailing consonants
      if (Arrays.binarySearch(COMPOSES_BACKWARDS, (char) c) >= 0) continue;
      String x = String.valueOf((char) c);
      // Normalized alone, and not reordered after U+0301 (class 230) nor before U+0316 (class 220):
      // so its class is 0.
      if (!Normalizer.isNormalized(x, f)) continue;
      if (!Normalizer.normalize("\u0301" + x, f).equals("\u0301" + x)) continue;
      if (!Normalizer.normalize(x + "\u0316", f).equals(x + "\u0316")) continue;
      t[c >>> 6] |= 1L << c;
    }
    if (form == NFC) safeNfc = t;
    else safeNfkc = t;
    return t;
  }

  /** The normalized text. */
  static String normalize(String s, int form) {
    if (isNormalized(s, form)) return s;
    Normalizer.Form f = jdkForm(form);
    StringBuilder out = null;
    int from = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (isNewer(cp)) {
        if (out == null) out = new StringBuilder(s.length() + 16);
        out.append(Normalizer.normalize(s.substring(from, i), f)).appendCodePoint(cp);
        from = i + n;
      }
      i += n;
    }
    if (out == null) return Normalizer.normalize(s, f);
    return out.append(Normalizer.normalize(s.substring(from), f)).toString();
  }
}
