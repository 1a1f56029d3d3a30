package dev.fasttok.bench;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code SELECT sum(count_tokens(text)) FROM corpus} against the same query through a Java UDF
 * wrapping jtokkit 1.1.0 (what Spark users write today), in the same session on the same cached
 * DataFrame, with local[1] and then local[2]. Prints MB/s (UTF-8 megabytes, 10^6) and the ratios,
 * and, for scale, the rate of a scan-only query ({@code SELECT sum(length(text)) FROM corpus}): the
 * part of every query's time that is Spark's own (scheduling, reading the cached rows).
 *
 * <pre>
 * ./mvnw -q -B -Pbench -DskipTests package
 * java -Xmx8g --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
 *   --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
 *   -cp "fasttok-benchmarks/target/benchmarks.jar:$(cat fasttok-spark/v3.5/target/spark.classpath)" dev.fasttok.bench.SparkBenchmark \
 *   /tmp/corpora/prose_en.jsonl 33554432 o200k_base 5
 * </pre>
 *
 * Arguments: corpus file, bytes to read from it (0: all), encoding, measured runs per query.
 */
public final class SparkBenchmark {
  private SparkBenchmark() {}

  /** jtokkit's encoding, one per JVM, as a UDF would keep it. */
  static final class Jtokkit {
    static volatile com.knuddels.jtokkit.api.Encoding encoding;
    static volatile String name;

    static com.knuddels.jtokkit.api.Encoding get(String encodingName) {
      com.knuddels.jtokkit.api.Encoding e = encoding;
      if (e == null || !encodingName.equals(name)) {
        synchronized (Jtokkit.class) {
          e = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
              .getEncoding(EncodingType.valueOf(encodingName.toUpperCase(Locale.ROOT)));
          name = encodingName;
          encoding = e;
        }
      }
      return e;
    }
  }

  static final class Result {
    final double fasttokMBps;
    final double jtokkitMBps;

    Result(double fasttokMBps, double jtokkitMBps) {
      this.fasttokMBps = fasttokMBps;
      this.jtokkitMBps = jtokkitMBps;
    }
  }

  public static void main(String[] args) throws Exception {
    String file = args.length > 0 ? args[0] : "/tmp/corpora/prose_en.jsonl";
    long maxBytes = args.length > 1 ? Long.parseLong(args[1]) : 32L << 20;
    String encoding = args.length > 2 ? args[2] : "o200k_base";
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Corpus corpus = Corpus.load(file, maxBytes);
    System.out.println("# corpus " + corpus.describe() + ", encoding " + encoding + ", " + runs + " runs per query");
    System.out.println("# " + Runtime.getRuntime().availableProcessors() + " processors, "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", Spark "
        + org.apache.spark.package$.MODULE$.SPARK_VERSION());
    Result one = run(corpus, encoding, runs, 1);
    Result two = run(corpus, encoding, runs, 2);
    System.out.printf(Locale.ROOT, "%nlocal[1]: fasttok %.1f MB/s, jtokkit UDF %.1f MB/s, fasttok/jtokkit %.2fx%n",
        one.fasttokMBps, one.jtokkitMBps, one.fasttokMBps / one.jtokkitMBps);
    System.out.printf(Locale.ROOT, "local[2]: fasttok %.1f MB/s, jtokkit UDF %.1f MB/s, fasttok/jtokkit %.2fx%n",
        two.fasttokMBps, two.jtokkitMBps, two.fasttokMBps / two.jtokkitMBps);
    System.out.printf(Locale.ROOT, "2 cores / 1 core: fasttok %.2fx, jtokkit UDF %.2fx%n",
        two.fasttokMBps / one.fasttokMBps, two.jtokkitMBps / one.jtokkitMBps);
  }

  static Result run(Corpus corpus, String encoding, int runs, int cores) {
    SparkSession spark = SparkSession.builder()
        .master("local[" + cores + "]")
        .appName("fasttok-spark-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "dev.fasttok.spark.FasttokExtensions")
        .config("spark.fasttok.encoding", encoding)
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      spark.udf().register("jtokkit_count_tokens",
          (UDF1<String, Integer>) s -> s == null ? null : Jtokkit.get(encoding).countTokensOrdinary(s),
          DataTypes.IntegerType);
      // More partitions than cores, so that both cores stay busy to the end.
      Dataset<Row> docs = spark.createDataset(corpus.docs, Encoders.STRING()).toDF("text").repartition(8).cache();
      docs.count();
      docs.createOrReplaceTempView("corpus");
      String fasttokQuery = "SELECT sum(count_tokens(text)) FROM corpus";
      String jtokkitQuery = "SELECT sum(jtokkit_count_tokens(text)) FROM corpus";
      long a = spark.sql(fasttokQuery).first().getLong(0);
      long b = spark.sql(jtokkitQuery).first().getLong(0);
      System.out.println("# local[" + cores + "]: " + a + " tokens (fasttok), " + b + " (jtokkit)"
          + (a == b ? "" : " -- they differ"));
      best(spark, "SELECT sum(length(text)) FROM corpus", runs, corpus.utf8Bytes,
          "local[" + cores + "] scan only, sum(length(text))");
      double f = best(spark, fasttokQuery, runs, corpus.utf8Bytes, "local[" + cores + "] fasttok");
      double j = best(spark, jtokkitQuery, runs, corpus.utf8Bytes, "local[" + cores + "] jtokkit UDF");
      return new Result(f, j);
    } finally {
      spark.stop();
    }
  }

  /** Median MB/s of the runs, after two warm-up runs. */
  static double best(SparkSession spark, String query, int runs, long bytes, String label) {
    for (int i = 0; i < 2; i++) spark.sql(query).first();
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      spark.sql(query).first();
      double seconds = (System.nanoTime() - t0) / 1e9;
      rates.add(bytes / 1e6 / seconds);
    }
    rates.sort(null);
    double median = rates.get(rates.size() / 2);
    System.out.printf(Locale.ROOT, "# %s: median %.1f MB/s (runs: %s)%n", label, median, format(rates));
    return median;
  }

  private static String format(List<Double> rates) {
    StringBuilder sb = new StringBuilder();
    for (double r : rates) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", r));
    return sb.toString();
  }
}
