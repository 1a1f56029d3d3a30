package dev.fasttok;

/** A tokenizer.json model: the ids of one pre-tokenized piece. */
interface PieceModel {
  /**
   * Appends the ids of text[from, to) (one pre-tokenized piece, UTF-16 indices) to ids and, for
   * each token, the UTF-16 index in text where it ends to ends (ends may be null); returns how
   * many tokens it appended.
   */
  int encode(CharSequence text, int from, int to, IntList ids, IntList ends);
}
