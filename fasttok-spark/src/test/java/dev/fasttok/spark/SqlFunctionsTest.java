package dev.fasttok.spark;

import static dev.fasttok.spark.SparkTestSupport.assertAnalysisError;
import static dev.fasttok.spark.SparkTestSupport.assertFails;
import static dev.fasttok.spark.SparkTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Golden;
import dev.fasttok.sql.TokenFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only Spark has of the SQL functions (the SQL they share with Flink is tested by
 * {@link SparkSqlConformanceTest} and {@link SparkCatalogSqlConformanceTest}): the session's
 * configuration, literals checked at analysis, codegen and its NULL handling, UTF8String bytes,
 * result names and types, the catalog and the extension.
 */
class SqlFunctionsTest {
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
    SparkTestSupport.goldenDocs(spark).cache().createOrReplaceTempView("golden_docs");
  }

  private static List<Row> sql(String query) {
    return spark.sql(query).collectAsList();
  }

  private static final Map<String, List<int[]>> GOLDEN = new HashMap<>();

  /** tiktoken's ids of a golden document. */
  static synchronized int[] golden(String encoding, String set, int i) {
    return GOLDEN.computeIfAbsent(encoding + "/" + set, k -> Golden.ids(encoding, set)).get(i);
  }

  private static String where(Row r) {
    return r.getString(0) + "[" + r.getInt(1) + "]";
  }

  @Test
  void defaultEncodingFollowsTheSessionConf() {
    spark.conf().set(FasttokConf.ENCODING, "cl100k_base");
    try {
      List<Row> rows = sql("SELECT doc_set, i, encode_tokens(text), fasttok.count_tokens(text) FROM golden_docs");
      for (Row r : rows) {
        int[] expected = golden("cl100k_base", r.getString(0), r.getInt(1));
        assertArrayEquals(expected, ints(r, 2), where(r));
        assertEquals(expected.length, r.getInt(3), where(r));
      }
      spark.conf().set(FasttokConf.ENCODING, "nope");
      assertAnalysisError(() -> spark.sql("SELECT count_tokens('x')"), "spark.fasttok.encoding", "'nope'");
    } finally {
      spark.conf().unset(FasttokConf.ENCODING);
    }
  }

  @Test
  void arrayLiteralsAreCheckedAtAnalysis() {
    // array() is ARRAY<VOID>: no special tokens.
    Row r = sql("SELECT encode_tokens('a<|endoftext|>', 'cl100k_base', array()),"
        + " fasttok.encode_tokens('a<|endoftext|>', 'cl100k_base', array()), encode_tokens('a<|endoftext|>', 'cl100k_base')")
        .get(0);
    assertEquals(SparkTestSupport.list(ints(r, 2)), SparkTestSupport.list(ints(r, 0)));
    assertEquals(SparkTestSupport.list(ints(r, 2)), SparkTestSupport.list(ints(r, 1)));
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('x', 'cl100k_base', array('<|endoftext|>', '<|nope|>'))"),
        "'<|nope|>'", "not a special token of cl100k_base");
    // In an array, 'all' and ' <|endoftext|>' are names like any other.
    assertAnalysisError(() -> spark.sql("SELECT fasttok.encode_tokens('x', 'cl100k_base', array('all'))"),
        "'all'", "not a special token of cl100k_base");
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('x', 'cl100k_base', array(' <|endoftext|>'))"),
        "' <|endoftext|>'", "not a special token");
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('x', 'cl100k_base', array('<|endoftext|>', NULL))"),
        "allowed_special has a NULL element (element 2 of 2)");
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('x', 'cl100k_base', array(1))"),
        "argument 3 (allowed_special) must be STRING or ARRAY<STRING>, got ARRAY<INT>");
    // Not literals: clear errors when the query runs.
    assertFails(() -> spark.range(2).selectExpr("encode_tokens('x', 'cl100k_base', if(id < 0, array(),"
        + " array(CAST(NULL AS STRING))))").collectAsList(), "allowed_special has a NULL element (element 1 of 1)");
    assertFails(() -> spark.range(2).selectExpr("fasttok.encode_tokens('x', 'o200k_base', if(id < 0, array(),"
        + " array('<|fim_prefix|>')))").collectAsList(), "'<|fim_prefix|>'", "not a special token of o200k_base");
  }

  @Test
  void decodeOfAnEmptyArrayLiteral() {
    assertEquals("", sql("SELECT decode_tokens(array())").get(0).getString(0));
    assertEquals("", sql("SELECT fasttok.decode_tokens(cast(array() AS array<int>))").get(0).getString(0));
  }

  @Test
  void nullInNullOut() {
    String[] calls = {
        "count_tokens(NULL)", "count_tokens(t)", "count_tokens('a', NULL)", "count_tokens('a', e)",
        "count_tokens(t, 'cl100k_base')", "encode_tokens(NULL)", "encode_tokens(t)", "encode_tokens('a', e)",
        "encode_tokens('a', 'o200k_base', NULL)", "encode_tokens('a', 'o200k_base', e)", "decode_tokens(NULL)",
        "decode_tokens(ids)", "decode_tokens(array(1), e)", "truncate_tokens(NULL, 3)", "truncate_tokens(t, 3)",
        "truncate_tokens('a', n)", "truncate_tokens('a', NULL)", "truncate_tokens('a', 3, e)",
        "chunk_tokens(NULL, 3)", "chunk_tokens(t, 3)", "chunk_tokens('a', n)", "chunk_tokens('a', 3, n)",
        "chunk_tokens('a', 3, 1, e)", "chunk_tokens('a', NULL, 1)"};
    String from = " FROM VALUES (CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS ARRAY<INT>),"
        + " CAST(NULL AS INT)) AS v(t, e, ids, n)";
    for (String mode : new String[] {"CODEGEN_ONLY", "NO_CODEGEN"}) {
      spark.conf().set("spark.sql.codegen.factoryMode", mode);
      try {
        for (String call : calls) {
          for (String f : new String[] {call, "fasttok." + call}) {
            List<Row> rows = sql("SELECT " + f + from);
            assertTrue(rows.get(0).isNullAt(0), f + " in " + mode);
            // And from a column that is not constant-folded: a cached table, over executors.
          }
        }
      } finally {
        spark.conf().unset("spark.sql.codegen.factoryMode");
      }
    }
    spark.createDataFrame(List.of(RowFactory.create("a b", "o200k_base"), RowFactory.create(null, "o200k_base"),
        RowFactory.create("a b", null)), new StructType().add("t", DataTypes.StringType).add("e", DataTypes.StringType))
        .repartition(2).createOrReplaceTempView("nullable_texts");
    for (String mode : new String[] {"CODEGEN_ONLY", "NO_CODEGEN"}) {
      spark.conf().set("spark.sql.codegen.factoryMode", mode);
      spark.conf().set("spark.sql.codegen.wholeStage", String.valueOf(mode.equals("CODEGEN_ONLY")));
      try {
        List<Row> rows = sql("SELECT t, e, count_tokens(t, e), fasttok.count_tokens(t, e), encode_tokens(t, e),"
            + " fasttok.truncate_tokens(t, 1, e), chunk_tokens(t, 1, 0, e), count_tokens(t) FROM nullable_texts");
        for (Row r : rows) {
          boolean isNull = r.isNullAt(0) || r.isNullAt(1);
          for (int c = 2; c <= 6; c++) assertEquals(isNull, r.isNullAt(c), "column " + c + " of " + r + " in " + mode);
          assertEquals(r.isNullAt(0), r.isNullAt(7));
          if (!isNull) {
            assertEquals(2, r.getInt(2));
            assertEquals(2, r.getInt(3));
            assertEquals("a", r.getString(5));
          }
        }
      } finally {
        spark.conf().unset("spark.sql.codegen.factoryMode");
        spark.conf().unset("spark.sql.codegen.wholeStage");
      }
    }
  }

  @Test
  void emptyText() {
    for (String p : new String[] {"", "fasttok."}) {
      Row r = sql("SELECT " + p + "count_tokens(''), " + p + "encode_tokens(''), " + p + "truncate_tokens('', 5), "
          + p + "chunk_tokens('', 5), " + p + "encode_tokens('', 'cl100k_base', 'all'), " + p + "truncate_tokens('abc', 0)")
          .get(0);
      assertEquals(0, r.getInt(0));
      assertEquals(0, r.getList(1).size());
      assertEquals("", r.getString(2));
      assertEquals(0, r.getList(3).size());
      assertEquals(0, r.getList(4).size());
      assertEquals("", r.getString(5));
    }
  }

  @Test
  void unknownEncodingLiteralIsAnAnalysisError() {
    for (String q : new String[] {"count_tokens('x', 'nope')", "encode_tokens('x', 'nope')",
        "encode_tokens('x', 'nope', 'all')", "decode_tokens(array(1), 'nope')", "truncate_tokens('x', 1, 'nope')",
        "chunk_tokens('x', 2, 0, 'nope')", "count_tokens('x', concat('no', 'pe'))"}) {
      assertAnalysisError(() -> spark.sql("SELECT " + q), "unknown encoding 'nope'", "o200k_base");
      // The catalog's functions are checked by the extension's check rule.
      assertAnalysisError(() -> spark.sql("SELECT fasttok." + q), "unknown encoding 'nope'");
    }
    assertAnalysisError(() -> spark.range(1).selectExpr("count_tokens(cast(id AS string), 'nope')"), "'nope'");
  }

  @Test
  void messagesNameSparksTypes() {
    assertAnalysisError(() -> spark.sql("SELECT truncate_tokens('a', 'b')"),
        "truncate_tokens(text, max_tokens): argument 2 (max_tokens) must be INT, got STRING");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.decode_tokens(array('a'))"),
        "decode_tokens(ids): argument 1 (ids) must be ARRAY<INT>, got ARRAY<STRING>");
    assertAnalysisError(() -> spark.sql("SELECT chunk_tokens('a', 1.5)"),
        "chunk_tokens(text, size): argument 2 (size) must be INT, got DECIMAL(2,1)");
  }

  @Test
  void truncateOfIllFormedUtf8KeepsWholeCharacters() {
    // "€", a stray 0xFF, "123": the first token is "€" (its three bytes), as for the text with U+FFFD.
    Row r = sql("SELECT hex(CAST(truncate_tokens(CAST(X'E282ACFF313233' AS STRING), 1, 'cl100k_base') AS BINARY)),"
        + " hex(CAST(truncate_tokens(CAST(X'E282ACFF313233' AS STRING), 2, 'cl100k_base') AS BINARY))").get(0);
    assertEquals("E282AC", r.getString(0));
    assertEquals("E282ACFF", r.getString(1));
  }

  @Test
  void chunksAreAnArrayOfStructs() {
    Row r = sql("SELECT chunk_tokens('hello world again', 2)").get(0);
    List<Row> chunks = r.getList(0);
    assertEquals(List.of("hello world", " again"), List.of(chunks.get(0).getString(0), chunks.get(1).getString(0)));
    assertEquals(List.of(0, 2, 2, 1), List.of(chunks.get(0).getInt(1), chunks.get(0).getInt(2), chunks.get(1).getInt(1),
        chunks.get(1).getInt(2)));
    // Ids from tiktoken: o200k_base encode("hello world again") = [24912, 2375, 2418].
    assertEquals(List.of(24912, 2375), chunks.get(0).getList(3));
    assertEquals(List.of(2418), chunks.get(1).getList(3));
    assertEquals(DataTypes.createArrayType(ChunkTokens.CHUNK, false),
        spark.sql("SELECT chunk_tokens('x', 2) AS c").schema().apply("c").dataType());
    assertEquals("struct<text:string,token_start:int,token_count:int,ids:array<int>>", ChunkTokens.CHUNK.simpleString());
  }

  @Test
  void resultsAreNamedLikeSparksFunctionsAndWorkInsideOtherExpressions() {
    org.apache.spark.sql.Dataset<Row> df = spark.sql("SELECT count_tokens(text), encode_tokens(text, 'cl100k_base'),"
        + " count_tokens(text) AS n FROM golden_docs");
    assertEquals(List.of("count_tokens(text)", "encode_tokens(text, cl100k_base)", "n"), Arrays.asList(df.columns()));
    long total = 0;
    for (Row r : sql("SELECT doc_set, i FROM golden_docs")) total += golden("o200k_base", r.getString(0), r.getInt(1)).length;
    assertEquals(total, sql("SELECT sum(count_tokens(text)) FROM golden_docs").get(0).getLong(0));
    assertEquals(total, sql("SELECT sum(fasttok.count_tokens(text)) FROM golden_docs").get(0).getLong(0));
    // GROUP BY, WHERE, explode.
    List<Row> grouped = sql("SELECT count_tokens(text) AS n, count(*) FROM golden_docs WHERE count_tokens(text) < 5"
        + " GROUP BY count_tokens(text) ORDER BY n");
    long small = 0;
    for (Row g : grouped) {
      assertTrue(g.getInt(0) < 5);
      small += g.getLong(1);
    }
    assertEquals(small, sql("SELECT count(*) FROM golden_docs WHERE fasttok.count_tokens(text) < 5").get(0).getLong(0));
    List<Row> exploded = sql("SELECT c.text, c.token_count FROM (SELECT explode(chunk_tokens('one two three four', 2)) AS c)");
    assertEquals(2, exploded.size());
    assertEquals("one two", exploded.get(0).getString(0));
    assertNull(sql("SELECT count_tokens(CAST(NULL AS STRING)) + 1").get(0).get(0));
  }

  @Test
  void extensionCallsThePrimitiveFormAndTheCatalogTheNullableOneWhenNeeded() throws Exception {
    String ext = spark.sql("SELECT count_tokens(text) FROM golden_docs").queryExecution().analyzed().toString();
    assertTrue(ext.contains("count_tokens.invoke"), ext);
    java.util.Set<Class<?>> seen = new java.util.HashSet<>();
    for (String q : new String[] {"SELECT count_tokens(text) FROM golden_docs",
        "SELECT fasttok.count_tokens(text) FROM golden_docs", "SELECT fasttok.count_tokens(doc_set) FROM golden_docs"}) {
      spark.sql(q).queryExecution().analyzed().foreach(node -> {
        node.expressions().foreach(x -> {
          x.foreach(y -> {
            if (y instanceof org.apache.spark.sql.catalyst.expressions.Literal
                && ((org.apache.spark.sql.catalyst.expressions.Literal) y).value() instanceof TokenFunctionBase) {
              seen.add(((org.apache.spark.sql.catalyst.expressions.Literal) y).value().getClass());
            }
            return scala.runtime.BoxedUnit.UNIT;
          });
          return scala.runtime.BoxedUnit.UNIT;
        });
        return scala.runtime.BoxedUnit.UNIT;
      });
    }
    // Extension: Spark handles NULLs, int result. Catalog: NULL text possible -> Integer; NOT NULL column -> int.
    assertEquals(java.util.Set.of(CountTokens.Bound.class, CountTokens.NullableBound.class), seen);
    assertEquals(int.class, CountTokens.Bound.class.getMethod("invoke", org.apache.spark.unsafe.types.UTF8String.class)
        .getReturnType());
    FasttokCatalog catalog = new FasttokCatalog();
    catalog.initialize("fasttok", org.apache.spark.sql.util.CaseInsensitiveStringMap.empty());
    assertEquals(List.of("count_tokens", "encode_tokens", "decode_tokens", "truncate_tokens", "chunk_tokens",
        "count_chat_tokens"),
        Arrays.stream(catalog.listFunctions(new String[0])).map(i -> i.name()).collect(java.util.stream.Collectors.toList()));
    List<Row> described = sql("DESCRIBE FUNCTION count_tokens");
    assertTrue(described.toString().contains("count_tokens(text [, encoding])"), described.toString());
  }

  @Test
  void everyFunctionOfTheRegistryHasItsClassAndNothingElseIsRegistered() throws Exception {
    FasttokCatalog catalog = new FasttokCatalog();
    catalog.initialize("fasttok", org.apache.spark.sql.util.CaseInsensitiveStringMap.empty());
    List<String> names = new ArrayList<>();
    for (TokenFunction f : TokenFunction.ALL) names.add(f.name());
    assertEquals(names, Arrays.stream(catalog.listFunctions(new String[0])).map(i -> i.name())
        .collect(java.util.stream.Collectors.toList()));
    com.esotericsoftware.kryo.Kryo kryo = new com.esotericsoftware.kryo.Kryo();
    kryo.setRegistrationRequired(true);
    new FasttokKryoRegistrator().registerClasses(kryo);
    for (TokenFunction f : TokenFunction.ALL) {
      Class<?> c = Class.forName("dev.fasttok.spark." + f.className());
      org.apache.spark.sql.connector.catalog.functions.UnboundFunction u =
          catalog.loadFunction(org.apache.spark.sql.connector.catalog.Identifier.of(new String[0], f.name()));
      assertEquals(c, u.getClass());
      assertEquals(f.name(), u.name());
      assertTrue(u.description().startsWith(f.usage() + " - "), u.description());
      assertTrue(sql("DESCRIBE FUNCTION " + f.name()).toString().contains(f.usage()), f.name());
      kryo.getRegistration(c);
      int bound = 0;
      for (Class<?> nested : c.getDeclaredClasses()) {
        if (TokenFunctionBase.class.isAssignableFrom(nested)) {
          kryo.getRegistration(nested);
          bound++;
        }
      }
      assertTrue(bound > 0, f.name());
    }
    assertFails(() -> {
      try {
        catalog.loadFunction(org.apache.spark.sql.connector.catalog.Identifier.of(new String[0], "token_functions"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "token_functions");
    assertAnalysisError(() -> spark.sql("SELECT token_functions('x')"), "token_functions");
  }
}
