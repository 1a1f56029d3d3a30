package dev.fasttok.bench;

import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Interleaved measurement of several variants on the same documents, in one JVM: for a loaded
 * machine, where JMH's benchmarks, run one after another, see different loads. Each round runs
 * every variant for a short time, in an order that rotates from round to round; the report gives
 * each variant's median throughput and, against the first variant, the median of the per-round
 * ratios (both variants of a round saw nearly the same load).
 *
 * <pre>
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.Interleaved \
 *     [--jar NAME=PATH ...] [--ops encode,count,encodeJoined,countJoined] [--encodings cl100k_base,o200k_base] \
 *     [--max-bytes 4194304] [--warmup-seconds 6] [--rounds 15] [--round-ms 600] CORPUS...
 * </pre>
 *
 * <p>A variant is a build and an operation. {@code --jar NAME=PATH} loads fasttok from that jar
 * (a benchmarks.jar or any jar holding fasttok-core) in its own class loader, so two builds (an
 * A/B) run side by side; without it, the fasttok of the class path. Operations: {@code encode}
 * ({@code encodeOrdinary(String)}) and {@code count} ({@code countTokens(String)}) of each
 * document, one call each; {@code encodeJoined} and {@code countJoined} the same of all the
 * documents joined with a blank line into one string (TokenizerBenchmark's {@code joined}).
 * Throughput is in MB/s: 10^6 UTF-8 bytes of documents per second.
 */
public final class Interleaved {
  private Interleaved() {}

  private static final class Variant {
    final String name;
    final MethodHandle call; // (Object encoding, String text) -> int
    final Object encoding;
    final String[] docs;
    final long bytes;
    final List<Double> rates = new ArrayList<>();

    Variant(String name, MethodHandle call, Object encoding, String[] docs, long bytes) {
      this.name = name;
      this.call = call;
      this.encoding = encoding;
      this.docs = docs;
      this.bytes = bytes;
    }

    long pass() throws Throwable {
      long sum = 0;
      for (String d : docs) sum += (int) call.invokeExact(encoding, d);
      return sum;
    }

    /** Passes for at least {@code ms} milliseconds; returns MB/s. */
    double run(long ms) throws Throwable {
      long start = System.nanoTime();
      long deadline = start + ms * 1_000_000L;
      int passes = 0;
      long now;
      do {
        sink += pass();
        passes++;
      } while ((now = System.nanoTime()) < deadline);
      return passes * (double) bytes / ((now - start) / 1e9) / 1e6;
    }
  }

  static volatile long sink;

  public static void main(String[] args) throws Throwable {
    List<String[]> jars = new ArrayList<>();
    List<String> ops = List.of("encode", "count");
    List<String> encodings = List.of("cl100k_base", "o200k_base");
    long maxBytes = 4194304;
    double warmupSeconds = 6;
    int rounds = 15;
    long roundMs = 600;
    List<String> corpora = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jar" -> jars.add(args[++i].split("=", 2));
        case "--ops" -> ops = List.of(args[++i].split(","));
        case "--encodings" -> encodings = List.of(args[++i].split(","));
        case "--max-bytes" -> maxBytes = Long.parseLong(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--round-ms" -> roundMs = Long.parseLong(args[++i]);
        default -> corpora.add(args[i]);
      }
    }
    if (corpora.isEmpty()) throw new IllegalArgumentException("no corpus given");
    List<String> buildNames = new ArrayList<>();
    List<ClassLoader> loaders = new ArrayList<>();
    if (jars.isEmpty()) {
      buildNames.add("");
      loaders.add(Interleaved.class.getClassLoader());
    }
    for (String[] j : jars) {
      buildNames.add(j[0] + " ");
      loaders.add(new URLClassLoader(new URL[] {new File(j[1]).toURI().toURL()}, ClassLoader.getPlatformClassLoader()));
    }
    System.out.printf(Locale.ROOT, "# Interleaved: %s; ops %s; warm-up %.0f s per variant, %d rounds of %d ms per variant%n",
        jars.isEmpty() ? "class path" : String.join(", ", jars.stream().map(j -> j[0] + "=" + j[1]).toList()), ops,
        warmupSeconds, rounds, roundMs);
    for (String path : corpora) {
      Corpus c = Corpus.load(path, maxBytes);
      String[] docs = c.docs.toArray(new String[0]);
      String[] joined = {String.join("\n\n", c.docs)};
      long joinedBytes = joined[0].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      System.out.println("# corpus " + c.describe());
      for (String encoding : encodings) {
        List<Variant> variants = new ArrayList<>();
        for (int b = 0; b < loaders.size(); b++) {
          ClassLoader loader = loaders.get(b);
          Class<?> registry = Class.forName("dev.fasttok.Encodings", true, loader);
          Class<?> encodingClass = Class.forName("dev.fasttok.Encoding", true, loader);
          Object enc = registry.getMethod("get", String.class).invoke(null, encoding);
          MethodHandles.Lookup lookup = MethodHandles.publicLookup();
          MethodHandle encode = lookup.findVirtual(encodingClass, "encodeOrdinary", MethodType.methodType(int[].class, String.class));
          MethodHandle length = MethodHandles.arrayLength(int[].class);
          MethodHandle encodeLength = MethodHandles.filterReturnValue(encode, length);
          MethodHandle count = lookup.findVirtual(encodingClass, "countTokens", MethodType.methodType(int.class, String.class));
          MethodType generic = MethodType.methodType(int.class, Object.class, String.class);
          for (String op : ops) {
            MethodHandle h = switch (op) {
              case "encode", "encodeJoined" -> encodeLength;
              case "count", "countJoined" -> count;
              default -> throw new IllegalArgumentException("unknown op " + op);
            };
            boolean isJoined = op.endsWith("Joined");
            variants.add(new Variant(buildNames.get(b) + op, h.asType(generic), enc, isJoined ? joined : docs,
                isJoined ? joinedBytes : c.utf8Bytes));
          }
        }
        // The same token count from every variant of an arrangement, or the comparison is void.
        for (Variant v : variants) {
          long n = v.pass();
          System.out.printf(Locale.ROOT, "#   %s %s: %d tokens per pass%n", encoding, v.name, n);
        }
        long warmMs = (long) (warmupSeconds * 1000);
        for (long done = 0; done < warmMs; done += roundMs) {
          for (Variant v : variants) v.run(roundMs);
        }
        for (int r = 0; r < rounds; r++) {
          for (int k = 0; k < variants.size(); k++) {
            Variant v = variants.get((k + r) % variants.size());
            v.rates.add(v.run(roundMs));
          }
        }
        String corpus = new File(path).getName().replaceFirst("\\.[^.]*$", "");
        Variant base = variants.get(0);
        for (Variant v : variants) {
          double[] ratio = new double[rounds];
          for (int r = 0; r < rounds; r++) ratio[r] = v.rates.get(r) / base.rates.get(r);
          double[] rates = v.rates.stream().mapToDouble(Double::doubleValue).toArray();
          System.out.printf(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f-%.1f | %.2f× | %.2f-%.2f |%n", corpus, encoding,
              v.name, median(rates), min(rates), max(rates), median(ratio), quartile(ratio, 1), quartile(ratio, 3));
        }
      }
    }
    System.out.println("# columns: corpus | encoding | variant | median MB/s | min-max MB/s | median per-round ratio to "
        + "the first variant | its interquartile range");
  }

  private static double median(double[] a) {
    return quartile(a, 2);
  }

  private static double quartile(double[] a, int q) {
    double[] s = a.clone();
    Arrays.sort(s);
    double at = (s.length - 1) * q / 4.0;
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return s[lo] + (s[hi] - s[lo]) * (at - lo);
  }

  private static double min(double[] a) {
    return Arrays.stream(a).min().orElse(Double.NaN);
  }

  private static double max(double[] a) {
    return Arrays.stream(a).max().orElse(Double.NaN);
  }
}
