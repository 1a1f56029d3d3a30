package dev.fasttok.spark;

import java.nio.charset.StandardCharsets;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Access to a {@link UTF8String}'s bytes without copying them when they live in a byte array
 * (the usual case: rows in the JVM heap); a copy otherwise (off-heap memory).
 */
final class Utf8Text {
  private Utf8Text() {}

  /** The array holding the text's bytes (possibly shared: never write to it). */
  static byte[] array(UTF8String s) {
    Object base = s.getBaseObject();
    return base instanceof byte[] ? (byte[]) base : s.getBytes();
  }

  /** Where the text starts in {@link #array}: call with the array it returned. */
  static int offset(UTF8String s, byte[] array) {
    return array == s.getBaseObject() ? (int) (s.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET) : 0;
  }

  /** A UTF8String of the bytes, which must stay unchanged; ill-formed UTF-8 becomes U+FFFD. */
  static UTF8String ofBytes(byte[] b) {
    return isWellFormed(b, 0, b.length) ? UTF8String.fromBytes(b)
        : UTF8String.fromString(new String(b, StandardCharsets.UTF_8));
  }

  /** Whether b[from, to) is well-formed UTF-8 (Unicode's definition: no surrogates, no overlongs). */
  static boolean isWellFormed(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
      } else {
        return false;
      }
      if (i + n >= to) return false; // truncated sequence
      int b1 = b[i + 1] & 0xFF;
      if (b1 < lo || b1 > hi) return false;
      for (int k = 2; k <= n; k++) {
        if ((b[i + k] & 0xC0) != 0x80) return false;
      }
      i += n + 1;
    }
    return true;
  }
}
