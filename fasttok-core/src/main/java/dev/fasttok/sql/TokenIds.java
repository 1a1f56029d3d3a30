package dev.fasttok.sql;

import dev.fasttok.Encoding;

/**
 * The {@code ids} argument of {@code decode_tokens}: an engine's array of INT or BIGINT ids read
 * as {@code int[]}, and decoded. A NULL id, or one outside INT's range (so outside every
 * vocabulary), is an error naming it. One stateless instance per array type.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 *
 * @param <A> the engine's array type
 */
public abstract class TokenIds<A> {
  protected TokenIds() {}

  /** The number of elements. */
  protected abstract int size(A ids);

  /** Whether element {@code i} is NULL. */
  protected abstract boolean isNull(A ids, int i);

  /** Element {@code i}, not NULL, widened. */
  protected abstract long get(A ids, int i);

  /** The ids as {@code int[]}, for the messages of encoding {@code e}. */
  public final int[] toInts(A ids, Encoding e) {
    int n = size(ids);
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      if (isNull(ids, i)) throw new IllegalArgumentException("decode_tokens: ids holds a NULL at index " + i);
      long v = get(ids, i);
      if (v != (int) v) {
        throw new IllegalArgumentException("decode_tokens: token id " + v + " is not in the vocabulary of "
            + e.name());
      }
      a[i] = (int) v;
    }
    return a;
  }

  /** {@link Encoding#decodeBytes}, its error naming the function. */
  public static byte[] decodeBytes(Encoding e, int[] ids) {
    try {
      return e.decodeBytes(ids);
    } catch (IllegalArgumentException x) {
      throw failed(x);
    }
  }

  /**
   * {@link Encoding#decode} (ill-formed UTF-8 read as U+FFFD, as tiktoken does), its error
   * naming the function.
   */
  public static String decode(Encoding e, int[] ids) {
    try {
      return e.decode(ids);
    } catch (IllegalArgumentException x) {
      throw failed(x);
    }
  }

  private static IllegalArgumentException failed(IllegalArgumentException x) {
    return new IllegalArgumentException("decode_tokens: " + x.getMessage(), x);
  }
}
