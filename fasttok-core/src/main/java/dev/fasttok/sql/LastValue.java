package dev.fasttok.sql;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The last key a function instance looked up and its value, so that a column holding one value
 * (an encoding name, an allowed_special) is resolved once and then costs one comparison per row.
 * Keys that are arrays compare by their elements. Each task (Spark) or function instance (Flink)
 * has its own; the key and its value are published together, so that a copy that is shared after
 * all never pairs one row's key with another's value. A serialized copy starts empty.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 */
public final class LastValue<K, V> implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final class Entry<K, V> {
    final K key;
    final V value;

    Entry(K key, V value) {
      this.key = key;
      this.value = value;
    }
  }

  private transient Entry<K, V> last;

  /** The value remembered for a key equal to {@code key}, or null. */
  public V get(K key) {
    Entry<K, V> e = last;
    if (e == null) return null;
    boolean same = e.key instanceof Object[] ? Arrays.equals((Object[]) e.key, (Object[]) key) : e.key.equals(key);
    return same ? e.value : null;
  }

  /**
   * Remembers {@code value} for {@code key}, which must not change afterwards (a copy when the
   * engine reuses the row's buffers).
   *
   * @return value
   */
  public V put(K key, V value) {
    last = new Entry<>(key, value);
    return value;
  }
}
