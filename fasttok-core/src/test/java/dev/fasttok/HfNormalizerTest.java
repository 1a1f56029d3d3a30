package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Characters assigned after Unicode 9.0 are unknown to Hugging Face's normalization tables: they
 * neither compose nor reorder, whatever Unicode version the JDK has.
 */
class HfNormalizerTest {
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
