package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's byte-to-unicode alphabet, in which byte-level BPE vocabularies (tokenizer.json) spell
 * their tokens: each byte is one character. The printable bytes 0x21..0x7E, 0xA1..0xAC and
 * 0xAE..0xFF stand for themselves (as Latin-1 characters); the other 68 bytes, in increasing
 * order, are U+0100, U+0101, ... (so the space 0x20 is U+0120, 'Ġ').
 */
final class ByteLevel {
  private ByteLevel() {}

  /** The character of each byte. */
  private static final char[] CHAR_OF_BYTE = new char[256];
  /** The byte of each character below {@link #LIMIT}, or -1 if it is not in the alphabet. */
  private static final int[] BYTE_OF_CHAR;
  private static final int LIMIT = 0x100 + 68;

  static {
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      CHAR_OF_BYTE[b] = (char) (printable ? b : 0x100 + extra++);
    }
    BYTE_OF_CHAR = new int[LIMIT];
    Arrays.fill(BYTE_OF_CHAR, -1);
    for (int b = 0; b < 256; b++) BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
  }

  /** The alphabet character of a byte. */
  static char charOf(int b) {
    return CHAR_OF_BYTE[b & 0xFF];
  }

  /** The bytes a string of alphabet characters spells, or null if a character is not in the alphabet. */
  static byte[] bytesOf(String s) {
    byte[] out = new byte[s.length()];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int b = c < LIMIT ? BYTE_OF_CHAR[c] : -1;
      if (b < 0) return null;
      out[i] = (byte) b;
    }
    return out;
  }

  /** The string of alphabet characters that spells the bytes. */
  static String spell(byte[] b, int from, int to) {
    char[] c = new char[to - from];
    for (int i = from; i < to; i++) c[i - from] = CHAR_OF_BYTE[b[i] & 0xFF];
    return new String(c);
  }

  /**
   * What Hugging Face's ByteLevel decoder makes of a token's text: its bytes if every character
   * is in the alphabet, else the text's own UTF-8.
   */
  static byte[] decode(String token) {
    byte[] b = bytesOf(token);
    return b != null ? b : token.getBytes(StandardCharsets.UTF_8);
  }
}
