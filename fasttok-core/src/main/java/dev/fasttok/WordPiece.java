package dev.fasttok;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The WordPiece model (BERT) as tokenizers 0.23 encodes a piece: a piece longer than
 * {@code max_input_chars_per_word} code points is the unknown token; otherwise, from the start,
 * the longest prefix that is a token (after the first, with {@code continuing_subword_prefix}
 * put before it), then the same from where it ends; if some position starts no token, the whole
 * piece is the unknown token.
 */
final class WordPiece implements PieceModel {
  private final String unkToken;
  private final int unkId; // -1: the unknown token is not in the vocabulary
  private final int maxChars;
  /**
   * The tokens as a trie over UTF-16 units, so that the longest token at a position is one walk
   * (tokenizers tries ever shorter substrings; the longest match is the same). Node 0 is the
   * root of the word-initial tokens, {@link #continuing} that of the tokens that start with the
   * prefix, the prefix left out. Edges: (node << 16 | unit) to the child node.
   */
  private final SpecialTokens.LongIntMap edges = new SpecialTokens.LongIntMap();
  /** Per node, the id of the token that ends there, or -1. */
  private final int[] tokenAt;
  private final int continuing;
  /**
   * The children of the two roots by unit (-1 for none), so that the first step of every walk,
   * the one taken at each token's start, is an array read rather than a hash probe.
   */
  private final int[] rootChildren = new int[0x10000];
  private final int[] continuingChildren;
  // While the trie is built.
  private int[] building = new int[1024];
  private int nodes;

  WordPiece(Map<String, Integer> vocab, String unkToken, String prefix, int maxChars) {
    this.unkToken = unkToken;
    Integer unk = vocab.get(unkToken);
    this.unkId = unk == null ? -1 : unk;
    this.maxChars = maxChars;
    int root = node();
    this.continuing = prefix.isEmpty() ? root : node();
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      String t = e.getKey();
      add(root, t, 0, e.getValue());
      if (!prefix.isEmpty() && t.startsWith(prefix)) add(continuing, t, prefix.length(), e.getValue());
    }
    // A final array: the model is shared by every thread that encodes.
    this.tokenAt = Arrays.copyOf(building, nodes);
    building = null;
    this.continuingChildren = continuing == root ? rootChildren : new int[0x10000];
    for (int c = 0; c < 0x10000; c++) {
      rootChildren[c] = edges.get((long) root << 16 | c);
      continuingChildren[c] = edges.get((long) continuing << 16 | c);
    }
  }

  private int node() {
    if (nodes == building.length) building = Arrays.copyOf(building, 2 * nodes);
    building[nodes] = -1;
    return nodes++;
  }

  private void add(int root, String t, int from, int id) {
    int n = root;
    for (int i = from; i < t.length(); i++) {
      long key = (long) n << 16 | t.charAt(i);
      int next = edges.get(key);
      if (next < 0) {
        next = node();
        edges.put(key, next);
      }
      n = next;
    }
    // The root itself (an empty token, or the prefix alone as a continuation) never matches:
    // tokenizers never looks up an empty substring.
    if (n != root) building[n] = id;
  }

  @Override
  public int encode(CharSequence text, int from, int to, IntList ids, IntList ends) {
    // A piece of at most maxChars units has at most that many code points.
    if (to - from > maxChars && Character.codePointCount(text, from, to) > maxChars) return unknown(to, ids, ends);
    char[] chars = text instanceof NormalizedText ? ((NormalizedText) text).chars : null;
    if (chars == null || to - from > PieceCache.MAX_KEY) return walk(text, chars, from, to, ids, ends);
    Work w = work.get();
    int hash = PieceCache.hash(chars, from, to);
    int slot = w.cache.find(chars, from, to, hash);
    if (slot >= 0) return w.cache.replay(slot, from, ids, ends);
    w.ids.clear();
    w.ends.clear();
    int n = walk(text, chars, from, to, w.ids, w.ends);
    w.cache.putTokens(chars, from, to, hash, w.ids, 0, w.ends, 0);
    for (int k = 0; k < n; k++) ids.add(w.ids.a[k]);
    if (ends != null) for (int k = 0; k < n; k++) ends.add(w.ends.a[k]);
    return n;
  }

  /** Per-thread: the pieces seen before, and the tokens of the piece being walked. */
  private static final class Work {
    final PieceCache cache = new PieceCache();
    final IntList ids = new IntList(16);
    final IntList ends = new IntList(16);
  }

  private final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);

  /** The tokens of text[from, to), found in the trie ({@code chars} the text's array, or null). */
  private int walk(CharSequence text, char[] chars, int from, int to, IntList ids, IntList ends) {
    int before = ids.size;
    int beforeEnds = ends == null ? 0 : ends.size;
    int start = from;
    while (start < to) {
      // The longest token at start: the last node on the walk where a token ends.
      char first = chars != null ? chars[start] : text.charAt(start);
      int n = (start > from ? continuingChildren : rootChildren)[first];
      int id = -1;
      int end = start;
      for (int i = start + 1; n >= 0; i++) {
        if (tokenAt[n] >= 0) {
          id = tokenAt[n];
          end = i;
        }
        if (i == to) break;
        n = edges.get((long) n << 16 | (chars != null ? chars[i] : text.charAt(i)));
      }
      if (id < 0) {
        ids.size = before;
        if (ends != null) ends.size = beforeEnds;
        return unknown(to, ids, ends);
      }
      ids.add(id);
      if (ends != null) ends.add(end);
      start = end;
    }
    return ids.size - before;
  }

  private int unknown(int to, IntList ids, IntList ends) {
    if (unkId < 0) {
      throw new IllegalArgumentException("the WordPiece model's unk_token '" + unkToken
          + "' is not in its vocabulary, and the text has a word it cannot encode without it");
    }
    ids.add(unkId);
    if (ends != null) ends.add(to);
    return 1;
  }

  /**
   * The WordPiece decoder: every token after the first loses the prefix if it starts with it,
   * else gets a space before it; with {@code cleanup}, each token (with that space) then has the
   * spaces before punctuation and English contractions taken out, token by token, as
   * tokenizers' {@code cleanup} does.
   */
  static TokenDecoder decoder(String prefix, boolean cleanup) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        String t = tokens.get(i);
        if (i != 0) t = t.startsWith(prefix) ? t.substring(prefix.length()) : " " + t;
        out.add(cleanup ? cleanup(t) : t);
      }
      return out;
    };
  }

  /**
   * tokenizers' {@code cleanup} of one token (the WordPiece and CTC decoders'): the spaces
   * before punctuation and English contractions taken out, in this order.
   */
  static String cleanup(String t) {
    return t.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
        .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
        .replace(" 've", "'ve").replace(" 're", "'re");
  }

  /** WordLevel: each piece is one token, or the unknown token. */
  static PieceModel wordLevel(Map<String, Integer> vocab, String unkToken) {
    Integer unk = vocab.get(unkToken);
    return (text, from, to, ids, ends) -> {
      Integer id = vocab.get(text.subSequence(from, to).toString());
      if (id == null) id = unk;
      if (id == null) {
        throw new IllegalArgumentException("the WordLevel model's unk_token '" + unkToken
            + "' is not in its vocabulary, and the text has a word that is not either");
      }
      ids.add(id);
      if (ends != null) ends.add(to);
      return 1;
    };
  }
}
