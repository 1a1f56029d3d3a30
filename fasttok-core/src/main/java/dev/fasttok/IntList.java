package dev.fasttok;

import java.util.Arrays;

/** A growable int array, reused across calls by one thread. */
final class IntList {
  int[] a;
  int size;

  IntList(int capacity) {
    a = new int[Math.max(capacity, 16)];
  }

  void add(int v) {
    if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
    a[size++] = v;
  }

  /** Doubles the capacity, keeping the first {@code size} values; returns the new array. */
  int[] grow(int size) {
    return a = Arrays.copyOf(a, Math.max(16, a.length * 2));
  }

  void clear() {
    size = 0;
  }

  int[] toArray() {
    return Arrays.copyOf(a, size);
  }
}
