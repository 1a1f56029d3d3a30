package dev.fasttok.flink;

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

import dev.fasttok.Encodings;
import dev.fasttok.Golden;
import dev.fasttok.sql.TokenFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * What only Flink has of the functions (the SQL they share with Spark is tested by
 * {@link FlinkSqlConformanceTest}): the Table API, table-function joins, result types and Flink's
 * type names in messages; on a MiniCluster, over bounded sources of the golden documents, checked
 * against the ids the real tiktoken wrote (src/test/resources/golden); registered by class name,
 * as {@code CREATE TEMPORARY FUNCTION name AS 'class'} does.
 */
class SqlFunctionsTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  static List<Row> docs;
  static StreamExecutionEnvironment env;
  static StreamTableEnvironment tEnv;

  @BeforeAll
  static void setUp(@InjectMiniCluster MiniCluster cluster) {
    docs = FlinkTestSupport.goldenDocs();
    env = FlinkTestSupport.env(cluster);
    tEnv = FlinkTestSupport.tableEnv(env, "golden_docs", docs, FlinkTestSupport.DOC_TYPE);
    for (TokenFunction f : TokenFunction.ALL) {
      tEnv.executeSql("CREATE TEMPORARY FUNCTION " + f.name() + " AS 'dev.fasttok.flink." + f.className() + "'");
    }
    // Nullable columns: a row of NULLs and a row of values.
    Integer[] ab = Arrays.stream(Encodings.get("o200k_base").encodeOrdinary("a b")).boxed().toArray(Integer[]::new);
    FlinkTestSupport.addView(tEnv, env, "nullable", List.of(Row.of(null, null, null, null, null),
        Row.of("a b", "o200k_base", ab, 1, "all")), Types.ROW_NAMED(new String[] {"t", "e", "ids", "n", "a"},
        Types.STRING, Types.STRING, Types.OBJECT_ARRAY(Types.INT), Types.INT, Types.STRING));
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
  void leftJoinLateralKeepsATextWithNoChunks() {
    // LEFT JOIN keeps the row.
    List<Row> rows = rows(tEnv, "SELECT v.t, c.token_count FROM (VALUES ('')) AS v(t)"
        + " LEFT JOIN LATERAL TABLE(chunk_tokens(t, 5)) AS c ON TRUE");
    assertEquals(1, rows.size());
    assertNull(rows.get(0).getField(1));
  }

  @Test
  void tableApiChecksTheEncodingWhenPlanned() {
    // The Table API checks the same way.
    assertFailsWith(ValidationException.class,
        () -> tEnv.from("golden_docs").select(call(CountTokens.class, $("text"), "nope")), "unknown encoding 'nope'");
  }

  @Test
  void messagesNameFlinksTypes() {
    String[][] cases = {
        {"truncate_tokens(text, 'b')", "truncate_tokens(text, max_tokens): argument 2 (max_tokens) must be INT, got CHAR(1)"},
        {"decode_tokens(ARRAY['a'])", "must be ARRAY<INT>, got ARRAY<CHAR(1) NOT NULL>"},
        {"encode_tokens(text, 'cl100k_base', ARRAY[1])",
            "argument 3 (allowed_special) must be STRING or ARRAY<STRING>, got ARRAY<INT NOT NULL>"},
    };
    for (String[] c : cases) {
      assertFailsWith(ValidationException.class, () -> tEnv.sqlQuery("SELECT " + c[0] + " FROM golden_docs"), c[1]);
    }
    assertFailsWith(ValidationException.class,
        () -> tEnv.sqlQuery("SELECT c.text FROM golden_docs, LATERAL TABLE(chunk_tokens(text, 1.5)) AS c"),
        "chunk_tokens(text, size): argument 2 (size) must be INT, got DECIMAL(2, 1)");
  }

  @Test
  void chunkColumnsAreNamedAndNotNull() {
    // The chunk's column "text" hides a "text" column of the table: qualify it (or rename the chunk's columns).
    assertFails(() -> tEnv.sqlQuery("SELECT c.* FROM golden_docs, LATERAL TABLE(chunk_tokens(text, 2)) AS c"),
        "Column 'text' is ambiguous");
    assertEquals(List.of("chunk", "token_start", "token_count", "ids"), tEnv.sqlQuery("SELECT c.* FROM golden_docs,"
        + " LATERAL TABLE(chunk_tokens(text, 2)) AS c(chunk, token_start, token_count, ids)").getResolvedSchema()
        .getColumnNames());
    ResolvedSchema schema = tEnv.sqlQuery("SELECT c.* FROM golden_docs AS d, LATERAL TABLE(chunk_tokens(d.text, 2)) AS c")
        .getResolvedSchema();
    assertEquals(List.of("text", "token_start", "token_count", "ids"), schema.getColumnNames());
    assertEquals(List.of(DataTypes.STRING().notNull(), DataTypes.INT().notNull(), DataTypes.INT().notNull(),
        DataTypes.ARRAY(DataTypes.INT().notNull()).notNull()), schema.getColumnDataTypes());
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
    Table chunks = tEnv.from("golden_docs").joinLateral(call(ChunkTokens.class, $("text"), 16).as("chunk", "start", "count", "ids"))
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

  @Test
  void everyFunctionOfTheRegistryHasItsClassAndNothingElseIsRegistered() {
    FasttokModule module = new FasttokModule();
    List<String> names = TokenFunction.ALL.stream().map(TokenFunction::name).collect(Collectors.toList());
    assertEquals(names, new ArrayList<>(module.listFunctions()));
    for (TokenFunction f : TokenFunction.ALL) {
      Object definition = module.getFunctionDefinition(f.name().toUpperCase(Locale.ROOT)).orElseThrow();
      assertEquals("dev.fasttok.flink." + f.className(), definition.getClass().getName());
      assertEquals(f.name(), definition.toString());
    }
    assertFalse(module.getFunctionDefinition("token_functions").isPresent());
  }
}
