package dev.fasttok.bench;

import com.knuddels.jtokkit.api.EncodingType;
import dev.fasttok.flink.CountTokens;
import dev.fasttok.flink.Vocabularies;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

/**
 * {@code SELECT SUM(count_tokens(text)) FROM corpus} in a Flink job against the same job with a
 * ScalarFunction wrapping jtokkit 1.1.0 ({@code eval(String)}, what Flink users write today), and,
 * for scale, {@code SUM(CHAR_LENGTH(text))}: the part of every job's time that is Flink's own.
 *
 * <p>Each job is a bounded source of document numbers ({@link NumberSequenceSource}) mapped to the
 * corpus's documents (held in this JVM: the jobs run on a MiniCluster in this JVM, one TaskManager
 * with two slots, submitted to it as to a cluster), a table over them, and the SUM in batch mode;
 * parallelism 1, then 2. A job's time is its net run time ({@link JobExecutionResult#getNetRuntime()}:
 * from its start to its end, scheduling, code generation and deployment included), the median of
 * the measured runs after two warm-up runs; MB/s are UTF-8 megabytes (10^6) per second.
 *
 * <pre>
 * ./mvnw -q -B -Pbench -DskipTests package
 * java -Xmx8g -cp "fasttok-benchmarks/target/benchmarks.jar:$(cat fasttok-flink/target/flink.classpath)" dev.fasttok.bench.FlinkBenchmark \
 *   /tmp/corpora/prose_en.jsonl 33554432 o200k_base 5
 * </pre>
 *
 * Arguments: corpus file, bytes to read from it (0: all), encoding, measured runs per job, passes
 * over the corpus per job (default 1).
 */
public final class FlinkBenchmark {
  private FlinkBenchmark() {}

  /** The corpus, in this JVM; the jobs' map functions read it (local execution only). */
  static volatile List<String> docs;

  /** Document number to document. */
  public static final class Documents extends RichMapFunction<Long, String> {
    private static final long serialVersionUID = 1L;
    private transient List<String> local;

    @Override
    public void open(OpenContext context) {
      local = docs;
    }

    @Override
    public String map(Long i) {
      return local.get((int) (i % local.size()));
    }
  }

  /** Adds up the job's single result in an accumulator, read from the JobExecutionResult. */
  public static final class ResultSum extends RichMapFunction<Row, Long> {
    private static final long serialVersionUID = 1L;
    private final LongCounter sum = new LongCounter();

    @Override
    public void open(OpenContext context) {
      getRuntimeContext().addAccumulator("sum", sum);
    }

    @Override
    public Long map(Row r) {
      long v = ((Number) r.getField(0)).longValue();
      sum.add(v);
      return v;
    }
  }

  /** count_tokens through jtokkit: the encoding built once per JVM, as a UDF would keep it. */
  public static final class JtokkitCountTokens extends ScalarFunction {
    private static final long serialVersionUID = 1L;
    private static volatile com.knuddels.jtokkit.api.Encoding shared;
    private static volatile String sharedName;

    private final String encodingName;
    private transient com.knuddels.jtokkit.api.Encoding encoding;

    public JtokkitCountTokens() {
      this("o200k_base");
    }

    public JtokkitCountTokens(String encodingName) {
      this.encodingName = encodingName;
    }

    @Override
    public void open(FunctionContext context) {
      synchronized (JtokkitCountTokens.class) {
        if (shared == null || !encodingName.equals(sharedName)) {
          shared = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
              .getEncoding(EncodingType.valueOf(encodingName.toUpperCase(Locale.ROOT)));
          sharedName = encodingName;
        }
        encoding = shared;
      }
    }

    public Integer eval(String text) {
      return text == null ? null : encoding.countTokensOrdinary(text);
    }
  }

