package dev.fasttok.bench;

import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

/**
 * fasttok against jtokkit 1.1.0, in the same JVM, on the same documents, one thread.
 *
 * <p>One operation is one pass over every loaded document, so the score is passes per second;
 * multiply by the corpus size printed at setup (or use {@link Report}) for bytes per second.
 *
 * <pre>
 * java -jar fasttok-benchmarks/target/benchmarks.jar TokenizerBenchmark -p corpus=/tmp/corpora/prose_en.jsonl
 * </pre>
 *
 * <p>Setup checks that both libraries give the same ids on every loaded document and prints a
 * warning with the number of documents that differ; it does not fail, since jtokkit has known
 * bugs on some inputs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class TokenizerBenchmark {

  @Param({"cl100k_base", "o200k_base"})
  public String encoding;

  /** A {@code .jsonl} corpus (one JSON string per line) or a plain text file; see {@link Corpus}. */
  @Param({"examples/sample/prose.jsonl"})
  public String corpus;

  /** Read documents from the start of the corpus up to this many UTF-8 bytes (0: all). */
  @Param({"8388608"})
  public long maxBytes;

  /** Compare fasttok's ids with jtokkit's on every document at setup. */
  @Param({"true"})
  public boolean verify;

  /**
   * Encode the loaded documents joined into one string (with a blank line between them), in one
   * call: per byte, one big document should cost what the same text in many small ones does.
   */
  @Param({"false"})
  public boolean joined;

  private String[] docs;
  private Encoding fasttok;
  private com.knuddels.jtokkit.api.Encoding jtokkit;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Corpus c = Corpus.load(corpus, maxBytes);
    docs = joined ? new String[] {String.join("\n\n", c.docs)} : c.docs.toArray(new String[0]);
    fasttok = Encodings.get(encoding);
    jtokkit = jtokkitEncoding(encoding);
    System.out.println();
    System.out.println("# corpus " + c.describe());
    if (verify) verify(Arrays.asList(docs));
  }

  static com.knuddels.jtokkit.api.Encoding jtokkitEncoding(String name) {
    EncodingType type;
    try {
      type = EncodingType.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("jtokkit 1.1.0 has no encoding " + name);
    }
    return com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry().getEncoding(type);
  }

  private void verify(List<String> all) {
    int mismatches = 0;
    int first = -1;
    String firstDetail = null;
    for (int i = 0; i < all.size(); i++) {
      String doc = all.get(i);
      int[] a = fasttok.encodeOrdinary(doc);
      String detail;
      try {
        int[] b = jtokkit.encodeOrdinary(doc).toArray();
        if (Arrays.equals(a, b)) continue;
        int at = Arrays.mismatch(a, b);
        detail = String.format("fasttok %d ids, jtokkit %d ids, first difference at id index %d", a.length,
            b.length, at);
      } catch (RuntimeException | StackOverflowError e) {
        detail = "jtokkit threw " + e;
      }
      if (mismatches++ == 0) {
        first = i;
        firstDetail = detail;
      }
    }
    if (mismatches == 0) {
      System.out.printf("# verify: fasttok and jtokkit agree on all %d docs (%s)%n", all.size(), encoding);
    } else {
      System.out.printf("# WARNING: fasttok and jtokkit differ on %d of %d docs (%s); first mismatch at doc index %d"
          + " (%s)%n", mismatches, all.size(), encoding, first, firstDetail);
    }
  }

  @Benchmark
  public long fasttokEncode() {
    long sum = 0;
    for (String doc : docs) {
      int[] ids = fasttok.encodeOrdinary(doc);
      sum += ids.length;
    }
    return sum;
  }

  @Benchmark
  public long fasttokCount() {
    long sum = 0;
    for (String doc : docs) sum += fasttok.countTokens(doc);
    return sum;
  }

  @Benchmark
  public long jtokkitEncode() {
    long sum = 0;
    for (String doc : docs) {
      IntArrayList ids = jtokkit.encodeOrdinary(doc);
      sum += ids.size();
    }
    return sum;
  }

  @Benchmark
  public long jtokkitCount() {
    long sum = 0;
    for (String doc : docs) sum += jtokkit.countTokensOrdinary(doc);
    return sum;
  }
}
