package dev.fasttok;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The Unicode classes and mappings of the tokenizer.json components that are not byte-level
 * (BertNormalizer, Lowercase, StripAccents, NFD, NFKD, NFC, NFKC, Strip, BertPreTokenizer, Whitespace,
 * WhitespaceSplit, Punctuation), exactly as Hugging Face tokenizers 0.23.2 sees each code point.
 *
 * <p>The table ({@code bert-unicode.txt}) is made by running every code point through those
 * components in the oracle ({@code src/test/oracle/make-wordpiece-golden.py}), because the
 * tables behind them differ: Rust's {@code char} methods (its own Unicode version), the
 * {@code unicode_categories} crate, the {@code unicode-normalization-alignments} crate (Unicode
 * 9.0) and the regex crate. The JDK's tables are none of these and change with the JDK (Java 17
 * knows Unicode 13 only), so nothing here asks the JDK about a character.
 */
final class BertUnicode {
  /** BertNormalizer's clean_text: a whitespace character, written as a space. */
  static final int WHITESPACE = 1;
  /** BertNormalizer's clean_text: a control character (or NUL, U+FFFD), dropped. */
  static final int CONTROL = 2;
  /** BertNormalizer's handle_chinese_chars: a CJK ideograph, put between spaces. */
  static final int CJK = 4;
  /** Nonspacing mark (unicode_categories), dropped by BertNormalizer's strip_accents. */
  static final int MN = 8;
  /** Combining mark (the normalization crate's), dropped by StripAccents. */
  static final int COMBINING = 16;
  /** Punctuation, as BertPreTokenizer and Punctuation find it. */
  static final int PUNCTUATION = 32;
  /** Rust's char::is_whitespace (BertPreTokenizer, WhitespaceSplit, Strip). */
  static final int RUST_WHITESPACE = 64;
  /** The regex crate's {@code \w} (the Whitespace pre-tokenizer). */
  static final int WORD = 128;
  /** The regex crate's {@code \s} (the Whitespace pre-tokenizer). */
  static final int SPACE = 256;
  // Set while loading: the code point has an entry in the mappings below.
  static final int HAS_LOWER = 512;
  static final int HAS_NFD = 1024;
  static final int HAS_NFKD = 2048;
  static final int HAS_CCC = 4096;
  // Derived while loading: the character is left as it is by NFC (NFKC) whatever its neighbours,
  // as long as they are such characters too: combining class 0, never the second of a
  // composition, and no decomposition or one that composes back to it.
  static final int NFC_INERT = 8192;
  static final int NFKC_INERT = 16384;

  static final String RESOURCE = "bert-unicode.txt";

  /** The flags of every code point. */
  private static final CodePointChars FLAGS;
  private static final Map<Integer, int[]> LOWER = new HashMap<>();
  private static final Map<Integer, int[]> NFD = new HashMap<>();
  /** Compatibility decompositions that differ from the canonical one. */
  private static final Map<Integer, int[]> NFKD = new HashMap<>();
  private static final Map<Integer, Integer> CCC = new HashMap<>();
  /** Canonical composition: the composite of a pair ({@code first << 21 | second}). */
  private static final Map<Long, Integer> COMPOSE = new HashMap<>();

