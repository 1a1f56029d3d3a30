package dev.fasttok.spark;

import com.holdenkarau.spark.testing.JavaRDDComparisons;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Row comparison on Spark 3.5: spark-testing-base's {@code JavaRDDComparisons}, on the rows as JSON
 * lines (its DataFrame suite needs Hive on the class path, and Kryo with registration required
 * would need Spark's Row classes registered to shuffle rows).
 */
final class DataFrames {
  private DataFrames() {}

  static void assertRowsEqual(Dataset<Row> expected, Dataset<Row> actual) {
    JavaRDDComparisons.assertRDDEqualsWithOrder(expected.toJSON().javaRDD(), actual.toJSON().javaRDD());
  }
}
