package dev.fasttok.bench;

import com.knuddels.jtokkit.api.EncodingType;
import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold load time of o200k_base: each fork is a fresh JVM that loads the vocabulary exactly once,
 * so the time includes class loading and interpreted/early-JIT code, as an application's first
 * call sees it.
 *
 * <ul>
 *   <li>{@code fromBytes}: {@code Encodings.fromBytes(compact)}, the compact bytes read in setup
 *       straight from the jar resource (no fasttok code runs before the measurement);
 *   <li>{@code builtInGet}: {@code Encodings.get("o200k_base")}, including reading the resource;
 *   <li>{@code jtokkitGet}: jtokkit 1.1.0's lazy registry loading o200k_base, for comparison.
 * </ul>
 *
 * <pre>
 * java -jar fasttok-benchmarks/target/benchmarks.jar LoadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 10, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
public class LoadBenchmark {
  static final String RESOURCE = "/dev/fasttok/vocab/o200k_base.ftok";

  private byte[] compact;

  @Setup(Level.Trial)
  public void readResource() throws IOException {
    // Class.getResourceAsStream on this class: no fasttok class is loaded or initialized here.
    try (InputStream in = LoadBenchmark.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is not in the benchmarks jar");
      compact = in.readAllBytes();
    }
  }

  @Benchmark
  public Encoding fromBytes() {
    return Encodings.fromBytes(compact);
  }

  @Benchmark
  public Encoding builtInGet() {
    return Encodings.get("o200k_base");
  }

  @Benchmark
  public com.knuddels.jtokkit.api.Encoding jtokkitGet() {
    return com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }
}
