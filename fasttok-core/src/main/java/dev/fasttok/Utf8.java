package dev.fasttok;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 conversions with tiktoken's rules for text that is not well-formed. Public for
 * {@link #isWellFormed}, which the Spark and Flink functions and the corpus job use to tell when
 * bytes need replacing; everything else is internal.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The UTF-8 bytes of a string, with every lone surrogate encoded as U+FFFD, as tiktoken does
   * (the JDK's own encoder would write '?').
   */
  static byte[] encode(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    // The JDK writes '?' for a lone surrogate, so without a '?' byte there was none to fix.
    if (!containsQuestionMark(b) || !hasLoneSurrogate(s)) return b;
    return encodeReplacingLoneSurrogates(s);
  }

  private static boolean containsQuestionMark(byte[] b) {
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      long x = Bytes.readLong(b, i) ^ 0x3F3F3F3F3F3F3F3FL; // a zero byte where b has '?'
      if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) return true;
    }
    for (; i < b.length; i++) if (b[i] == '?') return true;
    return false;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] encodeReplacingLoneSurrogates(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether b[off, end) is well-formed UTF-8 (Unicode's definition: no overlong forms, no
   * surrogates, nothing above U+10FFFF, no truncated sequence).
   */
  public static boolean isWellFormed(byte[] b, int off, int end) {
    int i = off;
    while (i < end) {
      // Skip ASCII eight bytes at a time.
      while (i + 8 <= end && (Bytes.readLong(b, i) & 0x8080808080808080L) == 0) i += 8;
      if (i >= end) break;
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
      } else if (c < 0xC2) {
        return false;
      } else if (c < 0xE0) {
        if (i + 1 >= end || !cont(b[i + 1])) return false;
        i += 2;
      } else if (c < 0xF0) {
        if (i + 2 >= end || !cont(b[i + 1]) || !cont(b[i + 2])) return false;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xE0 && c1 < 0xA0) return false; // overlong
        if (c == 0xED && c1 >= 0xA0) return false; // surrogate
        i += 3;
      } else if (c < 0xF5) {
        if (i + 3 >= end || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) return false;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xF0 && c1 < 0x90) return false; // overlong
        if (c == 0xF4 && c1 >= 0x90) return false; // above U+10FFFF
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean cont(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Number of UTF-8 bytes of s[from, to), a lone surrogate counting as U+FFFD (3 bytes). */
  static int encodedLength(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  /** Number of UTF-16 chars encoded by the well-formed UTF-8 bytes [off, end). */
  static int charCount(byte[] b, int off, int end) {
    int n = 0;
    for (int i = off; i < end; i++) {
      int c = b[i] & 0xFF;
      if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
    }
    return n;
  }

  /** Code point of the well-formed sequence at i. */
  static int codePoint(byte[] b, int i) {
    int c = b[i];
    if (c >= 0) return c;
    if (c < (byte) 0xE0) return ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
    if (c < (byte) 0xF0) return ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
    return ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
  }

  /** Length in bytes of the well-formed sequence whose lead byte is c. */
  static int length(byte c) {
    if (c >= 0) return 1;
    if (c < (byte) 0xE0) return 2;
    if (c < (byte) 0xF0) return 3;
    return 4;
  }
}
