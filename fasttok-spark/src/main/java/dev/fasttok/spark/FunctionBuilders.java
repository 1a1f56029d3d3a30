package dev.fasttok.spark;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.objects.Invoke;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.ObjectType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.Metadata;

/**
 * Builds the expression of a fasttok function call from its (resolved) arguments, as the
 * unqualified functions of {@link FasttokExtensions} do: the same bound functions the catalog
 * binds, called the way Spark calls a catalog function's {@code invoke} method, but with NULL
 * arguments handled by Spark (so {@code count_tokens} returns a primitive int), and with the
 * arguments known at analysis (literals) checked at once.
 */
final class FunctionBuilders {
  private FunctionBuilders() {}

  static Expression build(String function, List<Expression> args) {
    UnboundTokenFunction unbound = FasttokFunctions.ALL.get(function);
    StructField[] fields = new StructField[args.size()];
    for (int i = 0; i < fields.length; i++) {
      Expression a = args.get(i);
      fields[i] = new StructField("_" + i, a.dataType(), a.nullable(), Metadata.empty());
    }
    StructType input = new StructType(fields);
    Object[] values = constants(args);
    // Read only the custom vocabulary a literal encoding names (all of them for a column).
    int enc = unbound.function.encodingIndex(args.size());
    Collection<String> needed = Collections.emptySet();
    if (enc >= 0) {
      Object v = values[enc];
      needed = v == TokenFunctionBase.NOT_CONSTANT ? null
          : v == null ? Collections.emptySet() : Collections.singleton(v.toString());
    }
    EncodingResolver resolver = SessionVocabularies.resolverForActiveSession(needed);
    TokenFunctionBase<?> bound;
    try {
      bound = unbound.bind(input, resolver, true);
    } catch (UnsupportedOperationException e) {
      throw Errors.analysisError(e.getMessage());
    }
    check(bound, values);
    return named(function, args, invoke(bound, args, true));
  }

  /**
   * The call under the name Spark gives its own functions' results, {@code count_tokens(text)}
   * (Spark would name the bare call {@code count_tokens.invoke}). The alias only names a
   * top-level column: Spark drops aliases nested in expressions.
   */
  static Expression named(String function, List<Expression> args, Expression call) {
    StringBuilder name = new StringBuilder(function).append('(');
    for (int i = 0; i < args.size(); i++) {
      name.append(i == 0 ? "" : ", ").append(org.apache.spark.sql.catalyst.util.package$.MODULE$.toPrettySQL(args.get(i)));
    }
    name.append(')');
    return new Alias(call, name.toString(), NamedExpression$.MODULE$.newExprId(), ScalaSeqs.list(),
        scala.Option.empty(), ScalaSeqs.list());
  }

  /** Checks the constant arguments of a bound call; an AnalysisException names what is wrong. */
  static void check(TokenFunctionBase<?> bound, Object[] values) {
    try {
      bound.checkConstants(values);
    } catch (IllegalArgumentException e) {
      throw Errors.analysisError(e.getMessage());
    }
  }

  /** The value of each argument known at analysis, or {@link TokenFunctionBase#NOT_CONSTANT}. */
  static Object[] constants(List<Expression> args) {
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      Expression a = args.get(i);
      Object v = TokenFunctionBase.NOT_CONSTANT;
      if (a.foldable()) {
        try {
          v = a.eval(null);
        } catch (RuntimeException e) {
          v = TokenFunctionBase.NOT_CONSTANT; // left to run time
        }
      }
      values[i] = v;
    }
    return values;
  }

  /**
   * Spark's call of a bound function's {@code invoke} method (what the catalog path builds too);
   * {@code propagateNull}: a NULL argument gives NULL without a call.
   */
  static Expression invoke(TokenFunctionBase<?> bound, List<Expression> args, boolean propagateNull) {
    Literal target = Literal.create(bound, new ObjectType(bound.getClass()));
    List<DataType> types = java.util.Arrays.asList(bound.inputTypes());
    return new Invoke(target, "invoke", bound.resultType(), ScalaSeqs.list(args), ScalaSeqs.list(types),
        propagateNull, bound.isResultNullable(), true);
  }
}
