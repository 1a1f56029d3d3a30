package dev.fasttok.spark;

import static dev.fasttok.spark.SparkTestSupport.ENCODINGS;
import static dev.fasttok.spark.SparkTestSupport.assertAnalysisError;
import static dev.fasttok.spark.SparkTestSupport.assertFails;
import static dev.fasttok.spark.SparkTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.Golden;
import java.nio.charset.StandardCharsets;
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
 * The SQL functions, unqualified (FasttokExtensions) and through the catalog (fasttok.*), checked
 * against the ids the real tiktoken wrote (src/test/resources/golden).
 */
class SqlFunctionsTest {
  static SparkSession spark;
  static int docCount;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
    org.apache.spark.sql.Dataset<Row> docs = SparkTestSupport.goldenDocs(spark).cache();
    docCount = (int) docs.count();
    docs.createOrReplaceTempView("golden_docs");
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
  void encodeAndCountMatchTiktokenForEveryEncodingBothWays() {
    for (String enc : ENCODINGS) {
      List<Row> rows = sql("SELECT doc_set, i, encode_tokens(text, '" + enc + "'), fasttok.encode_tokens(text, '" + enc
          + "'), count_tokens(text, '" + enc + "'), fasttok.count_tokens(text, '" + enc + "') FROM golden_docs");
      assertEquals(docCount, rows.size());
      for (Row r : rows) {
        int[] expected = golden(enc, r.getString(0), r.getInt(1));
        assertArrayEquals(expected, ints(r, 2), enc + " " + where(r));
        assertArrayEquals(expected, ints(r, 3), enc + " catalog " + where(r));
        assertEquals(expected.length, r.getInt(4), enc + " count " + where(r));
        assertEquals(expected.length, r.getInt(5), enc + " catalog count " + where(r));
      }
    }
  }

