package dev.fasttok.flink;

import static dev.fasttok.flink.FlinkTestSupport.ENCODINGS;
import static dev.fasttok.flink.FlinkTestSupport.assertFails;
import static dev.fasttok.flink.FlinkTestSupport.assertFailsWith;
import static dev.fasttok.flink.FlinkTestSupport.ints;
import static dev.fasttok.flink.FlinkTestSupport.rows;
import static org.apache.flink.table.api.Expressions.$;
import static org.apache.flink.table.api.Expressions.call;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The functions in Flink SQL and the Table API on a MiniCluster, over bounded sources of the golden
 * documents, checked against the ids the real tiktoken wrote (src/test/resources/golden);
 * registered by class name, as {@code CREATE TEMPORARY FUNCTION name AS 'class'} does.
 */
class SqlFunctionsTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  static final String[] CLASSES = {"CountTokens", "EncodeTokens", "DecodeTokens", "TruncateTokens", "ChunkTokens"};

  static List<Row> docs;
  static StreamExecutionEnvironment env;
  static StreamTableEnvironment tEnv;

  @BeforeAll
  static void setUp(@InjectMiniCluster MiniCluster cluster) {
    docs = FlinkTestSupport.goldenDocs();
    env = FlinkTestSupport.env(cluster);
    tEnv = FlinkTestSupport.tableEnv(env, "golden_docs", docs, FlinkTestSupport.DOC_TYPE);
    for (String c : CLASSES) {
      tEnv.executeSql("CREATE TEMPORARY FUNCTION " + sqlName(c) + " AS 'dev.fasttok.flink." + c + "'");
    }
    List<String> special = Golden.docs("special");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < special.size(); i++) rows.add(Row.of("special", i, special.get(i)));
    FlinkTestSupport.addView(tEnv, env, "special_docs", rows, FlinkTestSupport.DOC_TYPE);
    // Nullable columns: a row of NULLs and a row of values.
    Integer[] ab = Arrays.stream(Encodings.get("o200k_base").encodeOrdinary("a b")).boxed().toArray(Integer[]::new);
    FlinkTestSupport.addView(tEnv, env, "nullable", List.of(Row.of(null, null, null, null, null),
        Row.of("a b", "o200k_base", ab, 1, "all")), Types.ROW_NAMED(new String[] {"t", "e", "ids", "n", "a"},
        Types.STRING, Types.STRING, Types.OBJECT_ARRAY(Types.INT), Types.INT, Types.STRING));
  }

  /** {@code CountTokens} -> {@code count_tokens}. */
  static String sqlName(String className) {
    return className.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static final Map<String, List<int[]>> GOLDEN = new HashMap<>();

  /** tiktoken's ids of a golden document. */
  static synchronized int[] golden(String encoding, String set, int i) {
    return GOLDEN.computeIfAbsent(encoding + "/" + set, k -> Golden.ids(encoding, set)).get(i);
  }

  private static String where(Row r) {
    return r.getField(0) + "[" + r.getField(1) + "]";
  }

  private static String set(Row r) {
    return (String) r.getField(0);
  }

  private static int index(Row r) {
    return (Integer) r.getField(1);
  }

  @Test
  void encodeAndCountMatchTiktokenForEveryEncoding() {
    StringBuilder q = new StringBuilder("SELECT doc_set, i");
    for (String enc : ENCODINGS) {
      q.append(", encode_tokens(text, '").append(enc).append("'), count_tokens(text, '").append(enc).append("')");
    }
    q.append(", encode_tokens(text), count_tokens(text) FROM golden_docs");
    List<Row> rows = rows(tEnv, q.toString());
    assertEquals(docs.size(), rows.size());
    for (Row r : rows) {
      for (int e = 0; e < ENCODINGS.size(); e++) {
        int[] expected = golden(ENCODINGS.get(e), set(r), index(r));
        assertArrayEquals(expected, ints(r.getField(2 + 2 * e)), ENCODINGS.get(e) + " " + where(r));
        assertEquals(expected.length, r.getField(3 + 2 * e), ENCODINGS.get(e) + " count " + where(r));
      }
      // The default encoding is o200k_base.
      int[] o200k = golden("o200k_base", set(r), index(r));
      assertArrayEquals(o200k, ints(r.getField(2 + 2 * ENCODINGS.size())), where(r));
      assertEquals(o200k.length, r.getField(3 + 2 * ENCODINGS.size()), where(r));
    }
  }

  @Test
  void encodingFromAColumnChangesFromRowToRow() {
    List<Row> rows = rows(tEnv, "SELECT doc_set, i, e, encode_tokens(text, e), count_tokens(text, e)"
        + " FROM golden_docs CROSS JOIN (VALUES ('cl100k_base'), ('r50k_base'), ('o200k_base')) AS t(e)");
    assertEquals(3 * docs.size(), rows.size());
    for (Row r : rows) {
      int[] expected = golden((String) r.getField(2), set(r), index(r));
      assertArrayEquals(expected, ints(r.getField(3)), r.getField(2) + " " + where(r));
      assertEquals(expected.length, r.getField(4));
    }
  }

  @Test
  void allowedSpecialMatchesTiktoken() {
    List<String> encodings = List.of("r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base");
    StringBuilder q = new StringBuilder("SELECT doc_set, i");
    for (String enc : encodings) {
      // Every special token listed by name must mean the same as 'all'.
      String listed = String.join(",", Encodings.get(enc).specialTokens().keySet());
      q.append(", encode_tokens(text, '").append(enc).append("', 'all'), encode_tokens(text, '").append(enc)
          .append("', 'ALL'), encode_tokens(text, '").append(enc).append("', '").append(listed)
          .append("'), encode_tokens(text, '").append(enc).append("', 'none'), encode_tokens(text, '").append(enc)
          .append("', '')");
    }
    List<Row> rows = rows(tEnv, q.append(" FROM special_docs").toString());
    assertEquals(Golden.docs("special").size(), rows.size());
    for (Row r : rows) {
      for (int e = 0; e < encodings.size(); e++) {
        String enc = encodings.get(e);
        int[] all = Golden.idsAllSpecial(enc).get(index(r));
        for (int k = 0; k < 3; k++) assertArrayEquals(all, ints(r.getField(2 + 5 * e + k)), enc + " " + k + " " + where(r));
        if (enc.equals("p50k_edit")) continue; // no golden encode_ordinary for p50k_edit (same as p50k_base)
        int[] plain = golden(enc, "special", index(r));
        assertArrayEquals(plain, ints(r.getField(2 + 5 * e + 3)), enc + " none " + where(r));
        assertArrayEquals(plain, ints(r.getField(2 + 5 * e + 4)), enc + " '' " + where(r));
      }
    }
  }

  @Test
  void allowedSpecialAsArrayMatchesTiktoken() {
    // Literals of different lengths (CHAR(n) in Flink SQL), columns, an array with no elements.
    StringBuilder q = new StringBuilder("SELECT doc_set, i");
    for (String enc : ENCODINGS) {
      String names = Encodings.get(enc).specialTokens().keySet().stream().map(n -> "'" + n + "'")
          .collect(Collectors.joining(", ", "ARRAY[", "]"));
      q.append(String.format(Locale.ROOT, ", encode_tokens(text, '%1$s', %2$s), encode_tokens(text, '%1$s',"
          + " ARRAY['<|endoftext|>']), encode_tokens(text, '%1$s', eot), encode_tokens(text, '%1$s', nothing)",
          enc, names));
    }
    List<Row> rows = rows(tEnv, q.append(" FROM special_docs CROSS JOIN (SELECT ARRAY['<|endoftext|>'] AS eot,"
        + " ARRAY_REMOVE(ARRAY['-'], '-') AS nothing)").toString());
    assertEquals(Golden.docs("special").size(), rows.size());
    for (Row r : rows) {
      for (int e = 0; e < ENCODINGS.size(); e++) {
        String enc = ENCODINGS.get(e);
        int i = index(r);
        assertArrayEquals(Golden.idsAllSpecial(enc).get(i), ints(r.getField(2 + 4 * e)), enc + " all " + where(r));
        int[] endOfText = Golden.idsSpecialEndOfText(enc).get(i);
        assertArrayEquals(endOfText, ints(r.getField(3 + 4 * e)), enc + " literal " + where(r));
        assertArrayEquals(endOfText, ints(r.getField(4 + 4 * e)), enc + " column " + where(r));
        assertArrayEquals(golden(enc, "special", i), ints(r.getField(5 + 4 * e)), enc + " empty " + where(r));
      }
    }
  }

  @Test
  void allowedSpecialArrayNullsAndErrors() {
    Row r = rows(tEnv, "SELECT encode_tokens('x', 'cl100k_base', CAST(NULL AS ARRAY<STRING>)),"
        + " encode_tokens(t, 'cl100k_base', a) FROM (VALUES ('x', CAST(NULL AS ARRAY<STRING>))) AS v(t, a)").get(0);
    assertNull(r.getField(0));
    assertNull(r.getField(1));
    assertFailsWith(ValidationException.class,
        () -> tEnv.sqlQuery("SELECT encode_tokens(text, 'cl100k_base', ARRAY[1]) FROM golden_docs"),
        "argument 3 (allowed_special) must be STRING or ARRAY<STRING>, got ARRAY<INT NOT NULL>");
    assertFails(() -> rows(tEnv, "SELECT encode_tokens(text, 'cl100k_base', ARRAY['<|endoftext|>', '<|nope|>'])"
        + " FROM special_docs"), "'<|nope|>'", "not a special token of cl100k_base");
    // In an array, 'all' is a name like any other.
    assertFails(() -> rows(tEnv, "SELECT encode_tokens(text, 'cl100k_base', ARRAY['all']) FROM special_docs"),
        "'all'", "not a special token of cl100k_base");
    assertFails(() -> rows(tEnv, "SELECT encode_tokens(text, 'cl100k_base', ARRAY['<|endoftext|>', CASE WHEN i < 0"
        + " THEN 'x' END]) FROM special_docs"), "allowed_special has a NULL element (element 2 of 2)");
  }

  @Test
  void specialTokensNotAllowedArePlainText() {
    Row r = rows(tEnv, "SELECT encode_tokens(t, 'cl100k_base', '<|endoftext|>'), encode_tokens('a', 'cl100k_base'),"
        + " encode_tokens('b<|fim_prefix|>c', 'cl100k_base'),"
        + " encode_tokens(t, 'cl100k_base', ' <|fim_prefix|> , <|endoftext|>')"
        + " FROM (VALUES ('a<|endoftext|>b<|fim_prefix|>c<|endoftext|>')) AS v(t)").get(0);
    int eot = 100257;
    List<Integer> expected = new ArrayList<>(list(ints(r.getField(1))));
    expected.add(eot);
    expected.addAll(list(ints(r.getField(2))));
    expected.add(eot);
    assertEquals(expected, list(ints(r.getField(0))));
    assertFalse(list(ints(r.getField(0))).contains(100258), "<|fim_prefix|> must be plain text");
    assertTrue(list(ints(r.getField(3))).contains(100258));
    // A literal is checked when the statement is planned.
    assertFailsWith(ValidationException.class,
        () -> tEnv.sqlQuery("SELECT encode_tokens(text, 'cl100k_base', '<|endoftext|>,<|nope|>') FROM golden_docs"),
        "'<|nope|>'", "not a special token of cl100k_base");
    assertFailsWith(ValidationException.class,
        () -> tEnv.sqlQuery("SELECT encode_tokens(text, 'o200k_base', '<|fim_prefix|>') FROM golden_docs"),
        "'<|fim_prefix|>'", "o200k_base");
    // Not a literal: a clear error when the job runs.
    assertFails(() -> rows(tEnv, "SELECT encode_tokens(text, 'cl100k_base', CASE WHEN i < 0 THEN 'all'"
        + " ELSE '<|nope|>' END) FROM special_docs"), "'<|nope|>'", "not a special token of cl100k_base");
  }

  static List<Integer> list(int[] a) {
    return Arrays.stream(a).boxed().collect(Collectors.toList());
  }

  @Test
  void decodeMatchesTiktokenAndRoundTrips() {
    for (String enc : List.of("cl100k_base", "o200k_base")) {
      List<Golden.DecodeCase> cases = Golden.decodeCases(enc);
      List<Row> input = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) input.add(Row.of(i, list(cases.get(i).ids).toArray(new Integer[0])));
      String view = "decode_cases_" + enc;
      FlinkTestSupport.addView(tEnv, env, view, input,
          Types.ROW_NAMED(new String[] {"i", "ids"}, Types.INT, Types.OBJECT_ARRAY(Types.INT)));
      List<Row> rows = rows(tEnv, "SELECT i, decode_tokens(ids, '" + enc + "'), decode_tokens(CAST(ids AS ARRAY<BIGINT>), '"
          + enc + "') FROM " + view);
      assertEquals(cases.size(), rows.size());
      for (Row r : rows) {
        Golden.DecodeCase c = cases.get((Integer) r.getField(0));
        assertEquals(c.text, r.getField(1), enc + " case " + r.getField(0));
        assertEquals(c.text, r.getField(2));
      }
    }
    // Every golden document comes back from its own ids.
    List<Row> rows = rows(tEnv, "SELECT doc_set, i, text, decode_tokens(encode_tokens(text, 'cl100k_base'), 'cl100k_base'),"
        + " decode_tokens(encode_tokens(text)) FROM golden_docs");
    for (Row r : rows) {
      assertEquals(r.getField(2), r.getField(3), where(r));
      assertEquals(r.getField(2), r.getField(4), where(r));
    }
  }

  @Test
  void decodeErrorsNameTheId() {
    assertFails(() -> rows(tEnv, "SELECT decode_tokens(ARRAY[15339, 999999999 + i], 'cl100k_base') FROM special_docs"),
        "999999999", "cl100k_base");
    assertFails(() -> rows(tEnv, "SELECT decode_tokens(ARRAY[-1 - i]) FROM special_docs"), "-1");
    assertFails(() -> rows(tEnv, "SELECT decode_tokens(ARRAY[CAST(8589934592 AS BIGINT) + i]) FROM special_docs"),
        "8589934592");
    assertFails(() -> rows(tEnv, "SELECT decode_tokens(ARRAY[15339, CASE WHEN i < 0 THEN 1 END]) FROM special_docs"),
        "NULL at index 1");
    Row r = rows(tEnv, "SELECT decode_tokens(ARRAY[24912]), decode_tokens(ids), decode_tokens(ARRAY[15339], 'cl100k_base')"
        + " FROM nullable WHERE ids IS NOT NULL").get(0);
    assertEquals("hello", r.getField(0));
    assertEquals("a b", r.getField(1));
    assertEquals("hello", r.getField(2));
  }

  @Test
  void nullInNullOut() {
    String[] calls = {
        "count_tokens(CAST(NULL AS STRING))", "count_tokens(t)", "count_tokens('a', CAST(NULL AS STRING))",
        "count_tokens('a', e)", "count_tokens(t, 'cl100k_base')", "encode_tokens(t)", "encode_tokens('a', e)",
        "encode_tokens('a', 'o200k_base', CAST(NULL AS STRING))", "encode_tokens('a', 'o200k_base', a)",
        "decode_tokens(ids)", "decode_tokens(ARRAY[1], e)", "decode_tokens(CAST(NULL AS ARRAY<INT>))",
        "truncate_tokens(t, 3)", "truncate_tokens('a', n)", "truncate_tokens('a', CAST(NULL AS INT))",
        "truncate_tokens('a', 3, e)", "count_tokens(NULL)", "encode_tokens(NULL)", "truncate_tokens(NULL, 3)"};
    StringBuilder q = new StringBuilder("SELECT t");
    for (String c : calls) q.append(", ").append(c);
    for (Row r : rows(tEnv, q.append(" FROM nullable").toString())) {
      boolean nullRow = r.getField(0) == null;
      for (int c = 0; c < calls.length; c++) {
        boolean literalNull = calls[c].contains("NULL");
        assertEquals(nullRow || literalNull, r.getField(c + 1) == null, calls[c] + " in " + r);
      }
    }
    // A table function gives no rows for NULL.
    for (String c : new String[] {"chunk_tokens(t, 3)", "chunk_tokens('a', n)", "chunk_tokens('a', 3, n)",
        "chunk_tokens('a', 3, 1, e)", "chunk_tokens(CAST(NULL AS STRING), 3)", "chunk_tokens('a', CAST(NULL AS INT), 1)"}) {
      List<Row> rows = rows(tEnv, "SELECT v.t, c.token_start FROM nullable AS v, LATERAL TABLE(" + c + ") AS c");
      boolean literalNull = c.contains("NULL");
      assertEquals(literalNull ? 0 : 1, rows.size(), c + ": " + rows);
      if (!literalNull) assertEquals("a b", rows.get(0).getField(0), c);
    }
  }

  @Test
  void emptyText() {
    Row r = rows(tEnv, "SELECT count_tokens(t), encode_tokens(t), truncate_tokens(t, 5), encode_tokens(t, 'cl100k_base',"
        + " 'all'), truncate_tokens('abc' || t, 0) FROM (VALUES ('')) AS v(t)").get(0);
    assertEquals(0, r.getField(0));
    assertEquals(0, ints(r.getField(1)).length);
    assertEquals("", r.getField(2));
    assertEquals(0, ints(r.getField(3)).length);
    assertEquals("", r.getField(4));
    assertEquals(0, rows(tEnv, "SELECT c.text FROM (VALUES ('')) AS v(t), LATERAL TABLE(chunk_tokens(t, 5)) AS c").size());
    // LEFT JOIN keeps the row.
    List<Row> rows = rows(tEnv, "SELECT v.t, c.token_count FROM (VALUES ('')) AS v(t)"
        + " LEFT JOIN LATERAL TABLE(chunk_tokens(t, 5)) AS c ON TRUE");
    assertEquals(1, rows.size());
    assertNull(rows.get(0).getField(1));
  }

  @Test
  void unknownEncodingLiteralIsAValidationError() {
    for (String q : new String[] {"count_tokens(text, 'nope')", "encode_tokens(text, 'nope')",
        "encode_tokens(text, 'nope', 'all')", "decode_tokens(ARRAY[1], 'nope')", "truncate_tokens(text, 1, 'nope')"}) {
      assertFailsWith(ValidationException.class, () -> tEnv.sqlQuery("SELECT " + q + " FROM golden_docs"),
          q.substring(0, q.indexOf('(')) + ": unknown encoding 'nope'; built-in encodings: r50k_base", "o200k_base");
    }
    assertFailsWith(ValidationException.class,
        () -> tEnv.sqlQuery("SELECT c.text FROM golden_docs, LATERAL TABLE(chunk_tokens(text, 2, 0, 'nope')) AS c"),
        "chunk_tokens: unknown encoding 'nope'");
    // The Table API checks the same way.
    assertFailsWith(ValidationException.class,
        () -> tEnv.from("golden_docs").select(call(CountTokens.class, $("text"), "nope")), "unknown encoding 'nope'");
  }

  @Test
  void unknownEncodingFromAColumnFailsWhenTheJobRunsNamingTheValue() {
    assertFails(() -> rows(tEnv, "SELECT count_tokens(text, CASE WHEN i < 5 THEN 'o200k_base' ELSE 'bogus-' || doc_set END)"
        + " FROM golden_docs"), "count_tokens: unknown encoding 'bogus-");
  }

  @Test
  void wrongArgumentTypesAndCounts() {
    String[][] cases = {
        {"count_tokens(1)", "count_tokens(text): argument 1 (text) must be STRING, got INT"},
        {"count_tokens(text, 5)", "count_tokens(text, encoding): argument 2 (encoding) must be STRING, got INT"},
        {"truncate_tokens(text, 'b')", "truncate_tokens(text, max_tokens): argument 2 (max_tokens) must be INT, got CHAR(1)"},
        {"truncate_tokens(text, CAST(5 AS BIGINT))", "argument 2 (max_tokens) must be INT, got BIGINT"},
        {"decode_tokens(text)", "decode_tokens(ids): argument 1 (ids) must be ARRAY<INT>, got STRING"},
        {"decode_tokens(ARRAY['a'])", "must be ARRAY<INT>, got ARRAY<CHAR(1) NOT NULL>"},
        {"count_tokens()", "count_tokens(text [, encoding]) takes 1 to 2 arguments, got 0"},
        {"count_tokens(text, 'b', 'c')", "takes 1 to 2 arguments, got 3"},
        {"encode_tokens(text, 'b', 'c', 'd')",
            "encode_tokens(text [, encoding [, allowed_special]]) takes 1 to 3 arguments, got 4"},
        {"truncate_tokens(text, -1)", "truncate_tokens: max_tokens must not be negative, got -1"},
    };
    for (String[] c : cases) {
      assertFailsWith(ValidationException.class, () -> tEnv.sqlQuery("SELECT " + c[0] + " FROM golden_docs"), c[1]);
    }
    String[][] chunkCases = {
        {"chunk_tokens(text, 1.5)", "chunk_tokens(text, size): argument 2 (size) must be INT, got DECIMAL(2, 1)"},
        {"chunk_tokens(text)", "chunk_tokens(text, size [, overlap [, encoding]]) takes 2 to 4 arguments, got 1"},
        {"chunk_tokens(text, 0)", "chunk_tokens: size must be positive, got 0"},
        {"chunk_tokens(text, 4, 4)", "chunk_tokens: overlap must be at least 0 and less than size (4), got 4"},
    };
    for (String[] c : chunkCases) {
      assertFailsWith(ValidationException.class,
          () -> tEnv.sqlQuery("SELECT c.text FROM golden_docs, LATERAL TABLE(" + c[0] + ") AS c"), c[1]);
    }
    // Narrower integers are widened.
    Row r = rows(tEnv, "SELECT truncate_tokens('hello world' || t, CAST(1 AS TINYINT)), decode_tokens(ARRAY[CAST(24912 AS"
        + " SMALLINT)]) FROM (VALUES ('')) AS v(t)").get(0);
    assertEquals("hello", r.getField(0));
    assertEquals("hello", r.getField(1));
    // Not a literal: when the job runs.
    assertFails(() -> rows(tEnv, "SELECT truncate_tokens(text, i - 1000) FROM golden_docs"),
        "max_tokens must not be negative, got -1000");
  }

  @Test
  void truncateKeepsAPrefixOfAtMostMaxTokens() {
    int[] ns = {0, 1, 2, 7, 50};
    StringBuilder q = new StringBuilder("SELECT doc_set, i, text");
    for (int n : ns) {
      q.append(", truncate_tokens(text, ").append(n).append(", 'cl100k_base'), count_tokens(truncate_tokens(text, ")
          .append(n).append(", 'cl100k_base'), 'cl100k_base')");
    }
    Encoding enc = Encodings.get("cl100k_base");
    for (Row r : rows(tEnv, q.append(" FROM golden_docs").toString())) {
      String text = (String) r.getField(2);
      int[] ids = golden("cl100k_base", set(r), index(r));
      for (int k = 0; k < ns.length; k++) {
        int n = ns[k];
        String cut = (String) r.getField(3 + 2 * k);
        assertTrue(text.startsWith(cut), where(r));
        assertTrue((Integer) r.getField(4 + 2 * k) <= n, where(r));
        if (ids.length <= n) {
          assertEquals(text, cut, where(r));
        } else {
          // The cut is where the first k <= n of tiktoken's tokens end, moved back to a character's start.
          byte[] cutBytes = cut.getBytes(StandardCharsets.UTF_8);
          boolean found = false;
          for (int m = n; m >= 0 && !found; m--) {
            byte[] prefix = enc.decodeBytes(Arrays.copyOf(ids, m));
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
    for (int[] so : new int[][] {{3, 0}, {64, 0}, {10, 3}}) {
      int size = so[0];
      int overlap = so[1];
      List<Row> rows = rows(tEnv, "SELECT d.doc_set, d.i, c.text, c.token_start, c.token_count FROM golden_docs AS d,"
          + " LATERAL TABLE(chunk_tokens(d.text, " + size + ", " + overlap + ", 'o200k_base')) AS c");
      Map<String, List<Row>> byDoc = new TreeMap<>();
      for (Row r : rows) byDoc.computeIfAbsent(where(r), k -> new ArrayList<>()).add(r);
      for (Row d : docs) {
        String text = (String) d.getField(2);
        int n = golden("o200k_base", set(d), index(d)).length;
        List<Row> chunks = new ArrayList<>(byDoc.getOrDefault(where(d), List.of()));
        chunks.sort((a, b) -> Integer.compare((Integer) a.getField(3), (Integer) b.getField(3)));
        if (text.isEmpty()) assertEquals(0, chunks.size());
        StringBuilder joined = new StringBuilder();
        int expectedStart = 0;
        for (int c = 0; c < chunks.size(); c++) {
          Row chunk = chunks.get(c);
          int count = (Integer) chunk.getField(4);
          assertEquals(expectedStart, chunk.getField(3), where(d) + " chunk " + c);
          assertTrue(count <= size && count > 0);
          if (c < chunks.size() - 1) assertEquals(size, count);
          else assertEquals(n, expectedStart + count, where(d) + ": the last chunk ends at the last token");
          joined.append((String) chunk.getField(2));
          expectedStart += size - overlap;
        }
        if (overlap == 0) assertEquals(text, joined.toString(), where(d));
      }
    }
    List<Row> rows = rows(tEnv, "SELECT c.* FROM (VALUES ('hello world again')) AS v(t), LATERAL TABLE(chunk_tokens(t, 2)) AS c");
    assertEquals("[+I[hello world, 0, 2], +I[ again, 2, 1]]", rows.toString());
    // The chunk's column "text" hides a "text" column of the table: qualify it (or rename the chunk's columns).
    assertFails(() -> tEnv.sqlQuery("SELECT c.* FROM golden_docs, LATERAL TABLE(chunk_tokens(text, 2)) AS c"),
        "Column 'text' is ambiguous");
    assertEquals(List.of("chunk", "token_start", "token_count"), tEnv.sqlQuery("SELECT c.* FROM golden_docs,"
        + " LATERAL TABLE(chunk_tokens(text, 2)) AS c(chunk, token_start, token_count)").getResolvedSchema()
        .getColumnNames());
    ResolvedSchema schema = tEnv.sqlQuery("SELECT c.* FROM golden_docs AS d, LATERAL TABLE(chunk_tokens(d.text, 2)) AS c")
        .getResolvedSchema();
    assertEquals(List.of("text", "token_start", "token_count"), schema.getColumnNames());
    assertEquals(List.of(DataTypes.STRING().notNull(), DataTypes.INT().notNull(), DataTypes.INT().notNull()),
        schema.getColumnDataTypes());
  }

  @Test
  void resultTypesAreNotNullWhenTheArgumentsAre() {
    ResolvedSchema s = tEnv.sqlQuery("SELECT count_tokens(s), count_tokens(t), encode_tokens(s),"
        + " decode_tokens(ids), truncate_tokens(s, 2), truncate_tokens(s, n)"
        + " FROM (VALUES ('abc')) AS v(s) CROSS JOIN nullable").getResolvedSchema();
    assertEquals(List.of("INT NOT NULL", "INT", "ARRAY<INT NOT NULL> NOT NULL", "STRING", "STRING NOT NULL", "STRING"),
        s.getColumnDataTypes().stream().map(t -> t.getLogicalType().asSummaryString()).collect(Collectors.toList()));
  }

  @Test
  void tableApiAndNestedCalls() {
    Table t = tEnv.from("golden_docs").select($("doc_set"), $("i"), call(CountTokens.class, $("text")),
        call(new CountTokens(), $("text"), "cl100k_base"), call(EncodeTokens.class, $("text"), "r50k_base"));
    for (Row r : rows(t)) {
      assertEquals(golden("o200k_base", set(r), index(r)).length, r.getField(2), where(r));
      assertEquals(golden("cl100k_base", set(r), index(r)).length, r.getField(3), where(r));
      assertArrayEquals(golden("r50k_base", set(r), index(r)), ints(r.getField(4)), where(r));
    }
    Table chunks = tEnv.from("golden_docs").joinLateral(call(ChunkTokens.class, $("text"), 16).as("chunk", "start", "count"))
        .groupBy($("doc_set"), $("i")).select($("doc_set"), $("i"), $("count").sum());
    for (Row r : FlinkTestSupport.materialize(rows(chunks))) {
      assertEquals(golden("o200k_base", set(r), index(r)).length, r.getField(2), where(r));
    }
    // Inside aggregates and other expressions.
    Map<String, Long> sums = new HashMap<>();
    for (Row r : FlinkTestSupport.materialize(rows(tEnv,
        "SELECT doc_set, SUM(count_tokens(text)) FROM golden_docs GROUP BY doc_set"))) {
      sums.put((String) r.getField(0), ((Number) r.getField(1)).longValue());
    }
    for (String set : FlinkTestSupport.SETS) {
      long expected = 0;
      for (Row d : docs) if (set(d).equals(set)) expected += golden("o200k_base", set, index(d)).length;
      assertEquals(expected, sums.get(set), set);
    }
  }
}
