package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPE model of a tokenizer.json over characters (SentencePiece-style files such as Llama 2's
 * and Gemma's, and any BPE without a byte-level alphabet), with exactly Hugging Face tokenizers'
 * result.
 *
 * <p>tokenizers starts a piece from its characters (code points), each looked up in the
 * vocabulary, with {@code continuing_subword_prefix} before every character but the first and
 * {@code end_of_word_suffix} after the last. A character that is not in the vocabulary becomes
 * its UTF-8 bytes as {@code <0xXX>} tokens when {@code byte_fallback} is set and every one of
 * those tokens exists; otherwise it becomes the unknown token (one for a run of them when
 * {@code fuse_unk} is set), or nothing without an unknown token. The symbols are then merged:
 * the pending merge of lowest rank first, the leftmost among equal ranks.
 *
 * <p>Without a pre-tokenizer (Llama 2) a whole document is one piece, so merging keeps the
 * candidate merges in a heap over a linked list of symbols: O(n log n) in the piece length, with
 * entries that went stale skipped when they come up, exactly as tokenizers' {@code Word} does.
 * Its staleness test compares only the token the merge would make, not the pair; keeping the same
 * test keeps the same result in the rare vocabularies where two pairs make one token. Before
 * that, a piece is cut where no merge can ever join the characters on either side (see
 * {@link #crossKeys}): for SentencePiece vocabularies that leaves words, which repeat and are
 * remembered per thread.
 *
 * <p>An unknown character with an {@code unk_token} that is not in the vocabulary fails the
 * encoding (IllegalArgumentException), as it fails in tokenizers, rather than the loading.
 *
 * <p>Text is UTF-16; a lone surrogate is taken as U+FFFD, which is what tokenizers sees after
 * the lossy conversion to UTF-8 that the rest of fasttok applies. A token that ends inside a
 * character (a fallback byte other than the character's last) is reported as ending where the
 * character starts, as cuts elsewhere in fasttok move back to a character's start. Ends never go
 * back; the last one is the piece's end unless characters were dropped (no unknown token).
 */
final class CharBpe implements PieceModel {
  private static final int REPLACEMENT = 0xFFFD;

  private final Map<String, Integer> vocab;
  /** Whether characters are looked up alone (no prefix or suffix), through the tables below. */
  private final boolean plain;
  /** Id of each BMP character as a token of its own, or -1. */
  private final int[] bmpIds;
  /** Ids of supplementary characters that are tokens of their own. */
  private final Map<Integer, Integer> supplementaryIds;
  /** Id of each {@code <0xXX>} token, or -1. */
  private final int[] byteIds;
  private final boolean byteFallback;
  private final String unkToken;
  /** The unknown token's id; -1 if there is none or it is not in the vocabulary. */
  private final int unkId;
  private final boolean fuseUnk;
  private final String prefix;
  private final String suffix;
  private final boolean ignoreMerges;

  // The merges: an open-addressing table from a pair of ids (left << 32 | right) to its rank.
  private final long[] pairKeys;
  private final int[] pairRanks;
  private final int pairMask;
  /** The token each merge makes, by rank. */
  private final int[] mergeResult;
  /**
   * For a model without prefix or suffix: the pairs of adjacent characters (a << 21 | b) found in
   * some merge's result, in an open-addressing set. A merge makes the concatenation of its two
   * tokens, so between two characters that no result holds side by side no merge can ever
   * happen: the piece falls apart there into segments that merge independently, with exactly
   * the same result (each segment sees its merges in the same order, and a queued merge's
   * staleness depends only on its own pair). With SentencePiece vocabularies the segments are
   * words, small and repeated, so they are merged with a small heap and remembered.
   */
  private final long[] crossKeys;
  private final int crossMask;

  private final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);

  private CharBpe(Map<String, Integer> vocab, List<String[]> merges, String unkToken, boolean fuseUnk,
      boolean byteFallback, String prefix, String suffix, boolean ignoreMerges) {
    this.vocab = vocab;
    this.unkToken = unkToken;
    Integer unk = unkToken == null ? null : vocab.get(unkToken);
    this.unkId = unk == null ? -1 : unk;
    this.fuseUnk = fuseUnk;
    this.byteFallback = byteFallback;
    this.prefix = prefix;
    this.suffix = suffix;
    this.ignoreMerges = ignoreMerges;
    this.plain = prefix == null && suffix == null;
    this.bmpIds = new int[0x10000];
    Arrays.fill(bmpIds, -1);
    this.supplementaryIds = new HashMap<>();
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      String t = e.getKey();
      if (t.length() == 1 && !Character.isSurrogate(t.charAt(0))) bmpIds[t.charAt(0)] = e.getValue();
      else if (t.length() == 2 && Character.isSurrogatePair(t.charAt(0), t.charAt(1))) {
        supplementaryIds.put(t.codePointAt(0), e.getValue());
      }
    }
    this.byteIds = new int[256];
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.get(String.format("<0x%02X>", b));
      byteIds[b] = id == null ? -1 : id;
    }

    int cap = Integer.highestOneBit(Math.max(4, merges.size() * 2 - 1)) << 1;
    pairKeys = new long[cap];
    Arrays.fill(pairKeys, -1L);
    pairRanks = new int[cap];
    pairMask = cap - 1;
    mergeResult = new int[merges.size()];
    int prefixBytes = prefix == null ? 0 : utf8(prefix).length;
    for (int rank = 0; rank < merges.size(); rank++) {
      String[] m = merges.get(rank);
      int a = require(vocab, m[0], rank);
      int b = require(vocab, m[1], rank);
      mergeResult[rank] = require(vocab, joined(m[0], m[1], prefixBytes, rank), rank);
      // A pair listed twice keeps its last rank, as tokenizers' map of merges does.
      putPair(((long) a << 32) | b, rank);
    }
    if (plain) {
      // Grown as needed: Gemma's half a million merges hold fewer distinct pairs than that.
      long[] keys = new long[1 << 12];
      Arrays.fill(keys, -1L);
      int count = 0;
      for (String[] m : merges) {
        String t = m[0] + m[1];
        for (int i = 0, prev = -1; i < t.length(); ) {
          int cp = t.codePointAt(i);
          if (prev >= 0 && insert(keys, ((long) prev << 21) | cp) && ++count * 2 > keys.length) {
            keys = rehash(keys);
          }
          prev = cp;
          i += Character.charCount(cp);
        }
      }
      crossKeys = keys;
      crossMask = keys.length - 1;
    } else {
      crossKeys = null;
      crossMask = 0;
    }
  }

  /** Adds a key to an open-addressing set of non-negative longs; returns whether it was new. */
  private static boolean insert(long[] keys, long key) {
    int mask = keys.length - 1;
    int k = hash(key) & mask;
    while (keys[k] != -1L) {
      if (keys[k] == key) return false;
      k = (k + 1) & mask;
    }
    keys[k] = key;
    return true;
  }

  private static long[] rehash(long[] keys) {
    long[] bigger = new long[keys.length * 2];
    Arrays.fill(bigger, -1L);
    for (long k : keys) if (k != -1L) insert(bigger, k);
    return bigger;
  }

  /** Whether some merge's result holds character a followed by character b. */
  private boolean crossable(int a, int b) {
    long key = ((long) a << 21) | b;
    long[] keys = crossKeys;
    int i = hash(key) & crossMask;
    for (long k; (k = keys[i]) != -1L; i = (i + 1) & crossMask) {
      if (k == key) return true;
    }
    return false;
  }

  /**
   * The model of a tokenizer.json {@code "type": "BPE"} without a byte-level alphabet.
   *
   * @param vocab {@code model.vocab}: token to id
   * @param merges {@code model.merges} as pairs (see {@link #legacyMerges} for the older
   *     {@code "a b"} strings), highest priority first
   * @param unkToken {@code model.unk_token}, or null
   * @param fuseUnk {@code model.fuse_unk}
   * @param byteFallback {@code model.byte_fallback}
   * @param continuingSubwordPrefix {@code model.continuing_subword_prefix}, or null
   * @param endOfWordSuffix {@code model.end_of_word_suffix}, or null
   * @param ignoreMerges {@code model.ignore_merges}
   * @param dropout {@code model.dropout}: only null or 0, since any other value makes encoding
   *     random
   * @throws IllegalArgumentException for a dropout other than null or 0, a merge naming a token
   *     that is not in the vocabulary or making one that is not, or an id out of range
   */
  static CharBpe of(Map<String, Integer> vocab, List<String[]> merges, String unkToken, boolean fuseUnk,
      boolean byteFallback, String continuingSubwordPrefix, String endOfWordSuffix, boolean ignoreMerges,
      Double dropout) {
    if (dropout != null && dropout != 0.0) {
      throw new IllegalArgumentException("BPE dropout " + dropout + " is not supported: it makes encoding random");
    }
    Map<String, Integer> v = new HashMap<>(vocab.size() * 2);
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("vocabulary id out of range for " + quote(e.getKey()) + ": " + e.getValue());
      }
      v.put(e.getKey(), e.getValue());
    }
    return new CharBpe(v, merges, unkToken, fuseUnk, byteFallback, continuingSubwordPrefix, endOfWordSuffix,
        ignoreMerges);
  }

  /**
   * Merges in the older tokenizer.json form, one {@code "left right"} string each, as pairs:
   * lines starting with {@code #version} are left out, and every other line must be two parts
   * around exactly one space, as tokenizers requires.
   */
  static List<String[]> legacyMerges(List<String> lines) {
    List<String[]> out = new java.util.ArrayList<>(lines.size());
    for (String line : lines) {
      if (line.startsWith("#version")) continue;
      int sp = line.indexOf(' ');
      if (sp < 0 || line.indexOf(' ', sp + 1) >= 0) {
        throw new IllegalArgumentException("merge " + (out.size() + 1) + " is not two tokens around one space: "
            + quote(line));
      }
      out.add(new String[] {line.substring(0, sp), line.substring(sp + 1)});
    }
    return out;
  }

  private static int require(Map<String, Integer> vocab, String token, int rank) {
    Integer id = vocab.get(token);
    if (id == null) {
      throw new IllegalArgumentException("merge " + rank + ": token not in the vocabulary: " + quote(token));
    }
    return id;
  }

  /**
   * The token a merge makes: the left token, then the right one without its first
   * {@code prefixBytes} bytes; tokenizers drops the prefix's length whether or not the right
   * token starts with it.
   */
  private static String joined(String a, String b, int prefixBytes, int rank) {
    if (prefixBytes == 0) return a + b;
    byte[] bb = utf8(b);
    if (bb.length < prefixBytes || (prefixBytes < bb.length && (bb[prefixBytes] & 0xC0) == 0x80)) {
      throw new IllegalArgumentException("merge " + rank + ": " + quote(b)
          + " cannot lose the continuing subword prefix's length");
    }
    return a + new String(bb, prefixBytes, bb.length - prefixBytes, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }

  private void putPair(long key, int rank) {
    int i = hash(key) & pairMask;
    while (pairKeys[i] != -1L && pairKeys[i] != key) i = (i + 1) & pairMask;
    pairKeys[i] = key;
    pairRanks[i] = rank;
  }

  /** The rank of merging tokens a and b, or -1. */
  private int rank(int a, int b) {
    long key = ((long) a << 32) | b;
    int i = hash(key) & pairMask;
    for (long k; (k = pairKeys[i]) != -1L; i = (i + 1) & pairMask) {
      if (k == key) return pairRanks[i];
    }
    return -1;
  }

  /** Per-thread symbols and heap. */
  private static final class Work {
    int[] id = new int[64];
    int[] end = new int[64];
    /** The code point of a symbol that is a character of its own (else -1), and where it starts. */
    int[] cp = new int[64];
    int[] begin = new int[64];
    int[] prev = new int[64];
    int[] next = new int[64];
    boolean[] dead = new boolean[64];
    long[] heap = new long[64];
    int symbols;
    int heapSize;
    final int[] utf8 = new int[4];
    /** The last end emitted and the tokens emitted, for the piece being encoded. */
    int lastEnd;
    int count;
    /** Tokens of segments seen before: ids, then ends relative to the segment's start. */
    final PieceCache cache = new PieceCache();
    int[] entry = new int[64];

    /** Drops the arrays grown for a long piece, keeping the cache. */
    void shrink() {
      id = new int[64];
      end = new int[64];
      cp = new int[64];
      begin = new int[64];
      prev = new int[64];
      next = new int[64];
      dead = new boolean[64];
      heap = new long[64];
    }

    /** Room for n symbols; a character can make several (its fallback bytes), so add grows too. */
    void ensure(int n) {
      if (id.length < n) {
        int c = Math.max(n, id.length * 2);
        id = Arrays.copyOf(id, c);
        end = Arrays.copyOf(end, c);
        cp = Arrays.copyOf(cp, c);
        begin = Arrays.copyOf(begin, c);
        prev = Arrays.copyOf(prev, c);
        next = Arrays.copyOf(next, c);
        dead = Arrays.copyOf(dead, c);
      }
    }

    void add(int token, int tokenEnd) {
      add(token, tokenEnd, -1, -1);
    }

    void add(int token, int tokenEnd, int codePoint, int start) {
      if (symbols == id.length) ensure(symbols + 1);
      int i = symbols++;
      id[i] = token;
      end[i] = tokenEnd;
      cp[i] = codePoint;
      begin[i] = start;
      prev[i] = i - 1;
      next[i] = -1;
      dead[i] = false;
      if (i > 0) next[i - 1] = i;
    }

    void push(long key) {
      if (heapSize == heap.length) heap = Arrays.copyOf(heap, heap.length * 2);
      int i = heapSize++;
      while (i > 0) {
        int parent = (i - 1) >>> 2;
        if (heap[parent] <= key) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = key;
    }

    long pop() {
      long top = heap[0];
      long last = heap[--heapSize];
      if (heapSize > 0) siftDown(0, last);
      return top;
    }

    /**
     * The heap has four children per node (as tokenizers' own queue): half the depth of a binary
     * heap, and the children share a cache line, which matters for a megabyte piece's heap.
     */
    void siftDown(int i, long key) {
      int n = heapSize;
      for (int first; (first = 4 * i + 1) < n; ) {
        int child = first;
        long min = heap[first];
        int last = Math.min(first + 4, n);
        for (int c = first + 1; c < last; c++) {
          if (heap[c] < min) {
            min = heap[c];
            child = c;
          }
        }
        if (min >= key) break;
        heap[i] = min;
        i = child;
      }
      heap[i] = key;
    }

    /** Makes heap[0, heapSize) a heap (Floyd's method: linear, unlike pushing one by one). */
    void heapify() {
      for (int i = (heapSize - 2) >>> 2; i >= 0 && heapSize > 1; i--) siftDown(i, heap[i]);
    }
  }

  @Override
  public int encode(CharSequence text, int from, int to, IntList ids, IntList ends) {
    if (from >= to) return 0;
    if (ignoreMerges) {
      Integer whole = vocab.get(wellFormed(text, from, to));
      if (whole != null) {
        ids.add(whole);
        if (ends != null) ends.add(to);
        return 1;
      }
    }
    Work w = work.get();
    try {
      w.ensure(to - from + 1);
      w.symbols = 0;
      initialSymbols(text, from, to, w);
      w.lastEnd = from;
      w.count = 0;
      int n = w.symbols;
      if (crossKeys == null) {
        emit(w, 0, n, ids, ends);
      } else {
        int start = 0;
        for (int i = 1; i < n; i++) {
          int a = w.cp[i - 1];
          int b = w.cp[i];
          if (a >= 0 && b >= 0 && !crossable(a, b)) {
            segment(text, w, start, i, ids, ends);
            start = i;
          }
        }
        if (n > 0) segment(text, w, start, n, ids, ends);
      }
      return w.count;
    } finally {
      // Scratch space for a multi-megabyte piece is not kept per thread.
      if (w.id.length > (1 << 16)) w.shrink();
    }
  }

  /** Segments of up to this many UTF-16 units, all characters of their own, are remembered. */
  private static final int CACHED_SEGMENT = 48;

  /**
   * Merges and emits the symbols [a, b), a segment no merge crosses; a segment made only of
   * characters is remembered by its text (its tokens depend on nothing else).
   */
  private void segment(CharSequence text, Work w, int a, int b, IntList ids, IntList ends) {
    if (b - a == 1) {
      add(w, w.id[a], w.end[a], ids, ends);
      return;
    }
    int textStart = w.begin[a];
    int textEnd = w.end[b - 1];
    char[] chars = text instanceof NormalizedText ? ((NormalizedText) text).chars : null;
    boolean cacheable = chars != null && textEnd - textStart <= CACHED_SEGMENT;
    for (int i = a; cacheable && i < b; i++) cacheable = w.cp[i] >= 0;
    int hash = 0;
    if (cacheable) {
      hash = PieceCache.hash(chars, textStart, textEnd);
      int slot = w.cache.find(chars, textStart, textEnd, hash);
      if (slot >= 0) {
        int at = w.cache.start(slot);
        int m = w.cache.length(slot) >>> 1;
        int[] v = w.cache.values;
        for (int k = 0; k < m; k++) add(w, v[at + k], textStart + v[at + m + k], ids, ends);
        return;
      }
    }
    w.prev[a] = -1;
    w.next[b - 1] = -1;
    int before = w.count;
    emit(w, a, b, ids, ends);
    if (cacheable) {
      int m = w.count - before;
      if (w.entry.length < 2 * m) w.entry = new int[2 * m];
      int[] entry = w.entry;
      int k = 0;
      // Read back what emit appended: the ids, and the ends relative to the segment's start.
      for (int i = a; i >= 0; i = w.next[i], k++) {
        entry[k] = w.id[i];
        entry[m + k] = w.end[i] - textStart;
      }
      w.cache.put(chars, textStart, textEnd, hash, entry, 0, 2 * m);
    }
  }

  /** Merges the linked symbols [a, b) and appends the resulting tokens. */
  private void emit(Work w, int a, int b, IntList ids, IntList ends) {
    if (a >= b) return; // every character was dropped (no unknown token)
    merge(w, a, b);
    for (int i = a; i >= 0; i = w.next[i]) add(w, w.id[i], w.end[i], ids, ends);
  }

  private static void add(Work w, int id, int end, IntList ids, IntList ends) {
    ids.add(id);
    // An unknown token that tokenizers places after fallback bytes covers text before them;
    // ends are kept from going back, so cuts at token ends stay in order.
    if (end > w.lastEnd) w.lastEnd = end;
    if (ends != null) ends.add(w.lastEnd);
    w.count++;
  }

  /** The symbols of the piece before any merge (tokenizers' {@code merge_word} up to merging). */
  private void initialSymbols(CharSequence text, int from, int to, Work w) {
    boolean unkPending = false;
    int unkEnd = 0;
    for (int i = from; i < to; ) {
      int cp = text.charAt(i);
      int n = 1;
      if (Character.isHighSurrogate((char) cp) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
        cp = Character.toCodePoint((char) cp, text.charAt(i + 1));
        n = 2;
      } else if (Character.isSurrogate((char) cp)) {
        cp = REPLACEMENT;
      }
      boolean first = i == from;
      boolean last = i + n == to;
      int charEnd = i + n;
      String s = plain ? null : symbolText(cp, first, last);
      int id = plain ? plainId(cp) : idOf(s);
      if (id >= 0) {
        if (unkPending) {
          w.add(unkId, unkEnd);
          unkPending = false;
        }
        w.add(id, charEnd, cp, i);
      } else if (byteFallback && addBytes(cp, s, i, charEnd, w)) {
        // tokenizers leaves a pending unknown token pending here, so it lands after these bytes.
      } else if (unkToken != null) {
        if (unkId < 0) {
          throw new IllegalArgumentException("the unknown token " + quote(unkToken) + " is not in the vocabulary");
        }
        if (unkPending && !fuseUnk) w.add(unkId, unkEnd);
        unkPending = true;
        unkEnd = charEnd;
      }
      // Without an unknown token the character is dropped, as in tokenizers.
      i += n;
    }
    if (unkPending) w.add(unkId, unkEnd);
  }

  private int plainId(int cp) {
    if (cp < 0x10000) return bmpIds[cp];
    Integer id = supplementaryIds.get(cp);
    return id == null ? -1 : id;
  }

  private int idOf(String s) {
    Integer id = vocab.get(s);
    return id == null ? -1 : id;
  }

  /** The text a character is looked up as, with the prefix and suffix where they apply. */
  private String symbolText(int cp, boolean first, boolean last) {
    StringBuilder sb = new StringBuilder(8);
    if (!first && prefix != null) sb.append(prefix);
    sb.appendCodePoint(cp);
    if (last && suffix != null) sb.append(suffix);
    return sb.toString();
  }

  /**
   * Adds the {@code <0xXX>} tokens of the character's lookup text (the character alone, or
   * {@code s} with its prefix and suffix) if all of them exist; otherwise adds nothing and
   * returns false.
   */
  private boolean addBytes(int cp, String s, int start, int charEnd, Work w) {
    if (s == null) {
      // The character alone: its UTF-8 bytes without building a string (random text is mostly this).
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      int[] bytes = w.utf8;
      if (n == 1) bytes[0] = cp;
      else {
        for (int k = n - 1; k > 0; k--, cp >>>= 6) bytes[k] = 0x80 | (cp & 0x3F);
        bytes[0] = (0xF00 >>> n) & 0xFF | cp;
      }
      for (int k = 0; k < n; k++) if (byteIds[bytes[k]] < 0) return false;
      for (int k = 0; k < n; k++) w.add(byteIds[bytes[k]], k == n - 1 ? charEnd : start);
      return true;
    }
    byte[] b = utf8(s);
    for (byte x : b) if (byteIds[x & 0xFF] < 0) return false;
    for (int k = 0; k < b.length; k++) w.add(byteIds[b[k] & 0xFF], k == b.length - 1 ? charEnd : start);
    return true;
  }


  /**
   * tokenizers' {@code Word::merge_all} without dropout, on the symbols [a, b), linked as a list
   * that ends at b.
   */
  private void merge(Work w, int a, int b) {
    int[] id = w.id;
    int[] next = w.next;
    int[] prev = w.prev;
    boolean[] dead = w.dead;
    w.heapSize = 0;
    if (w.heap.length < b - a) w.heap = new long[b - a];
    for (int p = a; p + 1 < b; p++) {
      int r = rank(id[p], id[p + 1]);
      if (r >= 0) w.heap[w.heapSize++] = key(r, p);
    }
    w.heapify();
    while (w.heapSize > 0) {
      long top = w.pop();
      int r = (int) (top >>> 32);
      int p = (int) top;
      if (dead[p]) continue;
      int q = next[p];
      if (q < 0) continue;
      int made = mergeResult[r];
      // A stale entry: the pair at p changed since it was queued and no longer makes this token.
      int now = rank(id[p], id[q]);
      if (now < 0 || mergeResult[now] != made) continue;
      id[p] = made;
      w.end[p] = w.end[q];
      int after = next[q];
      next[p] = after;
      dead[q] = true;
      if (after >= 0) prev[after] = p;
      int before = prev[p];
      if (before >= 0) {
        int rb = rank(id[before], made);
        if (rb >= 0) w.push(key(rb, before));
      }
      if (after >= 0) {
        int ra = rank(made, id[after]);
        if (ra >= 0) w.push(key(ra, p));
      }
    }
  }

  /** Heap order: lowest rank first, then leftmost. */
  private static long key(int rank, int pos) {
    return ((long) rank << 32) | pos;
  }

  /** text[from, to) as a String, with each lone surrogate as U+FFFD. */
  private static String wellFormed(CharSequence text, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
        sb.append(c).append(text.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? (char) REPLACEMENT : c);
      }
    }
    return sb.toString();
  }
}