  @Test
  void defaultEncodingIsO200kAndFollowsTheSessionConf() {
    List<Row> rows = sql("SELECT doc_set, i, encode_tokens(text), count_tokens(text), fasttok.count_tokens(text)"
        + " FROM golden_docs");
    for (Row r : rows) {
      int[] expected = golden("o200k_base", r.getString(0), r.getInt(1));
      assertArrayEquals(expected, ints(r, 2), where(r));
      assertEquals(expected.length, r.getInt(3), where(r));
      assertEquals(expected.length, r.getInt(4), where(r));
    }
    spark.conf().set(FasttokConf.ENCODING, "cl100k_base");
    try {
      rows = sql("SELECT doc_set, i, encode_tokens(text), fasttok.count_tokens(text) FROM golden_docs");
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
  void encodingFromAColumnChangesFromRowToRow() {
    List<Row> rows = sql("SELECT doc_set, i, e, encode_tokens(text, e), fasttok.count_tokens(text, e)"
        + " FROM golden_docs CROSS JOIN (SELECT explode(array('cl100k_base', 'r50k_base', 'o200k_base')) AS e)");
    assertEquals(3 * docCount, rows.size());
    for (Row r : rows) {
      int[] expected = golden(r.getString(2), r.getString(0), r.getInt(1));
      assertArrayEquals(expected, ints(r, 3), r.getString(2) + " " + where(r));
      assertEquals(expected.length, r.getInt(4));
    }
  }

  @Test
  void allowedSpecialAllMatchesTiktoken() {
    List<String> docs = Golden.docs("special");
    specialDocsView();
    for (String enc : List.of("r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base")) {
      List<int[]> expected = Golden.idsAllSpecial(enc);
      // Every special token listed by name must mean the same as 'all'.
      String listed = String.join(",", Encodings.get(enc).specialTokens().keySet());
      List<Row> rows = sql("SELECT doc_set, i, encode_tokens(text, '" + enc + "', 'all'), fasttok.encode_tokens(text, '"
          + enc + "', 'ALL'), encode_tokens(text, '" + enc + "', '" + listed + "') FROM special_docs");
      assertEquals(docs.size(), rows.size());
      for (Row r : rows) {
        int[] e = expected.get(r.getInt(1));
        assertArrayEquals(e, ints(r, 2), enc + " " + where(r));
        assertArrayEquals(e, ints(r, 3), enc + " catalog " + where(r));
        assertArrayEquals(e, ints(r, 4), enc + " listed " + where(r));
      }
      // 'none' and '' are plain text, as without the argument.
      rows = sql("SELECT doc_set, i, encode_tokens(text, '" + enc + "', 'none'), encode_tokens(text, '" + enc
          + "', '') FROM special_docs");
      for (Row r : rows) {
        if (enc.equals("p50k_edit")) continue; // no golden encode_ordinary for p50k_edit (same as p50k_base)
        int[] e = golden(enc, "special", r.getInt(1));
        assertArrayEquals(e, ints(r, 2), enc + " none " + where(r));
        assertArrayEquals(e, ints(r, 3), enc + " '' " + where(r));
      }
    }
  }

  private static void specialDocsView() {
    List<String> docs = Golden.docs("special");
    List<Row> input = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) input.add(RowFactory.create("special", i, docs.get(i)));
    spark.createDataFrame(input, SparkTestSupport.DOCS_SCHEMA).createOrReplaceTempView("special_docs");
  }

  /** {@code array('a', 'b')}. */
  private static String sqlArray(java.util.Collection<String> names) {
    StringBuilder sb = new StringBuilder("array(");
    for (String n : names) sb.append(sb.length() == 6 ? "" : ", ").append('\'').append(n).append('\'');
    return sb.append(')').toString();
  }

  @Test
  void allowedSpecialAsArrayMatchesTiktoken() {
    specialDocsView();
    int n = Golden.docs("special").size();
    for (String enc : ENCODINGS) {
      List<int[]> all = Golden.idsAllSpecial(enc);
      List<int[]> endOfText = Golden.idsSpecialEndOfText(enc);
      String names = sqlArray(Encodings.get(enc).specialTokens().keySet());
      // Literals (checked at analysis), a column (read at run time), both entry points.
      List<Row> rows = sql("SELECT doc_set, i, encode_tokens(text, '" + enc + "', " + names + "),"
          + " fasttok.encode_tokens(text, '" + enc + "', array('<|endoftext|>')),"
          + " encode_tokens(text, '" + enc + "', eot), fasttok.encode_tokens(text, '" + enc + "', eot),"
          + " encode_tokens(text, '" + enc + "', array()), fasttok.encode_tokens(text, '" + enc + "', none)"
          + " FROM special_docs CROSS JOIN (SELECT array('<|endoftext|>') AS eot, CAST(array() AS ARRAY<STRING>) AS none)");
      assertEquals(n, rows.size());
      for (Row r : rows) {
        int i = r.getInt(1);
        assertArrayEquals(all.get(i), ints(r, 2), enc + " all listed " + where(r));
        assertArrayEquals(endOfText.get(i), ints(r, 3), enc + " literal " + where(r));
        assertArrayEquals(endOfText.get(i), ints(r, 4), enc + " column " + where(r));
        assertArrayEquals(endOfText.get(i), ints(r, 5), enc + " catalog column " + where(r));
        assertArrayEquals(golden(enc, "special", i), ints(r, 6), enc + " empty " + where(r));
        assertArrayEquals(golden(enc, "special", i), ints(r, 7), enc + " empty column " + where(r));
      }
    }
  }

  @Test
  void allowedSpecialArrayNullsAndErrors() {
    Row r = sql("SELECT encode_tokens('x', 'cl100k_base', CAST(NULL AS ARRAY<STRING>)),"
        + " fasttok.encode_tokens('x', 'cl100k_base', CAST(NULL AS ARRAY<STRING>))").get(0);
    assertTrue(r.isNullAt(0));
    assertTrue(r.isNullAt(1));
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
  void specialTokensNotAllowedArePlainText() {
    String text = "a<|endoftext|>b<|fim_prefix|>c<|endoftext|>";
    Row r = sql("SELECT encode_tokens('" + text + "', 'cl100k_base', '<|endoftext|>'),"
        + " encode_tokens('a', 'cl100k_base'), encode_tokens('b<|fim_prefix|>c', 'cl100k_base'),"
        + " encode_tokens('" + text + "', 'cl100k_base', ' <|fim_prefix|> , <|endoftext|>')").get(0);
    int eot = 100257;
    List<Integer> expected = new ArrayList<>(SparkTestSupport.list(ints(r, 1)));
    expected.add(eot);
    expected.addAll(SparkTestSupport.list(ints(r, 2)));
    expected.add(eot);
    assertEquals(expected, SparkTestSupport.list(ints(r, 0)));
    assertFalse(SparkTestSupport.list(ints(r, 0)).contains(100258), "<|fim_prefix|> must be plain text");
    assertTrue(SparkTestSupport.list(ints(r, 3)).contains(100258));
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('x', 'cl100k_base', '<|endoftext|>,<|nope|>')"),
        "'<|nope|>'", "not a special token of cl100k_base");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.encode_tokens('x', 'o200k_base', '<|fim_prefix|>')"),
        "'<|fim_prefix|>'", "o200k_base");
    // Not a literal: a clear error when the query runs.
    assertFails(() -> spark.range(2).selectExpr("encode_tokens('x', 'cl100k_base', if(id < 0, 'all', '<|nope|>'))")
        .collectAsList(), "'<|nope|>'", "not a special token of cl100k_base");
  }

