package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.EncodingCache;
import dev.fasttok.sql.TokenFunction;
import java.util.Objects;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.functions.SpecializedFunction;
import org.apache.flink.table.functions.UserDefinedFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;

/**
 * What fasttok's scalar functions share: the {@link Vocabularies} they know, their type
 * inference, their specialization to a call (only the custom vocabularies a call can use travel
 * with the job) and the encodings resolved in {@link #open}. A subclass is the function's
 * {@link TokenFunction#className()}, with a public constructor taking {@link Vocabularies}.
 *
 * <p>The result is NULL when an argument is NULL, and NOT NULL when every argument is.
 */
abstract class TokenScalarFunction extends ScalarFunction implements SpecializedFunction {
  private static final long serialVersionUID = 1L;

  final TokenFunction function;
  final Vocabularies vocabularies;
  /** Number of arguments of the call this instance is specialized for, or -1 (not specialized). */
  private int arity = -1;
  private transient EncodingCache<StringData> encodings;

  TokenScalarFunction(TokenFunction function, Vocabularies vocabularies) {
    this.function = function;
    this.vocabularies = Objects.requireNonNull(vocabularies, "vocabularies");
  }

  /** The result's type when every argument is NOT NULL. */
  abstract DataType resultType();

  /** Checks of literal arguments beyond the encoding's (at planning). */
  void checkLiterals(Literals literals) {}

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return TokenInputStrategy.typeInference(function, vocabularies, this::checkLiterals,
        TypeStrategies.nullableIfArgs(TypeStrategies.explicit(resultType())));
  }

  @Override
  public UserDefinedFunction specialize(SpecializedContext context) {
    Literals call = Literals.of(context.getCallContext(), function, vocabularies);
    TokenScalarFunction f;
    try {
      f = getClass().getConstructor(Vocabularies.class).newInstance(vocabularies.only(call.neededVocabularies()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    f.arity = call.arity();
    f.specializeTo(context.getCallContext());
    return f;
  }

  /** Takes what this instance needs to know of the call's argument types, beyond their number. */
  void specializeTo(org.apache.flink.table.types.inference.CallContext call) {}

  @Override
  public void open(FunctionContext context) throws Exception {
    encodings = EncodingLookup.open(function, vocabularies, arity);
  }

  /** The default encoding (for calls without an encoding argument). */
  final Encoding defaultEncoding() {
    return encodings.defaultEncoding();
  }

  /** The encoding a row names. */
  final Encoding encoding(StringData name) {
    return encodings.get(name);
  }

  @Override
  public boolean isDeterministic() {
    return true;
  }

  @Override
  public String toString() {
    return function.name();
  }
}
