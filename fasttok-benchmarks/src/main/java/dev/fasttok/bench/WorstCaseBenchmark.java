package dev.fasttok.bench;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Worst-case inputs: documents that are one long piece of the split pattern, against prose, as
 * time per byte. tiktoken-style merging is quadratic in the length of a piece; fasttok's must
 * stay linear, so each of these should cost about as much per byte as prose.
 *
 * <pre>
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.WorstCaseBenchmark   # runs all, prints ns/byte
 * </pre>
 *
 * <p>{@code input}: {@code prose} (the sample corpus, the reference), {@code a} ("a" × 2^20),
 * {@code spaces} (" " × 2^18, then "x"), {@code base64} (1 MiB of base64 on one line, seeded),
 * {@code letters} (2^20 random lowercase letters, seeded), {@code cjk} ("日" × 65536), and
 * {@code proseDocument} (the same 1 MiB of prose as one document, its documents joined by
 * newlines: a file without a pre-tokenizer, such as Llama 2's, encodes it as one piece).
 * Score: nanoseconds per UTF-8 byte of the input.
 *
 * <p>With {@code -Dbench.tokenizer=FILE} (a tokenizer.json, gzipped or not) {@code main} runs
 * that file instead of the two encodings, on every input including {@code proseDocument}:
 * <pre>
 * java -Dbench.tokenizer=fasttok-core/src/test/resources/golden/sp/tokenizers/t5.tokenizer.json.gz \
 *     -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.WorstCaseBenchmark
 * </pre>
 * {@code bench.warmups}, {@code bench.iterations} and {@code bench.time} (seconds) change the
 * JMH iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class WorstCaseBenchmark {

  @Param({"cl100k_base", "o200k_base"})
  public String encoding;

  @Param({"prose", "a", "spaces", "base64", "letters", "cjk"})
  public String input;

  @Param({"examples/sample/prose.jsonl"})
  public String prose;

  /** A tokenizer.json to run instead of {@code encoding} (empty: none). */
  @Param({""})
  public String tokenizer;

  private String[] docs;
  private Encoding enc;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    enc = tokenizer.isEmpty() ? Encodings.get(encoding)
        : Encodings.fromTokenizerJson(HuggingFaceBenchmark.plainFile(tokenizer));
    docs = input.equals("prose") ? Corpus.load(prose, 1 << 20).docs.toArray(new String[0])
        : new String[] {generate(input, prose)};
  }

  static String generate(String input, String prose) throws IOException {
    Random random = new Random(20240101);
    switch (input) {
      case "proseDocument":
        return String.join("\n", Corpus.load(prose, 1 << 20).docs);
      case "a":
        return "a".repeat(1 << 20);
      case "spaces":
        return " ".repeat(1 << 18) + "x";
      case "base64": {
        byte[] raw = new byte[786432];
        random.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
      }
      case "letters": {
        StringBuilder sb = new StringBuilder(1 << 20);
        for (int i = 0; i < 1 << 20; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
      }
      case "cjk":
        return "日".repeat(65536);
      default:
        throw new IllegalArgumentException("unknown input " + input);
    }
  }

  /** One pass over the input: its score divided by the input's bytes is the time per byte. */
  @Benchmark
  public long count() {
    long n = 0;
    for (String d : docs) n += enc.countTokens(d);
    return n;
  }

  /** Runs every input and prints nanoseconds per byte, and each input's time per byte over prose's. */
  public static void main(String[] args) throws Exception {
    String tokenizer = System.getProperty("bench.tokenizer", "");
    ChainedOptionsBuilder b = new OptionsBuilder()
        .include("^" + Pattern.quote(WorstCaseBenchmark.class.getName() + ".count") + "$")
        .verbosity(VerboseMode.SILENT);
    if (!tokenizer.isEmpty()) {
      b.param("tokenizer", java.nio.file.Path.of(tokenizer).toAbsolutePath().toString())
          .param("encoding", java.nio.file.Path.of(tokenizer).getFileName().toString())
          .param("input", "prose", "proseDocument", "a", "spaces", "base64", "letters", "cjk");
    }
    if (System.getProperty("bench.warmups") != null) b.warmupIterations(Integer.getInteger("bench.warmups"));
    if (System.getProperty("bench.iterations") != null) b.measurementIterations(Integer.getInteger("bench.iterations"));
    if (System.getProperty("bench.time") != null) {
      b.measurementTime(TimeValue.seconds(Integer.getInteger("bench.time")));
      b.warmupTime(TimeValue.seconds(Integer.getInteger("bench.time")));
    }
    Options opt = b.build();
    Map<String, Map<String, Double>> nsPerByte = new TreeMap<>();
    for (RunResult r : new Runner(opt).run()) {
      String input = r.getParams().getParam("input");
      String encoding = r.getParams().getParam("encoding");
      long bytes = 0;
      String prose = r.getParams().getParam("prose");
      for (String d : input.equals("prose") ? Corpus.load(prose, 1 << 20).docs
          : java.util.List.of(generate(input, prose))) {
        bytes += d.getBytes(StandardCharsets.UTF_8).length;
      }
      nsPerByte.computeIfAbsent(encoding, k -> new java.util.LinkedHashMap<>()).put(input, r.getPrimaryResult().getScore() / bytes);
    }
    System.out.println("| encoding | input | ns/byte | × prose |");
    System.out.println("|---|---|---:|---:|");
    for (Map.Entry<String, Map<String, Double>> e : nsPerByte.entrySet()) {
      double prose = e.getValue().get("prose");
      for (Map.Entry<String, Double> i : e.getValue().entrySet()) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.2f |%n", e.getKey(), i.getKey(), i.getValue(), i.getValue() / prose);
      }
    }
  }
}
