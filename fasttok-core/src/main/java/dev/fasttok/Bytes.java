package dev.fasttok;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Word-at-a-time reads of byte arrays. */
final class Bytes {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Bytes() {}

  /** Eight bytes at i, little-endian; needs i + 8 <= b.length. */
  static long readLong(byte[] b, int i) {
    return (long) LONG_LE.get(b, i);
  }

  /** The n <= 8 bytes at i as a little-endian long (zero above them); reads within [i, i + n). */
  static long readKey(byte[] b, int i, int n) {
    if (i + 8 <= b.length) return readLong(b, i) & mask(n);
    long v = 0;
    for (int k = n - 1; k >= 0; k--) v = (v << 8) | (b[i + k] & 0xFF);
    return v;
  }

  static long mask(int n) {
    return n >= 8 ? -1L : (1L << (n << 3)) - 1;
  }
}
