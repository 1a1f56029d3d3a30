package dev.fasttok;

/**
 * One tokenizer.json normalizer (its {@code normalizer} object) in the component pipeline
 * ({@link ComponentPipeline}): reads {@code in} and appends the normalized text to {@code out}
 * (cleared by the caller), giving each character it writes the alignment of the character it
 * came from ({@link NormalizedText}). Implementations are immutable and thread-safe; a new
 * normalizer is a new implementation plus its case in {@link ComponentJson#normalizer}. The
 * ones here are in {@link Normalizers}.
 */
interface TextNormalizer {
  void normalize(NormalizedText in, NormalizedText out);
}
