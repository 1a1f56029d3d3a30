package dev.fasttok;

import java.util.Arrays;

/**
 * The ordinary tokens of an encoding: their bytes by rank, and hash tables from byte strings to
 * ranks. Immutable once built, shared by all threads.
 *
 * <p>Byte strings of up to eight bytes, which nearly every lookup during merging asks for, are
 * keyed by their bytes packed into a long; longer ones by a 64-bit hash, confirmed against the
 * pool. Each table stores key and value side by side so that a lookup touches one cache line.
 * Long pieces also need to know which byte strings are proper prefixes of tokens (to enumerate
 * the tokens starting at a position by extending one byte at a time); those sets are built on
 * first use, since most text never needs them.
 */
final class Vocabulary {
  static final int ABSENT = -1;
  /** Ranks (token ids) fasttok accepts are below 2^24. */
  static final int MAX_RANK = (1 << 24) - 1;

  /** Token bytes of rank r: pool[offsets[r], offsets[r + 1]); empty for an unused rank. */
  final byte[] pool;
  final int[] offsets;
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

  /** Builds the tables; {@code offsets} has one more entry than there are ranks. */
  static Vocabulary build(byte[] pool, int[] offsets) {
    int n = offsets.length - 1;
    int shortCount = 0;
    for (int r = 0; r < n; r++) {
      int len = offsets[r + 1] - offsets[r];
      if (len > 0 && len <= 8) shortCount++;
    }
    Vocabulary v = new Vocabulary(pool, offsets, new Table(shortCount), new Table(n - shortCount), new int[1 << 16],
        null, true);
    Arrays.fill(v.pairRank, ABSENT);
    for (int r = 0; r < n; r++) {
      int off = offsets[r];
      int len = offsets[r + 1] - off;
      if (len == 0) continue;
      if (!v.put(len <= 8 ? v.shortTokens : v.longTokens, off, len, r)) {
        throw new IllegalArgumentException("token of rank " + r + " has the same bytes as a token of lower rank");
      }
      if (len == 2) v.pairRank[((pool[off] & 0xFF) << 8) | (pool[off + 1] & 0xFF)] = r;
    }
    return v;
  }

  /** A vocabulary from tables read back from the compact form (see {@link #shortSlots()}). */
  Vocabulary(byte[] pool, int[] offsets, long[] shortSlots, byte[] shortTags, long[] longSlots, byte[] longTags,
      int[] pairRank, MergeRules rules, boolean wholePieces) {
    this(pool, offsets, new Table(shortSlots, shortTags), new Table(longSlots, longTags), pairRank, rules, wholePieces);
  }

  /** The same tokens and tables with Hugging Face merge rules. */
  Vocabulary withRules(MergeRules rules, boolean wholePieces) {
    return new Vocabulary(pool, offsets, shortTokens, longTokens, null, rules, wholePieces);
  }

  private Vocabulary(byte[] pool, int[] offsets, Table shortTokens, Table longTokens, int[] pairRank,
      MergeRules rules, boolean wholePieces) {
    this.pool = pool;
    this.offsets = offsets;
    this.shortTokens = shortTokens;
    this.longTokens = longTokens;
    this.rules = rules;
    this.wholePieces = wholePieces;
    int maxLen = 0;
    Arrays.fill(byteRank, ABSENT);
    for (int r = 0, n = offsets.length - 1; r < n; r++) {
      int len = offsets[r + 1] - offsets[r];
      if (len > maxLen) maxLen = len;
      if (len == 1) byteRank[pool[offsets[r]] & 0xFF] = r;
    }
    this.maxTokenLength = maxLen;
    if (rules == null) {
      this.pairRank = pairRank;
      this.pairResult = pairRank;
    } else {
      this.pairRank = new int[1 << 16];
      this.pairResult = new int[1 << 16];
      for (int i = 0; i < 1 << 16; i++) {
        long rule = byteRank[i >>> 8] < 0 || byteRank[i & 0xFF] < 0 ? -1 : rules.find(byteRank[i >>> 8], byteRank[i & 0xFF]);
        this.pairRank[i] = rule < 0 ? ABSENT : (int) (rule >>> 32);
        this.pairResult[i] = rule < 0 ? ABSENT : (int) rule;
      }
    }
  }

  long[] shortSlots() {
    return shortTokens.slots;
  }

  byte[] shortTags() {
    return shortTokens.tags;
  }

  long[] longSlots() {
    return longTokens.slots;
  }

  byte[] longTags() {
    return longTokens.tags;
  }

  /**
   * Open addressing with linear probing. Slot i holds (key, length << 32 | rank + 1) at
   * slots[2i], slots[2i + 1], and a one-byte tag of its hash at tags[i] (0: empty). A lookup
   * scans the tags, a fraction of a cache line, and reads a slot only when the tag matches:
   * most byte strings looked up while merging are not tokens, and those never touch the slots.
   */
  private static final class Table {
    final long[] slots;
    final byte[] tags;
    final int shift;
    final int mask;

    Table(int entries) {
      this(new long[2 << bitsFor(entries)], new byte[1 << bitsFor(entries)]);
    }

    Table(long[] slots, byte[] tags) {
      int bits = Integer.numberOfTrailingZeros(tags.length);
      if (tags.length != 1 << bits || slots.length != 2 * tags.length || bits < 4 || bits > 30) {
        throw new IllegalArgumentException("bad table size " + slots.length + "/" + tags.length);
      }
      this.slots = slots;
      this.tags = tags;
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
        long v = t.slots[2 * at + 1];
        if (t.slots[2 * at] == key && (int) (v >>> 32) == n) {
          int r = (int) v - 1;
          if (b == null) return r;
          if (sameBytes(offsets[r], b, i, n)) return r;
        }
      }
      at = (at + 1) & t.mask;
    }
  }

  /** Adds the first len bytes of the token at pool offset off, with rank r; false if present. */
  private boolean put(Table t, int off, int len, int r) {
    boolean isShort = len <= 8;
    long key = isShort ? Bytes.readKey(pool, off, len) : hash(pool, off, len);
    long hash = isShort ? mix(key, len) : finish(key);
    if (find(t, key, hash, len, isShort ? null : pool, off) != ABSENT) return false;
    int at = t.first(hash);
    while (t.tags[at] != 0) at = (at + 1) & t.mask;
    t.tags[at] = t.tag(hash);
    t.slots[2 * at] = key;
    t.slots[2 * at + 1] = ((long) len << 32) | (r + 1L);
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
      int len = tokenLength(r);
      shortCount += Math.min(Math.max(len - 1, 0), 8);
      longCount += Math.max(len - 9, 0);
    }
    Table shortPrefixes = new Table(shortCount);
    Table longPrefixes = new Table(longCount);
    long[] extended = new long[(n >>> 6) + 1];
    for (int r = 0; r < n; r++) {
      int off = offsets[r];
      int len = tokenLength(r);
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
