package dev.fasttok;

import java.util.Arrays;

/**
 * The ordinary tokens of an encoding: their bytes by rank, and hash tables from byte strings to
 * ranks. Immutable once built, shared by all threads. The tables are always built here from the
 * token bytes, never read from a file, so that no file can make them disagree with the tokens.
 *
 * <p>Byte strings of up to eight bytes, which nearly every lookup during merging asks for, are
 * keyed by their bytes packed into a long; longer ones by a 64-bit hash, confirmed against the
 * token's first and last eight bytes kept in the table (all of it up to 16 bytes) and, for longer
 * tokens, the pool. Each table stores key and value side by side so that a lookup touches one
 * cache line (or two). Long pieces also need to know which byte strings are proper prefixes of
 * tokens (to enumerate the tokens starting at a position by extending one byte at a time); those
 * sets are built on first use, since most text never needs them.
 *
 * <p>Ranks are positions in the arrays and merge priorities. Below {@link #denseEnd} a rank is
 * the token's id; a tiktoken file can also give a few tokens ids far above its number of tokens,
 * which take the ranks from denseEnd on, in the order of their ids (so that ranks compare as the
 * ids do), with the ids in {@link #sparseIds}: memory follows the number of tokens, not the
 * largest id. Merging works on ranks; {@link BytePairEncoder#encode} turns them into ids.
 */
final class Vocabulary {
  static final int ABSENT = -1;
  /** Ranks (token ids) fasttok accepts are below 2^24. */
  static final int MAX_RANK = (1 << 24) - 1;

  /** Token bytes of rank r: pool[offsets[r], offsets[r + 1]); empty for an unused rank. */
  final byte[] pool;
  final int[] offsets;
  /** Ids of the ranks from {@link #denseEnd} on, ascending; null if there are none. */
  final int[] sparseIds;
  /** The ranks below this are their ids. */
  final int denseEnd;
  final int maxTokenLength;
  /** Rank of each single byte, or -1. */
  final int[] byteRank = new int[256];
  /**
   * Merging the tokens of two single bytes, indexed by (first << 8 | second): the merge's
   * priority (-1: they do not merge) and the token it makes. With tiktoken ranks both are the
   * rank of the two-byte token (one array).
   */
  final int[] pairRank;
  final int[] pairResult;
  /** Hugging Face merge rules, or null for tiktoken ranks (see {@link MergeRules}). */
  final MergeRules rules;
  /**
   * Whether a piece that is itself a token is emitted as that token without merging: always in
   * tiktoken, with {@code ignore_merges} in Hugging Face BPE.
   */
  final boolean wholePieces;

  private final Table shortTokens;
  private final Table longTokens;
  private volatile Prefixes prefixes; // built on first use

  /**
   * A token the tables cannot take: its offsets out of order (a negative length), or the same
   * bytes as the token of an earlier rank.
   */
  static final class BadToken extends IllegalArgumentException {
    final int rank;
    /** The rank with the same bytes, or -1 for offsets out of order. */
    final int earlier;

    BadToken(int rank, int earlier) {
      super(earlier < 0 ? "token offsets out of order at rank " + rank
          : "token of rank " + rank + " has the same bytes as the token of rank " + earlier);
      this.rank = rank;
      this.earlier = earlier;
    }
  }

  /** Builds the tables of dense ranks: {@code offsets} has one more entry than there are ranks. */
  static Vocabulary build(byte[] pool, int[] offsets) {
    return build(pool, offsets, null);
  }

  /**
   * Builds the tables; {@code offsets} has one more entry than there are ranks, and the last
   * {@code sparseIds.length} ranks have those ids (ascending, above the other ranks; null for
   * none).
   *
   * @throws BadToken if offsets are out of order or two ranks have the same bytes
   */
  static Vocabulary build(byte[] pool, int[] offsets, int[] sparseIds) {
    return new Vocabulary(pool, offsets, sparseIds == null || sparseIds.length == 0 ? null : sparseIds);
  }

  /** The same tokens and tables with Hugging Face merge rules (dense ranks only). */
  Vocabulary withRules(MergeRules rules, boolean wholePieces) {
    if (sparseIds != null) throw new IllegalStateException("merge rules need dense ranks");
    return new Vocabulary(this, rules, wholePieces);
  }

