package dev.fasttok.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fasttok.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.TaskContext;

/** Golden documents as corpus files, and multisets of token sequences to compare outputs with. */
final class CorpusTestSupport {
  private CorpusTestSupport() {}

  /** Every golden set, lone surrogates included (the job reads them as U+FFFD, as tiktoken does). */
  static final List<String> SETS = Golden.SETS;

  /** Runs the job on the command line's options, without progress lines. */
  static JobSummary run(org.apache.spark.sql.SparkSession spark, String... args) {
    JobOptions o = JobOptions.parse(args);
    o.progressSeconds = 0;
    return CorpusJob.run(spark, o, null);
  }

  /** Copies the golden documents, one JSON string literal per line, as {@code <set>.jsonl} files into dir. */
  static Path writeGoldenCorpus(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String set : SETS) {
      try (InputStream in = CorpusTestSupport.class.getResourceAsStream("/golden/docs/" + set + ".jsonl")) {
        Files.copy(in, dir.resolve(set + ".jsonl"));
      }
    }
    return dir;
  }

  /** The golden ids of every non-empty document (tiktoken's encode_ordinary), the end-of-text id appended if >= 0. */
  static Map<String, Integer> expected(String encoding, int eos) {
    Map<String, Integer> m = new TreeMap<>();
    for (String set : SETS) {
      for (int[] ids : Golden.ids(encoding, set)) {
        if (ids.length == 0) continue;
        int[] d = eos >= 0 ? Arrays.copyOf(ids, ids.length + 1) : ids;
        if (eos >= 0) d[ids.length] = eos;
        m.merge(Arrays.toString(d), 1, Integer::sum);
      }
    }
    return m;
  }

  static Map<String, Integer> multiset(List<int[]> docs) {
    Map<String, Integer> m = new TreeMap<>();
    for (int[] d : docs) m.merge(Arrays.toString(d), 1, Integer::sum);
    return m;
  }

  /** Asserts the two multisets are equal, reporting the first differences readably. */
  static void assertSameDocuments(Map<String, Integer> expected, Map<String, Integer> actual) {
    if (expected.equals(actual)) return;
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      int a = actual.getOrDefault(e.getKey(), 0);
      if (a != e.getValue() && shown++ < 5) sb.append("expected ").append(e.getValue()).append(" got ").append(a)
          .append(": ").append(abbreviate(e.getKey())).append('\n');
    }
    for (Map.Entry<String, Integer> e : actual.entrySet()) {
      if (!expected.containsKey(e.getKey()) && shown++ < 10) sb.append("unexpected ").append(e.getValue()).append(": ")
          .append(abbreviate(e.getKey())).append('\n');
    }
    assertEquals(expected.size(), actual.size(), "distinct documents differ:\n" + sb);
    throw new AssertionError("documents differ:\n" + sb);
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** Total tokens of the golden documents. */
  static long goldenTokens(String encoding) {
    long n = 0;
    for (String set : SETS) for (int[] ids : Golden.ids(encoding, set)) n += ids.length;
    return n;
  }

  static long goldenDocuments() {
    long n = 0;
    for (String set : SETS) n += Golden.docs(set).size();
    return n;
  }

  /** A document as the job reads it: each lone surrogate is U+FFFD. */
  static String withReplacement(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Fails the first attempt of one partition's task (of every partition's, for partition -1) after
   * it has counted some rows, so that part of its output is written, as a lost executor or a full
   * disk would.
   */
  static final class FailOnce implements CorpusFunctions.RowCheck {
    private static final long serialVersionUID = 1L;
    final int partition;
    final long afterRows;

    FailOnce(int partition, long afterRows) {
      this.partition = partition;
      this.afterRows = afterRows;
    }

    @Override
    public void check(long rows) {
      TaskContext tc = TaskContext.get();
      if (tc != null && tc.attemptNumber() == 0 && (partition < 0 || tc.partitionId() == partition)
          && rows > afterRows) {
        throw new IllegalStateException("fasttok test: failing attempt 0 of partition " + tc.partitionId() + " after "
            + afterRows + " rows");
      }
    }
  }
}
