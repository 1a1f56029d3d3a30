package dev.fasttok;

import java.util.Arrays;

/**
 * The ordinary tokens of an encoding: their bytes by rank, and hash tables from byte strings to
 * ranks. Immutable once built, shared by all threads.
 *
 * <p>Byte strings of up to eight bytes are keyed by their bytes packed into a long, which is what
 * nearly every lookup during merging needs; longer ones by a hash, compared against the pool. Both
 * tables also hold every proper prefix of every token (marked as such), so that the tokens
 * starting at a position can be enumerated by extending one byte at a time until no token has
 * that prefix.
 */
final class Vocabulary {
  static final int ABSENT = -1;
  /** Result of {@link #entry} for a byte string that is a proper prefix of a token only. */
  static final int PREFIX_ONLY = -2;

  private static final int PREFIX_TAG = 0xFFFFFF;
  static final int MAX_RANK = PREFIX_TAG - 2;

  /** Token bytes of rank r: pool[offsets[r], offsets[r + 1]); empty for an unused rank. */
  final byte[] pool;
  final int[] offsets;
  final int maxTokenLength;
  /** Rank of each single byte (all 256 are tokens). */
  final int[] byteRank = new int[256];
  /** Rank of each two-byte string, indexed by (first << 8 | second), or -1. */
  final int[] pairRank = new int[1 << 16];

  private final long[] shortKeys;
  private final int[] shortVals; // 0 empty, else (length << 24) | (rank + 1), or PREFIX_TAG for a prefix
  private final int shortShift;
  private final int shortMask;

  private final int[] longTags; // 0 empty, else rank + 1 of a token whose first longLens[i] bytes are the key
  private final int[] longLens; // negative length for a prefix-only entry
  private final int[] longHashes;
  private final int longShift;
  private final int longMask;

  /** Builds the tables; {@code offsets} has one more entry than there are ranks. */
  Vocabulary(byte[] pool, int[] offsets) {
    this.pool = pool;
    this.offsets = offsets;
    int n = offsets.length - 1;
    int maxLen = 0;
    int shortCount = 0;
    int longCount = 0;
    for (int r = 0; r < n; r++) {
      int len = offsets[r + 1] - offsets[r];
      maxLen = Math.max(maxLen, len);
      // Each token contributes itself and its prefixes; sizes are upper bounds.
      shortCount += Math.min(len, 8);
      longCount += Math.max(0, len - 8);
    }
    this.maxTokenLength = maxLen;
    int sBits = bitsFor(Math.min(shortCount, 4 * n + 16));
    shortKeys = new long[1 << sBits];
    shortVals = new int[1 << sBits];
    shortShift = 64 - sBits;
    shortMask = (1 << sBits) - 1;
    int lBits = bitsFor(Math.min(longCount, 4 * n + 16));
    longTags = new int[1 << lBits];
    longLens = new int[1 << lBits];
    longHashes = new int[1 << lBits];
    longShift = 64 - lBits;
    longMask = (1 << lBits) - 1;

    Arrays.fill(byteRank, ABSENT);
    Arrays.fill(pairRank, ABSENT);
    for (int r = 0; r < n; r++) {
      int off = offsets[r];
      int len = offsets[r + 1] - off;
      if (len == 0) continue;
      putToken(r, off, len);
      if (len == 1) byteRank[pool[off] & 0xFF] = r;
      if (len == 2) pairRank[((pool[off] & 0xFF) << 8) | (pool[off + 1] & 0xFF)] = r;
    }
    for (int r = 0; r < n; r++) {
      int off = offsets[r];
      int len = offsets[r + 1] - off;
      for (int k = 1; k < len; k++) putPrefix(r, off, k);
    }
  }

  private static int bitsFor(int entries) {
    int bits = 4;
    while ((1 << bits) < entries * 2) bits++; // load factor at most 1/2
    return bits;
  }

  int size() {
    return offsets.length - 1;
  }

  boolean hasRank(int r) {
    return r >= 0 && r < offsets.length - 1 && offsets[r + 1] > offsets[r];
  }

  int tokenLength(int r) {
    return offsets[r + 1] - offsets[r];
  }

