package dev.fasttok.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Golden;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming job with checkpoints that counts tokens in SQL and writes to a FileSink (two-phase
 * commit) is made to fail once, after a checkpoint has completed; it restarts from that checkpoint,
 * and its output has every row exactly once.
 */
class CheckpointRecoveryTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  /** Checkpoints completed, as the operators are told (the MiniCluster runs in this JVM). */
  static final AtomicInteger CHECKPOINTS = new AtomicInteger();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  /** Rows that went through the failing operator, over all attempts (to see that some were replayed). */
  static final AtomicInteger SEEN = new AtomicInteger();

  /**
   * Rows of the job. Until the failure each takes a millisecond or more (the first checkpoint must
   * complete before the source runs dry: seconds to spare), after it they are fast.
   */
  static final int ROWS = 10_000;
  static final TypeInformation<Row> DOC = Types.ROW_NAMED(new String[] {"id", "text"}, Types.LONG, Types.STRING);

  /** The document of a row: the texts travel with the job, inside the function. */
  static final class Documents implements MapFunction<Long, Row> {
    private final ArrayList<String> texts;

    Documents(List<String> texts) {
      this.texts = new ArrayList<>(texts);
    }

    @Override
    public Row map(Long id) {
      return Row.of(id, texts.get((int) (id % texts.size())));
    }
  }

  /**
   * Passes rows through, slowly (so that the job is still running when a checkpoint completes),
   * and fails once, at the first row after a checkpoint has completed.
   */
  static final class FailOnceAfterACheckpoint extends RichMapFunction<Row, Row> implements CheckpointListener {
    @Override
    public Row map(Row row) throws Exception {
      SEEN.incrementAndGet();
      if (!FAILED.get()) {
        if (CHECKPOINTS.get() > 0 && FAILED.compareAndSet(false, true)) {
          throw new IllegalStateException("failure injected by the test, after a checkpoint");
        }
        Thread.sleep(1);
      }
      return row;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTS.incrementAndGet();
    }
  }

  @Test
  void failsOnceAfterACheckpointAndRestartsFromItWithExactlyOnceOutput(@InjectMiniCluster MiniCluster cluster,
      @TempDir Path out) throws Exception {
    List<Row> golden = new ArrayList<>();
    for (String set : List.of("prose", "multilingual", "code", "emoji")) {
      List<String> docs = Golden.docs(set);
      List<int[]> o200k = Golden.ids("o200k_base", set);
      List<int[]> cl100k = Golden.ids("cl100k_base", set);
      for (int i = 0; i < docs.size(); i++) {
        if (FlinkTestSupport.wellFormedUtf16(docs.get(i))) golden.add(Row.of(docs.get(i), o200k.get(i).length, cl100k.get(i).length));
      }
    }
    List<String> texts = golden.stream().map(r -> (String) r.getField(0)).collect(Collectors.toList());

    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(100));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
    StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, conf, FlinkTestSupport.PARALLELISM, List.of(),
        List.of());
    env.enableCheckpointing(100);

    DataStream<Row> docs = env.fromSource(new NumberSequenceSource(0, ROWS - 1), WatermarkStrategy.noWatermarks(), "ids")
        .map(new Documents(texts)).returns(DOC)
        .map(new FailOnceAfterACheckpoint()).returns(DOC);
    StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
    tEnv.loadModule("fasttok", new FasttokModule());
    tEnv.createTemporaryView("docs", tEnv.fromDataStream(docs));
    Table counted = tEnv.sqlQuery("SELECT id, count_tokens(text) AS o200k, count_tokens(text, 'cl100k_base') AS cl100k,"
        + " CHAR_LENGTH(truncate_tokens(text, 3)) AS cut FROM docs");
    tEnv.toDataStream(counted)
        .map(r -> r.getField(0) + "," + r.getField(1) + "," + r.getField(2)).returns(Types.STRING)
        .sinkTo(FileSink.forRowFormat(new org.apache.flink.core.fs.Path(out.toUri()), new SimpleStringEncoder<String>())
            .withBucketAssigner(new BasePathBucketAssigner<>())
            .withRollingPolicy(OnCheckpointRollingPolicy.build())
            .build());
    env.execute("fasttok exactly-once");

    assertTrue(FAILED.get(), "the job failed once");
    assertTrue(SEEN.get() > ROWS, "rows after the checkpoint were processed again: " + SEEN.get());
    // Committed part files only (in-progress and pending files are hidden: ".part-...").
    Map<Long, String> byId = new HashMap<>();
    List<Path> parts;
    try (Stream<Path> files = Files.walk(out)) {
      parts = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
    assertTrue(parts.size() > 1, "several checkpoints committed files: " + parts);
    for (Path p : parts) {
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        String[] f = line.split(",");
        long id = Long.parseLong(f[0]);
        assertNull(byId.put(id, line), "row " + id + " written twice");
        Row g = golden.get((int) (id % golden.size()));
        assertEquals(g.getField(1) + "," + g.getField(2), f[1] + "," + f[2], "row " + id);
      }
    }
    assertEquals(ROWS, byId.size(), "every row written");
  }
}
