package dev.fasttok.spark;

import dev.fasttok.Encoding;
import java.util.Collections;
import org.apache.spark.sql.SparkSession;

/**
 * Custom vocabularies of a session, from code. (From configuration:
 * {@code spark.fasttok.vocabulary.<name>=<path>}, see {@link FasttokConf}.)
 */
public final class FasttokVocabularies {
  private FasttokVocabularies() {}

  /**
   * Makes the vocabulary file at {@code path} (any URI Spark's Hadoop FileSystem reads) usable in
   * this session, and returns the encoding name to pass to the functions. The file is read on the
   * driver when a query first uses it, once per session, and broadcast to the executors.
   *
   * @param base for a {@code .tiktoken} file, the built-in encoding whose split pattern and
   *     special tokens it uses (null: o200k_base); ignored for a {@code .ftok} file
   */
  public static String register(SparkSession session, String path, String base) {
    return SessionVocabularies.of(session).register(path, base);
  }

  /**
   * The Encoding an encoding name stands for in this session, on the driver (reading a custom
   * vocabulary's file if no query has yet).
   *
   * @throws IllegalArgumentException for an unknown name or an unreadable vocabulary
   */
  public static Encoding encoding(SparkSession session, String name) {
    return SessionVocabularies.of(session).resolver(session, Collections.singleton(name)).resolve(name);
  }
}
