package dev.fasttok.spark;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.SparkSessionExtensionsProvider;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.objects.Invoke;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.Tuple3;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * fasttok's SQL functions under their plain names, for every session:
 *
 * <pre>
 * spark.sql.extensions=dev.fasttok.spark.FasttokExtensions
 *
 * SELECT count_tokens(text), encode_tokens(text, 'cl100k_base') FROM docs
 * </pre>
 *
 * <p>The functions are the catalog's ({@link FasttokCatalog}): the same bound functions, called
 * the same way. Arguments given as literals are checked when the query is analysed (an unknown
 * encoding, an unknown special token, a negative size: an AnalysisException), both for these
 * functions and for the catalog's, which this extension also checks.
 */
public class FasttokExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit>
    implements SparkSessionExtensionsProvider {

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (UnboundTokenFunction f : FasttokFunctions.ALL.values()) {
      String name = f.name();
      ExpressionInfo info = new ExpressionInfo(FasttokExtensions.class.getName(), null, name, f.description(), "");
      AbstractFunction1<Object, Expression> builder = new AbstractFunction1<Object, Expression>() {
        @Override
        public Expression apply(Object args) {
          return FunctionBuilders.build(name, ScalaSeqs.toJava(args));
        }
      };
      // Raw: the builder's Seq type is scala.collection.Seq on Scala 2.12, immutable.Seq on 2.13.
      extensions.injectFunction((Tuple3) new Tuple3<>(new FunctionIdentifier(name), info, builder));
    }
    extensions.injectCheckRule(session -> plan -> {
      checkPlan(plan);
      return BoxedUnit.UNIT;
    });
    return BoxedUnit.UNIT;
  }

  /**
   * Checks the literal arguments of every fasttok call in an analysed plan (catalog functions
   * included), so that an unknown encoding is an AnalysisException, not a task failure.
   */
  static void checkPlan(LogicalPlan plan) {
    plan.foreach(node -> {
      node.expressions().foreach(e -> {
        checkExpression(e);
        return BoxedUnit.UNIT;
      });
      return BoxedUnit.UNIT;
    });
  }

  private static void checkExpression(Expression expression) {
    expression.foreach(x -> {
      if (x instanceof Invoke) {
        Invoke invoke = (Invoke) x;
        if (invoke.targetObject() instanceof Literal
            && ((Literal) invoke.targetObject()).value() instanceof TokenFunctionBase) {
          TokenFunctionBase<?> bound = (TokenFunctionBase<?>) ((Literal) invoke.targetObject()).value();
          FunctionBuilders.check(bound, FunctionBuilders.constants(ScalaSeqs.toJava(invoke.arguments())));
        }
      } else if (x instanceof SubqueryExpression) {
        checkPlan((LogicalPlan) ((SubqueryExpression) x).plan());
      }
      return BoxedUnit.UNIT;
    });
  }
}