  /** Rank of the token b[i, i + n), or ABSENT. */
  int rank(byte[] b, int i, int n) {
    int e = entry(b, i, n);
    return e >= 0 ? e : ABSENT;
  }

  /** Rank of the token b[i, i + n), or PREFIX_ONLY if it is only a prefix of tokens, or ABSENT. */
  int entry(byte[] b, int i, int n) {
    if (n <= 8) return shortEntry(Bytes.readKey(b, i, n), n);
    return longEntry(b, i, n, hash(b, i, n));
  }

  int shortEntry(long key, int n) {
    int idx = (int) (mix(key, n) >>> shortShift);
    while (true) {
      int v = shortVals[idx];
      if (v == 0) return ABSENT;
      if (shortKeys[idx] == key && (v >>> 24) == n) {
        int tag = v & 0xFFFFFF;
        return tag == PREFIX_TAG ? PREFIX_ONLY : tag - 1;
      }
      idx = (idx + 1) & shortMask;
    }
  }

  /** Lookup of a byte string longer than eight bytes whose {@link #hash} is h. */
  int longEntry(byte[] b, int i, int n, long h) {
    int idx = (int) (finish(h) >>> longShift);
    int h32 = (int) h;
    while (true) {
      int tag = longTags[idx];
      if (tag == 0) return ABSENT;
      int len = longLens[idx];
      if (longHashes[idx] == h32 && Math.abs(len) == n) {
        int off = offsets[tag - 1];
        if (Arrays.equals(pool, off, off + n, b, i, i + n)) return len < 0 ? PREFIX_ONLY : tag - 1;
      }
      idx = (idx + 1) & longMask;
    }
  }

  private void putToken(int r, int off, int len) {
    if (len <= 8) {
      long key = Bytes.readKey(pool, off, len);
      int idx = (int) (mix(key, len) >>> shortShift);
      while (shortVals[idx] != 0) {
        if (shortKeys[idx] == key && (shortVals[idx] >>> 24) == len) throw duplicate(r);
        idx = (idx + 1) & shortMask;
      }
      shortKeys[idx] = key;
      shortVals[idx] = (len << 24) | (r + 1);
    } else {
      long h = hash(pool, off, len);
      int idx = (int) (finish(h) >>> longShift);
      while (longTags[idx] != 0) {
        int o = offsets[longTags[idx] - 1];
        if (longLens[idx] == len && Arrays.equals(pool, o, o + len, pool, off, off + len)) throw duplicate(r);
        idx = (idx + 1) & longMask;
      }
      longTags[idx] = r + 1;
      longLens[idx] = len;
      longHashes[idx] = (int) h;
    }
  }

  private IllegalArgumentException duplicate(int r) {
    return new IllegalArgumentException("token of rank " + r + " has the same bytes as a token of lower rank");
  }

  /** Records that the first len bytes of token r are a prefix, unless they are a token already. */
  private void putPrefix(int r, int off, int len) {
    if (entry(pool, off, len) != ABSENT) return;
    if (len <= 8) {
      long key = Bytes.readKey(pool, off, len);
      int idx = (int) (mix(key, len) >>> shortShift);
      while (shortVals[idx] != 0) idx = (idx + 1) & shortMask;
      shortKeys[idx] = key;
      shortVals[idx] = (len << 24) | PREFIX_TAG;
    } else {
      long h = hash(pool, off, len);
      int idx = (int) (finish(h) >>> longShift);
      while (longTags[idx] != 0) idx = (idx + 1) & longMask;
      longTags[idx] = r + 1;
      longLens[idx] = -len;
      longHashes[idx] = (int) h;
    }
  }

  private static long mix(long key, int n) {
    return (key ^ (n * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
  }

  /** Hash of a byte string, extendable one byte at a time with {@link #extend}. */
  static long hash(byte[] b, int i, int n) {
    long h = 0;
    for (int k = 0; k < n; k++) h = extend(h, b[i + k]);
    return h;
  }

  static long extend(long h, byte next) {
    return (h + (next & 0xFF) + 1) * 0x100000001B3L;
  }

  private static long finish(long h) {
    h ^= h >>> 31;
    return h * 0x94D049BB133111EBL;
  }
}
