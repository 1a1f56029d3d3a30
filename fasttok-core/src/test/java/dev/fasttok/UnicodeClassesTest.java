package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped class table equals the Unicode database and tiktoken's own view of every code point. */
class UnicodeClassesTest {

  @Test
  void shippedTableIsWhatTheGeneratorWrites() throws IOException {
    String shipped = Files.readString(
        Path.of("src/main/resources/dev/fasttok/" + UnicodeClasses.RESOURCE), StandardCharsets.UTF_8);
    assertEquals(UnicodeTableGenerator.generate(), shipped,
        "unicode-classes.txt is stale: rerun UnicodeTableGenerator");
  }

  @Test
  void everyCodePointMatchesTheOracle() throws IOException {
    UnicodeTable oracle;
    try (InputStream in = getClass().getResourceAsStream("/golden/unicode-classes.txt")) {
      oracle = UnicodeTable.parse(in, "golden/unicode-classes.txt");
    }
    byte[] want = oracle.classBits();
    for (int cp = 0; cp <= UnicodeTable.MAX_CODE_POINT; cp++) {
      // Lone surrogates reach tiktoken as U+FFFD, so the oracle cannot see their class.
      if (cp >= 0xD800 && cp <= 0xDFFF) continue;
      int got = UnicodeClasses.of(cp);
      if ((want[cp] & 0xFF) != got) {
        fail(String.format("U+%04X: fasttok class bits %d, tiktoken %d", cp, got, want[cp] & 0xFF));
      }
    }
    for (char letter : UnicodeTableGenerator.FOLDED_LETTERS.toCharArray()) {
      assertArrayEquals(oracle.fold(letter), UnicodeClasses.FOLDS.get(letter), "case folds of " + letter);
    }
  }

  @Test
  void fineCategoriesMatchTheOracle() throws IOException {
    UnicodeTable oracle;
    try (InputStream in = getClass().getResourceAsStream("/golden/unicode-classes.txt")) {
      oracle = UnicodeTable.parse(in, "golden/unicode-classes.txt");
    }
    for (String cat : UnicodeTableGenerator.CATEGORIES) {
      assertEquals(flatten(oracle, cat), flatten(UnicodeClasses.table(), cat), "ranges of " + cat);
    }
  }

  private static String flatten(UnicodeTable t, String cat) {
    StringBuilder sb = new StringBuilder();
    for (int[] r : t.categories.get(cat)) sb.append(r[0]).append('-').append(r[1]).append(' ');
    return sb.toString();
  }
}
