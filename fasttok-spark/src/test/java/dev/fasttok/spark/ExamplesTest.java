package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encodings;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps examples/spark and conf/spark-defaults.conf honest: they run against this build. */
class ExamplesTest {
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
    SparkSession spark = SharedSpark.get();
    String script = Files.readString(ROOT.resolve("examples/spark/count_tokens.sql"));
    StringBuilder sql = new StringBuilder();
    for (String line : script.split("\n")) if (!line.trim().startsWith("--")) sql.append(line).append('\n');
    List<List<Row>> results = new ArrayList<>();
    try {
      for (String statement : sql.toString().split(";\\s*\n")) {
        if (!statement.isBlank()) results.add(spark.sql(statement).collectAsList());
      }
    } finally {
      spark.conf().unset(FasttokConf.ENCODING);
    }
    assertEquals(10, results.size());
    List<Row> counts = results.get(1);
    for (int i = 0; i < 3; i++) {
      assertEquals(Encodings.get("o200k_base").countTokens(DOCS[i]), counts.get(i).getInt(1));
      assertEquals(Encodings.get("cl100k_base").countTokens(DOCS[i]), counts.get(i).getInt(2));
    }
    assertTrue(counts.get(3).isNullAt(1));
    for (int i = 0; i < 3; i++) assertTrue(results.get(2).get(i).getBoolean(2));
    assertEquals(total("o200k_base"), results.get(6).get(0).getLong(0));
    assertEquals(total("cl100k_base"), results.get(8).get(0).getLong(0));
    // The chat request is golden/chat.jsonl's conversation 3, counted there by Python tiktoken.
    dev.fasttok.Golden.ChatCase greeting = dev.fasttok.Golden.chatCases().get(3);
    assertEquals(List.of(new dev.fasttok.ChatMessage("system", "You are a helpful assistant."),
        new dev.fasttok.ChatMessage("user", "Hello!")), greeting.messages());
    assertEquals(greeting.counts().get("gpt-4o"), results.get(9).get(0).getInt(0));
    assertEquals(greeting.counts().get("gpt-oss-20b"), results.get(9).get(0).getInt(1));
  }

  @Test
  void javaExampleCompilesAndRuns(@TempDir Path out) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-proc:none", "-d", out.toString(), "-cp", System.getProperty("java.class.path"),
        ROOT.resolve("examples/spark/JavaExample.java").toString());
    assertEquals(0, rc, "examples/spark/JavaExample.java must compile");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> example = loader.loadClass("JavaExample");
      Object total = example.getMethod("run", SparkSession.class).invoke(null, SharedSpark.get());
      assertEquals(total("o200k_base"), total);
    }
  }

  @Test
  void sparkDefaultsNameRealClasses() throws Exception {
    int checked = 0;
    for (String line : Files.readAllLines(ROOT.resolve("conf/spark-defaults.conf"), StandardCharsets.UTF_8)) {
      String l = line.trim();
      if (l.isEmpty() || l.startsWith("#")) continue;
      String[] kv = l.split("\\s+", 2);
      if (kv[1].startsWith("dev.fasttok.") || kv[0].equals("spark.serializer")) {
        Class.forName(kv[1]);
        checked++;
      }
      if (kv[0].equals("spark.fasttok.encoding")) assertTrue(Encodings.names().contains(kv[1]));
      if (kv[0].equals("spark.jars")) assertTrue(kv[1].endsWith(".jar") && !kv[1].contains(File.pathSeparator + File.pathSeparator));
    }
    assertEquals(4, checked);
  }
}