  private Vocabulary(byte[] pool, int[] offsets, int[] sparseIds) {
    this.pool = pool;
    this.offsets = offsets;
    this.sparseIds = sparseIds;
    this.denseEnd = offsets.length - 1 - (sparseIds == null ? 0 : sparseIds.length);
    this.rules = null;
    this.wholePieces = true;
    // Two passes over the tokens: sizes, then the tables. Loading runs them before the JIT has
    // compiled much, so they do as little else as they can.
    int n = offsets.length - 1;
    int shortCount = 0;
    int longCount = 0;
    int maxLen = 0;
    Arrays.fill(byteRank, ABSENT);
    for (int r = 0; r < n; r++) {
      int len = offsets[r + 1] - offsets[r];
      if (len < 0) throw new BadToken(r, -1);
      if (len > maxLen) maxLen = len;
      if (len > 8) longCount++;
      else if (len > 0) shortCount++;
      if (len == 1) byteRank[pool[offsets[r]] & 0xFF] = r;
    }
    this.maxTokenLength = maxLen;
    this.shortTokens = new Table(shortCount);
    this.longTokens = new Table(longCount, true);
    this.pairRank = new int[1 << 16];
    this.pairResult = pairRank;
    Arrays.fill(pairRank, ABSENT);
    for (int r = 0; r < n; r++) {
      int off = offsets[r];
      int len = offsets[r + 1] - off;
      if (len == 0) continue;
      if (!put(len <= 8 ? shortTokens : longTokens, off, len, r)) throw new BadToken(r, rank(pool, off, len));
      if (len == 2) pairRank[((pool[off] & 0xFF) << 8) | (pool[off + 1] & 0xFF)] = r;
    }
  }

  private Vocabulary(Vocabulary v, MergeRules rules, boolean wholePieces) {
    this.pool = v.pool;
    this.offsets = v.offsets;
    this.sparseIds = null;
    this.denseEnd = v.denseEnd;
    this.shortTokens = v.shortTokens;
    this.longTokens = v.longTokens;
    this.maxTokenLength = v.maxTokenLength;
    System.arraycopy(v.byteRank, 0, byteRank, 0, 256);
    this.rules = rules;
    this.wholePieces = wholePieces;
    this.pairRank = new int[1 << 16];
    this.pairResult = new int[1 << 16];
    for (int i = 0; i < 1 << 16; i++) {
      long rule = byteRank[i >>> 8] < 0 || byteRank[i & 0xFF] < 0 ? -1 : rules.find(byteRank[i >>> 8], byteRank[i & 0xFF]);
      this.pairRank[i] = rule < 0 ? ABSENT : (int) (rule >>> 32);
      this.pairResult[i] = rule < 0 ? ABSENT : (int) rule;
    }
  }

  /**
   * Open addressing with linear probing. Slot i holds (key, length << 32 | rank + 1) at
   * slots[stride i], slots[stride i + 1], and a one-byte tag of its hash at tags[i] (0: empty).
   * A lookup scans the tags, a fraction of a cache line, and reads a slot only when the tag
   * matches: most byte strings looked up while merging are not tokens, and those never touch
   * the slots. The table of tokens longer than eight bytes also holds each token's first and
   * last eight bytes (stride 4: 32 bytes a slot), which are the whole token up to
   * 16 bytes: most hits then confirm the bytes without reading the pool, one cache miss fewer.
   */
  private static final class Table {
    final long[] slots;
    final byte[] tags;
    final int shift;
    final int mask;
    final int stride;

    Table(int entries) {
      this(entries, false);
    }

    Table(int entries, boolean ends) {
      int bits = bitsFor(entries);
      stride = ends ? 4 : 2;
      slots = new long[stride << bits];
      tags = new byte[1 << bits];
      shift = 64 - bits;
      mask = (1 << bits) - 1;
    }

    private static int bitsFor(int entries) {
      int bits = 4;
      while ((1 << bits) * 3L < entries * 5L) bits++; // load factor at most 0.6
      return bits;
    }

    int first(long hash) {
      return (int) (hash >>> shift);
    }

    /** Seven hash bits below the ones that pick the slot, with the high bit set. */
    byte tag(long hash) {
      return (byte) (0x80 | ((hash >>> (shift - 7)) & 0x7F));
    }
  }

  /** The number of ranks. */
  int size() {
    return offsets.length - 1;
  }

  /** One more than the largest token id. */
  int idLimit() {
    return sparseIds != null ? sparseIds[sparseIds.length - 1] + 1 : denseEnd;
  }

  /** Whether {@code id} is the id of a token whose rank it is (below {@link #denseEnd}). */
  boolean hasRank(int id) {
    return id >= 0 && id < denseEnd && offsets[id + 1] > offsets[id];
  }

  /** The rank of the token with that id, or ABSENT. */
  int rankOfId(int id) {
    if (id < denseEnd) return hasRank(id) ? id : ABSENT;
    int i = sparseIds == null ? -1 : Arrays.binarySearch(sparseIds, id);
    return i < 0 ? ABSENT : denseEnd + i;
  }

  /** The id of the token of rank r. */
  int id(int r) {
    return r < denseEnd ? r : sparseIds[r - denseEnd];
  }

