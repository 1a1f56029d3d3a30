package dev.fasttok;

import java.util.ArrayList;
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
  private final Map<String, Integer> vocab;
  private final String unkToken;
  private final int unkId; // -1: the unknown token is not in the vocabulary
  private final String prefix;
  private final int maxChars;
  /** The longest token, in UTF-16 units: no longer prefix need be looked up. */
  private final int maxTokenLength;

  WordPiece(Map<String, Integer> vocab, String unkToken, String prefix, int maxChars) {
    this.vocab = vocab;
    this.unkToken = unkToken;
    Integer unk = vocab.get(unkToken);
    this.unkId = unk == null ? -1 : unk;
    this.prefix = prefix;
    this.maxChars = maxChars;
    int longest = 0;
    for (String t : vocab.keySet()) longest = Math.max(longest, t.length());
    this.maxTokenLength = longest;
  }

  @Override
  public int encode(CharSequence text, int from, int to, IntList ids, IntList ends) {
    if (Character.codePointCount(text, from, to) > maxChars) return unknown(to, ids, ends);
    int before = ids.size;
    int beforeEnds = ends == null ? 0 : ends.size;
    StringBuilder sb = new StringBuilder(prefix.length() + Math.min(to - from, maxTokenLength));
    int start = from;
    while (start < to) {
      int offset = start > from ? prefix.length() : 0;
      int end = Math.min(to, start + Math.max(0, maxTokenLength - offset));
      // Never cut a surrogate pair.
      if (end < to && end > start && Character.isLowSurrogate(text.charAt(end))
          && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      Integer id = null;
      while (end > start) {
        sb.setLength(0);
        if (offset > 0) sb.append(prefix);
        sb.append(text, start, end);
        id = vocab.get(sb.toString());
        if (id != null) break;
        end--;
        if (end > start && Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
          end--;
        }
      }
      if (id == null) {
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
        if (cleanup) {
          t = t.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
              .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
              .replace(" 've", "'ve").replace(" 're", "'re");
        }
        out.add(t);
      }
      return out;
    };
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
