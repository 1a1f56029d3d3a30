package dev.fasttok.spark;

/**
 * The Spark configuration keys fasttok reads. All are session-level SQL confs: they can be set in
 * {@code spark-defaults.conf}, with {@code --conf}, on the session builder, or at run time with
 * {@code SET key=value} / {@code spark.conf().set(key, value)}.
 */
public final class FasttokConf {
  private FasttokConf() {}

  /** The encoding used when a function is called without one. Default {@value #DEFAULT_ENCODING}. */
  public static final String ENCODING = "spark.fasttok.encoding";

  /** The default of {@link #ENCODING}. */
  public static final String DEFAULT_ENCODING = dev.fasttok.sql.TokenFunction.DEFAULT_ENCODING;

  /**
   * Prefix of custom vocabularies: {@code spark.fasttok.vocabulary.<name>=<path or URI>} makes
   * {@code <name>} usable wherever an encoding name is. The file is read on the driver with
   * Hadoop's FileSystem (so {@code file:}, {@code hdfs:}, {@code s3a:} ... all work), once per
   * session, and broadcast to the executors. Its kind comes from its name's ending: {@code .ftok}
   * (fasttok's compact form) or {@code .tiktoken} (tiktoken ranks).
   */
  public static final String VOCABULARY_PREFIX = "spark.fasttok.vocabulary.";

  /**
   * Suffix of the key naming the built-in encoding whose split pattern and special tokens a
   * {@code .tiktoken} vocabulary uses: {@code spark.fasttok.vocabulary.<name>.base=cl100k_base}.
   * Default {@value #DEFAULT_ENCODING}.
   */
  public static final String BASE_SUFFIX = ".base";
}
