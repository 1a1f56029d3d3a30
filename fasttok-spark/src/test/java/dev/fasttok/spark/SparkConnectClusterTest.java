package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Golden;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/**
 * fasttok through Spark Connect, as a Connect (or PySpark Connect) user meets it: a Spark Connect
 * server on loopback, configured with conf/spark-defaults.conf (the file the README points to), and
 * the Spark Connect JVM client in a JVM of its own ({@link SparkConnectClient}) running the SQL
 * functions and a DataFrame {@code selectExpr}, and on Spark 4.0 the spark.ml Transformer through
 * Connect ML ({@link ConnectMl}). Every id that comes back is checked against the golden ids
 * written by tiktoken.
 *
 * <p>The client needs its own JVM: its jar carries its own {@code org.apache.spark.sql.SparkSession},
 * {@code Dataset} and Connect protocol classes (on 4.0 compiled against a differently relocated
 * protobuf than the server's), which clash with classic Spark's and the server's on one class path.
 * The server runs in this JVM, so this is a cluster test (its own Surefire execution, which also
 * gives {@code java.class.path} and the client jar's location).
 */
class SparkConnectClusterTest {
  /** Spark's server-side jars, left off the client's class path (the client brings its own API). */
  private static final Pattern SERVER_JARS =
      Pattern.compile("spark-(core|catalyst|sql|connect|mllib|mllib-local|graphx|streaming|hive|repl)_.*");

  @TempDir
  Path dir;

