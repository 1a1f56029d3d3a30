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

  /** The class bits ({@link UnicodeClasses}) of every code point, indexed by code point. */
  byte[] classBits() {
    byte[] bits = new byte[MAX_CODE_POINT + 1];
    fill(bits, 0, bits.length, (byte) UnicodeClasses.OTHER);
    for (Map.Entry<String, List<int[]>> e : categories.entrySet()) {
      byte b = (byte) UnicodeClasses.bitOf(e.getKey());
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

  /** The binary form: range count, (start, end, name index) per range, then per fold its letter, count, code points. */
  byte[] toBinary() {
    List<Integer> out = new ArrayList<>();
    out.add(0);
    for (Map.Entry<String, List<int[]>> e : categories.entrySet()) {
      for (int[] r : e.getValue()) addRange(out, r, Arrays.asList(NAMES).indexOf(e.getKey()));
    }
    for (int[] r : whiteSpace) addRange(out, r, WHITE_SPACE);
    out.set(0, (out.size() - 1) / 3);
    out.add(folds.size());
    for (Map.Entry<Character, int[]> e : folds.entrySet()) {
      out.add((int) e.getKey());
      out.add(e.getValue().length);
      for (int cp : e.getValue()) out.add(cp);
    }
    ByteBuffer buf = ByteBuffer.allocate(4 * out.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : out) buf.putInt(v);
    return buf.array();
  }

  private static void addRange(List<Integer> out, int[] r, int name) {
    out.add(r[0]);
    out.add(r[1]);
    out.add(name);
  }

  static UnicodeTable readBinary(byte[] bytes) {
    IntBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    UnicodeTable t = new UnicodeTable();
    for (int i = 0, n = in.get(); i < n; i++) t.add(in.get(), in.get(), in.get());
    for (int i = 0, n = in.get(); i < n; i++) {
      char letter = (char) in.get();
      int[] cps = new int[in.get()];
      in.get(cps);
      t.folds.put(letter, cps);
    }
    return t;
  }
}
