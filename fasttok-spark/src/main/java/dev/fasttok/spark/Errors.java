package dev.fasttok.spark;

import org.apache.spark.sql.AnalysisException;

/** Errors raised while a query is analysed. */
final class Errors {
  private Errors() {}

  /**
   * An AnalysisException with exactly this message. (Spark's error classes are a fixed list; this
   * one, present in Spark 3.5 and 4.0, is a bare message.)
   */
  static AnalysisException analysis(String message) {
    return new AnalysisException("_LEGACY_ERROR_TEMP_1332",
        new scala.collection.immutable.Map.Map1<>("errorMessage", message));
  }

  /**
   * Throws {@link #analysis(String)} (checked in Java's eyes, not in Scala's, where Spark's
   * callers are): {@code throw Errors.analysisError(message);}
   */
  static RuntimeException analysisError(String message) {
    throw Errors.<RuntimeException>sneaky(analysis(message));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
