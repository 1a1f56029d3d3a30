package dev.fasttok;

import java.util.List;

/**
 * The Unigram model of a tokenizer.json (T5, XLM-R, bge-m3, multilingual-e5): the segmentation of
 * a piece into vocabulary entries whose scores add up to the most, as Hugging Face tokenizers
 * computes it (its "optimized" Viterbi, the one every loaded model uses).
 *
 * <p>What decides the ids, each as tokenizers does it:
 *
 * <ul>
 *   <li>Positions are visited left to right, at each one the entries that start there from the
 *       shortest to the longest; a path replaces the best one found so far for its end only if
 *       its score is strictly greater. So among equal scores the path whose last token starts
 *       earliest wins, and for the same start the shorter-token path found first.
 *   <li>A character with no one-character entry also gets an unknown node of score {@code
 *       min(scores) - 10} (whether or not longer entries start there). Without {@code unk_id},
 *       needing one is an error, even with byte fallback.
 *   <li>Adjacent nodes of the best path whose id is {@code unk_id} are fused into one string (also
 *       when the node is the vocabulary's own unknown token matched in the text).
 *   <li>Each resulting string is looked up again by its text: a fused string that happens to be an
 *       entry gets that entry's id; otherwise, with byte fallback, the {@code <0xXX>} entries of
 *       its UTF-8 bytes if every one exists, else {@code unk_id}. Byte tokens all end where the
 *       string ends.
 *   <li>When a piece text appears twice in the vocabulary, the later entry (its id and score)
 *       is the one used, as tokenizers' text-to-id map keeps the last.
 * </ul>
 *
 * <p>The entries are held in a trie over UTF-16 units; it finds the same matches as tokenizers'
 * trie over UTF-8 bytes, since an entry is a whole string and so ends on a character boundary. A
 * lone surrogate in the text is treated as U+FFFD, the character it becomes in UTF-8. Encoding is
 * linear in the piece's length times the longest entry's length.
 */
final class Unigram implements PieceModel {
  /** tokenizers' penalty under the lowest score for an unknown character. */
  private static final double UNK_PENALTY = 10.0;

  private final double[] scores;
  private final int unkId;
  private final double unkScore;
  /** The id of the entry {@code <0xXX>} for each byte, or -1; null without byte fallback. */
  private final int[] byteIds;

  // The trie: edges in an open-addressing table keyed by (node << 16 | UTF-16 unit), and for
  // each node the id of the entry that ends there, or -1.
  private final long[] edgeKeys;
  private final int[] edgeChildren;
  private final int edgeMask;
  private final int[] nodeIds;
  /** The root's child by unit (-1 for none): the first step of the walk at every position. */
  private final int[] rootChildren = new int[0x10000];

  private final ThreadLocal<Workspace> workspace = ThreadLocal.withInitial(Workspace::new);
  private static final int KEPT = 1 << 16;

  /** Per-thread arrays for the best paths, grown to the longest piece seen. */
  private static final class Workspace {
    double[] best = new double[64];
    int[] start = new int[64];
    int[] id = new int[64];
    int[] segments = new int[64];
    /** Made on first use: a workspace made for one long piece needs none. */
    PieceCache cache;
    final IntList ids = new IntList(16);
    final IntList ends = new IntList(16);
  }

  private Unigram(double[] scores, int unkId, boolean byteFallback, long[] edgeKeys,
      int[] edgeChildren, int[] nodeIds) {
    this.scores = scores;
    this.unkId = unkId;
    double min = Double.POSITIVE_INFINITY;
    for (double s : scores) if (s < min) min = s;
    this.unkScore = min - UNK_PENALTY;
    this.edgeKeys = edgeKeys;
    this.edgeChildren = edgeChildren;
    this.edgeMask = edgeKeys.length - 1;
    this.nodeIds = nodeIds;
    for (int c = 0; c < 0x10000; c++) rootChildren[c] = child(0, (char) c);
    if (byteFallback) {
      byteIds = new int[256];
      for (int b = 0; b < 256; b++) byteIds[b] = lookup(String.format("<0x%02X>", b), 0, 6);
    } else {
      byteIds = null;
    }
  }

