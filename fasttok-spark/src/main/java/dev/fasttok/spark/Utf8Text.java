package dev.fasttok.spark;

import dev.fasttok.Utf8;
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
    return Utf8.isWellFormed(b, 0, b.length) ? UTF8String.fromBytes(b)
        : UTF8String.fromString(new String(b, StandardCharsets.UTF_8));
  }
}
