package dev.fasttok;

import java.util.List;

/**
 * One tokenizer.json decoder (its {@code decoder} object, or a member of a Sequence) in the
 * component pipeline ({@link ComponentPipeline}), as tokenizers' {@code decode_chain}: takes the
 * tokens' strings and returns them changed (the same number or fewer); the pipeline runs the
 * decoders in turn and concatenates what the last one returns. Without any decoder the tokens
 * are joined with spaces, as tokenizers does. Implementations are immutable and thread-safe; a
 * new decoder is a new implementation plus its case in {@link ComponentJson#decoder}.
 */
interface TokenDecoder {
  List<String> decodeChain(List<String> tokens);
}
