package dev.fasttok.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encodings;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Keeps examples/flink honest: the SQL script and the Table API example run against this build. */
class ExamplesTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  static final Path ROOT = Path.of(System.getProperty("user.dir"));
  static final String[] DOCS = {"The quick brown fox jumps over the lazy dog.",
      "Tokenization is the first step of every language model.", "naïve café, 東京, 🙂"};

  static long total(String encoding) {
    long n = 0;
    for (String d : DOCS) n += Encodings.get(encoding).countTokens(d);
    return n;
  }

  @Test
  void sqlScriptRuns() throws Exception {
    // The script's statements, as the SQL client runs them: SET statements configure the session
    // (the SQL client handles them itself), the others run in a TableEnvironment of that configuration
    // (in the extension's context environment, the MiniCluster).
    String script = Files.readString(ROOT.resolve("examples/flink/count_tokens.sql"));
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) if (!line.trim().startsWith("--")) sql.append(line).append('\n');
    Configuration session = new Configuration();
    TableEnvironment tEnv = null;
    List<List<Row>> results = new ArrayList<>();
    for (String statement : sql.toString().split(";\\s*\n")) {
      if (statement.isBlank()) continue;
      Matcher set = Pattern.compile("(?is)\\s*SET\\s+'([^']+)'\\s*=\\s*'([^']*)'\\s*").matcher(statement);
      if (set.matches()) {
        assertNull(tEnv, "SET statements come first");
        session.setString(set.group(1), set.group(2));
        continue;
      }
      if (tEnv == null) tEnv = TableEnvironment.create(EnvironmentSettings.newInstance().withConfiguration(session).build());
      TableResult result = tEnv.executeSql(statement);
      if (statement.trim().toUpperCase(java.util.Locale.ROOT).startsWith("SELECT")) {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
          it.forEachRemaining(rows::add);
        }
        results.add(rows);
      }
    }
    assertEquals("batch", session.getString("execution.runtime-mode", null));
    assertEquals(6, results.size());
    List<Row> counts = results.get(0);
    for (int i = 0; i < 3; i++) {
      assertEquals(Encodings.get("o200k_base").countTokens(DOCS[i]), counts.get(i).getField(1));
      assertEquals(Encodings.get("cl100k_base").countTokens(DOCS[i]), counts.get(i).getField(2));
    }
    assertNull(counts.get(3).getField(1));
    for (int i = 0; i < 3; i++) assertEquals(Boolean.TRUE, results.get(1).get(i).getField(2));
    Row special = results.get(2).get(0);
    assertEquals(List.of(408, 27, 91, 8862, 728, 428, 91, 29), toList(special.getField(0)));
    assertEquals(List.of(408, 100257), toList(special.getField(1)));
    // The chunks of each document cover it.
    StringBuilder first = new StringBuilder();
    for (Row r : results.get(4)) if ((Integer) r.getField(0) == 1) first.append(r.getField(3));
    assertTrue(first.toString().startsWith("The quick brown fox"), first.toString());
    // The corpus from examples/sample/prose.jsonl.
    long docs = 0;
    long chars = 0;
    long o200k = 0;
    long cl100k = 0;
    for (String line : Files.readAllLines(ROOT.resolve("examples/sample/prose.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      String text = jsonString(line);
      docs++;
      chars += text.length();
      o200k += Encodings.get("o200k_base").countTokens(text);
      cl100k += Encodings.get("cl100k_base").countTokens(text);
    }
    Row corpus = results.get(5).get(0);
    assertEquals(List.of(docs, chars, o200k, cl100k), List.of(((Number) corpus.getField(0)).longValue(),
        ((Number) corpus.getField(1)).longValue(), ((Number) corpus.getField(2)).longValue(),
        ((Number) corpus.getField(3)).longValue()));
  }

  /** A line of examples/sample/*.jsonl: one JSON string literal. */
  static String jsonString(String line) {
    String s = line.trim();
    assertTrue(s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"', line);
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 't': sb.append('\t'); break;
        case 'u': sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16)); i += 4; break;
        default: sb.append(e); // " \ /
      }
    }
    return sb.toString();
  }

  private static List<Integer> toList(Object ids) {
    return java.util.Arrays.stream(FlinkTestSupport.ints(ids)).boxed().collect(java.util.stream.Collectors.toList());
  }

  @Test
  void tableApiExampleCompilesAndRuns(@TempDir Path out) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-proc:none", "-d", out.toString(), "-cp", System.getProperty("java.class.path"),
        ROOT.resolve("examples/flink/TableApiExample.java").toString());
    assertEquals(0, rc, "examples/flink/TableApiExample.java must compile");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> example = loader.loadClass("TableApiExample");
      TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
      Object total = example.getMethod("run", TableEnvironment.class).invoke(null, tEnv);
      assertEquals(total("o200k_base"), total);
    }
  }
}
