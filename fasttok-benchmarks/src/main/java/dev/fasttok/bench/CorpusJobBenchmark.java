package dev.fasttok.bench;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.corpus.CorpusJob;
import dev.fasttok.corpus.JobOptions;
import dev.fasttok.corpus.JobSummary;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * End-to-end throughput of the corpus job ({@code dev.fasttok.corpus.TokenizeCorpus}): read a
 * JSON Lines corpus, tokenize, write, in one session, several times, each format; the rate is the
 * corpus's UTF-8 text bytes over the job's wall time (listing and checks, reading, tokenizing,
 * writing, the summary and report), median of the runs after one warm-up run. For scale, the
 * engine's single-thread encode rate on the same documents in the same JVM (median of as many
 * passes); the README's figure for the engine is {@link Report}'s (JMH).
 *
 * <pre>
 * ./mvnw -q -B -Pbench -DskipTests package
 * java -Xmx6g $SPARK_JAVA_17_FLAGS -cp "fasttok-benchmarks/target/benchmarks.jar:$(cat fasttok-spark/v3.5/target/spark.classpath)" \
 *   dev.fasttok.bench.CorpusJobBenchmark /tmp/corpora/prose_en.jsonl parquet,megatron 5 local[2]
 * </pre>
 *
 * Arguments: corpus, output formats (comma-separated), measured runs (default 5), master (default
 * local[2]); system property {@code bench.encoding} (default o200k_base).
 */
public final class CorpusJobBenchmark {
  private CorpusJobBenchmark() {}

  public static void main(String[] args) throws Exception {
    String corpus = args[0];
    String[] formats = (args.length > 1 ? args[1] : "parquet,megatron").split(",");
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    String master = args.length > 3 ? args[3] : "local[2]";
    String encoding = System.getProperty("bench.encoding", "o200k_base");
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    System.out.printf(Locale.ROOT, "# %s, %s, %d processors, load average %.2f at start, %s %s%n", corpus, master,
        os.getAvailableProcessors(), os.getSystemLoadAverage(), System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    SparkSession spark = SparkSession.builder()
        .master(master)
        .appName("fasttok-corpus-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      for (String format : formats) {
        List<Double> rates = new ArrayList<>();
        JobSummary last = null;
        for (int i = 0; i <= runs; i++) {
          JobOptions o = JobOptions.parse("--input", corpus, "--output", "/tmp/fasttok-corpus-bench-" + format,
              "--overwrite", "--output-format", format, "--encoding", encoding, "--progress-interval", "0");
          last = CorpusJob.run(spark, o, null);
          if (i > 0) rates.add(last.mbPerSecond());
          System.out.printf(Locale.ROOT, "#   %s run %d%s: %.2f s (%.2f s preparing, %.2f s in the Spark job), %.1f MB/s"
              + " (%d partitions, load %.2f)%n", format, i, i == 0 ? " (warm-up)" : "", last.wallSeconds,
              last.prepareSeconds, last.writeSeconds,
              last.mbPerSecond(), last.partitions, os.getSystemLoadAverage());
        }
        System.out.printf(Locale.ROOT, "%s %s: median %.1f MB/s over %d runs (%s); %,d documents, %.1f MB, %,d tokens%n",
            master, format, median(rates), runs, list(rates), last.documents(), last.bytes() / 1e6, last.tokens());
      }
    } finally {
      spark.stop();
    }
    // The engine alone, one thread, on the same documents.
    Corpus docs = Corpus.load(corpus, 0);
    List<byte[]> utf8 = new ArrayList<>();
    for (String d : docs.docs) utf8.add(d.getBytes(StandardCharsets.UTF_8));
    Encoding e = Encodings.get(encoding);
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long t0 = System.nanoTime();
      long n = 0;
      for (byte[] b : utf8) n += e.encodeOrdinary(b, 0, b.length).length;
      double s = (System.nanoTime() - t0) / 1e9;
      if (i > 0) rates.add(docs.utf8Bytes / 1e6 / s);
      if (n < 0) System.out.println(n);
    }
    System.out.printf(Locale.ROOT, "engine encodeOrdinary, 1 thread, same JVM and documents: median %.1f MB/s (%s);"
        + " load average now %.2f%n", median(rates), list(rates), os.getSystemLoadAverage());
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
  }

  static String list(List<Double> v) {
    StringBuilder sb = new StringBuilder();
    for (double r : v) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", r));
    return sb.toString();
  }
}
