package dev.fasttok;

import java.util.Arrays;

/**
 * Merge rules of a Hugging Face BPE vocabulary: the pair of tokens (left, right) merges into
 * {@code result}, before any rule listed after it. tiktoken vocabularies have no such list:
 * there two tokens merge whenever their joined bytes are a token, and that token's rank orders
 * the merges.
 */
final class MergeRules {
  private final long[] slots; // (left << 32 | right, priority << 32 | result) per slot
  private final byte[] tags;
  private final int shift;
  private final int mask;
  final int size;

  /** Rules in priority order: rule i merges lefts[i] and rights[i] into results[i]. */
  MergeRules(int[] lefts, int[] rights, int[] results) {
    int bits = 4;
    while ((1L << bits) * 3 < lefts.length * 5L) bits++; // load factor at most 0.6
    slots = new long[2 << bits];
    tags = new byte[1 << bits];
    shift = 64 - bits;
    mask = (1 << bits) - 1;
    int n = 0;
    for (int i = 0; i < lefts.length; i++) {
      long key = key(lefts[i], rights[i]);
      long hash = hash(key);
      int at = (int) (hash >>> shift);
      boolean present = false;
      while (tags[at] != 0) {
        if (slots[2 * at] == key) {
          present = true; // a later duplicate of a rule never applies
          break;
        }
        at = (at + 1) & mask;
      }
      if (present) continue;
      tags[at] = tag(hash);
      slots[2 * at] = key;
      slots[2 * at + 1] = ((long) i << 32) | (results[i] & 0xFFFFFFFFL);
      n++;
    }
    size = n;
  }

  /** The rules as the constructor takes them, {lefts, rights, results}, in priority order. */
  int[][] lists() {
    long[] order = new long[size]; // priority << 32 | slot
    int k = 0;
    for (int at = 0; at < tags.length; at++) if (tags[at] != 0) order[k++] = (slots[2 * at + 1] >>> 32) << 32 | at;
    Arrays.sort(order);
    int[][] lists = new int[3][size];
    for (int i = 0; i < size; i++) {
      int at = (int) order[i];
      lists[0][i] = (int) (slots[2 * at] >>> 32);
      lists[1][i] = (int) slots[2 * at];
      lists[2][i] = (int) slots[2 * at + 1];
    }
    return lists;
  }

  /** (priority << 32 | result) of the rule for the pair, or -1 if there is none. */
  long find(int left, int right) {
    long key = key(left, right);
    long hash = hash(key);
    byte tag = tag(hash);
    int at = (int) (hash >>> shift);
    while (true) {
      byte g = tags[at];
      if (g == 0) return -1;
      if (g == tag && slots[2 * at] == key) return slots[2 * at + 1];
      at = (at + 1) & mask;
    }
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  private static long hash(long key) {
    key ^= key >>> 29;
    return key * 0xBF58476D1CE4E5B9L;
  }

  private byte tag(long hash) {
    return (byte) (0x80 | ((hash >>> (shift - 7)) & 0x7F));
  }
}
