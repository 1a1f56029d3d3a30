package dev.fasttok.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession the Spark tests share (starting Spark takes seconds): local[2], UI
 * off, two shuffle partitions, fasttok's extension and catalog installed, and Kryo with
 * registration required, so every test also proves fasttok works under it.
 */
public final class SharedSpark {
  private static SparkSession session;
  private static Path warehouse;

  /**
   * Spark's own classes that its SQL engine writes with Kryo in these tests (local relations,
   * collected rows); with registration required, applications register them (nothing of fasttok).
   */
  static final String[] SPARK_CLASSES = {
      "org.apache.spark.sql.catalyst.expressions.GenericInternalRow",
  };

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      try {
        if (warehouse == null) warehouse = Files.createTempDirectory("fasttok-spark-warehouse");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      session = SparkSession.builder()
          .master("local[2]")
          .appName("fasttok-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
          .config("spark.sql.extensions", FasttokExtensions.class.getName())
          .config("spark.sql.catalog.fasttok", FasttokCatalog.class.getName())
          .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
          .config("spark.kryo.registrationRequired", "true")
          .config("spark.kryo.registrator", FasttokKryoRegistrator.class.getName())
          .config("spark.kryo.classesToRegister", String.join(",", SPARK_CLASSES))
          .getOrCreate();
    }
    SparkSession.setActiveSession(session);
    return session;
  }
}
