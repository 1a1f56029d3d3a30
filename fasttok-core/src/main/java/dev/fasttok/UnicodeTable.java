package dev.fasttok;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Unicode facts the split rules use: general-category ranges, White_Space ranges and the case
 * folds of the contraction letters. Its text form, {@code unicode-classes.txt}, is generated from
 * the Unicode database, reviewed and compared with the oracle; the build turns it into a binary
 * form that a JVM loads without parsing.
 */
final class UnicodeTable {
  static final int MAX_CODE_POINT = 0x10FFFF;
  private static final String[] NAMES = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "White_Space"};
  private static final int WHITE_SPACE = NAMES.length - 1;

  final Map<String, List<int[]>> categories = new LinkedHashMap<>();
  final List<int[]> whiteSpace = new ArrayList<>();
  final Map<Character, int[]> folds = new LinkedHashMap<>();

  /** The class bit ({@link UnicodeClasses}) of a general category. */
  static int bitOf(String category) {
    switch (category) {
      case "Lu": case "Lt": return UnicodeClasses.UPPER;
      case "Ll": return UnicodeClasses.LOWER;
      case "Lm": case "Lo": return UnicodeClasses.LETTER;
      case "Mn": case "Mc": case "Me": return UnicodeClasses.MARK;
      case "Nd": case "Nl": case "No": return UnicodeClasses.NUMBER;
      default: throw new IllegalArgumentException("unknown category " + category);
    }
  }

  /** The class bits ({@link UnicodeClasses}) of every code point, indexed by code point. */
  byte[] classBits() {
    byte[] bits = new byte[MAX_CODE_POINT + 1];
    fill(bits, 0, bits.length, (byte) UnicodeClasses.OTHER);
    for (Map.Entry<String, List<int[]>> e : categories.entrySet()) {
      byte b = (byte) bitOf(e.getKey());
      for (int[] r : e.getValue()) fill(bits, r[0], r[1] + 1, b);
    }
    for (int[] r : whiteSpace) fill(bits, r[0], r[1] + 1, (byte) UnicodeClasses.SPACE);
    bits['\r'] = bits['\n'] = (byte) (UnicodeClasses.SPACE | UnicodeClasses.NEWLINE);
    return bits;
  }

  /** The code points a case-insensitive regex matches for an ASCII letter. */
  int[] fold(char letter) {
    int[] f = folds.get(letter);
    if (f == null) throw new IllegalStateException("no case folds for '" + letter + "'");
    return f;
  }

  /**
   * Arrays.fill by doubling copies: this runs once per JVM, before the JIT has compiled anything,
   * where a byte-at-a-time loop over a megabyte costs tens of milliseconds.
   */
  private static void fill(byte[] a, int from, int to, byte v) {
    if (from >= to) return;
    a[from] = v;
    for (int done = 1, n = to - from; done < n; done *= 2) {
      System.arraycopy(a, from, a, from + done, Math.min(done, n - done));
    }
  }

  /**
   * Reads the text form: {@code XXXX[..YYYY] Category}, {@code XXXX[..YYYY] White_Space},
   * {@code fold c XXXX XXXX...}; {@code #} starts a comment line.
   */
  static UnicodeTable parse(InputStream in, String source) throws IOException {
    UnicodeTable t = new UnicodeTable();
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
        int name = Arrays.asList(NAMES).indexOf(f.length == 2 ? f[1] : "");
        if (name < 0 || start > end || end > MAX_CODE_POINT) throw new IllegalArgumentException();
        t.add(start, end, name);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(source + " line " + lineNo + ": cannot read '" + line + "'", e);
      }
    }
    return t;
  }

  private void add(int start, int end, int name) {
    int[] range = {start, end};
    if (name == WHITE_SPACE) whiteSpace.add(range);
    else {
      // No lambda here: this runs at class initialization, where bootstrapping one costs milliseconds.
      List<int[]> list = categories.get(NAMES[name]);
      if (list == null) categories.put(NAMES[name], list = new ArrayList<>());
      list.add(range);
    }
  }

  /**
   * The binary form the jar carries: the class bits of every code point as a two-level table
   * (a block number per 256 code points, then the distinct blocks), then the case folds (per
   * letter: the letter, a count, the code points). Ranges are left out: only the regex
   * fallback needs them, and it reads the text form.
   */
  byte[] toBinary() {
    byte[] bits = classBits();
    int blocks = (MAX_CODE_POINT + 1) >> 8;
    char[] index = new char[blocks];
    Map<String, Integer> distinct = new LinkedHashMap<>();
    List<byte[]> data = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      byte[] block = Arrays.copyOfRange(bits, i << 8, (i + 1) << 8);
      String key = Arrays.toString(block);
      Integer at = distinct.get(key);
      if (at == null) {
        distinct.put(key, at = data.size());
        data.add(block);
      }
      index[i] = (char) (int) at;
    }
    int foldInts = 1;
    for (int[] f : folds.values()) foldInts += 2 + f.length;
    ByteBuffer buf = ByteBuffer.allocate(4 + 2 * blocks + 4 + 256 * data.size() + 4 * foldInts)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(blocks);
    for (char c : index) buf.putChar(c);
    buf.putInt(data.size());
    for (byte[] block : data) buf.put(block);
    buf.putInt(folds.size());
    for (Map.Entry<Character, int[]> e : folds.entrySet()) {
      buf.putInt(e.getKey()).putInt(e.getValue().length);
      for (int cp : e.getValue()) buf.putInt(cp);
    }
    return buf.array();
  }
}