  /** Turns the ranks a[from, to) into ids. */
  void ranksToIds(int[] a, int from, int to) {
    for (int i = from; i < to; i++) if (a[i] >= denseEnd) a[i] = sparseIds[a[i] - denseEnd];
  }

  /** The length of the token of rank r. */
  int lengthOfRank(int r) {
    return offsets[r + 1] - offsets[r];
  }

  /** The length of the token with that id, which must be a token's (as encoding returns them). */
  int tokenLength(int id) {
    int r = id < denseEnd ? id : rankOfId(id);
    return offsets[r + 1] - offsets[r];
  }

  /** Rank of the token b[i, i + n), or ABSENT. */
  int rank(byte[] b, int i, int n) {
    if (n <= 8) return shortRank(Bytes.readKey(b, i, n), n);
    return longRank(b, i, n, hash(b, i, n));
  }

  /** Rank of the token of n <= 8 bytes packed little-endian in key, or ABSENT. */
  int shortRank(long key, int n) {
    return find(shortTokens, key, mix(key, n), n, null, 0);
  }

  /** Rank of the token b[i, i + n) of more than eight bytes whose {@link #hash} is h, or ABSENT. */
  int longRank(byte[] b, int i, int n, long h) {
    return find(longTokens, h, finish(h), n, b, i);
  }

  /** Whether the n <= 8 bytes packed in key are a proper prefix of a token and not a token. */
  boolean isShortPrefix(long key, int n) {
    return find(prefixes().shortOnes, key, mix(key, n), n, null, 0) != ABSENT;
  }

  /**
   * The rank of a token of n > 8 bytes with hash h, without comparing bytes: the caller must
   * confirm the match ({@link #equalsToken}) and fall back to {@link #longRank} if it fails.
   */
  int longRankByHash(long h, int n) {
    return find(longTokens, h, finish(h), n, null, 0);
  }

  /**
   * Whether some proper prefix of a token, not itself a token, has n > 8 bytes and hash h. A
   * false "yes" (two byte strings with one hash) only makes a caller look further.
   */
  boolean isLongPrefixByHash(long h, int n) {
    return find(prefixes().longOnes, h, finish(h), n, null, 0) != ABSENT;
  }

  /** Whether the bytes of token r are b[i, i + length of r). */
  boolean equalsToken(int r, byte[] b, int i) {
    int off = offsets[r];
    return sameBytes(off, b, i, offsets[r + 1] - off);
  }

