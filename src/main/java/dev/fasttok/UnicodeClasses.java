package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Character classes of every code point as tiktoken's regex engine sees them (Unicode 16.0).
 *
 * <p>The JDK's {@code Character} tables follow the running JDK's Unicode version (Java 17 knows
 * Unicode 13), so the split rules never consult them; they read this table, generated from the
 * Unicode database by {@code UnicodeTableGenerator} and checked code point by code point against
 * the tiktoken oracle.
 */
final class UnicodeClasses {
  // One bit per class so that a split rule tests set membership with one AND.
  static final int OTHER = 1;
  static final int UPPER = 2; // Lu, Lt
  static final int LOWER = 4; // Ll
  static final int LETTER = 8; // Lm, Lo
  static final int MARK = 16; // Mn, Mc, Me
  static final int NUMBER = 32; // Nd, Nl, No
  static final int SPACE = 64; // White_Space
  static final int NEWLINE = 128; // \r and \n, which also carry SPACE

  static final int L = UPPER | LOWER | LETTER;

  /** The table as generated and reviewed; the build turns it into {@link #BINARY}. */
  static final String RESOURCE = "unicode-classes.txt";
  static final String BINARY = "unicode-classes.bin";

  static final UnicodeTable TABLE;
  /** Class bits by code point; index with a code point known to be valid. */
  static final byte[] BITS;

  static {
    try (InputStream in = UnicodeClasses.class.getResourceAsStream(BINARY)) {
      if (in == null) throw new IllegalStateException("missing resource " + BINARY);
      TABLE = UnicodeTable.readBinary(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BITS = TABLE.classBits();
  }

  private UnicodeClasses() {}

  static int bitOf(String category) {
    switch (category) {
      case "Lu": case "Lt": return UPPER;
      case "Ll": return LOWER;
      case "Lm": case "Lo": return LETTER;
      case "Mn": case "Mc": case "Me": return MARK;
      case "Nd": case "Nl": case "No": return NUMBER;
      default: throw new IllegalArgumentException("unknown category " + category);
    }
  }

  /** Class bits of a code point (any int; out-of-range values count as OTHER). */
  static int of(int cp) {
    return cp >= 0 && cp <= UnicodeTable.MAX_CODE_POINT ? BITS[cp] & 0xFF : OTHER;
  }
}
