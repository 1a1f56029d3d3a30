package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fasttok.Golden;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Helpers of the Spark tests: golden documents as a DataFrame, collected values, error checks. */
public final class SparkTestSupport {
  private SparkTestSupport() {}

  /** Golden sets the Spark tests use: all but lone surrogates, which Spark's strings cannot hold. */
  public static final List<String> SETS = new ArrayList<>(Golden.SETS);

  static {
    SETS.remove("surrogates");
  }

  /** Encodings with golden ids for every set. */
  public static final List<String> ENCODINGS = List.of("r50k_base", "p50k_base", "cl100k_base", "o200k_base");

  public static final StructType DOCS_SCHEMA = new StructType()
      .add("doc_set", DataTypes.StringType, false)
      .add("i", DataTypes.IntegerType, false)
      .add("text", DataTypes.StringType, true);

  /** Every golden document (of {@link #SETS}) as rows (doc_set, i, text), in 4 partitions. */
  public static Dataset<Row> goldenDocs(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (String set : SETS) {
      List<String> docs = Golden.docs(set);
      for (int i = 0; i < docs.size(); i++) {
        if (!wellFormedUtf16(docs.get(i))) continue;
        rows.add(RowFactory.create(set, i, docs.get(i)));
      }
    }
    return spark.createDataFrame(rows, DOCS_SCHEMA).repartition(4);
  }

  static boolean wellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** An ARRAY<INT> value of a row as int[] (null for NULL). */
  public static int[] ints(Row row, int field) {
    if (row.isNullAt(field)) return null;
    List<Object> l = row.getList(field);
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
    return a;
  }

  public static List<Integer> list(int[] ids) {
    List<Integer> l = new ArrayList<>(ids.length);
    for (int id : ids) l.add(id);
    return l;
  }

  /** The messages of a throwable and its causes, joined. */
  public static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    return sb.toString();
  }

  /** Runs the action, which must fail with a message (of the error or a cause) containing each text. */
  public static Throwable assertFails(Runnable action, String... texts) {
    try {
      action.run();
    } catch (Throwable t) {
      String m = messages(t);
      for (String text : texts) assertTrue(m.contains(text), "expected '" + text + "' in:\n" + m);
      return t;
    }
    fail("expected a failure mentioning " + String.join(", ", texts));
    return null;
  }

  /** Runs the action, which must throw an AnalysisException whose message contains each text. */
  public static void assertAnalysisError(Runnable action, String... texts) {
    Throwable t = assertFails(action, texts);
    assertTrue(t instanceof org.apache.spark.sql.AnalysisException, "expected an AnalysisException, got " + messages(t));
  }

  /**
   * Asserts two DataFrames are equal: same schema, same rows in the same order (rows compared by
   * {@link DataFrames}, which each Spark version's tests have their own of).
   */
  public static void assertDataFrameEquals(Dataset<Row> expected, Dataset<Row> actual) {
    assertEquals(expected.schema(), actual.schema());
    DataFrames.assertRowsEqual(expected, actual);
  }
}
