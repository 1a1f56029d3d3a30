package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.EncodingCache;
import dev.fasttok.sql.TokenFunction;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * What every bound fasttok function has: its definition, the declared input types, and the
 * session's {@link EncodingResolver} (which carries custom vocabularies to the executors).
 *
 * <p>The subclasses' {@code invoke} methods are Spark's "magic methods": Spark's generated code
 * calls them directly on {@code UTF8String}, {@code ArrayData} and {@code int} values, with no
 * {@code InternalRow} and no boxing. They are instance methods (not static) because the
 * encoding can name a custom vocabulary, which only this instance can find (through the
 * broadcast it holds); Spark embeds the instance in the plan, and each task gets its own copy,
 * so the caches below are per task.
 */
abstract class TokenFunctionBase<R> implements ScalarFunction<R>, Serializable {
  private static final long serialVersionUID = 1L;

  /** Marks an argument whose value is not known when the query is analysed. */
  static final Object NOT_CONSTANT = new Object();

  final TokenFunction function;
  final DataType[] inputTypes;
  final EncodingResolver resolver;
  /** Index of the encoding argument, or -1 when the call leaves it to the default. */
  final int encodingArg;

  private final EncodingCache<UTF8String> encodings;

  TokenFunctionBase(TokenFunction function, DataType[] inputTypes, EncodingResolver resolver) {
    this.function = function;
    this.inputTypes = inputTypes;
    this.resolver = resolver;
    this.encodingArg = function.encodingIndex(inputTypes.length);
    this.encodings = new EncodingCache<>(function, resolver, UTF8String::fromString);
  }

  @Override
  public DataType[] inputTypes() {
    return inputTypes.clone();
  }

  @Override
  public String name() {
    return function.name();
  }

  @Override
  public String canonicalName() {
    StringBuilder sb = new StringBuilder("fasttok.").append(function.name()).append('(');
    for (int i = 0; i < inputTypes.length; i++) sb.append(i == 0 ? "" : ", ").append(inputTypes[i].sql());
    return sb.append(')').toString();
  }

  @Override
  public boolean isDeterministic() {
    return true;
  }

  @Override
  public boolean isResultNullable() {
    return true;
  }

  /** The session's default encoding, resolved once per task. */
  final Encoding defaultEncoding() {
    return encodings.defaultEncoding();
  }

  /** The encoding a row names; the last one is remembered, so a constant costs one comparison. */
  final Encoding encoding(UTF8String name) {
    return encodings.get(name);
  }

  /**
   * Checks the arguments whose values are known when the query is analysed (literals), on the
   * driver: an unknown encoding, an invalid number, ... Each value is the argument's Catalyst
   * value, or {@link #NOT_CONSTANT}.
   *
   * @throws IllegalArgumentException naming the function and the value
   */
  void checkConstants(Object[] values) {
    constantEncoding(values);
  }

  /**
   * The encoding of the call when it is known at analysis (a literal, or the default), checked;
   * null when it is not known or NULL.
   */
  final Encoding constantEncoding(Object[] values) {
    if (encodingArg < 0) return defaultEncoding();
    Object v = values[encodingArg];
    if (v == NOT_CONSTANT || v == null) return null;
    return encoding((UTF8String) v);
  }

  /** The value of a constant INT argument, or null if it is not constant or NULL. */
  static Integer constantInt(Object[] values, int i) {
    if (i < 0 || i >= values.length || values[i] == NOT_CONSTANT || values[i] == null) return null;
    return ((Number) values[i]).intValue();
  }

  @Override
  public boolean equals(Object o) {
    if (o == null || o.getClass() != getClass()) return false;
    TokenFunctionBase<?> f = (TokenFunctionBase<?>) o;
    return function.name().equals(f.function.name()) && Arrays.equals(inputTypes, f.inputTypes)
        && resolver.equals(f.resolver);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), function.name(), Arrays.hashCode(inputTypes), resolver);
  }

  /** Shown in plans and generated column names ({@code count_tokens.invoke} / {@code invoke(count_tokens.invoke(...))}). */
  @Override
  public String toString() {
    return function.name();
  }
}
