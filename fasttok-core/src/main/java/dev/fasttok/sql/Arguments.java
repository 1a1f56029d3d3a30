package dev.fasttok.sql;

/**
 * Checks of the SQL functions' numeric arguments, with the messages both engines give: at run
 * time on each row, and when a literal is known at planning.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 */
public final class Arguments {
  private Arguments() {}

  /** {@code truncate_tokens}' max_tokens. */
  public static void checkMaxTokens(int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("truncate_tokens: max_tokens must not be negative, got " + maxTokens);
    }
  }

  /** {@code chunk_tokens}' size and overlap. */
  public static void checkSizes(int size, int overlap) {
    if (size <= 0) throw new IllegalArgumentException("chunk_tokens: size must be positive, got " + size);
    if (overlap < 0 || overlap >= size) {
      throw new IllegalArgumentException("chunk_tokens: overlap must be at least 0 and less than size ("
          + size + "), got " + overlap);
    }
  }

  /**
   * {@code chunk_tokens}' size and overlap as far as they are known at planning: null for one
   * that is not a literal (or is NULL); an overlap left out of the call is 0.
   */
  public static void checkConstantSizes(Integer size, Integer overlap) {
    if (size != null) checkSizes(size, overlap == null ? 0 : overlap);
    else if (overlap != null && overlap < 0) checkSizes(Integer.MAX_VALUE, overlap);
  }
}
