package dev.fasttok;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Byte-pair merging of one piece, with exactly tiktoken's result.
 *
 * <p>tiktoken emits a piece that is itself a token as that token; otherwise it starts from single
 * bytes and repeatedly merges the adjacent pair whose concatenation has the lowest rank (the
 * leftmost on ties). Short pieces run that loop directly ({@link #mergeSmall}); its cost grows
 * with the square of the piece length, so long pieces take a search linear in the length
 * ({@link #mergeLong}).
 *
 * <p>Both rest on two facts of the merge loop, each following from merges never crossing a
 * boundary between final tokens: a run of consecutive tokens of an encoding is the encoding of
 * its own bytes; and two encodings placed side by side form the encoding of the joined bytes
 * exactly when the two tokens at the seam, merged from their bytes alone, stay apart
 * ({@link #isValidPair}).
 */
final class BytePairEncoder {
  /** Pieces up to this many bytes use the quadratic loop, which is faster when short. */
  static final int SMALL_PIECE = 48;
  /** Merged pieces of up to this many bytes are remembered per thread (words repeat in text). */
  static final int CACHED_PIECE = 24;
  private static final int CACHE_SLOTS = 4096;
  private static final int CACHE_IDS = 8;
  /** The merge cache packs two ranks of up to 20 bits and a result of 24 bits into a long. */
  private static final int PAIR_RANK_BITS = 20;
  private static final int PAIR_CACHE_BITS = 14;

  private static final int NONE = Integer.MAX_VALUE;

  final Vocabulary vocab;

  BytePairEncoder(Vocabulary vocab) {
    this.vocab = vocab;
  }

  /** Per-thread scratch space. */
  static final class Workspace {
    int[] pos = new int[64];
    int[] pairs = new int[64];
    int[] results = new int[64];
    int[] parts = new int[64];
    // mergeLong
    int[] stackRank = new int[64];
    int[] stackEnd = new int[64];
    long[] dead = new long[2];
    final int[] candLen;
    final int[] candRank;
    final byte[] pairBytes;
    // Memo of pair validity: key (left << 32 | right), value 1 valid, 2 not.
    final long[] pairKeys = new long[1 << 14];
    final byte[] pairValid = new byte[1 << 14];
    // Memo of merged pieces: per slot the piece's bytes (three words), its length and token
    // count (length | count << 8; 0 when empty), and up to CACHE_IDS ids.
    final long[] pieceWords = new long[3 * CACHE_SLOTS];
    final int[] pieceMeta = new int[CACHE_SLOTS];
    final int[] pieceIds = new int[CACHE_IDS * CACHE_SLOTS];
    // Memo of merged ranks: (left << 20 | right) << 24 | (rank + 1, or 0xFFFFFF for none); 0 empty.
    final long[] mergeCache = new long[1 << PAIR_CACHE_BITS];
    final IntList events = new IntList(64);

    Workspace(int maxTokenLength) {
      candLen = new int[maxTokenLength + 1];
      candRank = new int[maxTokenLength + 1];
      pairBytes = new byte[2 * maxTokenLength + 8];
    }

    void ensureSmall(int n) {
      if (pos.length <= n) {
        pos = new int[n + 1];
        pairs = new int[n + 1];
        results = new int[n + 1];
        parts = new int[n + 1];
      }
    }

    void ensureLong(int n) {
      if (stackRank.length <= n) {
        stackRank = new int[n + 1];
        stackEnd = new int[n + 1];
      }
      int words = (n >>> 6) + 1;
      if (dead.length < words) dead = new long[words];
      else Arrays.fill(dead, 0, words, 0L);
    }
  }

  /**
   * Encodes the piece b[s, e): appends its token ids to {@code out} (unless null) and returns how
   * many there are.
   */
  int encode(byte[] b, int s, int e, IntList out, Workspace w) {
    if (vocab.sparseIds == null || out == null) return encodeRanks(b, s, e, out, w);
    int from = out.size;
    int m = encodeRanks(b, s, e, out, w);
    vocab.ranksToIds(out.a, from, out.size);
    return m;
  }

  /** {@link #encode} giving ranks (the ids, but for a vocabulary with sparse ids). */
  private int encodeRanks(byte[] b, int s, int e, IntList out, Workspace w) {
    int n = e - s;
    int r = n == 1 ? vocab.byteRank[b[s] & 0xFF] : vocab.wholePieces ? vocab.rank(b, s, n) : -1;
    if (r >= 0) {
      if (out != null) out.add(r);
      return 1;
    }
    if (n <= CACHED_PIECE) return mergeCached(b, s, e, out, w);
    if (n <= SMALL_PIECE) {
      int m = mergeSmall(b, s, e, w);
      if (out != null) for (int i = 0; i < m; i++) out.add(w.parts[i]);
      return m;
    }
    return mergeLong(b, s, e, out, w);
  }

  /** {@link #mergeSmall}, remembering the result of the last piece seen with the same hash. */
  private int mergeCached(byte[] b, int s, int e, IntList out, Workspace w) {
    int n = e - s;
    long w0 = Bytes.readKey(b, s, Math.min(n, 8));
    long w1 = n > 8 ? Bytes.readKey(b, s + 8, Math.min(n - 8, 8)) : 0;
    long w2 = n > 16 ? Bytes.readKey(b, s + 16, n - 16) : 0;
    long h = (w0 * 0x9E3779B97F4A7C15L ^ w1) * 0xBF58476D1CE4E5B9L;
    h = (h ^ w2 ^ n) * 0x94D049BB133111EBL;
    int slot = (int) (h >>> 52); // CACHE_SLOTS = 2^12
    int meta = w.pieceMeta[slot];
    int k = 3 * slot;
    if ((meta & 0xFF) == n && w.pieceWords[k] == w0 && w.pieceWords[k + 1] == w1 && w.pieceWords[k + 2] == w2) {
      int count = meta >>> 8;
      if (out != null) for (int i = 0; i < count; i++) out.add(w.pieceIds[CACHE_IDS * slot + i]);
      return count;
    }
    int m = mergeSmall(b, s, e, w);
    if (m <= CACHE_IDS) {
      w.pieceWords[k] = w0;
      w.pieceWords[k + 1] = w1;
      w.pieceWords[k + 2] = w2;
      w.pieceMeta[slot] = n | (m << 8);
      System.arraycopy(w.parts, 0, w.pieceIds, CACHE_IDS * slot, m);
    }
    if (out != null) for (int i = 0; i < m; i++) out.add(w.parts[i]);
    return m;
  }

  /**
   * tiktoken's merge loop on b[s, e), from single bytes; leaves the ranks of the resulting tokens
   * in {@code w.parts} and returns their number.
   */
  int mergeSmall(byte[] b, int s, int e, Workspace w) {
    return merge(b, s, e, w, null);
  }

  /**
   * The merge loop; if {@code events} is not null, appends two entries per merge, in order:
   * the merge's priority {@code << 2} ({@code | 2} if it made the first part, {@code | 1} if it
   * made the last part), then the token it made.
   */
  private int merge(byte[] b, int s, int e, Workspace w, IntList events) {
    int n = e - s;
    w.ensureSmall(n);
    // Part i starts at byte s + i and ends where part next[i] starts (n: the end); a merged-away
    // part drops out of the chain, so nothing is shifted.
    int[] next = w.pos;
    int[] pairs = w.pairs; // pairs[i]: priority of merging part i with the part after it, or NONE
    int[] results = w.results; // results[i]: the token that merge makes
    int[] parts = w.parts; // parts[i]: the token of part i
    for (int i = 0; i < n; i++) {
      next[i] = i + 1;
      parts[i] = vocab.byteRank[b[s + i] & 0xFF];
    }
    for (int i = 0; i + 1 < n; i++) {
      int k = ((b[s + i] & 0xFF) << 8) | (b[s + i + 1] & 0xFF);
      int r = vocab.pairRank[k];
      pairs[i] = r >= 0 ? r : NONE;
      results[i] = vocab.pairResult[k];
    }
    pairs[n - 1] = NONE;
    int m = n;
    while (m > 1) {
      int best = NONE;
      int at = -1;
      int before = -1; // the part before the best one
      for (int i = 0, prev = -1; i < n; prev = i, i = next[i]) {
        if (pairs[i] < best) {
          best = pairs[i];
          at = i;
          before = prev;
        }
      }
      if (at < 0) break;
      int gone = next[at];
      int after = next[gone];
      int made = results[at];
      parts[at] = made;
      next[at] = after;
      m--;
      if (events != null) {
        events.add(best << 2 | (at == 0 ? 2 : 0) | (after == n ? 1 : 0));
        events.add(made);
      }
      if (after < n) {
        long merge = pairMerge(made, parts[after], b, s + at, s + next[after], w);
        pairs[at] = (int) (merge >>> 32);
        results[at] = (int) merge;
      } else {
        pairs[at] = NONE;
      }
      if (before >= 0) {
        long merge = pairMerge(parts[before], made, b, s + before, s + after, w);
        pairs[before] = (int) (merge >>> 32);
        results[before] = (int) merge;
      }
    }
    int k = 0;
    for (int i = 0; i < n; i = next[i]) parts[k++] = parts[i];
    return m;
  }

  private static final long NO_MERGE = (long) NONE << 32;

  /**
   * Merging adjacent tokens left and right, whose bytes are b[from, to): (priority << 32 | the
   * token made), or NO_MERGE.
   */
  private long pairMerge(int left, int right, byte[] b, int from, int to, Workspace w) {
    if (vocab.rules == null) {
      int r = mergedRank(left, right, b, from, to, w);
      return (long) r << 32 | r;
    }
    long rule = vocab.rules.find(left, right);
    return rule < 0 ? NO_MERGE : rule;
  }

  /**
   * Rank of the concatenation of adjacent tokens left and right, b[from, to), or NONE. A per-thread
   * cache keyed by the two ranks answers most of these from memory near the core; the vocabulary's
   * table is megabytes and each probe of it tends to miss the cache.
   */
  private int mergedRank(int left, int right, byte[] b, int from, int to, Workspace w) {
    long key = mergeKey(left, right);
    if (key < 0) return rankOrNone(b, from, to);
    int slot = mergeSlot(key);
    int cached = cachedMerge(key, slot, w);
    if (cached != MISS) return cached;
    return remember(key, slot, rankOrNone(b, from, to), w);
  }

  private static final int MISS = -2;

  /** The merge cache key of two ranks, or -1 if they are too large to pack. */
  private static long mergeKey(int left, int right) {
    return (left | right) >= (1 << PAIR_RANK_BITS) ? -1 : ((long) left << PAIR_RANK_BITS) | right;
  }

  private static int mergeSlot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> (64 - PAIR_CACHE_BITS));
  }

  private static int cachedMerge(long key, int slot, Workspace w) {
    long entry = w.mergeCache[slot];
    if (entry == 0 || (entry >>> 24) != key) return MISS;
    int v = (int) entry & 0xFFFFFF;
    return v == 0xFFFFFF ? NONE : v - 1;
  }

  private static int remember(long key, int slot, int rank, Workspace w) {
    w.mergeCache[slot] = (key << 24) | (rank == NONE ? 0xFFFFFF : rank + 1);
    return rank;
  }

  private int rankOrNone(byte[] b, int from, int to) {
    int r = vocab.rank(b, from, to - from);
    return r >= 0 ? r : NONE;
  }

  /**
   * The same tokens as {@link #mergeSmall}'s loop, in time linear in the length. By the two
   * facts in the class comment, if t1..tk is the encoding of a prefix and the pair (tk, t) is
   * valid, then t1..tk t is the encoding of the longer prefix; and every prefix that ends on a
   * boundary of the piece's encoding is encoded by the tokens before that boundary. So a
   * depth-first search that extends the encoding of a prefix by one token whose pair with the
   * last token is valid, longest token first, finds the encoding (it is unique); a position from
   * which no extension succeeds is remembered as dead, so each position fails at most once.
   */
  int mergeLong(byte[] b, int s, int e, IntList out, Workspace w) {
    int n = e - s;
    w.ensureLong(n);
    int[] stackRank = w.stackRank;
    int[] stackEnd = w.stackEnd;
    long[] dead = w.dead;
    int k = 0;
    int pos = 0;
    int shorterThan = Integer.MAX_VALUE;
    while (pos < n) {
      int found = candidates(b, s + pos, Math.min(n - pos, vocab.maxTokenLength), w);
      boolean pushed = false;
      for (int c = found - 1; c >= 0; c--) {
        int len = w.candLen[c];
        if (len >= shorterThan) continue;
        int end = pos + len;
        if (end < n && (dead[end >>> 6] & (1L << end)) != 0) continue;
        int t = w.candRank[c];
        if (len > 8 && !vocab.equalsToken(t, b, s + pos)) {
          // Found by hash alone (see candidates); look it up properly.
          t = vocab.longRank(b, s + pos, len, Vocabulary.hash(b, s + pos, len));
          if (t < 0) continue;
        }
        if (k == 0 ? isValidPair(-1, t, w) : isValidPair(stackRank[k - 1], t, w)) {
          stackRank[k] = t;
          stackEnd[k] = end;
          k++;
          pos = end;
          pushed = true;
          break;
        }
      }
      shorterThan = Integer.MAX_VALUE;
      if (!pushed) {
        if (k == 0) throw new IllegalStateException("no encoding found for a piece of " + n + " bytes");
        dead[pos >>> 6] |= 1L << pos;
        k--;
        int start = k > 0 ? stackEnd[k - 1] : 0;
        shorterThan = stackEnd[k] - start;
        pos = start;
      }
    }
    if (out != null) for (int i = 0; i < k; i++) out.add(stackRank[i]);
    return k;
  }

  /**
   * Fills w.candLen/candRank with the tokens that b[i, i + max) starts with, shortest first;
   * returns how many. Byte strings of more than eight bytes are matched by an incremental hash
   * alone, so a walk over a long token costs time linear in its length; the caller confirms a
   * candidate's bytes before using it.
   */
  private int candidates(byte[] b, int i, int max, Workspace w) {
    int found = 0;
    int shortMax = Math.min(max, 8);
    long word = Bytes.readKey(b, i, shortMax);
    for (int len = 1; len <= shortMax; len++) {
      long key = word & Bytes.mask(len);
      int r = vocab.shortRank(key, len);
      if (r >= 0) {
        w.candLen[found] = len;
        w.candRank[found++] = r;
        if (!vocab.isProperPrefix(r)) return found;
      } else if (!vocab.isShortPrefix(key, len)) {
        return found;
      }
    }
    if (max <= 8) return found;
    long h = Vocabulary.hash(b, i, 8);
    for (int len = 9; len <= max; len++) {
      h = Vocabulary.extend(h, b[i + len - 1]);
      int r = vocab.longRankByHash(h, len);
      if (r >= 0) {
        w.candLen[found] = len;
        w.candRank[found++] = r;
        if (!vocab.isProperPrefix(r)) return found;
      } else if (!vocab.isLongPrefixByHash(h, len)) {
        return found;
      }
    }
    return found;
  }

  /**
   * Whether merging the bytes of {@code left} then {@code right} yields exactly those two tokens
   * (with left == -1: whether the bytes of right merge into right itself). Memoized per thread.
   */
  boolean isValidPair(int left, int right, Workspace w) {
    long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
    int slot = (int) (((key * 0x9E3779B97F4A7C15L) >>> 32) & (w.pairKeys.length - 1));
    byte known = w.pairValid[slot];
    if (known != 0 && w.pairKeys[slot] == key) return known == 1;
    boolean valid = left < 0 ? profile(right, w) != UNREACHABLE : staysApart(left, right, w);
    w.pairKeys[slot] = key;
    w.pairValid[slot] = (byte) (valid ? 1 : 2);
    return valid;
  }

  /**
   * Whether the merge loop on the bytes of left then right ends in exactly those two tokens,
   * decided without running it. Until a merge crosses the boundary, each side merges exactly as
   * its own bytes alone do (its profile), and the loop takes, at each step, the lowest of: the
   * left side's next merge, the right side's next merge and the pair across the boundary (the
   * left side's last part with the right side's first part), ties going to the leftmost. The
   * pair is valid if that crossing pair is never the one taken, up to and including when both
   * sides are single tokens.
   */
  private boolean staysApart(int left, int right, Workspace w) {
    int[] l = profile(left, w);
    int[] r = profile(right, w);
    if (l == UNREACHABLE || r == UNREACHABLE) return false;
    int x = vocab.byteRank[vocab.pool[vocab.offsets[left + 1] - 1] & 0xFF]; // left side's last part
    int y = vocab.byteRank[vocab.pool[vocab.offsets[right]] & 0xFF]; // right side's first part
    int crossing = crossingPriority(x, y, w);
    for (int i = 0, j = 0; ; ) {
      int nextLeft = i < l.length ? l[i] >>> 2 : NONE;
      int nextRight = j < r.length ? r[j] >>> 2 : NONE;
      if (crossing < nextLeft && crossing <= nextRight) return false; // NONE never wins
      if (nextLeft == NONE && nextRight == NONE) return true;
      if (nextLeft <= nextRight) {
        if ((l[i] & 1) != 0) crossing = crossingPriority(x = l[i + 1], y, w);
        i += 2;
      } else {
        if ((r[j] & 2) != 0) crossing = crossingPriority(x, y = r[j + 1], w);
        j += 2;
      }
    }
  }

  /** Rank of the bytes of token x followed by those of token y, or NONE (tiktoken ranks). */
  private int concatRank(int x, int y, Workspace w) {
    long key = mergeKey(x, y);
    int slot = key < 0 ? 0 : mergeSlot(key);
    if (key >= 0) {
      int cached = cachedMerge(key, slot, w);
      if (cached != MISS) return cached;
    }
    byte[] buf = w.pairBytes;
    int xn = vocab.lengthOfRank(x);
    int yn = vocab.lengthOfRank(y);
    System.arraycopy(vocab.pool, vocab.offsets[x], buf, 0, xn);
    System.arraycopy(vocab.pool, vocab.offsets[y], buf, xn, yn);
    int r = rankOrNone(buf, 0, xn + yn);
    return key < 0 ? r : remember(key, slot, r, w);
  }

  /** Priority of merging token x with token y after it, or NONE. */
  private int crossingPriority(int x, int y, Workspace w) {
    if (vocab.rules == null) return concatRank(x, y, w);
    long rule = vocab.rules.find(x, y);
    return rule < 0 ? NONE : (int) (rule >>> 32);
  }

  /** Marks a token that its own bytes do not merge into (tiktoken emits it only as a whole piece). */
  private static final int[] UNREACHABLE = new int[0];

  /** Per token, the merges its own bytes go through ({@link #merge} events), filled on demand. */
  private volatile AtomicReferenceArray<int[]> profiles;

  private int[] profile(int t, Workspace w) {
    AtomicReferenceArray<int[]> all = profiles;
    if (all == null) {
      synchronized (this) {
        if ((all = profiles) == null) profiles = all = new AtomicReferenceArray<>(vocab.size());
      }
    }
    int[] p = all.get(t);
    if (p == null) {
      int off = vocab.offsets[t];
      int n = vocab.lengthOfRank(t);
      w.events.clear();
      int m = merge(vocab.pool, off, off + n, w, w.events);
      p = m == 1 && w.parts[0] == t ? (n == 1 ? NO_MERGES : w.events.toArray()) : UNREACHABLE;
      all.set(t, p); // racing threads compute the same array
    }
    return p;
  }

  private static final int[] NO_MERGES = new int[0];
}
