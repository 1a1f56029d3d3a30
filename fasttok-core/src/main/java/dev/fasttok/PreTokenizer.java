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

  /**
   * A pre-tokenizer that changes the text as it cuts it (Metaspace's replacement character,
   * ByteLevel's byte alphabet): the pipeline calls {@link #rewrite} instead of {@link #split},
   * and the later members of a Sequence and the model see the rewritten text.
   */
  interface Rewriting extends PreTokenizer {
    /**
     * Appends {@code text[from, to)} rewritten to {@code out}, each character aligned with the
     * caller's bytes it stands for, and appends the pieces of it (indices into {@code out}).
     *
     * @param first whether the piece starts at the very start of the caller's text (tokenizers'
     *     {@code offsets_original().0 == 0})
     */
    void rewrite(NormalizedText text, int from, int to, boolean first, NormalizedText out, IntList pieces);

    /** Not used: the text changes, which a plain split cannot say. */
    @Override
    default void split(CharSequence text, int from, int to, IntList pieces) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " rewrites the text; the pipeline calls rewrite");
    }
  }
}
