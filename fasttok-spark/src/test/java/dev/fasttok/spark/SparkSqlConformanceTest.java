package dev.fasttok.spark;

import dev.fasttok.sql.SqlConformanceTest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;

/** The SQL conformance suite on Spark, through the unqualified functions of {@link FasttokExtensions}. */
class SparkSqlConformanceTest extends SqlConformanceTest {
  static SparkSession spark;

  @BeforeAll
  static void registerViews() {
    spark = SharedSpark.get();
    for (View v : views()) {
      List<Row> rows = new ArrayList<>();
      StructType schema = StructType.fromDDL(v.columns);
      for (List<Object> r : v.rows) {
        Object[] values = r.toArray();
        for (int i = 0; i < values.length; i++) values[i] = structs(values[i], schema.fields()[i].dataType());
        rows.add(RowFactory.create(values));
      }
      Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);
      // Cached: read over executors like a table, not folded into the plan like VALUES.
      df.cache().createOrReplaceTempView(v.name);
    }
  }

  @Override
  protected List<List<Object>> rows(String sql) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : spark.sql(sql).collectAsList()) out.add(plain(r));
    return out;
  }

  @Override
  protected void plan(String sql) {
    try {
      spark.sql(sql); // analysed at once
    } catch (Exception e) {
      if (!(e instanceof AnalysisException)) throw new AssertionError("expected an AnalysisException", e);
      throw new IllegalStateException(e);
    }
  }

  /** An array of structs given as lists (chat messages), as Rows. */
  private static Object structs(Object value, DataType type) {
    if (!(value instanceof List) || !(((ArrayType) type).elementType() instanceof StructType)) return value;
    List<Object> out = new ArrayList<>();
    for (Object e : (List<?>) value) out.add(e == null ? null : RowFactory.create(((List<?>) e).toArray()));
    return out;
  }

  @Override
  protected String struct(List<String> names, List<String> values) {
    StringBuilder sb = new StringBuilder("named_struct(");
    for (int i = 0; i < names.size(); i++) sb.append(i == 0 ? "'" : ", '").append(names.get(i)).append("', ").append(values.get(i));
    return sb.append(')').toString();
  }

  @Override
  protected String messagesType() {
    return View.MESSAGES;
  }

  @Override
  protected String array(String... elements) {
    return "array(" + String.join(", ", elements) + ")";
  }

  @Override
  protected String lateralChunks(String call) {
    return " LATERAL VIEW inline(" + call + ") c AS text, token_start, token_count, ids";
  }

  private static List<Object> plain(Row r) {
    List<Object> out = new ArrayList<>(r.size());
    for (int i = 0; i < r.size(); i++) {
      DataType t = r.schema().fields()[i].dataType();
      if (r.isNullAt(i)) {
        out.add(null);
      } else if (t instanceof ArrayType) {
        List<Object> a = new ArrayList<>();
        for (Object e : r.getList(i)) a.add(e instanceof Row ? plain((Row) e) : e);
        out.add(a);
      } else {
        out.add(r.get(i) instanceof Row ? plain(r.getStruct(i)) : r.get(i));
      }
    }
    return out;
  }
}
