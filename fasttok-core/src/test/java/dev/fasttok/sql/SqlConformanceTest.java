package dev.fasttok.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.ChatMessage;
import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.Golden;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the SQL functions do, written once and run by each engine (Spark 3.5, Spark 4.0, Flink)
 * through {@link #rows(String)}; ids are checked against the ids the real tiktoken wrote
 * (src/test/resources/golden).
 *
 * <p>A subclass registers {@link #views()} under their names before the tests run, and
 * implements {@link #rows}; it overrides {@link #plan} to plan a query without running it, and
 * the dialect hooks where its SQL differs: {@link #array} and {@link #lateralChunks}. The queries
 * call the functions by their plain names. What only one engine does (its types, its APIs, its
 * plans) is tested in the engine's own tests.
 */
public abstract class SqlConformanceTest {
  /** Encodings with golden ids for every set. */
  protected static final List<String> ENCODINGS = List.of("r50k_base", "p50k_base", "cl100k_base", "o200k_base");

  /**
   * Runs one query and returns its rows, each a list of plain Java values: STRING as String, INT
   * as Integer, BIGINT as Long, an ARRAY as a List (or int[]), a ROW or STRUCT as a List, NULL as
   * null. An aggregate's rows are its final ones.
   */
  protected abstract List<List<Object>> rows(String sql);

  /**
   * Plans a query without running it: throws the engine's planning error (an AnalysisException, a
   * ValidationException) when a call is wrong. Any other failure must be an AssertionError.
   */
  protected void plan(String sql) {
    rows(sql);
  }

  /** An array of these SQL expressions: {@code ARRAY[a, b]}. */
  protected String array(String... elements) {
    return "ARRAY[" + String.join(", ", elements) + "]";
  }

  /**
   * A struct (Flink: a ROW) of STRING fields with these names and values (SQL expressions):
   * {@code CAST(ROW(a, b) AS ROW<x STRING, y STRING>)}. Spark overrides it with {@code named_struct}.
   */
  protected String struct(List<String> names, List<String> values) {
    return "CAST(ROW(" + String.join(", ", values) + ") AS ROW<" + names.stream().map(n -> n + " STRING")
        .collect(Collectors.joining(", ")) + ">)";
  }

  /** The SQL type of chat messages with role, content and name: {@code ARRAY<ROW<role STRING, ...>>}. */
  protected String messagesType() {
    return "ARRAY<ROW<role STRING, content STRING, name STRING>>";
  }

  /**
   * What follows a FROM item to join each of its rows with the rows of a {@code chunk_tokens}
   * call, as {@code c.text}, {@code c.token_start}, {@code c.token_count} and {@code c.ids}.
   */
  protected String lateralChunks(String call) {
    return ", LATERAL TABLE(" + call + ") AS c";
  }

  /** A view the subclass registers: its name, its columns (Spark's DDL form) and its rows. */
  public static final class View {
    /** The column type of chat messages, in Spark's DDL form. */
    public static final String MESSAGES = "ARRAY<STRUCT<role: STRING, content: STRING, name: STRING>>";

    public final String name;
    /**
     * {@code doc_set STRING, i INT, text STRING}: each type is STRING, INT, ARRAY<INT> or
     * {@link #MESSAGES}.
     */
    public final String columns;
    /**
     * Rows of plain values; an ARRAY<INT> value is a List<Integer>, a {@link #MESSAGES} value a
     * List of Lists (role, content, name).
     */
    public final List<List<Object>> rows;

    View(String name, String columns, List<List<Object>> rows) {
      this.name = name;
      this.columns = columns;
      this.rows = rows;
    }
  }

  /**
   * {@code golden_docs} (every golden document an engine's string can hold), {@code special_docs}
   * (the special set), {@code nullable} (a row of NULLs and a row of values) and
   * {@code decode_cases} (tiktoken's decode cases of cl100k_base and o200k_base) and
   * {@code chat_cases} (the conversations of golden/chat.jsonl, by index).
   */
  public static List<View> views() {
    List<List<Object>> golden = new ArrayList<>();
    for (String set : Golden.SETS) {
      List<String> docs = Golden.docs(set);
      for (int i = 0; i < docs.size(); i++) if (wellFormedUtf16(docs.get(i))) golden.add(Arrays.asList(set, i, docs.get(i)));
    }
    List<List<Object>> special = new ArrayList<>();
    List<String> docs = Golden.docs("special");
    for (int i = 0; i < docs.size(); i++) special.add(Arrays.asList("special", i, docs.get(i)));
    List<List<Object>> nullable = List.of(Arrays.asList(null, null, null, null, null),
        Arrays.asList("a b", "o200k_base", list(Encodings.get("o200k_base").encodeOrdinary("a b")), 1, "all"));
    List<List<Object>> decode = new ArrayList<>();
    for (String enc : List.of("cl100k_base", "o200k_base")) {
      List<Golden.DecodeCase> cases = Golden.decodeCases(enc);
      for (int i = 0; i < cases.size(); i++) decode.add(Arrays.asList(enc, i, list(cases.get(i).ids)));
    }
    List<List<Object>> chat = new ArrayList<>();
    for (Golden.ChatCase c : Golden.chatCases()) {
      List<Object> messages = new ArrayList<>();
      for (ChatMessage m : c.messages()) messages.add(Arrays.asList(m.role(), m.content(), m.name()));
      chat.add(Arrays.asList(c.index(), messages));
    }
    String docColumns = "doc_set STRING, i INT, text STRING";
    return List.of(new View("golden_docs", docColumns, golden), new View("special_docs", docColumns, special),
        new View("nullable", "t STRING, e STRING, ids ARRAY<INT>, n INT, a STRING", nullable),
        new View("decode_cases", "enc STRING, i INT, ids ARRAY<INT>", decode),
        new View("chat_cases", "i INT, messages " + View.MESSAGES, chat));
  }

  private static boolean wellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return false;
    }
    return true;
  }

  private static final Map<String, List<int[]>> GOLDEN = new HashMap<>();

  /** tiktoken's ids of a golden document. */
  protected static synchronized int[] golden(String encoding, String set, int i) {
    return GOLDEN.computeIfAbsent(encoding + "/" + set, k -> Golden.ids(encoding, set)).get(i);
  }

  private static int goldenDocCount() {
    int n = 0;
    for (String set : Golden.SETS) for (String d : Golden.docs(set)) if (wellFormedUtf16(d)) n++;
    return n;
  }

  // ---- helpers over rows

  /** An ARRAY<INT> value as int[]. */
  protected static int[] ints(Object array) {
    if (array instanceof int[]) return (int[]) array;
    List<?> l = (List<?>) array;
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
    return out;
  }

  protected static List<Integer> list(int[] a) {
    return Arrays.stream(a).boxed().collect(Collectors.toList());
  }

  private static String where(List<Object> r) {
    return r.get(0) + "[" + r.get(1) + "]";
  }

  private static String set(List<Object> r) {
    return (String) r.get(0);
  }

  private static int index(List<Object> r) {
    return ((Number) r.get(1)).intValue();
  }

  private static int integer(Object o) {
    return ((Number) o).intValue();
  }

  /** The one row of a query. */
  private List<Object> row(String sql) {
    List<List<Object>> rows = rows(sql);
    assertEquals(1, rows.size(), sql);
    return rows.get(0);
  }

  /** All messages of an exception and its causes, one per line. */
  protected static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    return sb.toString();
  }

  private static void assertMentions(Throwable t, String... fragments) {
    if (t instanceof AssertionError) throw (AssertionError) t;
    String all = messages(t);
    for (String f : fragments) assertTrue(all.contains(f), "'" + f + "' not in:\n" + all);
  }

  /** The query fails, when it is planned or when it runs, with messages holding every fragment. */
  protected void assertFails(String sql, String... fragments) {
    assertMentions(assertThrows(Throwable.class, () -> rows(sql), sql), fragments);
  }

  /** The query fails when it is planned (a literal argument is wrong), with messages holding every fragment. */
  protected void assertPlanningFails(String sql, String... fragments) {
    assertMentions(assertThrows(Throwable.class, () -> plan(sql), sql), fragments);
  }

  // ---- encode_tokens, count_tokens

  @Test
  void encodeAndCountMatchTiktokenForEveryEncodingAndTheDefaultIsO200k() {
    StringBuilder q = new StringBuilder("SELECT doc_set, i");
    for (String enc : ENCODINGS) {
      q.append(", encode_tokens(text, '").append(enc).append("'), count_tokens(text, '").append(enc).append("')");
    }
    q.append(", encode_tokens(text), count_tokens(text) FROM golden_docs");
    List<List<Object>> rows = rows(q.toString());
    assertEquals(goldenDocCount(), rows.size());
    for (List<Object> r : rows) {
      for (int e = 0; e < ENCODINGS.size(); e++) {
        int[] expected = golden(ENCODINGS.get(e), set(r), index(r));
        assertArrayEquals(expected, ints(r.get(2 + 2 * e)), ENCODINGS.get(e) + " " + where(r));
        assertEquals(expected.length, integer(r.get(3 + 2 * e)), ENCODINGS.get(e) + " count " + where(r));
      }
      int[] o200k = golden("o200k_base", set(r), index(r));
      assertArrayEquals(o200k, ints(r.get(2 + 2 * ENCODINGS.size())), "default " + where(r));
      assertEquals(o200k.length, integer(r.get(3 + 2 * ENCODINGS.size())), "default count " + where(r));
    }
  }

  @Test
  void encodingFromAColumnChangesFromRowToRow() {
    List<List<Object>> rows = rows("SELECT doc_set, i, e, encode_tokens(text, e), count_tokens(text, e)"
        + " FROM golden_docs CROSS JOIN (VALUES ('cl100k_base'), ('r50k_base'), ('o200k_base')) AS t(e)");
    assertEquals(3 * goldenDocCount(), rows.size());
    for (List<Object> r : rows) {
      int[] expected = golden((String) r.get(2), set(r), index(r));
      assertArrayEquals(expected, ints(r.get(3)), r.get(2) + " " + where(r));
      assertEquals(expected.length, integer(r.get(4)), r.get(2) + " count " + where(r));
    }
  }

  @Test
  void modelNamesWorkWhereEncodingNamesDo() {
    // Mapped as tiktoken's encoding_for_model maps them (golden/models.jsonl checks the whole table).
    List<List<Object>> rows = rows("SELECT doc_set, i, encode_tokens(text, 'gpt-4o-mini'), count_tokens(text, 'gpt-4'),"
        + " count_tokens(text, m) FROM golden_docs CROSS JOIN (VALUES ('text-davinci-001')) AS t(m)");
    assertEquals(goldenDocCount(), rows.size());
    for (List<Object> r : rows) {
      assertArrayEquals(golden("o200k_base", set(r), index(r)), ints(r.get(2)), "gpt-4o-mini " + where(r));
      assertEquals(golden("cl100k_base", set(r), index(r)).length, integer(r.get(3)), "gpt-4 " + where(r));
      assertEquals(golden("r50k_base", set(r), index(r)).length, integer(r.get(4)), "text-davinci-001 " + where(r));
    }
    assertPlanningFails("SELECT count_tokens(text, 'gpt4o') FROM golden_docs",
        "count_tokens: unknown encoding 'gpt4o'", "or an OpenAI model name");
  }

  @Test
  void allowedSpecialMatchesTiktoken() {
    List<String> encodings = List.of("r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base");
    StringBuilder q = new StringBuilder("SELECT doc_set, i");
    for (String enc : encodings) {
      // Every special token listed by name must mean the same as 'all'; 'none' and '' are plain text.
      String listed = String.join(",", Encodings.get(enc).specialTokens().keySet());
      for (String spec : new String[] {"all", "ALL", listed, "none", ""}) {
        q.append(", encode_tokens(text, '").append(enc).append("', '").append(spec).append("')");
      }
    }
    List<List<Object>> rows = rows(q.append(" FROM special_docs").toString());
    assertEquals(Golden.docs("special").size(), rows.size());
    for (List<Object> r : rows) {
      for (int e = 0; e < encodings.size(); e++) {
        String enc = encodings.get(e);
        int[] all = Golden.idsAllSpecial(enc).get(index(r));
        for (int k = 0; k < 3; k++) assertArrayEquals(all, ints(r.get(2 + 5 * e + k)), enc + " " + k + " " + where(r));
        if (enc.equals("p50k_edit")) continue; // no golden encode_ordinary for p50k_edit (same as p50k_base)
        int[] plain = golden(enc, "special", index(r));
        assertArrayEquals(plain, ints(r.get(2 + 5 * e + 3)), enc + " none " + where(r));
        assertArrayEquals(plain, ints(r.get(2 + 5 * e + 4)), enc + " '' " + where(r));
      }
    }
  }

  private String names(java.util.Collection<String> names) {
    return array(names.stream().map(n -> "'" + n + "'").toArray(String[]::new));
  }

  /** An empty ARRAY<STRING>. */
  private String noNames() {
    return "ARRAY_REMOVE(" + array("'-'") + ", '-')";
  }

  @Test
  void allowedSpecialAsArrayMatchesTiktoken() {
    // Literals (of different lengths), columns, an array with no elements.
    StringBuilder q = new StringBuilder("SELECT doc_set, i");
    for (String enc : ENCODINGS) {
      String all = names(Encodings.get(enc).specialTokens().keySet());
      q.append(String.format(java.util.Locale.ROOT, ", encode_tokens(text, '%1$s', %2$s), encode_tokens(text, '%1$s',"
          + " %3$s), encode_tokens(text, '%1$s', eot), encode_tokens(text, '%1$s', nothing)", enc, all,
          array("'<|endoftext|>'")));
    }
    List<List<Object>> rows = rows(q.append(" FROM special_docs CROSS JOIN (SELECT ").append(array("'<|endoftext|>'"))
        .append(" AS eot, ").append(noNames()).append(" AS nothing) AS s").toString());
    assertEquals(Golden.docs("special").size(), rows.size());
    for (List<Object> r : rows) {
      for (int e = 0; e < ENCODINGS.size(); e++) {
        String enc = ENCODINGS.get(e);
        int i = index(r);
        assertArrayEquals(Golden.idsAllSpecial(enc).get(i), ints(r.get(2 + 4 * e)), enc + " all " + where(r));
        int[] endOfText = Golden.idsSpecialEndOfText(enc).get(i);
        assertArrayEquals(endOfText, ints(r.get(3 + 4 * e)), enc + " literal " + where(r));
        assertArrayEquals(endOfText, ints(r.get(4 + 4 * e)), enc + " column " + where(r));
        assertArrayEquals(golden(enc, "special", i), ints(r.get(5 + 4 * e)), enc + " empty " + where(r));
      }
    }
  }

  @Test
  void allowedSpecialArrayNullsAndErrors() {
    List<Object> r = row("SELECT encode_tokens('x', 'cl100k_base', CAST(NULL AS ARRAY<STRING>)),"
        + " encode_tokens(t, 'cl100k_base', a) FROM (VALUES ('x', CAST(NULL AS ARRAY<STRING>))) AS v(t, a)");
    assertNull(r.get(0));
    assertNull(r.get(1));
    assertPlanningFails("SELECT encode_tokens(text, 'cl100k_base', " + array("1") + ") FROM golden_docs",
        "encode_tokens(text, encoding, allowed_special): argument 3 (allowed_special) must be STRING or ARRAY<STRING>,"
            + " got ARRAY<INT");
    assertFails("SELECT encode_tokens(text, 'cl100k_base', " + array("'<|endoftext|>'", "'<|nope|>'")
        + ") FROM special_docs", "encode_tokens: allowed_special names '<|nope|>', which is not a special token of"
        + " cl100k_base");
    // In an array, 'all' and ' <|endoftext|>' are names like any other.
    assertFails("SELECT encode_tokens(text, 'cl100k_base', " + array("'all'") + ") FROM special_docs",
        "'all'", "not a special token of cl100k_base");
    assertFails("SELECT encode_tokens(text, 'cl100k_base', " + array("' <|endoftext|>'") + ") FROM special_docs",
        "' <|endoftext|>'", "not a special token");
    assertFails("SELECT encode_tokens(text, 'cl100k_base', " + array("'<|endoftext|>'", "CAST(NULL AS STRING)")
        + ") FROM special_docs", "allowed_special has a NULL element (element 2 of 2)");
    // Not literals: clear errors when the query runs.
    assertFails("SELECT encode_tokens(text, 'cl100k_base', " + array("'<|endoftext|>'", "CASE WHEN i < 0 THEN 'x' END")
        + ") FROM special_docs", "allowed_special has a NULL element (element 2 of 2)");
    assertFails("SELECT encode_tokens(text, 'o200k_base', CASE WHEN i < 0 THEN " + noNames() + " ELSE "
        + array("'<|fim_prefix|>'") + " END) FROM special_docs", "'<|fim_prefix|>'", "not a special token of o200k_base");
  }

  @Test
  void specialTokensNotAllowedArePlainText() {
    List<Object> r = row("SELECT encode_tokens(t, 'cl100k_base', '<|endoftext|>'), encode_tokens('a', 'cl100k_base'),"
        + " encode_tokens('b<|fim_prefix|>c', 'cl100k_base'),"
        + " encode_tokens(t, 'cl100k_base', ' <|fim_prefix|> , <|endoftext|>')"
        + " FROM (VALUES ('a<|endoftext|>b<|fim_prefix|>c<|endoftext|>')) AS v(t)");
    int eot = 100257;
    List<Integer> expected = new ArrayList<>(list(ints(r.get(1))));
    expected.add(eot);
    expected.addAll(list(ints(r.get(2))));
    expected.add(eot);
    assertEquals(expected, list(ints(r.get(0))));
    assertFalse(list(ints(r.get(0))).contains(100258), "<|fim_prefix|> must be plain text");
    assertTrue(list(ints(r.get(3))).contains(100258));
    // A literal is checked when the query is planned.
    assertPlanningFails("SELECT encode_tokens(text, 'cl100k_base', '<|endoftext|>,<|nope|>') FROM golden_docs",
        "encode_tokens: allowed_special names '<|nope|>', which is not a special token of cl100k_base;"
            + " its special tokens are [<|endoftext|>", "(or use 'all' or 'none')");
    assertPlanningFails("SELECT encode_tokens(text, 'o200k_base', '<|fim_prefix|>') FROM golden_docs",
        "'<|fim_prefix|>'", "o200k_base");
    // Not a literal: a clear error when the query runs.
    assertFails("SELECT encode_tokens(text, 'cl100k_base', CASE WHEN i < 0 THEN 'all' ELSE '<|nope|>' END)"
        + " FROM special_docs", "'<|nope|>'", "not a special token of cl100k_base");
  }

  // ---- decode_tokens

  @Test
  void decodeMatchesTiktokenAndRoundTrips() {
    List<List<Object>> rows = rows("SELECT enc, i, decode_tokens(ids, enc),"
        + " decode_tokens(CAST(ids AS ARRAY<BIGINT>), enc), CASE WHEN enc = 'o200k_base' THEN"
        + " decode_tokens(ids) END FROM decode_cases");
    Map<String, List<Golden.DecodeCase>> cases = new HashMap<>();
    int n = 0;
    for (String enc : List.of("cl100k_base", "o200k_base")) {
      cases.put(enc, Golden.decodeCases(enc));
      n += cases.get(enc).size();
    }
    assertEquals(n, rows.size());
    for (List<Object> r : rows) {
      String text = cases.get(set(r)).get(index(r)).text;
      assertEquals(text, r.get(2), where(r));
      assertEquals(text, r.get(3), "BIGINT " + where(r));
      if (set(r).equals("o200k_base")) assertEquals(text, r.get(4), "default " + where(r));
    }
    // Every golden document comes back from its own ids.
    rows = rows("SELECT doc_set, i, text, decode_tokens(encode_tokens(text, 'cl100k_base'), 'cl100k_base'),"
        + " decode_tokens(encode_tokens(text)) FROM golden_docs");
    assertEquals(goldenDocCount(), rows.size());
    for (List<Object> r : rows) {
      assertEquals(r.get(2), r.get(3), where(r));
      assertEquals(r.get(2), r.get(4), where(r));
    }
  }

  @Test
  void decodeErrorsNameTheId() {
    assertFails("SELECT decode_tokens(" + array("15339", "CASE WHEN i < 0 THEN 1 ELSE 999999999 END")
        + ", 'cl100k_base') FROM special_docs", "decode_tokens: token id 999999999 is not in the vocabulary of cl100k_base");
    assertFails("SELECT decode_tokens(" + array("CASE WHEN i < 0 THEN 1 ELSE -1 END") + ") FROM special_docs",
        "decode_tokens:", "-1");
    assertFails("SELECT decode_tokens(" + array("CAST(8589934592 AS BIGINT) + i * 0") + ") FROM special_docs",
        "decode_tokens: token id 8589934592 is not in the vocabulary of o200k_base");
    assertFails("SELECT decode_tokens(" + array("15339", "CASE WHEN i < 0 THEN 1 END") + ") FROM special_docs",
        "decode_tokens: ids holds a NULL at index 1");
    List<Object> r = row("SELECT decode_tokens(" + array("24912") + "), decode_tokens(ids), decode_tokens("
        + array("15339") + ", 'cl100k_base') FROM nullable WHERE ids IS NOT NULL");
    assertEquals("hello", r.get(0));
    assertEquals("a b", r.get(1));
    assertEquals("hello", r.get(2));
  }

  // ---- NULLs, empty text

  @Test
  void nullInNullOut() {
    String[] calls = {
        "count_tokens(CAST(NULL AS STRING))", "count_tokens(t)", "count_tokens('a', CAST(NULL AS STRING))",
        "count_tokens('a', e)", "count_tokens(t, 'cl100k_base')", "count_tokens(NULL)",
        "encode_tokens(t)", "encode_tokens('a', e)", "encode_tokens('a', 'o200k_base', CAST(NULL AS STRING))",
        "encode_tokens('a', 'o200k_base', a)", "encode_tokens(NULL)",
        "decode_tokens(ids)", "decode_tokens(" + array("1") + ", e)", "decode_tokens(CAST(NULL AS ARRAY<INT>))",
        "truncate_tokens(t, 3)", "truncate_tokens('a', n)", "truncate_tokens('a', CAST(NULL AS INT))",
        "truncate_tokens('a', 3, e)", "truncate_tokens(NULL, 3)"};
    StringBuilder q = new StringBuilder("SELECT t");
    for (String c : calls) q.append(", ").append(c);
    List<List<Object>> rows = rows(q.append(" FROM nullable").toString());
    assertEquals(2, rows.size());
    for (List<Object> r : rows) {
      boolean nullRow = r.get(0) == null;
      for (int c = 0; c < calls.length; c++) {
        boolean literalNull = calls[c].contains("NULL");
        assertEquals(nullRow || literalNull, r.get(c + 1) == null, calls[c] + " in " + r);
      }
      if (!nullRow) {
        assertEquals(2, integer(r.get(2)));
        assertEquals("a b", r.get(15));
        assertEquals("a", r.get(16));
      }
    }
    // NULL in, no chunks.
    for (String c : new String[] {"chunk_tokens(t, 3)", "chunk_tokens('a', n)", "chunk_tokens('a', 3, n)",
        "chunk_tokens('a', 3, 1, e)", "chunk_tokens(CAST(NULL AS STRING), 3)", "chunk_tokens('a', CAST(NULL AS INT), 1)",
        "chunk_tokens(t, 1, 0, e)"}) {
      List<List<Object>> chunks = rows("SELECT v.t, c.token_start FROM nullable AS v" + lateralChunks(c));
      boolean literalNull = c.contains("NULL");
      assertEquals(literalNull ? 0 : c.contains("t, 1") ? 2 : 1, chunks.size(), c + ": " + chunks);
      for (List<Object> chunk : chunks) assertEquals("a b", chunk.get(0), c);
    }
  }

  @Test
  void emptyText() {
    List<Object> r = row("SELECT count_tokens(t), encode_tokens(t), truncate_tokens(t, 5), encode_tokens(t,"
        + " 'cl100k_base', 'all'), truncate_tokens(concat('abc', t), 0) FROM (VALUES ('')) AS v(t)");
    assertEquals(0, integer(r.get(0)));
    assertEquals(0, ints(r.get(1)).length);
    assertEquals("", r.get(2));
    assertEquals(0, ints(r.get(3)).length);
    assertEquals("", r.get(4));
    assertEquals(0, rows("SELECT c.text FROM (VALUES ('')) AS v(t)" + lateralChunks("chunk_tokens(t, 5)")).size());
  }

  // ---- wrong calls

  @Test
  void unknownEncodingLiteralIsAPlanningError() {
    for (String q : new String[] {"count_tokens(text, 'nope')", "encode_tokens(text, 'nope')",
        "encode_tokens(text, 'nope', 'all')", "decode_tokens(" + array("1") + ", 'nope')",
        "truncate_tokens(text, 1, 'nope')"}) {
      assertPlanningFails("SELECT " + q + " FROM golden_docs",
          q.substring(0, q.indexOf('(')) + ": unknown encoding 'nope'; built-in encodings: r50k_base", "o200k_base");
    }
    assertPlanningFails("SELECT c.text FROM golden_docs" + lateralChunks("chunk_tokens(text, 2, 0, 'nope')"),
        "chunk_tokens: unknown encoding 'nope'");
  }

  @Test
  void unknownEncodingFromAColumnFailsWhenTheQueryRunsNamingTheValue() {
    assertFails("SELECT count_tokens(text, CASE WHEN i < 5 THEN 'o200k_base' ELSE concat('bogus-', doc_set) END)"
        + " FROM golden_docs", "count_tokens: unknown encoding 'bogus-");
  }

  @Test
  void wrongArgumentTypesAndCounts() {
    String[][] cases = {
        {"count_tokens(1)", "count_tokens(text): argument 1 (text) must be STRING, got INT"},
        {"count_tokens(text, 5)", "count_tokens(text, encoding): argument 2 (encoding) must be STRING, got INT"},
        {"truncate_tokens(text, doc_set)", "truncate_tokens(text, max_tokens): argument 2 (max_tokens) must be INT, got STRING"},
        {"truncate_tokens(text, CAST(5 AS BIGINT))", "argument 2 (max_tokens) must be INT, got BIGINT"},
        {"decode_tokens(text)", "decode_tokens(ids): argument 1 (ids) must be ARRAY<INT>, got STRING"},
        {"decode_tokens(" + array("'a'") + ")", "decode_tokens(ids): argument 1 (ids) must be ARRAY<INT>, got ARRAY<"},
        {"count_tokens()", "count_tokens(text [, encoding]) takes 1 to 2 arguments, got 0"},
        {"count_tokens(text, 'b', 'c')", "count_tokens(text [, encoding]) takes 1 to 2 arguments, got 3"},
        {"encode_tokens(text, 'b', 'c', 'd')",
            "encode_tokens(text [, encoding [, allowed_special]]) takes 1 to 3 arguments, got 4"},
        {"truncate_tokens(text, -1)", "truncate_tokens: max_tokens must not be negative, got -1"},
    };
    for (String[] c : cases) assertPlanningFails("SELECT " + c[0] + " FROM golden_docs", c[1]);
    String[][] chunkCases = {
        {"chunk_tokens(text, 1.5)", "chunk_tokens(text, size): argument 2 (size) must be INT, got DECIMAL"},
        {"chunk_tokens(text)", "chunk_tokens(text, size [, overlap [, encoding]]) takes 2 to 4 arguments, got 1"},
        {"chunk_tokens(text, 0)", "chunk_tokens: size must be positive, got 0"},
        {"chunk_tokens(text, 4, 4)", "chunk_tokens: overlap must be at least 0 and less than size (4), got 4"},
        {"chunk_tokens(text, 4, -1)", "chunk_tokens: overlap must be at least 0 and less than size (4), got -1"},
    };
    for (String[] c : chunkCases) assertPlanningFails("SELECT c.text FROM golden_docs AS d" + lateralChunks(c[0]), c[1]);
    // Narrower integers are widened.
    List<Object> r = row("SELECT truncate_tokens(concat('hello world', t), CAST(1 AS TINYINT)), decode_tokens("
        + array("CAST(24912 AS SMALLINT)") + ") FROM (VALUES ('')) AS v(t)");
    assertEquals("hello", r.get(0));
    assertEquals("hello", r.get(1));
    // Not literals: when the query runs.
    assertFails("SELECT truncate_tokens(text, CASE WHEN i < 0 THEN 1 ELSE -1000 END) FROM golden_docs", "truncate_tokens: max_tokens must not be"
        + " negative, got -1000");
    assertFails("SELECT c.text FROM golden_docs AS d" + lateralChunks("chunk_tokens(d.text, CASE WHEN d.i < 0 THEN 1 ELSE -1000 END)"),
        "chunk_tokens: size must be positive, got -1000");
  }

  // ---- truncate_tokens, chunk_tokens

  @Test
  void truncateKeepsAPrefixOfAtMostMaxTokens() {
    int[] ns = {0, 1, 2, 7, 50};
    StringBuilder q = new StringBuilder("SELECT doc_set, i, text");
    for (int n : ns) {
      q.append(", truncate_tokens(text, ").append(n).append(", 'cl100k_base'), count_tokens(truncate_tokens(text, ")
          .append(n).append(", 'cl100k_base'), 'cl100k_base')");
    }
    q.append(" FROM golden_docs");
    Encoding enc = Encodings.get("cl100k_base");
    List<List<Object>> rows = rows(q.toString());
    assertEquals(goldenDocCount(), rows.size());
    for (List<Object> r : rows) {
      String text = (String) r.get(2);
      int[] ids = golden("cl100k_base", set(r), index(r));
      for (int k = 0; k < ns.length; k++) {
        int n = ns[k];
        String cut = (String) r.get(3 + 2 * k);
        assertTrue(text.startsWith(cut), where(r));
        assertTrue(integer(r.get(4 + 2 * k)) <= n, where(r) + ": " + r.get(4 + 2 * k) + " > " + n);
        if (ids.length <= n) {
          assertEquals(text, cut, where(r));
        } else {
          // The cut is where the first m <= n of tiktoken's tokens end (m = n unless that would
          // re-encode to more tokens), moved back to a character's start when it falls inside one.
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
    for (int[] so : new int[][] {{1, 0}, {3, 0}, {7, 0}, {64, 0}, {10, 3}}) {
      int size = so[0];
      int overlap = so[1];
      List<List<Object>> rows = rows("SELECT d.doc_set, d.i, c.text, c.token_start, c.token_count, c.ids FROM golden_docs AS d"
          + lateralChunks("chunk_tokens(d.text, " + size + ", " + overlap + ", 'o200k_base')"));
      Map<String, List<List<Object>>> byDoc = new TreeMap<>();
      for (List<Object> r : rows) byDoc.computeIfAbsent(where(r), k -> new ArrayList<>()).add(r);
      for (View v : views()) {
        if (!v.name.equals("golden_docs")) continue;
        for (List<Object> d : v.rows) {
          String text = (String) d.get(2);
          int[] ids = golden("o200k_base", set(d), index(d));
          int n = ids.length;
          List<List<Object>> chunks = new ArrayList<>(byDoc.getOrDefault(where(d), List.of()));
          chunks.sort((a, b) -> Integer.compare(integer(a.get(3)), integer(b.get(3))));
          if (text.isEmpty()) assertEquals(0, chunks.size());
          StringBuilder joined = new StringBuilder();
          int expectedStart = 0;
          for (int c = 0; c < chunks.size(); c++) {
            List<Object> chunk = chunks.get(c);
            int count = integer(chunk.get(4));
            assertEquals(expectedStart, integer(chunk.get(3)), where(d) + " chunk " + c);
            // The chunk's ids: tiktoken's ids of the whole text, sliced.
            assertArrayEquals(Arrays.copyOfRange(ids, expectedStart, expectedStart + count), ints(chunk.get(5)),
                where(d) + " chunk " + c);
            assertTrue(count <= size && count > 0);
            if (c < chunks.size() - 1) assertEquals(size, count);
            else assertEquals(n, expectedStart + count, where(d) + ": the last chunk ends at the last token");
            joined.append((String) chunk.get(2));
            expectedStart += size - overlap;
          }
          if (overlap == 0) assertEquals(text, joined.toString(), where(d));
        }
      }
    }
    List<List<Object>> rows = rows("SELECT c.text, c.token_start, c.token_count FROM (VALUES ('hello world again')) AS v(t)"
        + lateralChunks("chunk_tokens(t, 2)"));
    assertEquals(List.of(List.of("hello world", 0, 2), List.of(" again", 2, 1)), rows);
  }

  // ---- count_chat_tokens

  private static final List<String> CHAT_MODELS = List.of("gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-3.5-turbo-0301",
      "cl100k_base", "gpt-oss-20b", "o200k_harmony");

  private static final List<Golden.ChatCase> CHAT = Golden.chatCases();

  @Test
  void chatCountsMatchTiktokenForEveryModel() {
    StringBuilder q = new StringBuilder("SELECT i");
    for (String m : CHAT_MODELS) q.append(", count_chat_tokens(messages, '").append(m).append("')");
    List<List<Object>> rows = rows(q.append(", count_chat_tokens(messages) FROM chat_cases").toString());
    assertEquals(CHAT.size(), rows.size());
    for (List<Object> r : rows) {
      Golden.ChatCase c = CHAT.get(integer(r.get(0)));
      for (int m = 0; m < CHAT_MODELS.size(); m++) {
        assertEquals(c.counts().get(CHAT_MODELS.get(m)), integer(r.get(1 + m)), CHAT_MODELS.get(m) + " #" + c.index());
      }
      // The default encoding (o200k_base) by the current rule, as gpt-4o counts.
      assertEquals(c.counts().get("gpt-4o"), integer(r.get(1 + CHAT_MODELS.size())), "default #" + c.index());
    }
  }

  @Test
  void chatModelFromAColumnChangesFromRowToRow() {
    List<List<Object>> rows = rows("SELECT i, m, count_chat_tokens(messages, m) FROM chat_cases CROSS JOIN"
        + " (VALUES ('gpt-3.5-turbo-0301'), ('gpt-oss-20b'), ('cl100k_base'), ('gpt-4o')) AS t(m)");
    assertEquals(4 * CHAT.size(), rows.size());
    for (List<Object> r : rows) {
      Golden.ChatCase c = CHAT.get(integer(r.get(0)));
      assertEquals(c.counts().get((String) r.get(1)), integer(r.get(2)), r.get(1) + " #" + c.index());
    }
  }

  /** A chat message of STRING SQL expressions, with a name field. */
  private String message(String role, String content, String name) {
    return struct(List.of("role", "content", "name"), List.of(role, content, name));
  }

  private static String quoted(String s) {
    return s == null ? "CAST(NULL AS STRING)" : "'" + s.replace("'", "''") + "'";
  }

  /** The messages of a golden conversation as an array of struct literals, with a name field. */
  private String messages(Golden.ChatCase c) {
    return array(c.messages().stream().map(m -> message(quoted(m.role()), quoted(m.content()), quoted(m.name())))
        .toArray(String[]::new));
  }

  @Test
  void chatNullsAndStructShapes() {
    Golden.ChatCase greeting = CHAT.get(3); // system "You are a helpful assistant.", user "Hello!"
    assertEquals(List.of(new ChatMessage("system", "You are a helpful assistant."), new ChatMessage("user", "Hello!")),
        greeting.messages());
    Golden.ChatCase empty = CHAT.get(1); // user "", no name
    assertEquals(List.of(new ChatMessage("user", "")), empty.messages());
    Golden.ChatCase named = CHAT.get(4); // system, named example_user
    assertEquals("example_user", named.messages().get(0).name());
    Golden.ChatCase none = CHAT.get(0);
    assertTrue(none.messages().isEmpty());

    String noMessage = "CASE WHEN 1 = 0 THEN " + message("'x'", "'y'", "'z'") + " END";
    String[] calls = {
        // 0: a literal array, as the view holds it
        "count_chat_tokens(" + messages(greeting) + ", 'gpt-4o')",
        // 1, 2: NULL messages are skipped
        "count_chat_tokens(" + array(noMessage, message("'system'", "'You are a helpful assistant.'",
            "CAST(NULL AS STRING)"), noMessage, message("'user'", "'Hello!'", "CAST(NULL AS STRING)")) + ", 'gpt-4')",
        "count_chat_tokens(" + array(noMessage) + ", 'gpt-oss-20b')",
        // 3, 4: NULL content is empty text
        "count_chat_tokens(" + array(message("'user'", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)")) + ", 'gpt-4o')",
        "count_chat_tokens(" + array(message("'user'", "CAST(NULL AS STRING)", "CAST(NULL AS STRING)")) + ", 'gpt-oss-20b')",
        // 5, 6: no name field; fields in another order, and one that is not read
        "count_chat_tokens(" + array(struct(List.of("role", "content"), List.of("'system'", "'You are a helpful"
            + " assistant.'")), struct(List.of("role", "content"), List.of("'user'", "'Hello!'"))) + ", 'gpt-3.5-turbo-0301')",
        "count_chat_tokens(" + array(struct(List.of("name", "tool_call_id", "content", "role"), List.of("'example_user'",
            "'call_1'", quoted(named.messages().get(0).content()), "'system'"))) + ", 'gpt-3.5-turbo-0301')",
        // 7, 8: NULL in, NULL out
        "count_chat_tokens(CAST(NULL AS " + messagesType() + "), 'gpt-4o')",
        "count_chat_tokens(" + messages(greeting) + ", CAST(NULL AS STRING))",
        // 9: the model from a column; 10: the default encoding
        "count_chat_tokens(" + messages(named) + ", m)",
        "count_chat_tokens(" + messages(empty) + ")",
        // 11: NULL messages, default encoding
        "count_chat_tokens(CAST(NULL AS " + messagesType() + "))",
    };
    List<Object> r = row("SELECT " + String.join(", ", calls) + " FROM (VALUES ('gpt-oss-120b')) AS v(m)");
    assertEquals(greeting.counts().get("gpt-4o"), integer(r.get(0)), calls[0]);
    assertEquals(greeting.counts().get("gpt-4"), integer(r.get(1)), calls[1]);
    assertEquals(none.counts().get("gpt-oss-20b"), integer(r.get(2)), calls[2]);
    assertEquals(empty.counts().get("gpt-4o"), integer(r.get(3)), calls[3]);
    assertEquals(empty.counts().get("gpt-oss-20b"), integer(r.get(4)), calls[4]);
    assertEquals(greeting.counts().get("gpt-3.5-turbo-0301"), integer(r.get(5)), calls[5]);
    assertEquals(named.counts().get("gpt-3.5-turbo-0301"), integer(r.get(6)), calls[6]);
    assertNull(r.get(7), calls[7]);
    assertNull(r.get(8), calls[8]);
    assertEquals(named.counts().get("gpt-oss-20b"), integer(r.get(9)), calls[9]);
    assertEquals(empty.counts().get("gpt-4o"), integer(r.get(10)), calls[10]);
    assertNull(r.get(11), calls[11]);
  }

  @Test
  void chatWrongCalls() {
    String type = TokenFunction.Kind.MESSAGES.sql;
    assertPlanningFails("SELECT count_chat_tokens(text) FROM golden_docs",
        "count_chat_tokens(messages): argument 1 (messages) must be " + type + ", got ");
    assertPlanningFails("SELECT count_chat_tokens(" + array(struct(List.of("role", "text"), List.of("'user'", "text")))
        + ") FROM golden_docs", "count_chat_tokens(messages): argument 1 (messages) must be " + type + ", got ARRAY<");
    assertPlanningFails("SELECT count_chat_tokens(messages, 5) FROM chat_cases",
        "count_chat_tokens(messages, model): argument 2 (model) must be STRING, got INT");
    assertPlanningFails("SELECT count_chat_tokens() FROM chat_cases",
        "count_chat_tokens(messages [, model]) takes 1 to 2 arguments, got 0");
    assertPlanningFails("SELECT count_chat_tokens(messages, 'gpt4o') FROM chat_cases",
        "count_chat_tokens: unknown encoding 'gpt4o'", "or an OpenAI model name");
    assertFails("SELECT count_chat_tokens(messages, CASE WHEN i < 0 THEN 'gpt-4o' ELSE 'bogus-model' END)"
        + " FROM chat_cases", "count_chat_tokens: unknown encoding 'bogus-model'");
  }

  // ---- inside other expressions

  @Test
  void resultsWorkInsideAggregatesAndFilters() {
    Map<String, Long> sums = new HashMap<>();
    for (List<Object> r : rows("SELECT doc_set, SUM(count_tokens(text)) FROM golden_docs GROUP BY doc_set")) {
      sums.put((String) r.get(0), ((Number) r.get(1)).longValue());
    }
    Map<String, Long> expected = new HashMap<>();
    long small = 0;
    for (View v : views()) {
      if (!v.name.equals("golden_docs")) continue;
      for (List<Object> d : v.rows) {
        int n = golden("o200k_base", set(d), index(d)).length;
        expected.merge(set(d), (long) n, Long::sum);
        if (n < 5) small++;
      }
    }
    assertEquals(expected, sums);
    assertEquals(small, ((Number) row("SELECT COUNT(*) FROM golden_docs WHERE count_tokens(text) < 5").get(0)).longValue());
    assertNull(row("SELECT count_tokens(CAST(NULL AS STRING)) + 1").get(0));
  }
}
