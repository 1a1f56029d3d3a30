package dev.fasttok;

/**
 * A tokenizer.json model (its {@code model} object) in the component pipeline
 * ({@link ComponentPipeline}): the ids of one pre-tokenized piece of normalized text. The
 * pipeline finds the added tokens, normalizes, pre-tokenizes and post-processes; a model only
 * turns pieces into ids, so a new model family (WordPiece, WordLevel, Unigram, character-level
 * BPE, ...) plugs in by implementing this and returning it from {@link ComponentJson#model},
 * with the id-to-token table that decoding needs. Implementations are immutable and
 * thread-safe (per-call scratch, if any, is their own business).
 */
interface PieceModel {
  /**
   * Appends the ids of text[from, to) (one pre-tokenized piece, UTF-16 indices) to ids and, for
   * each token, the UTF-16 index in text where it ends to ends (ends may be null); returns how
   * many tokens it appended.
   */
  int encode(CharSequence text, int from, int to, IntList ids, IntList ends);
}
