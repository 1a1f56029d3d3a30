package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The special tokens of an encoding and a search for their text. */
final class SpecialTokens {
  final String[] names;
  final int[] ids;
  final byte[][] bytes;
  private final Map<String, Integer> indexByName = new LinkedHashMap<>();
  private final boolean[] firstBytes = new boolean[256];
  // A byte trie over the token texts: edges (node << 8 | byte) -> child; terminal node -> token index.
  private final LongIntMap edges = new LongIntMap();
  private final int[] tokenAtNode;

  SpecialTokens(Map<String, Integer> specials) {
    int n = specials.size();
    names = new String[n];
    ids = new int[n];
    bytes = new byte[n][];
    int i = 0;
    int nodes = 1;
    int[] terminal = new int[16];
    Arrays.fill(terminal, -1);
    for (Map.Entry<String, Integer> e : specials.entrySet()) {
      if (e.getKey().isEmpty()) throw new IllegalArgumentException("a special token's text is empty");
      names[i] = e.getKey();
      ids[i] = e.getValue();
      bytes[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      indexByName.put(names[i], i);
      firstBytes[bytes[i][0] & 0xFF] = true;
      int node = 0;
      for (byte b : bytes[i]) {
        long key = ((long) node << 8) | (b & 0xFF);
        int child = edges.get(key);
        if (child < 0) {
          child = nodes++;
          edges.put(key, child);
        }
        node = child;
      }
      if (node >= terminal.length) {
        int old = terminal.length;
        terminal = Arrays.copyOf(terminal, Math.max(node + 1, old * 2));
        Arrays.fill(terminal, old, terminal.length, -1);
      }
      terminal[node] = i;
      i++;
    }
    tokenAtNode = terminal;
  }

  int size() {
    return names.length;
  }

  /** Index of the named special token, or -1. */
  int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  Map<String, Integer> asMap() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) m.put(names[i], ids[i]);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The first occurrence in b[from, end) of a special token whose index is accepted, as
   * (start << 32 | index), the longest at its start; -1 if none.
   */
  long find(byte[] b, int from, int end, boolean[] accept) {
    if (names.length == 0) return -1;
    for (int i = from; i < end; i++) {
      if (!firstBytes[b[i] & 0xFF]) continue;
      int best = -1;
      int node = 0;
      for (int j = i; j < end; j++) {
        node = edges.get(((long) node << 8) | (b[j] & 0xFF));
        if (node < 0) break;
        if (node < tokenAtNode.length && tokenAtNode[node] >= 0 && accept[tokenAtNode[node]]) best = tokenAtNode[node];
      }
      if (best >= 0) return ((long) i << 32) | best;
    }
    return -1;
  }

  /** A small open-addressing map from long keys to non-negative ints. */
  static final class LongIntMap {
    private long[] keys = new long[64];
    private int[] vals = new int[64];
    private int size;

    int get(long key) {
      int mask = keys.length - 1;
      int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
      while (vals[i] != 0) {
        if (keys[i] == key) return vals[i] - 1;
        i = (i + 1) & mask;
      }
      return -1;
    }

    void put(long key, int value) {
      if (2 * (size + 1) > keys.length) grow();
      int mask = keys.length - 1;
      int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
      while (vals[i] != 0 && keys[i] != key) i = (i + 1) & mask;
      if (vals[i] == 0) size++;
      keys[i] = key;
      vals[i] = value + 1;
    }

    private void grow() {
      long[] ok = keys;
      int[] ov = vals;
      keys = new long[ok.length * 2];
      vals = new int[ov.length * 2];
      size = 0;
      for (int i = 0; i < ok.length; i++) if (ov[i] != 0) put(ok[i], ov[i] - 1);
    }
  }
}
