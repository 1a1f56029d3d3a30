package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.util.VersionInfo;
import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The list of characters that the normalizer keeps out of the JDK's hands, derived again from
 * the Unicode 16.0 database in ICU4J, so that the list is right by construction on every JDK up to
 * Unicode 16 (not only on the JDK the golden tests happen to run on).
 */
class HfNormalizerTest {
  private static final VersionInfo HF_UNICODE = VersionInfo.getInstance(9, 0);

  /**
   * Every character assigned after Unicode 9.0 that a newer JDK could change or combine: a
   * nonzero combining class, a decomposition of its own, or a part of another character's
   * canonical decomposition (so it composes, as first or second, under Unicode 16).
   */
  static int[] newerRanges() {
    assertEquals(16, UCharacter.getUnicodeVersion().getMajor(), "ICU4J must carry Unicode 16");
    Normalizer2 nfc = Normalizer2.getNFCInstance();
    Normalizer2 nfkd = Normalizer2.getNFKDInstance();
    BitSet newer = new BitSet(0x110000);
    BitSet inDecomposition = new BitSet(0x110000);
    for (int c = 0; c <= 0x10FFFF; c++) {
      String d = nfc.getRawDecomposition(c);
      if (d != null) d.codePoints().forEach(inDecomposition::set);
    }
    for (int c = 0; c <= 0x10FFFF; c++) {
      if (UCharacter.getType(c) == UCharacter.UNASSIGNED) continue;
      if (UCharacter.getAge(c).compareTo(HF_UNICODE) <= 0) continue;
      if (UCharacter.getCombiningClass(c) != 0 || nfkd.getRawDecomposition(c) != null || inDecomposition.get(c)) {
        newer.set(c);
      }
    }
    int[] ranges = new int[2 * newer.cardinality()];
    int n = 0;
    for (int c = newer.nextSetBit(0); c >= 0; ) {
      int end = newer.nextClearBit(c);
      ranges[n++] = c;
      ranges[n++] = end - 1;
      c = newer.nextSetBit(end);
    }
    return Arrays.copyOf(ranges, n);
  }

  @Test
  void newerCharactersAreDerivedFromUnicode16() {
    int[] expected = newerRanges();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < expected.length; i++) sb.append(String.format("0x%X, ", expected[i]));
    assertArrayEquals(expected, HfNormalizer.NEWER, "HfNormalizer.NEWER should be: " + sb);
  }

  @Test
  void newerCharactersNeitherComposeNorReorder() {
    // Gurung Khema (Unicode 16): U+1611E U+1611E composes to U+16121 on a Unicode 16 JDK, not for
    // Hugging Face, whose tables are Unicode 9.0.
    String gk = new String(Character.toChars(0x1611E)).repeat(2) + new String(Character.toChars(0x1611F));
    assertEquals(gk, HfNormalizer.normalize(gk, HfNormalizer.NFC));
    // Old characters around them still normalize: e + U+0301 composes.
    assertEquals("\u00E9" + gk + "\u00E9", HfNormalizer.normalize("e\u0301" + gk + "e\u0301", HfNormalizer.NFC));
    // Kirat Rai vowel sign AI = U+16D67 U+16D67 (Unicode 16).
    String kr = new String(Character.toChars(0x16D67)).repeat(2);
    assertEquals(kr, HfNormalizer.normalize(kr, HfNormalizer.NFKC));
  }
}
