package dev.fasttok.flink;

import dev.fasttok.sql.TokenFunction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.table.functions.FunctionDefinition;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.ArgumentCount;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.inference.ConstantArgumentCount;
import org.apache.flink.table.types.inference.InputTypeStrategy;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategy;

/**
 * The input type inference of a fasttok function: checks the number and types of the arguments
 * (a ValidationException names the function and the argument), tells Flink the types its
 * {@code eval} methods take, and checks the literal arguments when the statement is planned: an
 * unknown encoding, an invalid {@code allowed_special}, a negative {@code max_tokens} ...
 */
final class TokenInputStrategy implements InputTypeStrategy {
  /** Checks of a call's literal arguments beyond its encoding's. */
  interface LiteralCheck {
    /** @throws IllegalArgumentException naming the function and the value */
    void check(Literals literals);
  }

  private final TokenFunction function;
  private final Vocabularies vocabularies;
  private final LiteralCheck check;

  TokenInputStrategy(TokenFunction function, Vocabularies vocabularies, LiteralCheck check) {
    this.function = function;
    this.vocabularies = vocabularies;
    this.check = check;
  }

  /** The type inference of a fasttok function whose result is {@code output}. */
  static TypeInference typeInference(TokenFunction function, Vocabularies vocabularies, LiteralCheck check,
      TypeStrategy output) {
    return TypeInference.newBuilder()
        .inputTypeStrategy(new TokenInputStrategy(function, vocabularies, check))
        .outputTypeStrategy(output)
        .build();
  }

  @Override
  public ArgumentCount getArgumentCount() {
    // Counted in inferInputTypes, for a message that shows the function's parameters.
    return ConstantArgumentCount.any();
  }

  @Override
  public Optional<List<DataType>> inferInputTypes(CallContext call, boolean throwOnFailure) {
    List<DataType> args = call.getArgumentDataTypes();
    String wrongCount = function.checkCount(args.size());
    if (wrongCount != null) return call.fail(throwOnFailure, "%s", wrongCount);
    try {
      List<DataType> expected = ArgumentTypes.expected(function, args);
      Literals literals = Literals.of(call, function, vocabularies);
      literals.checkEncoding();
      check.check(literals);
      return Optional.of(expected);
    } catch (IllegalArgumentException e) {
      return call.fail(throwOnFailure, "%s", e.getMessage());
    }
  }

  @Override
  public List<org.apache.flink.table.types.inference.Signature> getExpectedSignatures(FunctionDefinition definition) {
    return ArgumentTypes.flinkSignatures(function);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TokenInputStrategy)) return false;
    TokenInputStrategy s = (TokenInputStrategy) o;
    return s.function == function && s.vocabularies == vocabularies && s.check.getClass() == check.getClass();
  }

  @Override
  public int hashCode() {
    return Objects.hash(function.name(), System.identityHashCode(vocabularies));
  }
}
