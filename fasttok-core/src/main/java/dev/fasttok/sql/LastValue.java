package dev.fasttok.sql;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The last key a function instance looked up and its value, so that a column holding one value
 * (an encoding name, an allowed_special) is resolved once and then costs one comparison per row.
 * Keys that are arrays compare by their elements. Not for sharing between threads: each task
 * (Spark) or function instance (Flink) has its own. A serialized copy starts empty.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 */
public final class LastValue<K, V> implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient K key;
  private transient V value;

  /** The value remembered for a key equal to {@code key}, or null. */
  public V get(K key) {
    K k = this.key;
    if (k == null) return null;
    boolean same = k instanceof Object[] ? Arrays.equals((Object[]) k, (Object[]) key) : k.equals(key);
    return same ? value : null;
  }

  /**
   * Remembers {@code value} for {@code key}, which must not change afterwards (a copy when the
   * engine reuses the row's buffers).
   *
   * @return value
   */
  public V put(K key, V value) {
    this.key = key;
    this.value = value;
    return value;
  }
}
