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

  /**
   * Length of what {@code new String(bytes, UTF_8)} reads at b[i] (i < end) as one code point or
   * one U+FFFD: a well-formed sequence, or else the maximal ill-formed subsequence there (the
   * longest start of a well-formed sequence, or the one byte), as Unicode recommends; except that,
   * like the JDK, an encoded surrogate (ED A0..BF 80..BF) is read as one ill-formed sequence.
   */
  static int readLength(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    if (c < 0xC2 || c > 0xF4) return 1; // ASCII, a continuation byte, an overlong or invalid lead
    int need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    int lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80; // bounds of the second byte: no overlong
    int hi = c == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
    for (int k = 1; k <= need; k++) {
      if (i + k >= end) return k;
      int x = b[i + k] & 0xFF;
      if (x < (k == 1 ? lo : 0x80) || x > (k == 1 ? hi : 0xBF)) return k;
    }
    return need + 1;
  }

  /**
   * Number of bytes at the start of b[off, end) that {@code new String(b, off, end - off, UTF_8)}
   * decodes to the first {@code chars} UTF-16 chars of its result; {@code chars} must not end
   * inside a surrogate pair.
   */
  static int prefixLength(byte[] b, int off, int end, int chars) {
    int i = off;
    for (int n = 0; n < chars; ) {
      int len = readLength(b, i, end);
      n += len == 4 ? 2 : 1; // only a well-formed four-byte sequence is two chars
      i += len;
    }
    return i - off;
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

  /** Writes the UTF-8 of code point cp (not a surrogate) at b[at]; returns the index after it. */
  static int put(int cp, byte[] b, int at) {
    if (cp < 0x80) {
      b[at++] = (byte) cp;
    } else if (cp < 0x800) {
      b[at++] = (byte) (0xC0 | cp >> 6);
      b[at++] = (byte) (0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      b[at++] = (byte) (0xE0 | cp >> 12);
      b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
      b[at++] = (byte) (0x80 | cp & 0x3F);
    } else {
      b[at++] = (byte) (0xF0 | cp >> 18);
      b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
      b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
      b[at++] = (byte) (0x80 | cp & 0x3F);
    }
    return at;
  }
}
