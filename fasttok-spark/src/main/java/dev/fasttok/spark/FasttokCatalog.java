package dev.fasttok.spark;

import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * fasttok's SQL functions as a Spark function catalog:
 *
 * <pre>
 * spark.sql.catalog.fasttok=dev.fasttok.spark.FasttokCatalog
 *
 * SELECT fasttok.count_tokens(text), fasttok.encode_tokens(text, 'cl100k_base') FROM docs
 * </pre>
 *
 * <p>The functions live in the catalog's root namespace: {@code <catalog>.<function>}. With the
 * catalog alone, an unknown encoding given as a literal is reported when the query first runs;
 * add {@link FasttokExtensions} to have it reported when the query is analysed.
 */
public class FasttokCatalog implements FunctionCatalog {
  private String name = "fasttok";

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Identifier[] listFunctions(String[] namespace) throws NoSuchNamespaceException {
    if (namespace.length != 0) throw new NoSuchNamespaceException(namespace);
    return FasttokFunctions.ALL.keySet().stream().map(f -> Identifier.of(new String[0], f)).toArray(Identifier[]::new);
  }

  @Override
  public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
    UnboundFunction f = ident.namespace().length == 0
        ? FasttokFunctions.ALL.get(ident.name().toLowerCase(java.util.Locale.ROOT)) : null;
    if (f == null) throw new NoSuchFunctionException(ident);
    return f;
  }
}
