package dev.fasttok.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fasttok.spark.SparkTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.fasttok.corpus.HostileJsonLinesTest.Line;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostileJsonLinesTest}'s corpus to parquet output, which keeps the other fields as columns.
 * In a session of its own, without Kryo's registration requirement of the shared one: Spark's JSON
 * schema inference returns its types (ArrayType among them) through the serializer.
 */
class HostileJsonLinesParquetClusterTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path corpus;

  @BeforeAll
  static void setUp() throws IOException {
    // Run with the shared session's tests (a -Dtest pattern in their execution), it would get that one: skip.
    Assumptions.assumeTrue(SparkSession.getDefaultSession().isEmpty(), "needs a SparkContext of its own");
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("fasttok-hostile-parquet")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    corpus = HostileJsonLinesTest.writeCorpus(dir.resolve("hostile"));
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) spark.stop();
  }

  @Test
  void parquetKeepsTheOtherFieldsThatCanBeColumns() throws IOException {
    Path out = dir.resolve("parquet");
    JobSummary s = HostileJsonLinesTest.run(spark, "--input", corpus.toString(), "--output", out.toString(),
        "--keep-text");
    HostileJsonLinesTest.assertCounted(s, out);
    // Src and src (ambiguous to Spark), TEXT (the text column in another case) and tokens (the output's) are not
    // kept; the empty name is left out by Spark's schema inference; n (too long a number) and meta came only
    // in lines that are skipped.
    assertEquals(Set.of("Src", "src", "TEXT", "tokens"), new HashSet<>(s.droppedFields));
    assertEquals(List.of("a", "b", "c", "d", "id", "m", "x", "text", "tokens", "n_tokens"), s.columns);
    JsonNode j = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(4, j.get("output").get("dropped_fields").size());
    StructType schema = TokenizeCorpusTest.withTokens(new StructType().add("id", DataTypes.LongType)
        .add("a", DataTypes.DoubleType).add("c", DataTypes.DoubleType).add("d", DataTypes.DoubleType)
        .add("m", DataTypes.StringType).add("text", DataTypes.StringType));
    Dataset<Row> data = spark.read().schema(schema).parquet(out.resolve("data").toString());
    Map<Long, Line> byId = new HashMap<>();
    for (Line l : HostileJsonLinesTest.LINES) if (l.text != null || l.status == Documents.NULL) byId.put(l.id, l);
    List<Row> rows = data.where("id != 101").orderBy("id").collectAsList();
    assertEquals(byId.size() - 1, rows.size());
    for (Row r : rows) {
      Line l = byId.get(r.getLong(0));
      assertTrue(l != null, "row " + r.getLong(0));
      if (l.text == null) {
        assertTrue(r.isNullAt(5) && r.isNullAt(6), "NULL document " + l.id);
        continue;
      }
      assertEquals(l.text, r.getString(5));
      int[] ids = l.text.isEmpty() ? new int[0] : HostileJsonLinesTest.IDS.get(l.text);
      assertEquals(SparkTestSupport.list(ids), SparkTestSupport.list(SparkTestSupport.ints(r, 6)), "document " + l.id);
      if (l.id == 13) {
        assertEquals(Double.POSITIVE_INFINITY, r.getDouble(1));
        assertEquals(Double.parseDouble("123456789012345678901234567890123456789012345"), r.getDouble(2));
        assertEquals(0.0, r.getDouble(3));
      }
      if (l.id == 22) assertEquals("\uFFFD", r.getString(4));
    }
    // The 50 MB document (its ids are checked against tiktoken's in HostileJsonLinesTest).
    Row big = data.where("id = 101").selectExpr("n_tokens", "length(text)").first();
    String unit = HostileJsonLinesTest.UNIT;
    assertEquals(HostileJsonLinesTest.IDS.get(unit).length * HostileJsonLinesTest.REPEAT, big.getInt(0));
    assertEquals(unit.length() * HostileJsonLinesTest.REPEAT, big.getInt(1));
  }
}
