package dev.fasttok;

/**
 * One tokenizer.json pre-tokenizer (its {@code pre_tokenizer} object, or a member of a
 * Sequence) in the component pipeline ({@link ComponentPipeline}): cuts {@code text[from, to)}
 * (UTF-16 indices into the normalized text) into pieces and appends each piece's start and end
 * to {@code pieces}, in order, never an empty piece. A Sequence runs its members in turn, each
 * on every piece of the one before; the model then encodes each final piece on its own.
 * Implementations are immutable and thread-safe; a new pre-tokenizer is a new implementation
 * plus its case in {@link ComponentJson#preTokenizer}. The ones here are in {@link PreTokenizers}.
 */
interface PreTokenizer {
  void split(CharSequence text, int from, int to, IntList pieces);
}
