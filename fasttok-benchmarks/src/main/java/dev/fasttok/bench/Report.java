package dev.fasttok.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link TokenizerBenchmark} on the corpora given as arguments and prints a Markdown table
 * of throughput in MB/s (10^6 UTF-8 bytes of documents per second).
 *
 * <pre>
 * java -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.Report /tmp/corpora/prose_en.jsonl /tmp/corpora/code.jsonl
 * java -Dbench.quick=true -cp fasttok-benchmarks/target/benchmarks.jar dev.fasttok.bench.Report /tmp/corpora/prose_en.jsonl
 * </pre>
 *
 * <p>System properties (defaults in brackets; {@code bench.quick=true} changes the defaults to a
 * smoke run: 1 warmup and 1 measurement iteration of 1 s, 1 MiB of each corpus):
 *
 * <ul>
 *   <li>{@code bench.encodings} [cl100k_base,o200k_base]
 *   <li>{@code bench.maxBytes} [8388608; quick: 1048576] bytes read from the start of each corpus, 0 = all
 *   <li>{@code bench.warmups} [3; quick: 1], {@code bench.warmupTime} seconds [2; quick: 1]
 *   <li>{@code bench.iterations} [5; quick: 1], {@code bench.time} seconds [2; quick: 1]
 *   <li>{@code bench.forks} [1]
 *   <li>{@code bench.benchmarks} [fasttokEncode,jtokkitEncode,fasttokCount,jtokkitCount]
 *   <li>{@code bench.verify} [true] compare ids with jtokkit at each fork's setup
 *   <li>{@code bench.verbose} [NORMAL] JMH output: SILENT, NORMAL or EXTRA
 * </ul>
 *
 * <p>Forked JVMs get {@code -Xmx4g} from {@link TokenizerBenchmark}'s {@code @Fork}.
 */
public final class Report {
  private Report() {}

