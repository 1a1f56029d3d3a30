package dev.fasttok;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer.json decoders of the other model families, as tokenizers 0.23 has them: CTC
 * (wav2vec2-style character models) and BPEDecoder (BPE with an end-of-word suffix). The
 * WordPiece decoder is {@link WordPiece#decoder}, the SentencePiece ones
 * {@link SentencePieceDecoders}.
 */
final class TokenDecoders {
  private TokenDecoders() {}

  /**
   * CTC: runs of equal tokens become one; each token loses every {@code padToken}; with
   * {@code cleanup}, it is then cleaned as the WordPiece decoder cleans ({@link WordPiece#cleanup})
   * and each {@code wordDelimiter} becomes a space (without cleanup the delimiter stays); a token
   * left empty is dropped.
   */
  static TokenDecoder ctc(String padToken, String wordDelimiter, boolean cleanup) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      String previous = null;
      for (String t : tokens) {
        if (t.equals(previous)) continue;
        previous = t;
        String r = replace(t, padToken, "");
        if (cleanup) r = replace(WordPiece.cleanup(r), wordDelimiter, " ");
        if (!r.isEmpty()) out.add(r);
      }
      return out;
    };
  }

  /**
   * BPEDecoder: every {@code suffix} in a token becomes a space, except in the last token,
   * where it is removed.
   */
  static TokenDecoder bpe(String suffix) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) out.add(replace(tokens.get(i), suffix, i == tokens.size() - 1 ? "" : " "));
      return out;
    };
  }

  /**
   * Rust's {@code str::replace}: every occurrence of {@code from}, left to right without overlap,
   * becomes {@code to}; an empty {@code from} matches at every character (code point) boundary,
   * the start and end included, even of an empty string.
   */
  static String replace(String s, String from, String to) {
    if (!from.isEmpty()) return s.replace(from, to);
    StringBuilder sb = new StringBuilder(s.length() + to.length() * (s.length() + 1));
    sb.append(to);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      sb.appendCodePoint(c).append(to);
      i += Character.charCount(c);
    }
    return sb.toString();
  }
}
