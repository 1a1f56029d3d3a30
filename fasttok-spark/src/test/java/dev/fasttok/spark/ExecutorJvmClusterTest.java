package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors in their own JVMs ({@code local-cluster[2,1,1024]}: two workers, each starting an
 * executor JVM), with Kryo and registration required. Proves that a custom vocabulary reaches
 * the executors by broadcast (its file is deleted before the query runs), and that each executor
 * JVM builds the Encoding once, however many tasks and partitions it runs.
 *
 * <p>Runs in its own Surefire execution (a JVM holds one SparkContext); see
 * /work/shared/notes/spark-multi-jvm.md for what local-cluster needs.
 */
class ExecutorJvmClusterTest {
  @TempDir
  Path dir;

  @Test
  void customVocabularyIsBroadcastAndBuiltOncePerExecutorJvm() throws Exception {
    Path vocab = TinyVocabulary.writeTiktoken(Files.createDirectory(dir.resolve("driver-only")));
    String text = "hello world hello world";
    Encoding local = Encodings.readVocabulary(vocab, "o200k_base");
    int[] expected = local.encodeOrdinary(text);

    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> new File(p).getAbsolutePath()).collect(Collectors.joining(File.pathSeparator));
    String jvmFlags = System.getProperty("fasttok.test.jvmFlags", "");
    long driverPid = ProcessHandle.current().pid();
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[2,1,1024]")
        .appName("fasttok-executor-jvms")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.extraClassPath", classPath)
        .config("spark.executor.extraJavaOptions", jvmFlags)
        // Wait for both executors before the first job, so that both run tasks.
        .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "180s")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.extensions", FasttokExtensions.class.getName())
        .config("spark.sql.catalog.fasttok", FasttokCatalog.class.getName())
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.kryo.registrator", FasttokKryoRegistrator.class.getName())
        .config("spark.kryo.classesToRegister", String.join(",", SharedSpark.SPARK_CLASSES))
        .config(FasttokConf.VOCABULARY_PREFIX + "tiny", vocab.toUri().toString())
        .getOrCreate();
    try {
      // The driver reads the file (once) when the vocabulary is first used...
      assertEquals(2, FasttokVocabularies.encoding(spark, "tiny").encodeOrdinary("hello world").length);
      assertEquals(1, SessionVocabularies.of(spark).reads());
      Broadcast<VocabularyBytes> broadcast = SessionVocabularies.of(spark).broadcastOf("tiny");
      assertNotNull(broadcast);
      // ...then the file is gone: the executors can only get the vocabulary by broadcast.
      Files.delete(vocab);
      Files.delete(vocab.getParent());
      assertFalse(Files.exists(vocab));

      int partitions = 24;
      List<String> perPartition = spark.range(0, 240, 1, partitions)
          .selectExpr("id", "encode_tokens('" + text + "', 'tiny') AS ids",
              "fasttok.count_tokens(concat('hello world ', cast(id AS string)), 'tiny') AS n")
          .mapPartitions((MapPartitionsFunction<Row, String>) rows -> {
            int count = 0;
            List<Integer> first = null;
            while (rows.hasNext()) {
              Row r = rows.next();
              if (first == null) first = r.getList(1);
              count++;
            }
            // The Encoding this JVM uses for the vocabulary (the broadcast value is one object per JVM).
            Encoding used = broadcast.value().encoding();
            return List.of(ProcessHandle.current().pid() + " " + VocabularyBytes.encodingsBuilt() + " "
                + System.identityHashCode(used) + " " + count + " " + first).iterator();
          }, Encoders.STRING())
          .collectAsList();

      assertEquals(partitions, perPartition.size());
      Map<Long, Set<String>> encodingsByPid = new HashMap<>();
      for (String line : perPartition) {
        String[] f = line.split(" ", 5);
        long pid = Long.parseLong(f[0]);
        assertNotEquals(driverPid, pid, "tasks must run in executor JVMs");
        assertEquals("1", f[1], "executor " + pid + " built the encoding " + f[1] + " times");
        encodingsByPid.computeIfAbsent(pid, p -> new HashSet<>()).add(f[2]);
        assertEquals("10", f[3]);
        assertEquals(SparkTestSupport.list(expected).toString(), f[4].replace(" ", "").replace(",", ", "));
      }
      assertEquals(2, encodingsByPid.size(), "two executor JVMs ran tasks: " + encodingsByPid.keySet());
      for (Map.Entry<Long, Set<String>> e : encodingsByPid.entrySet()) {
        assertEquals(1, e.getValue().size(), "executor " + e.getKey() + " used one Encoding: " + e.getValue());
      }
      // Counts computed on the executors agree with the driver's.
      List<Row> counts = spark.sql("SELECT id, count_tokens(concat('hello world ', cast(id AS string)), 'tiny')"
          + " FROM range(0, 40, 1, 8)").collectAsList();
      for (Row r : counts) {
        assertEquals(local.countTokens("hello world " + r.getLong(0)), r.getInt(1));
      }
      assertEquals(1, SessionVocabularies.of(spark).reads(), "the driver read the file once");
      assertTrue(counts.size() == 40);
    } finally {
      spark.stop();
    }
  }
}
