package dev.fasttok.bench;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.IOException;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code encodeOrdinaryBatch} and {@code countTokensBatch} (on the common pool: as many threads as
 * cores, less one, plus the calling thread's wait) against the same calls one by one on one thread,
 * same documents, same JVM. One operation is one pass over the loaded documents.
 *
 * <pre>
 * java -jar fasttok-benchmarks/target/benchmarks.jar BatchBenchmark -p corpus=/tmp/corpora/prose_en.jsonl
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class BatchBenchmark {
  @Param({"o200k_base"})
  public String encoding;

  @Param({"examples/sample/prose.jsonl"})
  public String corpus;

  @Param({"8388608"})
  public long maxBytes;

  private List<String> docs;
  private Encoding enc;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Corpus c = Corpus.load(corpus, maxBytes);
    docs = c.docs;
    enc = Encodings.get(encoding);
    System.out.println();
    System.out.println("# corpus " + c.describe() + "; common pool parallelism "
        + java.util.concurrent.ForkJoinPool.commonPool().getParallelism());
  }

  @Benchmark
  public void encodeOneByOne(Blackhole bh) {
    for (String d : docs) bh.consume(enc.encodeOrdinary(d));
  }

  @Benchmark
  public void encodeBatch(Blackhole bh) {
    bh.consume(enc.encodeOrdinaryBatch(docs));
  }

  @Benchmark
  public void countOneByOne(Blackhole bh) {
    for (String d : docs) bh.consume(enc.countTokens(d));
  }

  @Benchmark
  public void countBatch(Blackhole bh) {
    bh.consume(enc.countTokensBatch(docs));
  }
}
