package dev.fasttok;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Extended grapheme cluster boundaries (UAX #29) as the Rust crate unicode-segmentation finds
 * them, with its Unicode 17.0 data from {@code grapheme-clusters.txt} (written by {@code
 * src/test/oracle/make-grapheme-table.py}), whatever Unicode version the running JDK has.
 * Hugging Face tokenizers' Precompiled normalizer looks up whole clusters.
 */
final class GraphemeClusters {
  // Categories, as the crate's table has them: Extended_Pictographic and InCB=Consonant are
  // categories of their own (those characters are all Grapheme_Cluster_Break=Other).
  static final byte ANY = 0, CR = 1, LF = 2, CONTROL = 3, EXTEND = 4, ZWJ = 5, REGIONAL_INDICATOR = 6,
      PREPEND = 7, SPACING_MARK = 8, L = 9, V = 10, T = 11, LV = 12, LVT = 13, PICTOGRAPHIC = 14,
      CONSONANT = 15;
  private static final String[] NAMES = {"Any", "CR", "LF", "Control", "Extend", "ZWJ",
      "Regional_Indicator", "Prepend", "SpacingMark", "L", "V", "T", "LV", "LVT",
      "Extended_Pictographic", "InCB_Consonant"};

  /** The category of every BMP code point; above it, ranges searched by binary search. */
  private static final byte[] BMP = new byte[0x10000];
  /** InCB of every BMP code point: 1 Extend, 2 Linker, else 0. */
  private static final byte[] BMP_INCB = new byte[0x10000];
  private static final int[] SUPPLEMENTARY_FIRST;
  private static final int[] SUPPLEMENTARY_LAST;
  private static final byte[] SUPPLEMENTARY_CATEGORY;
  /** InCB=Extend ranges (first, last, ...) and InCB=Linker code points, sorted. */
  private static final int[] INCB_EXTEND;
  private static final int[] INCB_LINKER;
  static final String UNICODE_VERSION;

  static {
    int[] first = new int[2048];
    int[] last = new int[2048];
    byte[] cat = new byte[2048];
    int supplementary = 0;
    int[] extend = new int[1024];
    int extendCount = 0;
    int[] linker = new int[64];
    int linkerCount = 0;
    String version = null;
    try (InputStream in = GraphemeClusters.class.getResourceAsStream("grapheme-clusters.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        String[] f = line.split(" ");
        switch (f[0]) {
          case "unicode":
            version = f[1];
            break;
          case "cat": {
            int a = Integer.parseInt(f[1], 16);
            int b = Integer.parseInt(f[2], 16);
            byte c = (byte) Arrays.asList(NAMES).indexOf(f[3]);
            if (c <= 0) throw new IllegalStateException("grapheme-clusters.txt: unknown category " + f[3]);
            for (int x = a; x <= Math.min(b, 0xFFFF); x++) BMP[x] = c;
            if (b > 0xFFFF) {
              if (supplementary == first.length) {
                first = Arrays.copyOf(first, 2 * supplementary);
                last = Arrays.copyOf(last, 2 * supplementary);
                cat = Arrays.copyOf(cat, 2 * supplementary);
              }
              first[supplementary] = Math.max(a, 0x10000);
              last[supplementary] = b;
              cat[supplementary++] = c;
            }
            break;
          }
          case "extend":
            if (extendCount + 2 > extend.length) extend = Arrays.copyOf(extend, 2 * extend.length);
            extend[extendCount++] = Integer.parseInt(f[1], 16);
            extend[extendCount++] = Integer.parseInt(f[2], 16);
            break;
          case "linker":
            if (linkerCount == linker.length) linker = Arrays.copyOf(linker, 2 * linkerCount);
            linker[linkerCount++] = Integer.parseInt(f[1], 16);
            break;
          default:
            throw new IllegalStateException("grapheme-clusters.txt: unknown line " + line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SUPPLEMENTARY_FIRST = Arrays.copyOf(first, supplementary);
    SUPPLEMENTARY_LAST = Arrays.copyOf(last, supplementary);
    SUPPLEMENTARY_CATEGORY = Arrays.copyOf(cat, supplementary);
    INCB_EXTEND = Arrays.copyOf(extend, extendCount);
    INCB_LINKER = Arrays.copyOf(linker, linkerCount);
    Arrays.sort(INCB_LINKER);
    UNICODE_VERSION = version;
    for (int k = 0; k < INCB_EXTEND.length; k += 2) {
      for (int x = INCB_EXTEND[k]; x <= Math.min(INCB_EXTEND[k + 1], 0xFFFF); x++) BMP_INCB[x] = 1;
    }
    for (int x : INCB_LINKER) if (x <= 0xFFFF) BMP_INCB[x] = 2;
  }

  private GraphemeClusters() {}

  static byte category(int cp) {
    if (cp < 0x10000) return BMP[cp];
    int i = Arrays.binarySearch(SUPPLEMENTARY_FIRST, cp);
    if (i < 0) i = -i - 2;
    return i >= 0 && cp <= SUPPLEMENTARY_LAST[i] ? SUPPLEMENTARY_CATEGORY[i] : ANY;
  }

  static boolean isIncbLinker(int cp) {
    if (cp <= 0xFFFF) return BMP_INCB[cp] == 2;
    return Arrays.binarySearch(INCB_LINKER, cp) >= 0;
  }

  static boolean isIncbExtend(int cp) {
    if (cp <= 0xFFFF) return BMP_INCB[cp] == 1;
    int lo = 0, hi = INCB_EXTEND.length / 2 - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (cp < INCB_EXTEND[2 * mid]) hi = mid - 1;
      else if (cp > INCB_EXTEND[2 * mid + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /**
   * Appends to ends the index after each extended grapheme cluster of cps[0, n) (so the last is
   * n): the rules of UAX #29 in the crate's order. The rules that look back (GB9c, GB11,
   * GB12/13) are followed with state carried forward, so that long runs cost linear time.
   */
  static void clusterEnds(int[] cps, int n, IntList ends) {
    if (n == 0) return;
    byte before = category(cps[0]);
    int regional = before == REGIONAL_INDICATOR ? 1 : 0; // indicators in a row ending at i - 1
    // GB9c: 1 after a consonant followed by Extend/Linker only, 2 if a linker was among them.
    int conjunct = before == CONSONANT ? 1 : 0;
    // GB11: whether cps up to i - 1 end in ExtPict Extend*, and that state before cps[i - 1].
    boolean pictographic = before == PICTOGRAPHIC;
    boolean pictographicBefore = false;
    for (int i = 1; i < n; i++) {
      byte after = category(cps[i]);
      boolean isBreak;
      if (before == CR && after == LF) isBreak = false; // GB3
      else if (before == CONTROL || before == CR || before == LF) isBreak = true; // GB4
      else if (after == CONTROL || after == CR || after == LF) isBreak = true; // GB5
      else if (before == L && (after == L || after == V || after == LV || after == LVT)) isBreak = false; // GB6
      else if ((before == LV || before == V) && (after == V || after == T)) isBreak = false; // GB7
      else if ((before == LVT || before == T) && after == T) isBreak = false; // GB8
      else if (after == EXTEND || after == ZWJ) isBreak = false; // GB9
      else if (after == SPACING_MARK) isBreak = false; // GB9a
      else if (before == PREPEND) isBreak = false; // GB9b
      else if (after == CONSONANT) isBreak = conjunct != 2; // GB9c
      else if (before == ZWJ && after == PICTOGRAPHIC) isBreak = !pictographicBefore; // GB11
      else if (before == REGIONAL_INDICATOR && after == REGIONAL_INDICATOR) isBreak = regional % 2 == 0; // GB12, GB13
      else isBreak = true; // GB999
      if (isBreak) ends.add(i);

      int cp = cps[i];
      regional = after == REGIONAL_INDICATOR ? regional + 1 : 0;
      if (after == CONSONANT) conjunct = 1;
      else if (isIncbLinker(cp)) conjunct = conjunct != 0 ? 2 : 0;
      else if (!isIncbExtend(cp)) conjunct = 0;
      pictographicBefore = pictographic;
      pictographic = after == PICTOGRAPHIC || (pictographic && after == EXTEND);
      before = after;
    }
    ends.add(n);
  }
}
