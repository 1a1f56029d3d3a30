package dev.fasttok;

import dev.fasttok.bench.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Split-only throughput (the ceiling for encode) per pattern and engine: the hand-written
 * splitters, the compiled patterns and java.util.regex, on the same UTF-8 documents. In package
 * {@code dev.fasttok} to reach the package-private splitters. One operation is one pass over every
 * loaded document.
 *
 * <pre>
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.SplitBenchmark examples/sample/prose.jsonl ...
 * </pre>
 *
 * Before measuring, each engine's pieces are checked equal to java.util.regex's on every document.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class SplitBenchmark {
  static final String DEEPSEEK_V3_DIGITS = "\\p{N}{1,3}";
  static final String DEEPSEEK_V3_CJK = "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+";
  static final String DEEPSEEK_V3 = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?"
      + "[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";
  static final String MISTRAL_NEMO = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
      + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** cl100k, o200k, r50k (tiktoken's patterns), deepseek_v3 (its three Splits), mistral_nemo. */
  @Param({"cl100k"})
  public String pattern;

  /** hand-written, compiled or regex. */
  @Param({"compiled"})
  public String engine;

  @Param({"examples/sample/prose.jsonl"})
  public String corpus;

  @Param({"8388608"})
  public long maxBytes;

  private byte[][] docs;
  private Splitter splitter;
  private final IntList ends = new IntList(1 << 16);

  static Splitter splitter(String pattern, String engine) {
    switch (pattern) {
      case "cl100k": return tiktoken(Cl100kSplitter.PATTERN, engine);
      case "o200k": return tiktoken(O200kSplitter.PATTERN, engine);
      case "r50k": return tiktoken(R50kSplitter.PATTERN, engine);
      case "deepseek_v3":
        return new HfSplitters.Sequence(new Splitter[] {hf(DEEPSEEK_V3_DIGITS, engine), hf(DEEPSEEK_V3_CJK, engine),
            hf(DEEPSEEK_V3, engine)});
      case "mistral_nemo": return hf(MISTRAL_NEMO, engine);
      default: throw new IllegalArgumentException("pattern " + pattern);
    }
  }

  private static Splitter tiktoken(String p, String engine) {
    switch (engine) {
      case "hand-written": return Splitters.forPattern(p);
      case "compiled": return CompiledSplitter.compile(p, PatternParser.Dialect.TIKTOKEN, false);
      case "regex": return new RegexSplitter(p);
      default: throw new IllegalArgumentException("engine " + engine);
    }
  }

  private static Splitter hf(String p, String engine) {
    switch (engine) {
      case "compiled": return CompiledSplitter.compile(p, PatternParser.Dialect.ONIGURUMA, true);
      case "regex": return new HfSplitters.Regex(p);
      default: throw new IllegalArgumentException("engine " + engine + " for " + p);
    }
  }

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Corpus c = Corpus.load(corpus, maxBytes);
    docs = new byte[c.docs.size()][];
    for (int i = 0; i < docs.length; i++) docs[i] = Utf8.encode(c.docs.get(i));
    splitter = splitter(pattern, engine);
    Splitter regex = splitter(pattern, "regex");
    IntList a = new IntList(1 << 16);
    IntList b = new IntList(1 << 16);
    for (byte[] d : docs) {
      a.clear();
      b.clear();
      splitter.split(d, 0, d.length, a);
      regex.split(d, 0, d.length, b);
      if (!java.util.Arrays.equals(a.toArray(), b.toArray())) {
        throw new IllegalStateException(engine + " and regex differ on a document of " + corpus);
      }
    }
  }

  @Benchmark
  public int split() {
    int n = 0;
    for (byte[] d : docs) {
      ends.clear();
      splitter.split(d, 0, d.length, ends);
      n += ends.size;
    }
    return n;
  }

  /** Runs every pattern and engine on each corpus given; prints MB/s and the ratios. */
  public static void main(String[] args) throws Exception {
    long maxBytes = Long.parseLong(System.getProperty("bench.maxBytes", "8388608"));
    int iterations = Integer.parseInt(System.getProperty("bench.iterations", "5"));
    int time = Integer.parseInt(System.getProperty("bench.time", "2"));
    List<String> patterns = List.of(System.getProperty("bench.patterns", "cl100k,o200k,r50k,deepseek_v3,mistral_nemo")
        .split(","));
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nSplit-only throughput in MB/s (10^6 UTF-8 bytes/s), one thread, %s;"
        + " JMH 3×2s warmup, %d×%ds measurement, 1 fork.%n%n", System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version"), iterations, time));
    out.append("| corpus | pattern | hand-written | compiled | java.util.regex | compiled / hand-written"
        + " | compiled / regex |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (String a : args) {
      String abs = Path.of(a).toAbsolutePath().normalize().toString();
      double bytes = Corpus.load(abs, maxBytes).utf8Bytes;
      for (String p : patterns) {
        boolean hand = List.of("cl100k", "o200k", "r50k").contains(p);
        Map<String, Double> mbps = new LinkedHashMap<>();
        for (String engine : hand ? List.of("hand-written", "compiled", "regex") : List.of("compiled", "regex")) {
          Collection<RunResult> r = new Runner(new OptionsBuilder()
              .include("^" + java.util.regex.Pattern.quote(SplitBenchmark.class.getName()) + "\\.")
              .param("corpus", abs).param("pattern", p).param("engine", engine)
              .param("maxBytes", Long.toString(maxBytes))
              .measurementIterations(iterations).measurementTime(TimeValue.seconds(time)).build()).run();
          mbps.put(engine, r.iterator().next().getPrimaryResult().getScore() * bytes / 1e6);
        }
        double h = mbps.getOrDefault("hand-written", Double.NaN);
        double c = mbps.get("compiled");
        double x = mbps.get("regex");
        out.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %s | %.2f× |%n",
            Path.of(abs).getFileName(), p, Double.isNaN(h) ? "n/a" : String.format(Locale.ROOT, "%.1f", h), c, x,
            Double.isNaN(h) ? "n/a" : String.format(Locale.ROOT, "%.2f×", c / h), c / x));
      }
    }
    System.out.print(out);
  }
}
