package dev.fasttok.spark;

import static dev.fasttok.spark.SparkTestSupport.assertAnalysisError;
import static dev.fasttok.spark.SparkTestSupport.assertDataFrameEquals;
import static dev.fasttok.spark.TokenFunctions.chunkTokens;
import static dev.fasttok.spark.TokenFunctions.countChatTokens;
import static dev.fasttok.spark.TokenFunctions.countTokens;
import static dev.fasttok.spark.TokenFunctions.decodeTokens;
import static dev.fasttok.spark.TokenFunctions.encodeTokens;
import static dev.fasttok.spark.TokenFunctions.truncateTokens;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Golden;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java DataFrame API (TokenFunctions), compared with tiktoken's golden ids as whole
 * DataFrames (spark-testing-base's assertDataFrameEquals on the Spark 3.5 build).
 */
class DataFrameFunctionsTest {
  static SparkSession spark;
  static Dataset<Row> docs;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
    docs = SparkTestSupport.goldenDocs(spark).orderBy("doc_set", "i").cache();
  }

  /** Golden rows (doc_set, i, ...values) in the order of {@link #docs}. */
  interface Value {
    Object of(String set, int i, String text);
  }

  static List<Row> expectedRows(Value... values) {
    List<Object[]> rows = new ArrayList<>();
    for (String set : SparkTestSupport.SETS) {
      List<String> texts = Golden.docs(set);
      for (int i = 0; i < texts.size(); i++) {
        if (!SparkTestSupport.wellFormedUtf16(texts.get(i))) continue;
        Object[] r = new Object[2 + values.length];
        r[0] = set;
        r[1] = i;
        for (int v = 0; v < values.length; v++) r[2 + v] = values[v].of(set, i, texts.get(i));
        rows.add(r);
      }
    }
    rows.sort(Comparator.<Object[], String>comparing(r -> (String) r[0]).thenComparing(r -> (Integer) r[1]));
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) out.add(RowFactory.create(r));
    return out;
  }

  @Test
  void chatCountsMatchTiktoken() {
    List<Golden.ChatCase> cases = Golden.chatCases();
    List<Row> rows = new ArrayList<>();
    for (Golden.ChatCase c : cases) {
      List<Row> messages = new ArrayList<>();
      for (dev.fasttok.ChatMessage m : c.messages()) messages.add(RowFactory.create(m.role(), m.content(), m.name()));
      rows.add(RowFactory.create(c.index(), messages));
    }
    Dataset<Row> chats = spark.createDataFrame(rows, org.apache.spark.sql.types.StructType.fromDDL(
        "i INT, messages ARRAY<STRUCT<role: STRING, content: STRING, name: STRING>>"));
    List<Row> actual = chats.select(col("i"), countChatTokens(col("messages"), "gpt-3.5-turbo-0301"),
        countChatTokens(col("messages"), lit("gpt-oss-20b")), countChatTokens(col("messages"))).collectAsList();
    assertEquals(cases.size(), actual.size());
    for (Row r : actual) {
      Golden.ChatCase c = cases.get(r.getInt(0));
      assertEquals(c.counts().get("gpt-3.5-turbo-0301"), r.getInt(1), "#" + c.index());
      assertEquals(c.counts().get("gpt-oss-20b"), r.getInt(2), "#" + c.index());
      assertEquals(c.counts().get("gpt-4o"), r.getInt(3), "default #" + c.index());
    }
  }

  @Test
  void encodeAndCountMatchTiktoken() {
    for (String enc : SparkTestSupport.ENCODINGS) {
      Dataset<Row> actual = docs.select(col("doc_set"), col("i"), encodeTokens(col("text"), enc).as("ids"),
          countTokens(col("text"), enc).as("n"), countTokens(col("text"), lit(enc)).as("n2"));
      Dataset<Row> expected = spark.createDataFrame(expectedRows(
          (s, i, t) -> SparkTestSupport.list(Golden.ids(enc, s).get(i)),
          (s, i, t) -> Golden.ids(enc, s).get(i).length,
          (s, i, t) -> Golden.ids(enc, s).get(i).length), actual.schema());
      assertDataFrameEquals(expected, actual);
    }
    Dataset<Row> actual = docs.select(col("doc_set"), col("i"), encodeTokens(col("text")).as("ids"),
        countTokens(col("text")).as("n"));
    Dataset<Row> expected = spark.createDataFrame(expectedRows(
        (s, i, t) -> SparkTestSupport.list(Golden.ids("o200k_base", s).get(i)),
        (s, i, t) -> Golden.ids("o200k_base", s).get(i).length), actual.schema());
    assertDataFrameEquals(expected, actual);
  }

  @Test
  void decodeTruncateAndChunk() {
    Dataset<Row> actual = docs.select(col("doc_set"), col("i"),
        decodeTokens(encodeTokens(col("text"), "cl100k_base"), "cl100k_base").as("decoded"),
        decodeTokens(encodeTokens(col("text"))).as("decoded_default"),
        functions.expr("text").startsWith(truncateTokens(col("text"), 3, "cl100k_base")).as("prefix"),
        countTokens(truncateTokens(col("text"), 3)).leq(3).as("at_most_3"),
        functions.concat_ws("", functions.transform(chunkTokens(col("text"), 5), c -> c.getField("text"))).as("joined"),
        functions.aggregate(chunkTokens(col("text"), 4, 1, "r50k_base"), lit(0),
            (acc, c) -> functions.greatest(acc, c.getField("token_count"))).as("max_chunk"));
    Dataset<Row> expected = spark.createDataFrame(expectedRows(
        (s, i, t) -> t, (s, i, t) -> t, (s, i, t) -> true, (s, i, t) -> true, (s, i, t) -> t,
        (s, i, t) -> Math.min(4, Golden.ids("r50k_base", s).get(i).length)), actual.schema());
    assertDataFrameEquals(expected, actual);
  }

  @Test
  void encodingsFromColumnsAndSpecialTokens() {
    List<Row> r = spark.sql("SELECT 'hi <|endoftext|>' AS t, 'cl100k_base' AS e, 'all' AS a, 'hello world again' AS h")
        .select(encodeTokens(col("t"), col("e"), col("a")), encodeTokens(col("t"), "cl100k_base", "<|endoftext|>"),
            encodeTokens(col("t"), "cl100k_base"), decodeTokens(functions.array(lit(6151)), col("e")),
            truncateTokens(col("t"), lit(1), col("e")), chunkTokens(col("h"), lit(2), lit(0), col("e")))
        .collectAsList();
    assertEquals(List.of(6151, 220, 100257), r.get(0).getList(0));
    assertEquals(List.of(6151, 220, 100257), r.get(0).getList(1));
    assertTrue(r.get(0).getList(2).size() > 3, "special-token text is plain text by default");
    assertEquals("hi", r.get(0).getString(3));
    assertEquals("hi", r.get(0).getString(4));
    assertEquals(2, r.get(0).getList(5).size());
  }

  @Test
  void allowedSpecialAsAList() {
    Dataset<Row> special = docs.where("doc_set = 'special'").orderBy("i");
    for (String enc : SparkTestSupport.ENCODINGS) {
      List<Row> rows = special.select(col("i"), encodeTokens(col("text"), enc, List.of("<|endoftext|>")),
          encodeTokens(col("text"), enc, List.of()), encodeTokens(col("text"), enc, (List<String>) null)).collectAsList();
      assertEquals(Golden.docs("special").stream().filter(SparkTestSupport::wellFormedUtf16).count(), rows.size());
      for (Row r : rows) {
        int i = r.getInt(0);
        assertEquals(SparkTestSupport.list(Golden.idsSpecialEndOfText(enc).get(i)), r.getList(1), enc + " " + i);
        assertEquals(SparkTestSupport.list(Golden.ids(enc, "special").get(i)), r.getList(2), enc + " " + i);
        assertTrue(r.isNullAt(3));
      }
    }
    assertAnalysisError(() -> docs.select(encodeTokens(col("text"), "cl100k_base", List.of("<|nope|>"))).collectAsList(),
        "'<|nope|>'", "not a special token of cl100k_base");
  }

  @Test
  void namesAndErrors() {
    Dataset<Row> df = docs.select(countTokens(col("text")), encodeTokens(col("text"), "cl100k_base"));
    assertEquals(List.of("count_tokens(text)", "encode_tokens(text, cl100k_base)"), List.of(df.columns()));
    assertAnalysisError(() -> docs.select(countTokens(col("text"), "nope")), "unknown encoding 'nope'");
    assertAnalysisError(() -> docs.select(countTokens(col("i"))), "argument 1 (text) must be STRING, got INT");
    assertAnalysisError(() -> truncateTokens(col("text"), -2), "max_tokens must not be negative, got -2");
    assertAnalysisError(() -> chunkTokens(col("text"), 3, 5), "overlap must be at least 0 and less than size (3), got 5");
    // The catalog route (without the extension) resolves the same functions.
    assertEquals("fasttok", TokenFunctions.catalogName(spark));
    assertEquals(2, docs.limit(1).select(functions.call_function("fasttok.count_tokens", lit("hello world")))
        .collectAsList().get(0).getInt(0));
  }
}
