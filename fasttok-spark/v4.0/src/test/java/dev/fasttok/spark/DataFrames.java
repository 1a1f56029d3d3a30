package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Row comparison on Spark 4.0, where spark-testing-base has no build: the collected rows. */
final class DataFrames {
  private DataFrames() {}

  static void assertRowsEqual(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.collectAsList(), actual.collectAsList());
  }
}
