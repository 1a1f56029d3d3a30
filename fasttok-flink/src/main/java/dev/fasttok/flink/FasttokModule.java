package dev.fasttok.flink;

import dev.fasttok.sql.TokenFunction;
import java.lang.reflect.Constructor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** The functions of {@link TokenFunction#ALL} by name: each its class in this package, made with the vocabularies. */
  private static final Map<String, Constructor<? extends FunctionDefinition>> FUNCTIONS;

  static {
    Map<String, Constructor<? extends FunctionDefinition>> m = new LinkedHashMap<>();
    for (TokenFunction f : TokenFunction.ALL) {
      try {
        m.put(f.name(), f.implementation(FasttokModule.class, FunctionDefinition.class).getConstructor(Vocabularies.class));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(f.name() + ": " + e, e);
      }
    }
    FUNCTIONS = Collections.unmodifiableMap(m);
  }

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
    return FUNCTIONS.keySet();
  }

  @Override
  public Optional<FunctionDefinition> getFunctionDefinition(String name) {
    TokenFunction f = TokenFunction.named(name);
    if (f == null) return Optional.empty();
    try {
      return Optional.of(FUNCTIONS.get(f.name()).newInstance(vocabularies));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(f.name() + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "FasttokModule[" + vocabularies + "]";
  }
}
