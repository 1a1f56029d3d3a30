package dev.fasttok.corpus;

import static dev.fasttok.corpus.CorpusTestSupport.assertSameDocuments;
import static dev.fasttok.corpus.CorpusTestSupport.expected;
import static dev.fasttok.corpus.CorpusTestSupport.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encodings;
import dev.fasttok.spark.SparkTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit protocol: the first attempt of one partition's task fails after it has written part
 * of its output (as a lost executor or a full disk would make it), Spark retries it, and the output
 * holds every document exactly once, no partial or duplicate file, and the summary's counts are
 * exact. Needs a session of its own, {@code local[2,3]} (two threads, a task may fail three times),
 * so it runs in the Surefire execution that gives each *ClusterTest a SparkContext of its own.
 */
class RetriedTaskClusterTest {
  static SparkSession spark;
  static final AtomicInteger FAILED = new AtomicInteger();
  @TempDir
  static Path dir;
  static Path golden;

  static org.apache.logging.log4j.Level logLevel;

  @BeforeAll
  static void setUp() throws IOException {
    // The failures are on purpose: keep Spark from logging each one with its stack trace.
    logLevel = org.apache.logging.log4j.LogManager.getRootLogger().getLevel();
    org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.FATAL);
    spark = SparkSession.builder()
        .master("local[2,3]")
        .appName("fasttok-retried-task")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // Small splits: the golden corpus (11 files, 0.6 MB) in many partitions.
        .config("spark.sql.files.maxPartitionBytes", "65536")
        .config("spark.sql.files.openCostInBytes", "0")
        .getOrCreate();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (!(e.reason() instanceof Success$)) FAILED.incrementAndGet();
      }
    });
    golden = CorpusTestSupport.writeGoldenCorpus(dir.resolve("golden"));
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) spark.stop();
    org.apache.logging.log4j.core.config.Configurator.setRootLevel(logLevel);
  }

  static JobSummary runFailingOnce(String format, Path out) throws Exception {
    JobOptions o = JobOptions.parse("--input", golden.toString(), "--output", out.toString(), "--output-format", format);
    o.progressSeconds = 0;
    int before = FAILED.get();
    // The first attempt of every partition's task fails after its first document.
    JobSummary s = CorpusJob.run(spark, o, null, new CorpusTestSupport.FailOnce(-1, 1));
    spark.sparkContext().listenerBus().waitUntilEmpty();
    int failed = FAILED.get() - before;
    assertTrue(s.partitions > 4, "partitions: " + s.partitions);
    assertTrue(failed >= s.partitions / 2, failed + " of " + s.partitions + " tasks failed once and were retried");
    TokenizeCorpusTest.assertTotals(s, "o200k_base");
    return s;
  }

  /** Only committed files: no _temporary directory, nothing but the format's files and _SUCCESS. */
  static Set<String> assertOnlyCommittedFiles(Path data, String... suffixes) throws IOException {
    Set<String> names;
    try (Stream<Path> s = Files.list(data)) {
      names = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertFalse(names.contains("_temporary"), names.toString());
    assertTrue(names.contains("_SUCCESS"));
    for (String n : names) {
      if (n.equals("_SUCCESS") || n.startsWith(".")) continue;
      boolean ok = false;
      for (String suffix : suffixes) ok |= n.endsWith(suffix);
      assertTrue(ok, "unexpected file " + n);
    }
    return names;
  }

  @Test
  void megatronOutputHoldsEveryDocumentOnce() throws Exception {
    Path out = dir.resolve("megatron");
    JobSummary s = runFailingOnce("megatron", out);
    Set<String> names = assertOnlyCommittedFiles(out.resolve("data"), ".bin", ".idx");
    assertTrue(names.contains("part-00001.bin") && names.contains("part-00001.idx"), names.toString());
    List<int[]> docs = TokenFiles.megatronDocuments(out.resolve("data"), 4);
    assertSameDocuments(expected("o200k_base", 199999), multiset(docs));
    assertEquals(s.tokensWritten, docs.stream().mapToLong(d -> d.length).sum());
  }

  @Test
  void nanoGptOutputHoldsEveryDocumentOnce() throws Exception {
    Path out = dir.resolve("nanogpt");
    runFailingOnce("nanogpt", out);
    assertOnlyCommittedFiles(out.resolve("data"), ".bin");
    List<int[]> docs = new ArrayList<>();
    for (Path f : TokenFiles.files(out.resolve("data"), ".bin")) {
      docs.addAll(TokenFiles.splitAfter(TokenFiles.readNanoGpt(f).tokens, 199999));
    }
    assertSameDocuments(expected("o200k_base", 199999), multiset(docs));
  }

  @Test
  void parquetOutputHoldsEveryDocumentOnce() throws Exception {
    Path out = dir.resolve("parquet");
    runFailingOnce("parquet", out);
    assertOnlyCommittedFiles(out.resolve("data"), ".parquet");
    List<int[]> docs = new ArrayList<>();
    for (Row r : spark.read().parquet(out.resolve("data").toString()).collectAsList()) {
      int[] ids = SparkTestSupport.ints(r, 0);
      if (ids.length > 0) docs.add(ids);
    }
    assertSameDocuments(expected("o200k_base", -1), multiset(docs));
    assertEquals(199999, (int) Encodings.get("o200k_base").specialTokens().get("<|endoftext|>"));
  }
}
