package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

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

  /** Class bits of code point cp: BLOCKS[INDEX[cp >> 8] << 8 | (cp & 0xFF)]. */
  private static final char[] INDEX;
  private static final byte[] BLOCKS;
  /** Per contraction letter, the code points a case-insensitive regex matches for it. */
  static final Map<Character, int[]> FOLDS = new LinkedHashMap<>();

  static {
    try (InputStream in = UnicodeClasses.class.getResourceAsStream(BINARY)) {
      if (in == null) throw new IllegalStateException("missing resource " + BINARY);
      ByteBuffer buf = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
      INDEX = new char[buf.getInt()];
      buf.asCharBuffer().get(INDEX);
      buf.position(buf.position() + 2 * INDEX.length);
      BLOCKS = new byte[buf.getInt() << 8];
      buf.get(BLOCKS);
      for (int i = 0, n = buf.getInt(); i < n; i++) {
        char letter = (char) buf.getInt();
        int[] cps = new int[buf.getInt()];
        buf.asIntBuffer().get(cps);
        buf.position(buf.position() + 4 * cps.length);
        FOLDS.put(letter, cps);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The full table, with ranges, read from the text form on first use (by the regex fallback). */
  static UnicodeTable table() {
    return Full.TABLE;
  }

  private static final class Full {
    static final UnicodeTable TABLE;

    static {
      try (InputStream in = UnicodeClasses.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
        TABLE = UnicodeTable.parse(in, RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private UnicodeClasses() {}

  /** Class bits of a code point (any int; out-of-range values count as OTHER). */
  static int of(int cp) {
    return cp >= 0 && cp <= UnicodeTable.MAX_CODE_POINT ? bits(cp) : OTHER;
  }

  /** Class bits of a valid code point. */
  static int bits(int cp) {
    return BLOCKS[INDEX[cp >> 8] << 8 | (cp & 0xFF)] & 0xFF;
  }
}