  public static void main(String[] args) throws Exception {
    String file = args.length > 0 ? args[0] : "/tmp/corpora/prose_en.jsonl";
    long maxBytes = args.length > 1 ? Long.parseLong(args[1]) : 32L << 20;
    String encoding = args.length > 2 ? args[2] : "o200k_base";
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    int passes = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Corpus corpus = Corpus.load(file, maxBytes);
    docs = corpus.docs;
    long rows = (long) corpus.docs.size() * passes;
    long bytes = corpus.utf8Bytes * passes;
    System.out.println("# corpus " + corpus.describe() + ", " + passes + " pass(es) per job, encoding " + encoding + ", "
        + runs + " runs per job");
    System.out.println("# " + Runtime.getRuntime().availableProcessors() + " processors, " + System.getProperty("java.vm.name")
        + " " + System.getProperty("java.version") + ", Flink " + org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
    double[][] rates = new double[2][];
    Configuration clusterConf = new Configuration();
    clusterConf.set(RestOptions.BIND_PORT, "0");
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(clusterConf)
        .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
    cluster.start();
    rest = cluster.getRestAddress().get();
    try {
      measure(corpus, encoding, rows, runs, passes, bytes, rates);
    } finally {
      cluster.close();
    }
    for (int p = 1; p <= 2; p++) {
      System.out.printf(Locale.ROOT, "%nparallelism %d: fasttok %.1f MB/s, jtokkit UDF %.1f MB/s, fasttok/jtokkit %.2fx", p,
          rates[p - 1][0], rates[p - 1][1], rates[p - 1][0] / rates[p - 1][1]);
    }
    System.out.printf(Locale.ROOT, "%n2 slots / 1 slot: fasttok %.2fx, jtokkit UDF %.2fx%n", rates[1][0] / rates[0][0],
        rates[1][1] / rates[0][1]);
  }

  /** The REST address of the benchmark's MiniCluster. */
  private static URI rest;

  private static void measure(Corpus corpus, String encoding, long rows, int runs, int passes, long bytes,
      double[][] rates) throws Exception {
    for (int p = 1; p <= 2; p++) {
      long expected = 0;
      for (String d : corpus.docs) expected += dev.fasttok.Encodings.get(encoding).countTokens(d);
      expected *= passes;
      String label = "parallelism " + p;
      best(p, encoding, rows, "SUM(CHAR_LENGTH(text))", runs, bytes, label + " scan only, SUM(CHAR_LENGTH(text))", -1);
      double f = best(p, encoding, rows, "SUM(count_tokens(text))", runs, bytes, label + " fasttok count_tokens", expected);
      // jtokkit's count is printed, not checked: it is not the project's oracle.
      double j = best(p, encoding, rows, "SUM(jtokkit_count_tokens(text))", runs, bytes, label + " jtokkit UDF", -1);
      rates[p - 1] = new double[] {f, j};
    }
  }

  /** Runs the job once; returns {net run time in ms, result}. */
  static long[] run(int parallelism, String encoding, long rows, String expression) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(),
        parallelism);
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    DataStream<String> texts = env.fromSource(new NumberSequenceSource(0, rows - 1), WatermarkStrategy.noWatermarks(),
        "document numbers").map(new Documents()).returns(Types.STRING);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
    tEnv.createTemporaryView("corpus", tEnv.fromDataStream(texts).as("text"));
    tEnv.createTemporarySystemFunction("count_tokens",
        new CountTokens(Vocabularies.builder().defaultEncoding(encoding).build()));
    tEnv.createTemporarySystemFunction("jtokkit_count_tokens", new JtokkitCountTokens(encoding));
    Table result = tEnv.sqlQuery("SELECT " + expression + " FROM corpus");
    tEnv.toDataStream(result).map(new ResultSum()).returns(Types.LONG).sinkTo(new DiscardingSink<>());
    JobExecutionResult r = env.execute("fasttok benchmark: " + expression);
    Long sum = r.getAccumulatorResult("sum");
    return new long[] {r.getNetRuntime(TimeUnit.MILLISECONDS), sum == null ? 0 : sum};
  }

  /** Median MB/s of the runs, after two warm-up runs; checks the result when {@code expected >= 0}. */
  static double best(int parallelism, String encoding, long rows, String expression, int runs, long bytes, String label,
      long expected) throws Exception {
    for (int i = 0; i < 2; i++) check(run(parallelism, encoding, rows, expression), expected, label);
    List<Double> rates = new ArrayList<>();
    long last = 0;
    for (int i = 0; i < runs; i++) {
      long[] r = run(parallelism, encoding, rows, expression);
      check(r, expected, label);
      rates.add(bytes / 1e6 / (r[0] / 1e3));
      last = r[1];
    }
    rates.sort(null);
    double median = rates.get(rates.size() / 2);
    StringBuilder sb = new StringBuilder();
    for (double x : rates) sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", x));
    System.out.printf(Locale.ROOT, "# %s: median %.1f MB/s (runs: %s); result %d%s%n", label, median, sb, last,
        expected >= 0 ? " (checked)" : "");
    return median;
  }

  private static void check(long[] r, long expected, String label) {
    if (expected >= 0 && r[1] != expected) {
      throw new IllegalStateException(label + ": " + r[1] + " tokens, expected " + expected);
    }
  }
}
