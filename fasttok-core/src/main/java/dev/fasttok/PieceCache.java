package dev.fasttok;

import java.util.Arrays;

/**
 * The tokens of pieces seen before, for one thread of one model: a piece's tokens depend only
 * on its text, and in prose the same words come back all the time, so a model remembers them
 * instead of walking its vocabulary again. Keys are UTF-16 units read straight from the text's
 * array (no String is made); each entry is a run of ints whose layout is the model's business.
 * When the table is half full it starts over, so memory stays bounded whatever the input.
 */
final class PieceCache {
  /** Pieces longer than this are not remembered (rarely repeated, and a long key costs its length to compare). */
  static final int MAX_KEY = 64;
  /** 32,768 entries at most (about 1.3 MB of tables per thread and model): the distinct words of a few megabytes of prose. */
  private static final int SLOTS = 1 << 16;

  /** Per slot: the key's hash with the top bit set (0 for an empty slot). */
  private final int[] hashes = new int[SLOTS];
  private final int[] keyAt = new int[SLOTS];
  private final int[] keyLength = new int[SLOTS];
  private final int[] valueAt = new int[SLOTS];
  private final int[] valueLength = new int[SLOTS];
  private int entries;
  private char[] keys = new char[1 << 12];
  private int keysUsed;
  /** The values of every entry, one after another; an entry's run starts at {@link #start}. */
  int[] values = new int[1 << 12];
  private int valuesUsed;

  /** The hash of units [from, to), never 0. */
  static int hash(char[] text, int from, int to) {
    int h = to - from;
    for (int i = from; i < to; i++) h = 31 * h + text[i];
    h *= 0x9E3779B9;
    return (h ^ (h >>> 15)) | 0x80000000;
  }

  /** The slot of the entry whose key is text[from, to) ({@code hash} its {@link #hash}), or -1. */
  int find(char[] text, int from, int to, int hash) {
    int mask = SLOTS - 1;
    int n = to - from;
    for (int i = hash & mask; hashes[i] != 0; i = (i + 1) & mask) {
      if (hashes[i] == hash && keyLength[i] == n
          && Arrays.equals(keys, keyAt[i], keyAt[i] + n, text, from, to)) {
        return i;
      }
    }
    return -1;
  }

  /** Where the values of the entry in {@code slot} start in {@link #values}. */
  int start(int slot) {
    return valueAt[slot];
  }

  /** How many values the entry in {@code slot} has. */
  int length(int slot) {
    return valueLength[slot];
  }

  /**
   * Remembers {@code v[from, from + n)} as the values of the key text[keyFrom, keyTo) ({@code
   * hash} its {@link #hash}), which {@link #find} did not find.
   */
  void put(char[] text, int keyFrom, int keyTo, int hash, int[] v, int from, int n) {
    if (2 * (entries + 1) > SLOTS) clear();
    int k = keyTo - keyFrom;
    if (keysUsed + k > keys.length) keys = Arrays.copyOf(keys, Math.max(2 * keys.length, keysUsed + k));
    if (valuesUsed + n > values.length) values = Arrays.copyOf(values, Math.max(2 * values.length, valuesUsed + n));
    int mask = SLOTS - 1;
    int i = hash & mask;
    while (hashes[i] != 0) i = (i + 1) & mask;
    hashes[i] = hash;
    keyAt[i] = keysUsed;
    keyLength[i] = k;
    valueAt[i] = valuesUsed;
    valueLength[i] = n;
    System.arraycopy(text, keyFrom, keys, keysUsed, k);
    System.arraycopy(v, from, values, valuesUsed, n);
    keysUsed += k;
    valuesUsed += n;
    entries++;
  }

  /**
   * Remembers the tokens a model gave text[from, to): the ids {@code ids[firstId, ids.size)},
   * then their ends {@code ends[firstEnd, ends.size)} less {@code from}, as {@link #replay}
   * reads them.
   */
  void putTokens(char[] text, int from, int to, int hash, IntList ids, int firstId, IntList ends, int firstEnd) {
    int m = ids.size - firstId;
    if (scratch.length < 2 * m) scratch = new int[2 * m];
    System.arraycopy(ids.a, firstId, scratch, 0, m);
    for (int k = 0; k < m; k++) scratch[m + k] = ends.a[firstEnd + k] - from;
    put(text, from, to, hash, scratch, 0, 2 * m);
  }

  /**
   * Appends the tokens of the entry in {@code slot} (as {@link #putTokens} stored them) to ids
   * and, with the piece starting at {@code from}, their ends to ends (if not null); returns how
   * many.
   */
  int replay(int slot, int from, IntList ids, IntList ends) {
    int at = valueAt[slot];
    int m = valueLength[slot] >>> 1;
    int[] v = values;
    for (int k = 0; k < m; k++) ids.add(v[at + k]);
    if (ends != null) for (int k = 0; k < m; k++) ends.add(from + v[at + m + k]);
    return m;
  }

  private int[] scratch = new int[64];

  private void clear() {
    Arrays.fill(hashes, 0);
    entries = 0;
    keysUsed = 0;
    valuesUsed = 0;
  }
}
