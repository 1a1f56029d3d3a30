package dev.fasttok.flink;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fasttok.Golden;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.function.Executable;

/** Shared helpers of the Flink tests. */
final class FlinkTestSupport {
  private FlinkTestSupport() {}

  /** Parallelism of the test jobs: one TaskManager with two slots. */
  static final int PARALLELISM = 2;

  /** A MiniCluster of one TaskManager with two slots, for a test class. */
  static MiniClusterExtension miniCluster() {
    return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
        .setNumberTaskManagers(1)
        .setNumberSlotsPerTaskManager(PARALLELISM)
        .setConfiguration(new Configuration())
        .build());
  }

  /** Golden sets the Flink tests use: all but lone surrogates, which Flink's strings cannot hold. */
  static final List<String> SETS = new ArrayList<>(Golden.SETS);

  static {
    SETS.remove("surrogates");
  }

  /** Encodings with golden ids for every set. */
  static final List<String> ENCODINGS = List.of("r50k_base", "p50k_base", "cl100k_base", "o200k_base");

  static final TypeInformation<Row> DOC_TYPE =
      Types.ROW_NAMED(new String[] {"doc_set", "i", "text"}, Types.STRING, Types.INT, Types.STRING);

  /** Every golden document (of {@link #SETS}) that a Flink string can hold, as rows (doc_set, i, text). */
  static List<Row> goldenDocs() {
    List<Row> rows = new ArrayList<>();
    for (String set : SETS) {
      List<String> docs = Golden.docs(set);
      for (int i = 0; i < docs.size(); i++) {
        if (wellFormedUtf16(docs.get(i))) rows.add(Row.of(set, i, docs.get(i)));
      }
    }
    return rows;
  }

  static boolean wellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return false;
    }
    return true;
  }

  /**
   * A stream environment on the test class's MiniCluster. (The extension makes it the context
   * environment only around each test, not in {@code @BeforeAll}.)
   */
  static StreamExecutionEnvironment env(MiniCluster cluster) {
    return new TestStreamEnvironment(cluster, PARALLELISM);
  }

  /** A streaming table environment on the environment, with the rows as a bounded source view. */
  static StreamTableEnvironment tableEnv(StreamExecutionEnvironment env, String view, List<Row> rows,
      TypeInformation<Row> type) {
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    if (view != null) addView(tEnv, env, view, rows, type);
    return tEnv;
  }

  /** The rows as a bounded source (a collection shipped with the job), under that name. */
  static void addView(StreamTableEnvironment tEnv, StreamExecutionEnvironment env, String view, List<Row> rows,
      TypeInformation<Row> type) {
    tEnv.createTemporaryView(view, tEnv.fromDataStream(env.fromData(rows, type)));
  }

  /** Runs the query and collects its rows. */
  static List<Row> rows(TableEnvironment tEnv, String query) {
    return rows(tEnv.sqlQuery(query));
  }

  static List<Row> rows(Table table) {
    List<Row> out = new ArrayList<>();
    try (CloseableIterator<Row> it = table.execute().collect()) {
      it.forEachRemaining(out::add);
    } catch (Exception e) {
      throw e instanceof RuntimeException ? (RuntimeException) e : new RuntimeException(e);
    }
    return out;
  }

  /** The final rows of a changelog (an aggregate's updates applied). */
  static List<Row> materialize(List<Row> changes) {
    List<Row> out = new ArrayList<>();
    for (Row r : changes) {
      Row copy = Row.copy(r);
      copy.setKind(RowKind.INSERT);
      if (r.getKind() == RowKind.INSERT || r.getKind() == RowKind.UPDATE_AFTER) out.add(copy);
      else if (!out.remove(copy)) throw new IllegalStateException("retraction of a row not seen: " + r);
    }
    return out;
  }

  static int[] ints(Object array) {
    if (array instanceof int[]) return (int[]) array;
    Object[] a = (Object[]) array;
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) out[i] = ((Number) a[i]).intValue();
    return out;
  }

  /** All messages of an exception and its causes, one per line. */
  static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) sb.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
    return sb.toString();
  }

  /** Asserts that the call fails with an exception of that type whose messages (with causes') hold every fragment. */
  static <T extends Throwable> T assertFailsWith(Class<T> type, Executable call, String... fragments) {
    Throwable t = assertThrows(Throwable.class, call);
    if (!type.isInstance(t)) fail("expected " + type.getName() + ", got:\n" + messages(t), t);
    String all = messages(t);
    for (String f : fragments) assertTrue(all.contains(f), "'" + f + "' not in:\n" + all);
    return type.cast(t);
  }

  /** Asserts that the call fails (at any stage) with messages holding every fragment. */
  static void assertFails(Executable call, String... fragments) {
    assertFailsWith(Throwable.class, call, fragments);
  }

  static String str(Object o) {
    return o instanceof Object[] ? Arrays.deepToString((Object[]) o) : String.valueOf(o);
  }
}
