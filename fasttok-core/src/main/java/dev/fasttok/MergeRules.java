package dev.fasttok;

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

  /** Rules read back from the compact form. */
  MergeRules(long[] slots, byte[] tags, int size) {
    int bits = Integer.numberOfTrailingZeros(tags.length);
    if (tags.length != 1 << bits || slots.length != 2 * tags.length || bits < 4 || bits > 30) {
      throw new IllegalArgumentException("bad merge table size " + slots.length + "/" + tags.length);
    }
    this.slots = slots;
    this.tags = tags;
    this.shift = 64 - bits;
    this.mask = (1 << bits) - 1;
    this.size = size;
  }

  long[] slots() {
    return slots;
  }

  byte[] tags() {
    return tags;
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
