package dev.fasttok.flink;

import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;

/**
 * Access to the UTF-8 bytes of Flink's internal strings without copying them when they lie in one
 * heap segment (the usual case); a copy otherwise.
 */
final class Utf8Data {
  private Utf8Data() {}

  /** The array holding the text's bytes (possibly shared with the row: never write to it). */
  static byte[] array(StringData s) {
    if (s instanceof BinaryStringData) {
      MemorySegment[] segments = ((BinaryStringData) s).getSegments();
      if (segments.length == 1 && !segments[0].isOffHeap()) return segments[0].getArray();
    }
    return s.toBytes();
  }

  /** Where the text starts in {@link #array}: call with the array it returned. */
  static int offset(StringData s, byte[] array) {
    if (s instanceof BinaryStringData) {
      BinaryStringData b = (BinaryStringData) s;
      MemorySegment[] segments = b.getSegments();
      if (segments.length == 1 && !segments[0].isOffHeap() && segments[0].getArray() == array) return b.getOffset();
    }
    return 0;
  }

  /** The text's length in bytes. */
  static int length(StringData s, byte[] array) {
    return s instanceof BinaryStringData ? ((BinaryStringData) s).getSizeInBytes() : array.length;
  }
}
