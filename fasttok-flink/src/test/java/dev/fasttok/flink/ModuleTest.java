package dev.fasttok.flink;

import static dev.fasttok.flink.FlinkTestSupport.assertFailsWith;
import static dev.fasttok.flink.FlinkTestSupport.ints;
import static dev.fasttok.flink.FlinkTestSupport.rows;
import static org.apache.flink.table.api.Expressions.$;
import static org.apache.flink.table.api.Expressions.call;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.Golden;
import java.io.OutputStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions all at once through the module ({@code LOAD MODULE fasttok}), the default encoding
 * and custom vocabularies as module options, and {@code CREATE FUNCTION ... USING JAR}.
 */
class ModuleTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  static List<Row> docs;
  static MiniCluster cluster;

  @BeforeAll
  static void setUp(@InjectMiniCluster MiniCluster miniCluster) {
    docs = FlinkTestSupport.goldenDocs();
    cluster = miniCluster;
  }

  /** A table environment of its own (jars added with USING JAR stay in its configuration). */
  static StreamTableEnvironment tableEnv() {
    return FlinkTestSupport.tableEnv(FlinkTestSupport.env(cluster), "golden_docs", docs, FlinkTestSupport.DOC_TYPE);
  }

  /** A copy of the real cl100k_base ranks (fasttok-core/src/main/tiktoken) as a custom vocabulary file. */
  static Path cl100kCopy(Path dir) throws Exception {
    Path file = dir.resolve("mine.tiktoken");
    Files.copy(Path.of(System.getProperty("user.dir"), "fasttok-core/src/main/tiktoken/cl100k_base.tiktoken"), file);
    return file;
  }

  @Test
  void loadModuleGivesEveryFunctionWithTheConfiguredDefault() throws Exception {
    StreamTableEnvironment tEnv = tableEnv();
    tEnv.executeSql("LOAD MODULE fasttok");
    List<String> functions = new ArrayList<>();
    try (CloseableIterator<Row> it = tEnv.executeSql("SHOW FUNCTIONS").collect()) {
      it.forEachRemaining(r -> functions.add((String) r.getField(0)));
    }
    assertTrue(functions.containsAll(List.of("count_tokens", "encode_tokens", "decode_tokens", "truncate_tokens",
        "chunk_tokens", "count_chat_tokens")), functions.toString());
    List<Row> rows = rows(tEnv, "SELECT doc_set, i, COUNT_TOKENS(text), encode_tokens(text), truncate_tokens(text, 3),"
        + " decode_tokens(encode_tokens(text)) = text FROM golden_docs");
    assertEquals(docs.size(), rows.size());
    for (Row r : rows) {
      int[] expected = Golden.ids("o200k_base", (String) r.getField(0)).get((Integer) r.getField(1));
      assertEquals(expected.length, r.getField(2));
      assertArrayEquals(expected, ints(r.getField(3)));
      assertEquals(Boolean.TRUE, r.getField(5));
    }
    List<Row> chunks = rows(tEnv, "SELECT c.token_count FROM (VALUES ('hello world again')) AS v(t),"
        + " LATERAL TABLE(chunk_tokens(t, 2)) AS c");
    assertEquals(2, chunks.size());

    tEnv.executeSql("UNLOAD MODULE fasttok");
    tEnv.executeSql("LOAD MODULE fasttok WITH ('encoding' = 'cl100k_base')");
    for (Row r : rows(tEnv, "SELECT doc_set, i, count_tokens(text) FROM golden_docs")) {
      assertEquals(Golden.ids("cl100k_base", (String) r.getField(0)).get((Integer) r.getField(1)).length, r.getField(2));
    }
  }

  @Test
  void customVocabularyIsReadWhereTheJobIsPlannedAndShippedWithIt(@TempDir Path dir) throws Exception {
    Path file = cl100kCopy(dir);
    StreamExecutionEnvironment env = FlinkTestSupport.env(cluster);
    StreamTableEnvironment tEnv = FlinkTestSupport.tableEnv(env, "golden_docs", docs, FlinkTestSupport.DOC_TYPE);
    tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.mine' = '" + file.toUri() + "',"
        + " 'vocabulary.mine.base' = 'cl100k_base', 'encoding' = 'mine')");
    // The TaskManagers never read the file: it is gone before the jobs run.
    Files.delete(file);
    List<Row> rows = rows(tEnv, "SELECT doc_set, i, encode_tokens(text, 'mine'), count_tokens(text), e,"
        + " count_tokens(text, e) FROM golden_docs CROSS JOIN (VALUES ('mine'), ('o200k_base')) AS t(e)");
    assertEquals(2 * docs.size(), rows.size());
    for (Row r : rows) {
      String set = (String) r.getField(0);
      int i = (Integer) r.getField(1);
      int[] cl100k = Golden.ids("cl100k_base", set).get(i);
      assertArrayEquals(cl100k, ints(r.getField(2)), set + "[" + i + "]");
      assertEquals(cl100k.length, r.getField(3));
      String e = (String) r.getField(4);
      assertEquals(Golden.ids(e.equals("mine") ? "cl100k_base" : e, set).get(i).length, r.getField(5));
    }
    // count_chat_tokens with a custom vocabulary (named, and the default): the current rule with its encoding.
    Golden.ChatCase named = Golden.chatCases().get(4);
    dev.fasttok.ChatMessage m = named.messages().get(0);
    assertEquals(new dev.fasttok.ChatMessage("system", "New synergies will help drive top-line growth.", "example_user"), m);
    String messages = "ARRAY[CAST(ROW('" + m.role() + "', '" + m.content() + "', '" + m.name()
        + "') AS ROW<role STRING, content STRING, name STRING>)]";
    Row chat = rows(tEnv, "SELECT count_chat_tokens(" + messages + ", 'mine'), count_chat_tokens(" + messages + ")").get(0);
    assertEquals(named.counts().get("cl100k_base"), chat.getField(0));
    assertEquals(named.counts().get("cl100k_base"), chat.getField(1));
    // A .tiktoken vocabulary takes its base's special tokens.
    List<String> special = Golden.docs("special");
    List<Row> specialDocs = new ArrayList<>();
    for (int i = 0; i < special.size(); i++) specialDocs.add(Row.of("special", i, special.get(i)));
    FlinkTestSupport.addView(tEnv, env, "special_docs", specialDocs, FlinkTestSupport.DOC_TYPE);
    for (Row r : rows(tEnv, "SELECT i, encode_tokens(text, 'mine', 'all') FROM special_docs")) {
      assertArrayEquals(Golden.idsAllSpecial("cl100k_base").get((Integer) r.getField(0)), ints(r.getField(1)));
    }

    // The same from the Table API, with the Vocabularies given to the function.
    Files.copy(Path.of(System.getProperty("user.dir"), "fasttok-core/src/main/tiktoken/cl100k_base.tiktoken"), file);
    Vocabularies v = Vocabularies.builder().vocabulary("mine", file.toString(), "cl100k_base").build();
    Files.delete(file);
    for (Row r : rows(tEnv.from("golden_docs").select($("doc_set"), $("i"),
        call(new CountTokens(v), $("text"), "mine"), call(new EncodeTokens(v), $("text"), "mine")))) {
      int[] cl100k = Golden.ids("cl100k_base", (String) r.getField(0)).get((Integer) r.getField(1));
      assertEquals(cl100k.length, r.getField(2));
      assertArrayEquals(cl100k, ints(r.getField(3)));
    }
  }

  @Test
  void moduleOptionsAreChecked(@TempDir Path dir) throws Exception {
    StreamTableEnvironment tEnv = tableEnv();
    assertFailsWith(ValidationException.class, () -> tEnv.executeSql("LOAD MODULE fasttok WITH ('encodings' = 'x')"),
        "unknown option 'encodings' of module fasttok");
    assertFailsWith(ValidationException.class, () -> tEnv.executeSql("LOAD MODULE fasttok WITH ('encoding' = 'nope')"),
        "unknown encoding 'nope'", "cl100k_base");
    Path missing = dir.resolve("nowhere.tiktoken");
    assertFailsWith(ValidationException.class,
        () -> tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.mine' = '" + missing + "')"),
        "cannot read custom vocabulary 'mine' from " + missing);
    Path file = cl100kCopy(dir);
    assertFailsWith(ValidationException.class,
        () -> tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.o200k_base' = '" + file + "')"),
        "has the name of a built-in encoding");
    assertFailsWith(ValidationException.class,
        () -> tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.mine.base' = 'cl100k_base')"),
        "'vocabulary.mine.base' names the base of vocabulary 'mine', which has no 'vocabulary.mine' option");
    tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.mine' = '" + file + "', 'vocabulary.mine.base' = 'cl100k_base')");
    // Unknown names list the custom vocabularies.
    assertFailsWith(ValidationException.class, () -> tEnv.sqlQuery("SELECT count_tokens(text, 'yours') FROM golden_docs"),
        "unknown encoding 'yours'", "custom vocabularies: mine");
  }

  @Test
  void callsCarryOnlyTheVocabulariesTheyCanUseAndShareEncodingsInAJvm(@TempDir Path dir) throws Exception {
    Path file = cl100kCopy(dir);
    Vocabularies v = Vocabularies.builder().vocabulary("mine", file.toString(), "cl100k_base")
        .vocabulary("tiny", Encodings.get("r50k_base")).build();
    assertEquals(List.of("mine"), v.only(List.of("mine")).carried().stream().map(c -> c.name).toList());
    assertEquals(List.of(), v.only(List.of("o200k_base")).carried().stream().map(c -> c.name).toList());
    assertSame(v, v.only(null));
    // Function instances travel serialized; each copy gets the Encoding the JVM already built.
    CountTokens f = new CountTokens(v);
    byte[] bytes = InstantiationUtil.serializeObject(f);
    CountTokens a = InstantiationUtil.deserializeObject(bytes, getClass().getClassLoader());
    CountTokens b = InstantiationUtil.deserializeObject(bytes, getClass().getClassLoader());
    a.open(null);
    b.open(null);
    Encoding fromA = a.encoding(org.apache.flink.table.data.StringData.fromString("mine"));
    assertSame(fromA, b.encoding(org.apache.flink.table.data.StringData.fromString("mine")));
    assertNotSame(a, b);
    assertSame(Encodings.get("o200k_base"), a.defaultEncoding());
    assertEquals(Golden.ids("cl100k_base", "prose").get(0).length, a.eval(org.apache.flink.table.data.StringData.fromString(
        Golden.docs("prose").get(0)), org.apache.flink.table.data.StringData.fromString("mine")));
  }

  @Test
  void chunksOfANormalizingTokenizerAreThePiecesOfItsNormalizedText(@TempDir Path dir) throws Exception {
    // Qwen3 normalizes with NFC: e + U+0301 is é, in the chunks too.
    Path qwen = Golden.writeTokenizerJson("qwen3", dir);
    StreamExecutionEnvironment env = FlinkTestSupport.env(cluster);
    StreamTableEnvironment tEnv = FlinkTestSupport.tableEnv(env, "golden_docs", docs, FlinkTestSupport.DOC_TYPE);
    tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.qwen3' = '" + qwen.toUri() + "')");
    StringBuilder joined = new StringBuilder();
    for (Row r : rows(tEnv, "SELECT c.text FROM (VALUES ('cafe\u0301 cafe\u0301 au lait')) AS d(t),"
        + " LATERAL TABLE(chunk_tokens(d.t, 2, 0, 'qwen3')) AS c")) {
      joined.append(r.getField(0));
    }
    assertEquals("caf\u00E9 caf\u00E9 au lait", joined.toString());
  }

  @Test
  void createFunctionUsingJar(@TempDir Path dir) throws Exception {
    // A jar of this build's classes and resources with the engine's, as the deployable jar has them.
    Path jar = dir.resolve("fasttok.jar");
    Set<String> names = new HashSet<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> c : List.of(CountTokens.class, Encoding.class)) {
        // A directory of classes, or (the engine, once packaged) a jar.
        Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (FileSystem jarFs = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location)) {
          Path root = jarFs == null ? location : jarFs.getPath("/");
          try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
              String name = root.relativize(p).toString().replace('\\', '/');
              if (!names.add(name)) continue;
              out.putNextEntry(new JarEntry(name));
              Files.copy(p, out);
              out.closeEntry();
            }
          }
        }
      }
    }
    StreamTableEnvironment tEnv = tableEnv();
    // A catalog function (in the session's in-memory catalog) and a temporary system function.
    tEnv.executeSql("CREATE FUNCTION jar_count_tokens AS 'dev.fasttok.flink.CountTokens' USING JAR '" + jar + "'");
    tEnv.executeSql("CREATE TEMPORARY SYSTEM FUNCTION jar_chunk_tokens AS 'dev.fasttok.flink.ChunkTokens' USING JAR '"
        + jar + "'");
    for (Row r : rows(tEnv, "SELECT doc_set, i, jar_count_tokens(text, 'cl100k_base') FROM golden_docs")) {
      assertEquals(Golden.ids("cl100k_base", (String) r.getField(0)).get((Integer) r.getField(1)).length, r.getField(2));
    }
    assertEquals(2, rows(tEnv, "SELECT c.token_start FROM (VALUES ('hello world again')) AS v(t),"
        + " LATERAL TABLE(jar_chunk_tokens(t, 2)) AS c").size());
  }
}