  @Test
  void sqlFunctionsAndSelectExprThroughSparkConnectMatchTiktoken() throws Exception {
    String clientDir = System.getProperty("fasttok.test.connectClient");
    assertNotNull(clientDir, "run in the cluster-test execution, which names the Spark Connect client's directory");
    List<String> clientJars = ConnectClientJars.of(Path.of(clientDir), dir).stream()
        .map(p -> p.toAbsolutePath().toString()).collect(Collectors.toList());
    assertTrue(clientJars.stream().anyMatch(j -> j.contains("spark-connect-client-jvm")),
        "no Spark Connect client in " + clientDir + ": " + clientJars);

    SparkSession.Builder builder = SparkSession.builder()
        .master("local[2]")
        .appName("fasttok-spark-connect")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // Any free port (the server reports the one it got); loopback only where the server can be
        // told (Spark 4.0; 3.5 binds every interface).
        .config("spark.connect.grpc.binding.port", "0")
        .config("spark.connect.grpc.binding.address", "127.0.0.1");
    for (Map.Entry<String, String> e : userConfiguration().entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    SparkSession spark = builder.getOrCreate();
    Map<String, Object> results;
    try {
      SparkConnectService.start(spark.sparkContext());
      int port = SparkConnectService$.MODULE$.localPort();
      assertTrue(port > 0, "server port " + port);
      results = runClient(clientJars, "sc://127.0.0.1:" + port);
    } finally {
      try {
        SparkConnectService.stop(Option.empty(), Option.empty());
      } finally {
        spark.stop();
      }
    }

    assertTrue(((String) results.get("session")).contains("/spark-connect-client-jvm_"),
        "the client ran a Connect session: " + results.get("session"));
    Map<String, String> models = modelEncodings();
    assertEquals("o200k_base", models.get("gpt-4o"));
    assertEquals("o200k_base", models.get("gpt-4o-mini"));
    assertEquals("cl100k_base", models.get("gpt-4"));

    List<SparkConnectClient.Doc> docs = SparkConnectClient.DOCS;
    for (int i = 0; i < docs.size(); i++) {
      SparkConnectClient.Doc doc = docs.get(i);
      int[] o200k = Golden.ids("o200k_base", doc.set).get(doc.index);
      int[] cl100k = Golden.ids("cl100k_base", doc.set).get(doc.index);
      String where = doc.set + "#" + doc.index;
      assertTrue(o200k.length > 0 && cl100k.length > 0, where);
      assertEquals(o200k.length, results.get("sql." + i + ".n_default"), where + " count_tokens(doc)");
      assertEquals(cl100k.length, results.get("sql." + i + ".n_cl100k"), where);
      assertArrayEquals(o200k, (int[]) results.get("sql." + i + ".o200k"), where);
      assertArrayEquals(o200k, (int[]) results.get("sql." + i + ".gpt-4o"), where + " gpt-4o");
      assertArrayEquals(cl100k, (int[]) results.get("sql." + i + ".gpt-4"), where + " gpt-4");
      assertEquals(o200k.length, results.get("sql." + i + ".n_gpt-4o-mini"), where + " gpt-4o-mini");

      assertEquals(cl100k.length, results.get("df." + i + ".n_cl100k"), where + " DataFrame");
      assertArrayEquals(o200k, (int[]) results.get("df." + i + ".o200k"), where + " DataFrame");
      String encoding = (String) results.get("df." + i + ".encoding");
      assertArrayEquals(models.getOrDefault(encoding, encoding).equals("cl100k_base") ? cl100k : o200k,
          (int[]) results.get("df." + i + ".by_column"), where + " DataFrame, encoding column " + encoding);
    }
    assertEquals(docs.size(), results.get("df.rows"));
    assertEquals(docs.size(), results.get("sql.rows"));

    // The Transformer through Connect ML (Spark 4.0): its output column, cl100k_base ids.
    if (ConnectMl.SUPPORTED) {
      assertNull(results.get("ml.error"), "Connect ML transform");
      for (int i = 0; i < docs.size(); i++) {
        SparkConnectClient.Doc doc = docs.get(i);
        assertArrayEquals(Golden.ids("cl100k_base", doc.set).get(doc.index), (int[]) results.get("ml." + i),
            doc.set + "#" + doc.index + " through Connect ML");
      }
    }

    SparkConnectClient.Doc special = docs.get(docs.size() - 1);
    int[] allSpecial = Golden.idsAllSpecial("cl100k_base").get(special.index);
    assertArrayEquals(allSpecial, (int[]) results.get("special.all"));
    assertFalse(Arrays.equals(allSpecial, Golden.ids("cl100k_base", special.set).get(special.index)),
        "the special document has special-token text");

    for (String encoding : List.of("cl100k_base", "o200k_base")) {
      List<Golden.DecodeCase> cases = Golden.decodeCases(encoding);
      boolean cut = false;
      for (int c : SparkConnectClient.DECODE_CASES) {
        assertEquals(cases.get(c).text, results.get("decode." + encoding + "." + c), encoding + " decode case " + c);
        assertEquals(cases.get(c).text, results.get("decode.catalog." + encoding + "." + c));
        cut |= cases.get(c).text.indexOf('\uFFFD') >= 0;
      }
      assertTrue(cut, encoding + ": a decode case that cuts a character");
    }

    // Chunks of 16 tokens overlapping by 4: their ids are slices of tiktoken's ids, starting every
    // 12 tokens, and together they cover the whole document.
    SparkConnectClient.Doc first = docs.get(0);
    String text = first.text();
    int[] cl100k = Golden.ids("cl100k_base", first.set).get(first.index);
    @SuppressWarnings("unchecked")
    List<Object[]> chunks = (List<Object[]>) results.get("chunks");
    int stride = SparkConnectClient.CHUNK_SIZE - SparkConnectClient.CHUNK_OVERLAP;
    assertEquals((cl100k.length - SparkConnectClient.CHUNK_OVERLAP + stride - 1) / stride, chunks.size());
    for (int k = 0; k < chunks.size(); k++) {
      Object[] chunk = chunks.get(k);
      int start = (Integer) chunk[1];
      int count = (Integer) chunk[2];
      assertEquals(k * stride, start, "chunk " + k);
      assertEquals(Math.min(SparkConnectClient.CHUNK_SIZE, cl100k.length - start), count, "chunk " + k);
      assertArrayEquals(Arrays.copyOfRange(cl100k, start, start + count), (int[]) chunk[3], "chunk " + k);
      assertTrue(text.contains((String) chunk[0]), "chunk " + k + " is a piece of the document");
    }
    assertTrue(text.startsWith((String) chunks.get(0)[0]));
    assertTrue(text.endsWith((String) chunks.get(chunks.size() - 1)[0]));
  }

  /**
   * The properties a user adds to the server's configuration: conf/spark-defaults.conf, but for
   * spark.jars (it names the packaged jar, which is not built when tests run; fasttok's classes
   * are on this JVM's class path instead).
   */
  private static Map<String, String> userConfiguration() throws IOException {
    Map<String, String> conf = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("conf/spark-defaults.conf"))) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] kv = l.split("\\s+", 2);
      if (!kv[0].equals("spark.jars")) conf.put(kv[0], kv[1].strip());
    }
    assertEquals(FasttokExtensions.class.getName(), conf.get("spark.sql.extensions"));
    assertEquals(FasttokCatalog.class.getName(), conf.get("spark.sql.catalog.fasttok"));
    return conf;
  }

  /** tiktoken's model-name table (golden/models.jsonl): model to encoding. */
  private static Map<String, String> modelEncodings() throws IOException {
    Map<String, String> models = new LinkedHashMap<>();
    Pattern entry = Pattern.compile("\\{\"model\": \"([^\"]+)\", \"encoding\": \"([^\"]+)\"\\}");
    try (InputStream in = Golden.class.getResourceAsStream("/golden/models.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        Matcher m = entry.matcher(line.strip());
        if (m.matches()) models.put(m.group(1), m.group(2));
      }
    }
    return models;
  }

  /** Runs {@link SparkConnectClient} in a new JVM, the Connect client's jars first on its class path. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> runClient(List<String> clientJars, String url) throws Exception {
    List<String> classPath = new ArrayList<>(clientJars);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      File f = new File(entry);
      if (!SERVER_JARS.matcher(f.getName()).matches()) classPath.add(f.getAbsolutePath());
    }
    Path out = dir.resolve("results.bin");
    Path log = dir.resolve("client.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    for (String flag : System.getProperty("fasttok.test.jvmFlags", "").split("\\s+")) {
      if (!flag.isEmpty()) command.add(flag);
    }
    command.addAll(List.of("-cp", String.join(File.pathSeparator, classPath),
        SparkConnectClient.class.getName(), url, out.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(240, TimeUnit.SECONDS);
    if (!done) p.destroyForcibly().waitFor();
    String output = Files.readString(log);
    assertTrue(done && p.exitValue() == 0, "the Connect client failed:\n" + tail(output));
    // Its step timings, for the test report.
    output.lines().filter(l -> l.startsWith("fasttok connect client:")).forEach(System.out::println);
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(out))) {
      return (Map<String, Object>) in.readObject();
    }
  }

  private static String tail(String s) {
    List<String> lines = Arrays.asList(s.split("\n"));
    return lines.subList(Math.max(0, lines.size() - 80), lines.size()).stream().collect(Collectors.joining("\n"));
  }
}