  /**
   * The model of a tokenizer.json {@code Unigram} model: {@code pieces.get(i)} and {@code
   * scores[i]} are entry i of {@code vocab}, {@code unkId} is {@code unk_id} or -1 when it is
   * null, {@code byteFallback} is {@code byte_fallback}.
   *
   * @throws IllegalArgumentException as tokenizers refuses the model (an {@code unk_id} with an
   *     empty vocabulary or outside it), or when the lists differ in length or a piece is not
   *     well-formed UTF-16 (a lone surrogate, which a tokenizer.json cannot hold as UTF-8)
   */
  static Unigram of(List<String> pieces, double[] scores, int unkId, boolean byteFallback) {
    if (pieces.size() != scores.length) {
      throw new IllegalArgumentException("Unigram: " + pieces.size() + " pieces but " + scores.length + " scores");
    }
    if (unkId < -1) throw new IllegalArgumentException("Unigram: unk_id " + unkId + " is negative");
    if (unkId >= 0 && pieces.isEmpty()) {
      throw new IllegalArgumentException("Unigram: the vocabulary is empty but at least <unk> is needed");
    }
    if (unkId >= pieces.size()) {
      throw new IllegalArgumentException("Unigram: unk_id " + unkId + " is not in the vocabulary of "
          + pieces.size() + " pieces");
    }
    long units = 0;
    for (int i = 0; i < pieces.size(); i++) {
      String p = pieces.get(i);
      if (p == null) throw new NullPointerException("Unigram: piece " + i + " is null");
      if (hasLoneSurrogate(p)) throw new IllegalArgumentException("Unigram: piece " + i + " has a lone surrogate");
      units += p.length();
    }
    if (units > (1 << 29)) throw new IllegalArgumentException("Unigram: the pieces are too long (" + units + " chars)");
    // At most one edge per char of the pieces: a table at most three quarters full.
    int cap = Integer.highestOneBit((int) Math.max(16, units + units / 3)) << 1;
    long[] keys = new long[cap];
    java.util.Arrays.fill(keys, -1L);
    int[] children = new int[cap];
    int[] nodeIds = new int[(int) units + 1];
    java.util.Arrays.fill(nodeIds, -1);
    int nodes = 1;
    int mask = cap - 1;
    for (int i = 0; i < pieces.size(); i++) {
      String p = pieces.get(i);
      int node = 0;
      for (int k = 0; k < p.length(); k++) {
        long key = ((long) node << 16) | p.charAt(k);
        int slot = slot(key, mask);
        while (keys[slot] != -1L && keys[slot] != key) slot = (slot + 1) & mask;
        if (keys[slot] == -1L) {
          keys[slot] = key;
          children[slot] = nodes++;
        }
        node = children[slot];
      }
      // The later of two equal pieces wins, as in tokenizers' text-to-id map. The empty piece
      // marks the root, which no search reports, as tokenizers' trie never yields an empty match.
      nodeIds[node] = i;
    }
    return new Unigram(scores.clone(), unkId, byteFallback, keys, children, nodeIds);
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** The child of node along unit c, or -1. */
  private int child(int node, char c) {
    long key = ((long) node << 16) | c;
    int slot = slot(key, edgeMask);
    while (true) {
      long k = edgeKeys[slot];
      if (k == key) return edgeChildren[slot];
      if (k == -1L) return -1;
      slot = (slot + 1) & edgeMask;
    }
  }

  /** The unit at i of text[from, to), a lone surrogate read as U+FFFD. */
  private static char unitAt(CharSequence text, int from, int to, int i) {
    char c = text.charAt(i);
    if (!Character.isSurrogate(c)) return c;
    if (Character.isHighSurrogate(c)) {
      return i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1)) ? c : '\uFFFD';
    }
    return i > from && Character.isHighSurrogate(text.charAt(i - 1)) ? c : '\uFFFD';
  }

  /** The id of the entry whose text is text[from, to) (lone surrogates as U+FFFD), or -1. */
  private int lookup(CharSequence text, int from, int to) {
    int node = 0;
    for (int i = from; i < to; i++) {
      node = child(node, unitAt(text, from, to, i));
      if (node < 0) return -1;
    }
    return nodeIds[node];
  }

  @Override
  public int encode(CharSequence text, int from, int to, IntList ids, IntList ends) {
    if (to <= from) return 0;
    char[] chars = text instanceof NormalizedText ? ((NormalizedText) text).chars : null;
    if (chars == null || to - from > PieceCache.MAX_KEY) return viterbi(text, from, to, ids, ends);
    // A piece's ids depend only on its text: the pieces seen before are remembered per thread.
    Workspace w = workspace.get();
    if (w.cache == null) w.cache = new PieceCache();
    int hash = PieceCache.hash(chars, from, to);
    int slot = w.cache.find(chars, from, to, hash);
    if (slot >= 0) return w.cache.replay(slot, from, ids, ends);
    w.ids.clear();
    w.ends.clear();
    int count = viterbi(text, from, to, w.ids, w.ends);
    w.cache.putTokens(chars, from, to, hash, w.ids, 0, w.ends, 0);
    for (int k = 0; k < count; k++) ids.add(w.ids.a[k]);
    if (ends != null) for (int k = 0; k < count; k++) ends.add(w.ends.a[k]);
    return count;
  }

  /** The best segmentation of text[from, to), a non-empty piece. */
  private int viterbi(CharSequence text, int from, int to, IntList ids, IntList ends) {
    int n = to - from;
    // A thread keeps its arrays for pieces up to KEPT chars; a longer piece gets its own, so
    // that one huge piece does not pin tens of megabytes per thread.
    Workspace w = n < KEPT ? workspace.get() : new Workspace();
    if (w.best.length < n + 1) {
      int c = Math.min(Math.max(n + 1, w.best.length * 2), Math.max(n + 1, KEPT));
      w.best = new double[c];
      w.start = new int[c];
      w.id = new int[c];
    }
    double[] best = w.best;
    int[] start = w.start;
    int[] id = w.id;
    java.util.Arrays.fill(start, 0, n + 1, -1);
    best[0] = 0;
    // The units read straight from the array when the piece has no surrogate to check.
    char[] chars = text instanceof NormalizedText ? ((NormalizedText) text).chars : null;
    for (int i = from; chars != null && i < to; i++) if (Character.isSurrogate(chars[i])) chars = null;
    for (int pos = 0; pos < n; ) {
      int at = from + pos;
      int charLen = chars != null ? 1 : Character.isHighSurrogate(text.charAt(at)) && at + 1 < to
          && Character.isLowSurrogate(text.charAt(at + 1)) ? 2 : 1;
      double here = best[pos];
      boolean single = false;
      int node = 0;
      for (int i = at; i < to; i++) {
        char u = chars != null ? chars[i] : unitAt(text, from, to, i);
        node = i == at ? rootChildren[u] : child(node, u);
        if (node < 0) break;
        int tid = nodeIds[node];
        if (tid < 0) continue;
        int end = i + 1 - from;
        double score = scores[tid] + here;
        if (start[end] < 0 || score > best[end]) {
          best[end] = score;
          start[end] = pos;
          id[end] = tid;
        }
        if (end - pos == charLen) single = true;
      }
      if (!single) {
        int end = pos + charLen;
        if (unkId < 0) {
          throw new IllegalArgumentException("Unigram: unknown character at index " + at
              + " (U+" + Integer.toHexString(Character.codePointAt(text, at)).toUpperCase()
              + ") but the model has no unk_id");
        }
        double score = unkScore + here;
        if (start[end] < 0 || score > best[end]) {
          best[end] = score;
          start[end] = pos;
          id[end] = unkId;
        }
      }
      pos += charLen;
    }
    // Back from the end: segments (start, end, id), with runs of unknown nodes fused into one
    // whose id is -1 until it is looked up by its text.
    int[] seg = w.segments;
    int count = 0;
    for (int end = n; end > 0; ) {
      int s = start[end];
      int tid = id[end];
      if (tid == unkId && count > 0 && seg[3 * count - 1] == -1 && seg[3 * count - 3] == end) {
        seg[3 * count - 3] = s; // extends the fused run leftwards
      } else {
        if (3 * count + 3 > seg.length) seg = java.util.Arrays.copyOf(seg, seg.length * 2);
        seg[3 * count] = s;
        seg[3 * count + 1] = end;
        seg[3 * count + 2] = tid == unkId ? -1 : tid;
        count++;
      }
      end = s;
    }
    if (seg.length <= 3 * KEPT) w.segments = seg;
    int appended = 0;
    for (int k = count - 1; k >= 0; k--) {
      int s = from + seg[3 * k];
      int e = from + seg[3 * k + 1];
      int tid = seg[3 * k + 2];
      if (tid < 0) {
        tid = lookup(text, s, e);
        if (tid < 0 && byteIds != null) {
          int bytes = appendByteIds(text, from, to, s, e, ids);
          if (bytes >= 0) {
            if (ends != null) for (int b = 0; b < bytes; b++) ends.add(e);
            appended += bytes;
            continue;
          }
        }
        if (tid < 0) tid = unkId;
      }
      ids.add(tid);
      if (ends != null) ends.add(e);
      appended++;
    }
    return appended;
  }

  /**
   * Appends the byte-fallback ids of the UTF-8 bytes of text[s, e) and returns how many, or
   * appends nothing and returns -1 if one of those bytes has no {@code <0xXX>} entry.
   */
  private int appendByteIds(CharSequence text, int from, int to, int s, int e, IntList ids) {
    int mark = ids.size;
    for (int i = s; i < e; i++) {
      int cp = unitAt(text, from, to, i);
      if (Character.isHighSurrogate((char) cp)) cp = Character.toCodePoint((char) cp, text.charAt(++i));
      if (cp < 0x80) {
        if (!addByte(cp, ids)) return undo(ids, mark);
      } else if (cp < 0x800) {
        if (!addByte(0xC0 | cp >> 6, ids) || !addByte(0x80 | cp & 0x3F, ids)) return undo(ids, mark);
      } else if (cp < 0x10000) {
        if (!addByte(0xE0 | cp >> 12, ids) || !addByte(0x80 | cp >> 6 & 0x3F, ids)
            || !addByte(0x80 | cp & 0x3F, ids)) return undo(ids, mark);
      } else {
        if (!addByte(0xF0 | cp >> 18, ids) || !addByte(0x80 | cp >> 12 & 0x3F, ids)
            || !addByte(0x80 | cp >> 6 & 0x3F, ids) || !addByte(0x80 | cp & 0x3F, ids)) return undo(ids, mark);
      }
    }
    return ids.size - mark;
  }

  private boolean addByte(int b, IntList ids) {
    int id = byteIds[b];
    if (id < 0) return false;
    ids.add(id);
    return true;
  }

  private static int undo(IntList ids, int mark) {
    ids.size = mark;
    return -1;
  }
}
