package dev.fasttok.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * fasttok on a Hugging Face tokenizer.json (Qwen3's by default) against DJL's JNI binding to the
 * Rust {@code tokenizers} library ({@code ai.djl.huggingface:tokenizers}) on the same file, and
 * against fasttok's own cl100k_base, in one JVM, one thread, on the same documents. One
 * operation is one pass over every loaded document.
 *
 * <pre>
 * ./mvnw -P bench -DskipTests package
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.HuggingFaceBenchmark examples/sample/prose.jsonl ...
 * java -jar fasttok-benchmarks/target/benchmarks.jar HuggingFaceBenchmark -p corpus=examples/sample/code.jsonl
 * </pre>
 *
 * <p>Setup checks that fasttok and DJL give the same ids on every loaded document (both without
 * special tokens) and fails if they do not. The {@code main} method runs the benchmark on each
 * corpus given and prints MB/s (10^6 UTF-8 bytes of documents per second); system properties
 * {@code bench.tokenizer}, {@code bench.maxBytes}, {@code bench.warmups}, {@code bench.iterations},
 * {@code bench.time} and {@code bench.forks} change its settings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class HuggingFaceBenchmark {
  /** The tokenizer.json (gzipped if it ends in .gz). */
  @Param({"fasttok-core/src/test/resources/golden/hf/tokenizers/qwen3.tokenizer.json.gz"})
  public String tokenizer;

  /** A {@code .jsonl} corpus (one JSON string per line) or a plain text file; see {@link Corpus}. */
  @Param({"examples/sample/prose.jsonl"})
  public String corpus;

  /** Read documents from the start of the corpus up to this many UTF-8 bytes (0: all). */
  @Param({"8388608"})
  public long maxBytes;

  private String[] docs;
  private Encoding fasttok;
  private Encoding cl100k;
  private HuggingFaceTokenizer djl;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Corpus c = Corpus.load(corpus, maxBytes);
    docs = c.docs.toArray(new String[0]);
    Path json = plainFile(tokenizer);
    fasttok = Encodings.fromTokenizerJson(json);
    cl100k = Encodings.get("cl100k_base");
    djl = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(false).optTruncation(false)
        .optPadding(false).build();
    System.out.println();
    System.out.println("# corpus " + c.describe() + "; tokenizer " + tokenizer);
    int differ = 0;
    for (String doc : docs) {
      long[] d = djl.encode(doc, false, false).getIds();
      int[] f = fasttok.encodeOrdinary(doc);
      if (!Arrays.equals(Arrays.stream(f).asLongStream().toArray(), d)) differ++;
    }
    if (differ > 0) throw new IllegalStateException("fasttok and DJL differ on " + differ + " of " + docs.length + " docs");
    System.out.printf("# verify: fasttok and DJL agree on all %d docs%n", docs.length);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    djl.close();
  }

  /** The tokenizer.json as a plain file (DJL reads files), gunzipped to a temporary file if needed. */
  static Path plainFile(String file) throws IOException {
    if (!file.endsWith(".gz")) return Path.of(file);
    Path dir = Files.createTempDirectory("fasttok-bench");
    Path out = dir.resolve("tokenizer.json");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(file)))) {
      Files.copy(in, out);
    }
    out.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return out;
  }

  @Benchmark
  public long fasttokEncode() {
    long sum = 0;
    for (String doc : docs) sum += fasttok.encodeOrdinary(doc).length;
    return sum;
  }

  @Benchmark
  public long fasttokCount() {
    long sum = 0;
    for (String doc : docs) sum += fasttok.countTokens(doc);
    return sum;
  }

  @Benchmark
  public long fasttokCl100kEncode() {
    long sum = 0;
    for (String doc : docs) sum += cl100k.encodeOrdinary(doc).length;
    return sum;
  }

  @Benchmark
  public long djlEncode() {
    long sum = 0;
    for (String doc : docs) sum += djl.encode(doc, false, false).getIds().length;
    return sum;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: java [-Dbench.PROPERTY=VALUE ...] -cp benchmarks.jar "
          + HuggingFaceBenchmark.class.getName() + " CORPUS...");
      System.exit(2);
    }
    String tok = System.getProperty("bench.tokenizer", "fasttok-core/src/test/resources/golden/hf/tokenizers/qwen3.tokenizer.json.gz");
    long maxBytes = Long.parseLong(System.getProperty("bench.maxBytes", "8388608"));
    int warmups = Integer.parseInt(System.getProperty("bench.warmups", "3"));
    int iterations = Integer.parseInt(System.getProperty("bench.iterations", "5"));
    int time = Integer.parseInt(System.getProperty("bench.time", "2"));
    int forks = Integer.parseInt(System.getProperty("bench.forks", "1"));
    Map<String, Corpus> corpora = new LinkedHashMap<>();
    for (String a : args) {
      String abs = Path.of(a).toAbsolutePath().normalize().toString();
      corpora.put(abs, Corpus.load(abs, maxBytes));
    }
    ChainedOptionsBuilder opt = new OptionsBuilder()
        .include("^" + java.util.regex.Pattern.quote(HuggingFaceBenchmark.class.getName()) + "\\.")
        .param("corpus", corpora.keySet().toArray(new String[0]))
        .param("tokenizer", Path.of(tok).toAbsolutePath().toString())
        .param("maxBytes", Long.toString(maxBytes))
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(2))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(time))
        .forks(forks)
        .threads(1);
    Collection<RunResult> results = new Runner(opt.build()).run();
    Map<String, Map<String, Result<?>>> byCorpus = new HashMap<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      byCorpus.computeIfAbsent(r.getParams().getParam("corpus"), k -> new HashMap<>())
          .put(bench.substring(bench.lastIndexOf('.') + 1), r.getPrimaryResult());
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nThroughput in MB/s (10^6 UTF-8 bytes/s), one thread, %s; tokenizer %s;"
        + " JMH %d×2s warmup, %d×%ds measurement, %d fork(s).%n%n",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), tok, warmups, iterations, time,
        forks));
    out.append("| corpus | fasttok encode | fasttok count | DJL encode | fasttok / DJL | fasttok cl100k encode"
        + " | tokenizer.json / cl100k |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Corpus> e : corpora.entrySet()) {
      Map<String, Result<?>> m = byCorpus.getOrDefault(e.getKey(), Map.of());
      double bytes = e.getValue().utf8Bytes;
      List<String> row = new ArrayList<>();
      row.add(e.getValue().path.getFileName().toString());
      double fe = mbps(m.get("fasttokEncode"), bytes);
      double djlE = mbps(m.get("djlEncode"), bytes);
      double cl = mbps(m.get("fasttokCl100kEncode"), bytes);
      row.add(String.format(Locale.ROOT, "%.2f", fe));
      row.add(String.format(Locale.ROOT, "%.2f", mbps(m.get("fasttokCount"), bytes)));
      row.add(String.format(Locale.ROOT, "%.2f", djlE));
      row.add(ratio(fe, djlE));
      row.add(String.format(Locale.ROOT, "%.2f", cl));
      row.add(ratio(fe, cl));
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    System.out.print(out);
  }

  private static double mbps(Result<?> r, double bytesPerPass) {
    return r == null ? Double.NaN : r.getScore() * bytesPerPass / 1e6;
  }

  private static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
  }
}
