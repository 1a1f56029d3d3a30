package dev.fasttok.flink;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.module.Module;

/**
 * All of fasttok's functions at once, as system functions: {@code count_tokens},
 * {@code encode_tokens}, {@code decode_tokens}, {@code truncate_tokens} and {@code chunk_tokens}.
 *
 * <pre>{@code
 * -- SQL (the factory is FasttokModuleFactory; options: see Vocabularies)
 * LOAD MODULE fasttok;
 * LOAD MODULE fasttok WITH ('encoding' = 'cl100k_base');
 * LOAD MODULE fasttok WITH ('vocabulary.mine' = '/path/mine.tiktoken', 'vocabulary.mine.base' = 'cl100k_base');
 *
 * // Table API
 * tableEnv.loadModule("fasttok", new FasttokModule());
 * }</pre>
 *
 * <p>Functions of a module are found after temporary system functions and before catalog
 * functions. Custom vocabularies are read when the module is created (on the client) and travel
 * with each job that uses them.
 */
public final class FasttokModule implements Module {
  /** The module's name in {@code LOAD MODULE}. */
  public static final String NAME = "fasttok";

  private static final Set<String> FUNCTIONS = Collections.unmodifiableSet(new LinkedHashSet<>(java.util.List.of(
      CountTokens.SIGNATURE.function, EncodeTokens.SIGNATURE.function, DecodeTokens.SIGNATURE.function,
      TruncateTokens.SIGNATURE.function, ChunkTokens.SIGNATURE.function)));

  private final Vocabularies vocabularies;

  /** With the built-in encodings; the default encoding is o200k_base. */
  public FasttokModule() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public FasttokModule(Vocabularies vocabularies) {
    this.vocabularies = Objects.requireNonNull(vocabularies, "vocabularies");
  }

  /** The encodings the module's functions know. */
  public Vocabularies vocabularies() {
    return vocabularies;
  }

  @Override
  public Set<String> listFunctions() {
    return FUNCTIONS;
  }

  @Override
  public Optional<FunctionDefinition> getFunctionDefinition(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "count_tokens":
        return Optional.of(new CountTokens(vocabularies));
      case "encode_tokens":
        return Optional.of(new EncodeTokens(vocabularies));
      case "decode_tokens":
        return Optional.of(new DecodeTokens(vocabularies));
      case "truncate_tokens":
        return Optional.of(new TruncateTokens(vocabularies));
      case "chunk_tokens":
        return Optional.of(new ChunkTokens(vocabularies));
      default:
        return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "FasttokModule[" + vocabularies + "]";
  }
}