  /**
   * Whether pool[off, off + n) equals b[i, i + n), for n > 8: eight bytes at a time (tokens are
   * short, where Arrays.equals' setup costs more than the comparison).
   */
  private boolean sameBytes(int off, byte[] b, int i, int n) {
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      if (Bytes.readLong(pool, off + k) != Bytes.readLong(b, i + k)) return false;
    }
    // The last eight bytes, overlapping the ones compared (n > 8).
    return k == n || Bytes.readLong(pool, off + n - 8) == Bytes.readLong(b, i + n - 8);
  }

  /**
   * Looks up a key; for long keys (b != null) the value's rank names a token whose first n bytes
   * must equal b[i, i + n).
   */
  private int find(Table t, long key, long hash, int n, byte[] b, int i) {
    byte[] tags = t.tags;
    byte tag = t.tag(hash);
    int at = t.first(hash);
    while (true) {
      byte g = tags[at];
      if (g == 0) return ABSENT;
      if (g == tag) {
        int k = t.stride * at;
        long v = t.slots[k + 1];
        if (t.slots[k] == key && (int) (v >>> 32) == n) {
          int r = (int) v - 1;
          if (b == null) return r;
          if (t.slots[k + 2] == Bytes.readLong(b, i) && t.slots[k + 3] == Bytes.readLong(b, i + n - 8)
              && (n <= 16 || sameBytes(offsets[r], b, i, n))) {
            return r;
          }
        }
      }
      at = (at + 1) & t.mask;
    }
  }

  /** Adds the first len bytes of the token at pool offset off, with rank r; false if present. */
  private boolean put(Table t, int off, int len, int r) {
    boolean isShort = len <= 8;
    // The key byte by byte, not with Bytes.readKey or hash: loading puts every token, mostly
    // before the JIT has compiled anything, and there a VarHandle read costs far more.
    long key = 0;
    if (isShort) for (int k = len - 1; k >= 0; k--) key = key << 8 | (pool[off + k] & 0xFF);
    else for (int k = 0; k < len; k++) key = extend(key, pool[off + k]);
    long hash = isShort ? mix(key, len) : finish(key);
    byte tag = t.tag(hash);
    int at = t.first(hash);
    for (byte g; (g = t.tags[at]) != 0; at = (at + 1) & t.mask) {
      long v = t.slots[t.stride * at + 1];
      if (g == tag && t.slots[t.stride * at] == key && (int) (v >>> 32) == len
          && (isShort || sameBytes(offsets[(int) v - 1], pool, off, len))) {
        return false;
      }
    }
    int k = t.stride * at;
    t.tags[at] = tag;
    t.slots[k] = key;
    t.slots[k + 1] = ((long) len << 32) | (r + 1L);
    if (t.stride == 4) {
      long first = 0;
      long last = 0;
      for (int j = 7; j >= 0; j--) {
        first = first << 8 | (pool[off + j] & 0xFF);
        last = last << 8 | (pool[off + len - 8 + j] & 0xFF);
      }
      t.slots[k + 2] = first;
      t.slots[k + 3] = last;
    }
    return true;
  }

  /**
   * What enumerating tokens by extension needs beyond the tokens: the byte strings that are
   * proper prefixes of tokens without being tokens, and which tokens are proper prefixes of
   * longer ones (after such a token the enumeration stops without a lookup).
   */
  private static final class Prefixes {
    final Table shortOnes;
    final Table longOnes;
    final long[] extended; // bit r: token r is a proper prefix of another token

    Prefixes(Table shortOnes, Table longOnes, long[] extended) {
      this.shortOnes = shortOnes;
      this.longOnes = longOnes;
      this.extended = extended;
    }
  }

  /** Whether token r is a proper prefix of another token. */
  boolean isProperPrefix(int r) {
    return (prefixes().extended[r >>> 6] & (1L << r)) != 0;
  }

  private Prefixes prefixes() {
    Prefixes p = prefixes;
    if (p == null) {
      synchronized (this) {
        p = prefixes;
        if (p == null) prefixes = p = buildPrefixes();
      }
    }
    return p;
  }

  private Prefixes buildPrefixes() {
    int n = size();
    int shortCount = 0;
    int longCount = 0;
    for (int r = 0; r < n; r++) {
      int len = lengthOfRank(r);
      shortCount += Math.min(Math.max(len - 1, 0), 8);
      longCount += Math.max(len - 9, 0);
    }
    Table shortPrefixes = new Table(shortCount);
    Table longPrefixes = new Table(longCount);
    long[] extended = new long[(n >>> 6) + 1];
    for (int r = 0; r < n; r++) {
      int off = offsets[r];
      int len = lengthOfRank(r);
      for (int k = 1; k < len; k++) {
        int t = rank(pool, off, k);
        if (t == ABSENT) put(k <= 8 ? shortPrefixes : longPrefixes, off, k, r);
        else extended[t >>> 6] |= 1L << t;
      }
    }
    return new Prefixes(shortPrefixes, longPrefixes, extended);
  }

  private static long mix(long key, int n) {
    return (key ^ (n * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
  }

  /** Hash of a byte string, extendable one byte at a time with {@link #extend}. */
  static long hash(byte[] b, int i, int n) {
    // The same value as extend() byte after byte: h' = (h + c0) P^8 + c1 P^7 + ... + c7 P for the
    // next eight bytes c (each + 1), whose products do not wait on each other.
    long h = 0;
    int k = 0;
    for (; k + 8 <= n; k += 8) {
      long w = Bytes.readLong(b, i + k);
      h = (h + (w & 0xFF) + 1) * P8
          + ((w >>> 8 & 0xFF) + 1) * P7
          + ((w >>> 16 & 0xFF) + 1) * P6
          + ((w >>> 24 & 0xFF) + 1) * P5
          + ((w >>> 32 & 0xFF) + 1) * P4
          + ((w >>> 40 & 0xFF) + 1) * P3
          + ((w >>> 48 & 0xFF) + 1) * P2
          + ((w >>> 56) + 1) * P;
    }
    int t = n - k;
    if (t > 0) {
      // The last t < 8 bytes the same way: h P^t + c0 P^t + ... + c(t-1) P.
      long sum = h * POWERS[t];
      for (int j = 0; j < t; j++) sum += ((b[i + k + j] & 0xFF) + 1) * POWERS[t - j];
      h = sum;
    }
    return h;
  }

  private static final long P = 0x100000001B3L;
  private static final long P2 = P * P;
  private static final long P3 = P2 * P;
  private static final long P4 = P3 * P;
  private static final long P5 = P4 * P;
  private static final long P6 = P5 * P;
  private static final long P7 = P6 * P;
  private static final long P8 = P7 * P;
  /** P^0 .. P^7. */
  private static final long[] POWERS = {1, P, P2, P3, P4, P5, P6, P7};

  static long extend(long h, byte next) {
    return (h + (next & 0xFF) + 1) * P;
  }

  private static long finish(long h) {
    h ^= h >>> 31;
    return h * 0x94D049BB133111EBL;
  }
}