  @Test
  void decodeMatchesTiktokenAndRoundTrips() {
    for (String enc : List.of("cl100k_base", "o200k_base")) {
      List<Golden.DecodeCase> cases = Golden.decodeCases(enc);
      List<Row> input = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) input.add(RowFactory.create(i, SparkTestSupport.list(cases.get(i).ids)));
      StructType schema = new StructType().add("i", DataTypes.IntegerType)
          .add("ids", DataTypes.createArrayType(DataTypes.IntegerType));
      spark.createDataFrame(input, schema).createOrReplaceTempView("decode_cases");
      List<Row> rows = sql("SELECT i, decode_tokens(ids, '" + enc + "'), fasttok.decode_tokens(ids, '" + enc
          + "'), decode_tokens(cast(ids AS array<bigint>), '" + enc + "') FROM decode_cases");
      assertEquals(cases.size(), rows.size());
      for (Row r : rows) {
        String expected = cases.get(r.getInt(0)).text;
        assertEquals(expected, r.getString(1), enc + " case " + r.getInt(0));
        assertEquals(expected, r.getString(2));
        assertEquals(expected, r.getString(3));
      }
      // Every golden document comes back from its own ids.
      rows = sql("SELECT doc_set, i, text, decode_tokens(encode_tokens(text, '" + enc + "'), '" + enc + "'),"
          + " fasttok.decode_tokens(fasttok.encode_tokens(text, '" + enc + "'), '" + enc + "') FROM golden_docs");
      for (Row r : rows) {
        assertEquals(r.getString(2), r.getString(3), where(r));
        assertEquals(r.getString(2), r.getString(4), where(r));
      }
    }
  }

  @Test
  void decodeErrorsNameTheId() {
    assertFails(() -> sql("SELECT decode_tokens(array(15339, 999999999), 'cl100k_base')"), "999999999",
        "cl100k_base");
    assertFails(() -> sql("SELECT fasttok.decode_tokens(array(-1))"), "-1");
    assertFails(() -> sql("SELECT decode_tokens(array(cast(8589934592 AS bigint)))"), "8589934592");
    assertFails(() -> spark.range(1).selectExpr("decode_tokens(array(15339, if(id < 0, 1, NULL)))").collectAsList(),
        "NULL at index 1");
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
  void unknownEncodingFromAColumnFailsWhenTheQueryRunsNamingTheValue() {
    for (String p : new String[] {"", "fasttok."}) {
      assertFails(() -> spark.range(0, 4, 1, 2).selectExpr(p + "count_tokens(cast(id AS string),"
          + " if(id < 2, 'o200k_base', concat('bogus-', cast(id AS string))))").collectAsList(),
          "unknown encoding 'bogus-", "count_tokens");
    }
  }

  @Test
  void wrongArgumentTypesAndCounts() {
    assertAnalysisError(() -> spark.sql("SELECT count_tokens(1)"),
        "count_tokens(text): argument 1 (text) must be STRING, got INT");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.count_tokens(1)"),
        "count_tokens(text): argument 1 (text) must be STRING, got INT");
    assertAnalysisError(() -> spark.sql("SELECT count_tokens('a', 5)"),
        "count_tokens(text, encoding): argument 2 (encoding) must be STRING, got INT");
    assertAnalysisError(() -> spark.sql("SELECT truncate_tokens('a', 'b')"),
        "truncate_tokens(text, max_tokens): argument 2 (max_tokens) must be INT, got STRING");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.truncate_tokens('a', 5L)"),
        "argument 2 (max_tokens) must be INT, got BIGINT");
    assertAnalysisError(() -> spark.sql("SELECT decode_tokens('a')"),
        "decode_tokens(ids): argument 1 (ids) must be ARRAY<INT>, got STRING");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.decode_tokens(array('a'))"), "must be ARRAY<INT>, got ARRAY<STRING>");
    assertAnalysisError(() -> spark.sql("SELECT chunk_tokens('a', 1.5)"), "argument 2 (size) must be INT, got DECIMAL");
    assertAnalysisError(() -> spark.sql("SELECT count_tokens()"), "count_tokens(text [, encoding]) takes 1 to 2 arguments, got 0");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.count_tokens('a', 'b', 'c')"), "takes 1 to 2 arguments, got 3");
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('a', 'b', 'c', 'd')"),
        "encode_tokens(text [, encoding [, allowed_special]]) takes 1 to 3 arguments, got 4");
    assertAnalysisError(() -> spark.sql("SELECT chunk_tokens('a')"), "chunk_tokens(text, size [, overlap [, encoding]])");
    // Narrower integers are widened; SMALLINT ids are accepted.
    Row r = sql("SELECT truncate_tokens('hello world', cast(1 AS tinyint)), decode_tokens(array(cast(24912 AS int)))")
        .get(0);
    assertEquals("hello", r.getString(0));
    assertEquals("hello", r.getString(1));
    assertAnalysisError(() -> spark.sql("SELECT truncate_tokens('x', -1)"), "max_tokens must not be negative, got -1");
    assertAnalysisError(() -> spark.sql("SELECT fasttok.chunk_tokens('x', 0)"), "size must be positive, got 0");
    assertAnalysisError(() -> spark.sql("SELECT chunk_tokens('x', 4, 4)"), "overlap must be at least 0 and less than size (4), got 4");
    assertFails(() -> spark.range(1).selectExpr("truncate_tokens('x', cast(id AS int) - 1)").collectAsList(),
        "max_tokens must not be negative, got -1");
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
  void truncateKeepsAPrefixOfAtMostMaxTokens() {
    for (int n : new int[] {0, 1, 2, 7, 50}) {
      List<Row> rows = sql("SELECT doc_set, i, text, truncate_tokens(text, " + n + ", 'cl100k_base') AS cut,"
          + " count_tokens(truncate_tokens(text, " + n + ", 'cl100k_base'), 'cl100k_base'),"
          + " fasttok.truncate_tokens(text, " + n + ", 'cl100k_base') FROM golden_docs");
      Encoding enc = Encodings.get("cl100k_base");
      for (Row r : rows) {
        String text = r.getString(2);
        String cut = r.getString(3);
        int[] ids = golden("cl100k_base", r.getString(0), r.getInt(1));
        assertEquals(cut, r.getString(5));
        assertTrue(text.startsWith(cut), where(r));
        assertTrue(r.getInt(4) <= n, where(r) + ": " + r.getInt(4) + " > " + n);
        if (ids.length <= n) {
          assertEquals(text, cut, where(r));
        } else {
          // The cut is where the first k <= n of tiktoken's tokens end (k = n unless that would
          // re-encode to more tokens), moved back to a character's start when it falls inside one.
          byte[] cutBytes = cut.getBytes(StandardCharsets.UTF_8);
          boolean found = false;
          for (int k = n; k >= 0 && !found; k--) {
            byte[] prefix = enc.decodeBytes(Arrays.copyOf(ids, k));
            found = prefix.length >= cutBytes.length && prefix.length - cutBytes.length < 4
                && Arrays.equals(Arrays.copyOf(prefix, cutBytes.length), cutBytes)
                && (prefix.length == cutBytes.length || (prefix[cutBytes.length] & 0xC0) != 0x80);
          }
          assertTrue(found, where(r) + ": '" + cut + "' is not where one of the first " + n + " tokens ends");
        }
      }
    }
  }

  @Test
  void chunksCoverTheTextAndCountItsTokens() {
    for (int[] so : new int[][] {{1, 0}, {7, 0}, {64, 0}, {10, 3}}) {
      int size = so[0];
      int overlap = so[1];
      List<Row> rows = sql("SELECT doc_set, i, text, chunk_tokens(text, " + size + ", " + overlap + ", 'o200k_base'),"
          + " fasttok.chunk_tokens(text, " + size + ", " + overlap + ", 'o200k_base')" + " FROM golden_docs");
      for (Row r : rows) {
        String text = r.getString(2);
        int n = golden("o200k_base", r.getString(0), r.getInt(1)).length;
        List<Row> chunks = r.getList(3);
        assertEquals(chunks, r.getList(4));
        StringBuilder joined = new StringBuilder();
        int expectedStart = 0;
        for (int c = 0; c < chunks.size(); c++) {
          Row chunk = chunks.get(c);
          assertEquals(expectedStart, chunk.getInt(1), where(r) + " chunk " + c);
          assertTrue(chunk.getInt(2) <= size && chunk.getInt(2) > 0);
          if (c < chunks.size() - 1) assertEquals(size, chunk.getInt(2));
          else assertEquals(n, chunk.getInt(1) + chunk.getInt(2), where(r) + ": the last chunk ends at the last token");
          if (overlap == 0) joined.append(chunk.getString(0));
          expectedStart += size - overlap;
        }
        if (text.isEmpty()) assertEquals(0, chunks.size());
        if (overlap == 0) assertEquals(text, joined.toString(), where(r));
      }
    }
    Row r = sql("SELECT chunk_tokens('hello world again', 2)").get(0);
    assertEquals("[[hello world,0,2], [ again,2,1]]", r.getList(0).toString());
    assertEquals(DataTypes.createArrayType(ChunkTokens.CHUNK, false),
        spark.sql("SELECT chunk_tokens('x', 2) AS c").schema().apply("c").dataType());
    assertEquals("struct<text:string,token_start:int,token_count:int>", ChunkTokens.CHUNK.simpleString());
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
    assertEquals(List.of("count_tokens", "encode_tokens", "decode_tokens", "truncate_tokens", "chunk_tokens"),
        Arrays.stream(catalog.listFunctions(new String[0])).map(i -> i.name()).collect(java.util.stream.Collectors.toList()));
    List<Row> described = sql("DESCRIBE FUNCTION count_tokens");
    assertTrue(described.toString().contains("count_tokens(text [, encoding])"), described.toString());
  }
}
