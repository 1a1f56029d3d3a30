package dev.fasttok.spark;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Spark 3.5 has no Connect ML (it came with 4.0): nothing to send. */
final class ConnectMl {
  private ConnectMl() {}

  static final boolean SUPPORTED = false;

  static void transform(SparkSession spark, Dataset<Row> df, Map<String, Object> results) {}
}
