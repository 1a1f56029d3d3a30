package dev.fasttok.spark;

import dev.fasttok.sql.TokenFunction;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.StructType;

/**
 * A fasttok function as Spark's catalog and the extension find it: {@link TokenFunction#ALL}
 * names it, and its class is the function's {@link TokenFunction#className()} in this package
 * (see {@link FasttokFunctions}).
 */
abstract class UnboundTokenFunction implements UnboundFunction {
  private static final long serialVersionUID = 1L;

  final TokenFunction function;

  UnboundTokenFunction(TokenFunction function) {
    this.function = function;
  }

  @Override
  public String name() {
    return function.name();
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    return bind(inputType, SessionVocabularies.resolverForActiveSession(null), false);
  }

  /**
   * The bound function for these argument types.
   *
   * @param nullsHandled the caller returns NULL for NULL arguments itself (the extension's
   *     functions do), so a form returning a primitive can be used whatever the nullability
   * @throws UnsupportedOperationException for a wrong number or type of arguments
   */
  abstract TokenFunctionBase<?> bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled);
}
