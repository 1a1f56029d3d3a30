package dev.fasttok.bench;

import com.knuddels.jtokkit.api.EncodingType;
import dev.fasttok.Encodings;
import java.io.File;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heap retained by one loaded encoding: used heap (Runtime totalMemory - freeMemory) after full
 * GCs, before and after loading, for fasttok and for jtokkit 1.1.0.
 *
 * <pre>
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.HeapFootprint [encoding]
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.HeapFootprint fasttok|jtokkit [encoding]
 * </pre>
 *
 * <p>Without a library name it measures each library in its own child JVM (same java and class
 * path, {@code -Xmx2g -XX:+UseSerialGC}, whose full GC leaves no floating garbage), so neither
 * sees the other's classes or garbage, and prints both. The delta includes the library's static
 * data and loaded classes' heap objects, not metaspace. Both encodings encode one short string
 * before the second measurement, so lazily built tables are counted. Default encoding: o200k_base.
 */
public final class HeapFootprint {
  private HeapFootprint() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && (args[0].equals("fasttok") || args[0].equals("jtokkit"))) {
      measure(args[0], args.length >= 2 ? args[1] : "o200k_base");
      return;
    }
    String encoding = args.length >= 1 ? args[0] : "o200k_base";
    System.out.println("Heap retained by a loaded " + encoding + " (used heap after full GC, 10^6 bytes = MB)");
    for (String lib : new String[] {"fasttok", "jtokkit"}) {
      List<String> cmd = new ArrayList<>();
      cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
      cmd.add("-Xmx2g");
      cmd.add("-XX:+UseSerialGC");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(HeapFootprint.class.getName());
      cmd.add(lib);
      cmd.add(encoding);
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      int rc = p.waitFor();
      if (rc != 0) throw new IllegalStateException(lib + " measurement failed with exit code " + rc);
    }
  }

  private static void measure(String lib, String encoding) throws InterruptedException {
    // Load the classes the measurement itself uses before the first reading.
    String probe = "Hello, world! 123 héllo 日本語 😀";
    long before = usedAfterGc();
    Object loaded;
    int n;
    long start = System.nanoTime();
    if (lib.equals("fasttok")) {
      dev.fasttok.Encoding e = Encodings.get(encoding);
      n = e.encodeOrdinary(probe).length;
      loaded = e;
    } else {
      com.knuddels.jtokkit.api.Encoding e = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
          .getEncoding(EncodingType.valueOf(encoding.toUpperCase(Locale.ROOT)));
      n = e.encodeOrdinary(probe).size();
      loaded = e;
    }
    long loadNanos = System.nanoTime() - start;
    long after = usedAfterGc();
    Reference.reachabilityFence(loaded);
    System.out.printf(Locale.ROOT,
        "%-8s %-12s used before %8.1f MB, after %8.1f MB, retained %8.1f MB (load+first encode %.0f ms, %d ids)%n",
        lib, encoding, before / 1e6, after / 1e6, (after - before) / 1e6, loadNanos / 1e6, n);
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
