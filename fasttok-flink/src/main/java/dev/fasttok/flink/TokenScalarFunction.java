package dev.fasttok.flink;

import dev.fasttok.Encoding;
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
 * with the job) and the encodings resolved in {@link #open}.
 *
 * <p>The result is NULL when an argument is NULL, and NOT NULL when every argument is.
 */
abstract class TokenScalarFunction extends ScalarFunction implements SpecializedFunction {
  private static final long serialVersionUID = 1L;

  final Vocabularies vocabularies;
  /** Number of arguments of the call this instance is specialized for, or -1 (not specialized). */
  final int arity;
  private transient EncodingLookup encodings;

  TokenScalarFunction(Vocabularies vocabularies, int arity) {
    this.vocabularies = Objects.requireNonNull(vocabularies, "vocabularies");
    this.arity = arity;
  }

  abstract Signature signature();

  /** The result's type when every argument is NOT NULL. */
  abstract DataType resultType();

  /** Checks of literal arguments beyond the encoding's (at planning). */
  void checkLiterals(Literals literals) {}

  /** A copy of this function for one call, carrying these vocabularies. */
  abstract TokenScalarFunction specialize(Vocabularies vocabularies, Literals call);

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return TokenInputStrategy.typeInference(signature(), vocabularies, this::checkLiterals,
        TypeStrategies.nullableIfArgs(TypeStrategies.explicit(resultType())));
  }

  @Override
  public UserDefinedFunction specialize(SpecializedContext context) {
    Literals call = Literals.of(context.getCallContext(), signature(), vocabularies);
    return specialize(vocabularies.only(call.neededVocabularies()), call);
  }

  @Override
  public void open(FunctionContext context) throws Exception {
    boolean needsDefault = arity < 0 || signature().indexOf("encoding", arity) < 0;
    encodings = new EncodingLookup(signature().function, vocabularies, needsDefault);
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
    return signature().function;
  }
}