  private static final String[] METHODS = {"fasttokEncode", "jtokkitEncode", "fasttokCount", "jtokkitCount"};

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: java [-Dbench.quick=true] [-Dbench.PROPERTY=VALUE ...] -cp benchmarks.jar "
          + Report.class.getName() + " CORPUS...");
      System.exit(2);
    }
    boolean quick = Boolean.getBoolean("bench.quick");
    String[] encodings = System.getProperty("bench.encodings", "cl100k_base,o200k_base").split(",");
    long maxBytes = Long.parseLong(System.getProperty("bench.maxBytes", quick ? "1048576" : "8388608"));
    int warmups = Integer.parseInt(System.getProperty("bench.warmups", quick ? "1" : "3"));
    int warmupTime = Integer.parseInt(System.getProperty("bench.warmupTime", quick ? "1" : "2"));
    int iterations = Integer.parseInt(System.getProperty("bench.iterations", quick ? "1" : "5"));
    int time = Integer.parseInt(System.getProperty("bench.time", quick ? "1" : "2"));
    int forks = Integer.parseInt(System.getProperty("bench.forks", "1"));
    String[] methods = System.getProperty("bench.benchmarks", String.join(",", METHODS)).split(",");
    String verify = System.getProperty("bench.verify", "true");
    VerboseMode verbose = VerboseMode.valueOf(System.getProperty("bench.verbose", "NORMAL").toUpperCase(Locale.ROOT));

    // Corpus sizes, read here exactly as the forks will read them.
    Map<String, Corpus> corpora = new LinkedHashMap<>();
    for (String a : args) {
      String abs = Path.of(a).toAbsolutePath().normalize().toString();
      corpora.put(abs, Corpus.load(abs, maxBytes));
    }

    ChainedOptionsBuilder opt = new OptionsBuilder()
        .param("corpus", corpora.keySet().toArray(new String[0]))
        .param("encoding", encodings)
        .param("maxBytes", Long.toString(maxBytes))
        .param("verify", verify)
        .warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(warmupTime))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(time))
        .forks(forks)
        .threads(1)
        .verbosity(verbose);
    for (String m : methods) {
      opt.include("^" + java.util.regex.Pattern.quote(TokenizerBenchmark.class.getName() + "." + m.trim()) + "$");
    }
    Collection<RunResult> results = new Runner(opt.build()).run();

    // corpus -> encoding -> method -> result
    Map<String, Map<String, Map<String, Result<?>>>> byKey = new HashMap<>();
    for (RunResult r : results) {
      String bench = r.getParams().getBenchmark();
      String method = bench.substring(bench.lastIndexOf('.') + 1);
      byKey.computeIfAbsent(r.getParams().getParam("corpus"), k -> new HashMap<>())
          .computeIfAbsent(r.getParams().getParam("encoding"), k -> new HashMap<>())
          .put(method, r.getPrimaryResult());
    }

    StringBuilder out = new StringBuilder();
    out.append('\n');
    out.append(String.format(Locale.ROOT,
        "Throughput in MB/s (10^6 UTF-8 bytes/s), one thread, %s; JMH %d×%ds warmup, %d×%ds measurement, %d fork(s)%s;"
            + " ± is JMH's 99.9%% confidence half-width where it has one.%n%n",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), warmups, warmupTime,
        iterations, time, forks, quick ? " (QUICK smoke settings)" : ""));
    for (Corpus c : corpora.values()) out.append("- ").append(c.describe()).append('\n');
    out.append('\n');
    out.append("| corpus | encoding | fasttok encode MB/s | jtokkit encode MB/s | ratio | fasttok count MB/s"
        + " | jtokkit count MB/s | count ratio | fasttok count/encode |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Corpus> ce : corpora.entrySet()) {
      Corpus c = ce.getValue();
      for (String enc : encodings) {
        Map<String, Result<?>> m = byKey.getOrDefault(ce.getKey(), Map.of()).getOrDefault(enc, Map.of());
        double bytes = c.utf8Bytes;
        double fe = mbps(m.get("fasttokEncode"), bytes);
        double je = mbps(m.get("jtokkitEncode"), bytes);
        double fc = mbps(m.get("fasttokCount"), bytes);
        double jc = mbps(m.get("jtokkitCount"), bytes);
        List<String> row = new ArrayList<>();
        row.add(c.path.getFileName().toString());
        row.add(enc);
        row.add(cell(m.get("fasttokEncode"), bytes));
        row.add(cell(m.get("jtokkitEncode"), bytes));
        row.add(ratio(fe, je));
        row.add(cell(m.get("fasttokCount"), bytes));
        row.add(cell(m.get("jtokkitCount"), bytes));
        row.add(ratio(fc, jc));
        row.add(ratio(fc, fe));
        out.append("| ").append(String.join(" | ", row)).append(" |\n");
      }
    }
    out.append("\nratio = fasttok encode / jtokkit encode; count ratio = fasttok count / jtokkit count;"
        + " fasttok count/encode = fasttok countTokens speed / its encodeOrdinary speed.\n");
    System.out.print(out);
  }

  /** A result in passes/s times bytes per pass, in 10^6 bytes/s; NaN if missing. */
  private static double mbps(Result<?> r, double bytesPerPass) {
    return r == null ? Double.NaN : r.getScore() * bytesPerPass / 1e6;
  }

  private static String cell(Result<?> r, double bytesPerPass) {
    if (r == null) return "n/a";
    String s = String.format(Locale.ROOT, "%.1f", mbps(r, bytesPerPass));
    double err = r.getScoreError() * bytesPerPass / 1e6;
    if (!Double.isNaN(err) && !Double.isInfinite(err)) s += String.format(Locale.ROOT, " ± %.1f", err);
    return s;
  }

  private static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) return "n/a";
    return String.format(Locale.ROOT, "%.2f×", a / b);
  }
}
