package dev.fasttok;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

  static final String RESOURCE = "unicode-classes.txt";
  static final int MAX_CODE_POINT = 0x10FFFF;

  /** Parsed form of the table file: general-category ranges, White_Space ranges, case folds. */
  static final class Table {
    final Map<String, List<int[]>> categories = new LinkedHashMap<>();
    final List<int[]> whiteSpace = new ArrayList<>();
    final Map<Character, int[]> folds = new LinkedHashMap<>();

    /** The class bits of every code point, indexed by code point. */
    byte[] classBits() {
      byte[] bits = new byte[MAX_CODE_POINT + 1];
      Arrays.fill(bits, (byte) OTHER);
      for (Map.Entry<String, List<int[]>> e : categories.entrySet()) {
        byte b = (byte) bitOf(e.getKey());
        for (int[] r : e.getValue()) Arrays.fill(bits, r[0], r[1] + 1, b);
      }
      for (int[] r : whiteSpace) Arrays.fill(bits, r[0], r[1] + 1, (byte) SPACE);
      bits['\r'] = bits['\n'] = (byte) (SPACE | NEWLINE);
      return bits;
    }

    /** The code points a case-insensitive regex matches for an ASCII letter. */
    int[] fold(char letter) {
      int[] f = folds.get(letter);
      if (f == null) throw new IllegalStateException("no case folds for '" + letter + "' in " + RESOURCE);
      return f;
    }
  }

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

  static final Table TABLE;
  /** Class bits by code point; index with a code point known to be valid. */
  static final byte[] BITS;

  static {
    try (InputStream in = UnicodeClasses.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
      TABLE = parse(in, RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BITS = TABLE.classBits();
  }

  private UnicodeClasses() {}

  /** Class bits of a code point (any int; out-of-range values count as OTHER). */
  static int of(int cp) {
    return cp >= 0 && cp <= MAX_CODE_POINT ? BITS[cp] & 0xFF : OTHER;
  }

  /**
   * Reads the table format: {@code XXXX[..YYYY] Category}, {@code XXXX[..YYYY] White_Space},
   * {@code fold c XXXX XXXX...}; {@code #} starts a comment line.
   */
  static Table parse(InputStream in, String source) throws IOException {
    Table t = new Table();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] f = line.split(" ");
      try {
        if (f[0].equals("fold")) {
          int[] cps = new int[f.length - 2];
          for (int i = 2; i < f.length; i++) cps[i - 2] = Integer.parseInt(f[i], 16);
          t.folds.put(f[1].charAt(0), cps);
          continue;
        }
        int dots = f[0].indexOf("..");
        int start = Integer.parseInt(dots < 0 ? f[0] : f[0].substring(0, dots), 16);
        int end = dots < 0 ? start : Integer.parseInt(f[0].substring(dots + 2), 16);
        if (f.length != 2 || start > end || end > MAX_CODE_POINT) throw new IllegalArgumentException();
        if (f[1].equals("White_Space")) {
          t.whiteSpace.add(new int[] {start, end});
        } else {
          bitOf(f[1]);
          t.categories.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new int[] {start, end});
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(source + " line " + lineNo + ": cannot read '" + line + "'", e);
      }
    }
    return t;
  }
}
