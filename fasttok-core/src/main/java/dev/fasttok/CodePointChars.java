package dev.fasttok;

import java.util.HashMap;
import java.util.Map;

/**
 * One char per code point, kept as blocks of 256 code points of which equal ones are stored once:
 * a table of every code point in a few kilobytes instead of 2 MB, read with two array loads.
 */
final class CodePointChars {
  private static final int BLOCK = 256;
  /** Per block, where its chars start in {@link #chars}. */
  private final int[] index = new int[0x110000 / BLOCK];
  private final char[] chars;

  /** The table of {@code all}, which holds one char for each of the 0x110000 code points. */
  CodePointChars(char[] all) {
    Map<String, Integer> seen = new HashMap<>();
    StringBuilder blocks = new StringBuilder();
    for (int b = 0; b < index.length; b++) {
      String block = new String(all, b * BLOCK, BLOCK);
      Integer at = seen.get(block);
      if (at == null) {
        seen.put(block, at = blocks.length());
        blocks.append(block);
      }
      index[b] = at;
    }
    chars = blocks.toString().toCharArray();
  }

  char get(int cp) {
    return chars[index[cp >>> 8] + (cp & 0xFF)];
  }
}
