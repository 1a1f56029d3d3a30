package dev.fasttok.spark;

import dev.fasttok.sql.TokenFunction;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL conformance suite on Spark through the catalog ({@code fasttok.count_tokens(...)}): its
 * bound functions handle NULLs themselves, where the extension leaves them to Spark.
 */
class SparkCatalogSqlConformanceTest extends SparkSqlConformanceTest {
  private static final Pattern CALL = Pattern.compile("(?<![.\\w])(" + TokenFunction.ALL.stream()
      .map(TokenFunction::name).collect(Collectors.joining("|")) + ")\\(");

  private static String qualified(String sql) {
    return CALL.matcher(sql).replaceAll("fasttok.$1(");
  }

  @Override
  protected List<List<Object>> rows(String sql) {
    return super.rows(qualified(sql));
  }

  @Override
  protected void plan(String sql) {
    super.plan(qualified(sql));
  }
}