  static {
    char[] all = new char[0x110000];
    try (InputStream in = BertUnicode.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE + " in the fasttok jar");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split(" ");
        switch (f[0]) {
          case "lower": map(LOWER, f, all, HAS_LOWER); break;
          case "nfd": map(NFD, f, all, HAS_NFD); break;
          case "nfkd": map(NFKD, f, all, HAS_NFKD); break;
          case "nfc":
            long pair = (long) Integer.parseInt(f[2], 16) << 21 | Integer.parseInt(f[3], 16);
            COMPOSE.put(pair, Integer.parseInt(f[1], 16));
            break;
          case "ccc": {
            int cp = Integer.parseInt(f[1], 16);
            CCC.put(cp, Integer.parseInt(f[2]));
            all[cp] |= HAS_CCC;
            break;
          }
          default: {
            int dots = f[0].indexOf("..");
            int first = Integer.parseInt(f[0].substring(0, dots), 16);
            int last = Integer.parseInt(f[0].substring(dots + 2), 16);
            int v = Integer.parseInt(f[1], 16);
            for (int cp = first; cp <= last; cp++) all[cp] |= (char) v;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Hangul syllables decompose algorithmically (canonically, so also for NFKD).
    for (int cp = 0xAC00; cp < 0xAC00 + 11172; cp++) all[cp] |= HAS_NFD;
    java.util.BitSet second = new java.util.BitSet(0x110000);
    java.util.BitSet composite = new java.util.BitSet(0x110000);
    for (Map.Entry<Long, Integer> e : COMPOSE.entrySet()) {
      second.set((int) (e.getKey() & 0x1FFFFF));
      composite.set(e.getValue());
    }
    second.set(0x1161, 0x1161 + 21); // Hangul vowels and trailing consonants compose backwards
    second.set(0x11A8, 0x11A7 + 28);
    composite.set(0xAC00, 0xAC00 + 11172);
    for (int cp = 0; cp < 0x110000; cp++) {
      int f = all[cp];
      if ((f & HAS_CCC) != 0 || second.get(cp)) continue;
      boolean canonical = (f & HAS_NFD) == 0 || composite.get(cp);
      if (canonical) all[cp] |= NFC_INERT;
      if (canonical && (f & HAS_NFKD) == 0) all[cp] |= NFKC_INERT;
    }
    FLAGS = new CodePointChars(all);
  }

  private static void map(Map<Integer, int[]> m, String[] f, char[] all, int flag) {
    int cp = Integer.parseInt(f[1], 16);
    int[] to = new int[f.length - 2];
    for (int i = 2; i < f.length; i++) to[i - 2] = Integer.parseInt(f[i], 16);
    m.put(cp, to);
    all[cp] |= flag;
  }

  private BertUnicode() {}

  /** The flags of a code point. */
  static int of(int cp) {
    return FLAGS.get(cp);
  }

  /** Rust's char::to_lowercase of a code point (one or more code points). */
  static int[] lower(int cp) {
    return (of(cp) & HAS_LOWER) == 0 ? null : LOWER.get(cp);
  }

  /**
   * The full canonical (or, if {@code compatibility}, compatibility) decomposition of a code
   * point, or null if it has none.
   */
  static int[] decompose(int cp, boolean compatibility) {
    int f = of(cp);
    if (compatibility && (f & HAS_NFKD) != 0) return NFKD.get(cp);
    if ((f & HAS_NFD) == 0) return null;
    int s = cp - 0xAC00;
    if (s >= 0 && s < 11172) {
      int t = s % 28;
      return t == 0 ? new int[] {0x1100 + s / 588, 0x1161 + (s % 588) / 28}
          : new int[] {0x1100 + s / 588, 0x1161 + (s % 588) / 28, 0x11A7 + t};
    }
    return NFD.get(cp);
  }

  /**
   * The canonical composite of two code points (the normalization crate's composition: its
   * table, or a Hangul syllable made of its jamo), or -1 if they do not compose.
   */
  static int compose(int first, int second) {
    if (first >= 0x1100 && first < 0x1100 + 19 && second >= 0x1161 && second < 0x1161 + 21) {
      return 0xAC00 + ((first - 0x1100) * 21 + (second - 0x1161)) * 28;
    }
    int s = first - 0xAC00;
    if (s >= 0 && s < 11172 && s % 28 == 0 && second > 0x11A7 && second < 0x11A7 + 28) {
      return first + (second - 0x11A7);
    }
    Integer c = COMPOSE.get((long) first << 21 | second);
    return c == null ? -1 : c;
  }

  /** The canonical combining class, as the normalization crate (Unicode 9.0) knows it. */
  static int combiningClass(int cp) {
    return (of(cp) & HAS_CCC) == 0 ? 0 : CCC.get(cp);
  }
}
