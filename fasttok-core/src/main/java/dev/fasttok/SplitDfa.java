package dev.fasttok;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A split pattern as a deterministic automaton over character classes that finds, from a given
 * position, the match a backtracking engine (fancy-regex, Oniguruma) finds there: leftmost-first,
 * alternatives and greedy or lazy repetitions tried in order. One table lookup per character and
 * no calls, where {@link CompiledSplitter}'s backtracking program makes a few calls per piece.
 *
 * <p>Built from the pattern's tree by way of a Thompson automaton whose epsilon moves are kept in
 * priority order (the order a backtracking engine tries them); a deterministic state is the
 * ordered list of automaton states alive, and a step drops every state of lower priority than one
 * that has matched, as a backtracking engine never gets to them. Lower-priority matches are
 * overridden only by higher-priority threads, which is the leftmost-first rule. A look-ahead of
 * one character ({@code \s+(?!\S)}, {@code (?=\p{Lu})}) and the end of the text ({@code $} in
 * tiktoken's syntax, {@code \z}) are decided on the next character, which the step reads anyway.
 *
 * <p>What this does not express (look-behind, atomic groups and possessive repetition, line and
 * start anchors, repeated groups that can match empty, too many states) gives null from
 * {@link #build}: the caller keeps the backtracking program.
 */
final class SplitDfa {
  /** States are stored premultiplied by the number of classes; 0 is the dead state. */
  private static final int DEAD = 0;
  /** Set on a transition when a match ends just before the character it reads. */
  private static final int MATCH = Integer.MIN_VALUE;
  private static final int MAX_STATES = 4096;
  private static final int MAX_NODES = 20000;

  /** Class of each ASCII byte. */
  private final byte[] ascii;
  /** Class of code point cp: blocks[index[cp >> 8] << 8 | (cp & 0xFF)]. */
  private final char[] index;
  private final byte[] blocks;
  private final int classes;
  private final int start;
  /** next[state + class]: the next state, or'ed with MATCH. */
  private final int[] next;
  /** Per state (divided by the number of classes): whether a match ends at the end of the text. */
  private final boolean[] matchAtEnd;
  /**
   * Per state (premultiplied): where its row of {@link #loops} starts, plus 1 if its self-loops
   * end a match; -1 if no ASCII character loops on it.
   */
  private final int[] loopRow;
  /** Per state with self-loops, 128 entries: 1 where that ASCII character loops (same match flag). */
  private final byte[] loops;

  private SplitDfa(byte[] ascii, char[] index, byte[] blocks, int classes, int start, int[] next, boolean[] matchAtEnd) {
    this.loopRow = new int[next.length];
    Arrays.fill(loopRow, -1);
    int rows = 0;
    byte[] loops = new byte[0];
    for (int s = classes; s < next.length; s += classes) {
      boolean matches = false;
      boolean any = false;
      for (int c = 0; c < 128; c++) {
        int t = next[s + ascii[c]];
        if ((t & ~MATCH) == s) {
          any = true;
          matches |= t < 0;
        }
      }
      if (!any) continue;
      loops = Arrays.copyOf(loops, (rows + 1) << 7);
      for (int c = 0; c < 128; c++) {
        if (next[s + ascii[c]] == (s | (matches ? MATCH : 0))) loops[(rows << 7) + c] = 1;
      }
      loopRow[s] = (rows << 7) | (matches ? 1 : 0);
      rows++;
    }
    this.loops = loops;
    this.ascii = ascii;
    this.index = index;
    this.blocks = blocks;
    this.classes = classes;
    this.start = start;
    this.next = next;
    this.matchAtEnd = matchAtEnd;
  }

  int states() {
    return next.length / classes;
  }

  /** The end of the match that starts at i, or -1; i < end. */
  int match(byte[] b, int i, int end) {
    final byte[] ascii = this.ascii;
    final int[] next = this.next;
    final byte[] loops = this.loops;
    int s = start;
    int last = -1;
    int j = i;
    while (j < end) {
      int c = b[j];
      int t;
      if (c >= 0) {
        t = next[s + ascii[c]];
        if (t < 0) {
          last = j;
          t &= ~MATCH;
        }
        j++;
        int row;
        if (t == s && (row = loopRow[s]) >= 0) {
          // A state that reads itself again on this character: run through the ASCII
          // characters that keep it, one load per character (words, spaces, digits).
          int from = j;
          int base = row & ~1;
          while (j < end) {
            int d = b[j];
            if (d < 0 || loops[base + d] == 0) break;
            j++;
          }
          if ((row & 1) != 0 && j > from) last = j - 1;
        }
      } else {
        int cp = Utf8.codePoint(b, j);
        t = next[s + blocks[index[cp >> 8] << 8 | (cp & 0xFF)]];
        if (t < 0) {
          last = j;
          t &= ~MATCH;
        }
        j += Utf8.length((byte) c);
      }
      if (t == DEAD) return last;
      s = t;
    }
    return matchAtEnd[s / classes] ? end : last;
  }

  // ---- construction ----

  /** Not expressible as this automaton. */
  private static final class NotRegular extends Exception {
    NotRegular() {
      super(null, null, false, false);
    }
  }

  // Automaton node kinds.
  private static final int CHAR = 0; // one character of a set, then out
  private static final int SPLIT = 1; // epsilon moves to alts, in priority order
  private static final int LOOK = 2; // the next character (or the end) passes a test, then out
  private static final int ACCEPT = 3;

  private final static class Nfa {
    final List<int[]> alts = new ArrayList<>();
    int[] kind = new int[64];
    int[] out = new int[64];
    /** CHAR: index of the set; LOOK: index of the set, or -1 for "end of text only". */
    int[] set = new int[64];
    boolean[] negated = new boolean[64];
    int size;
    final List<BitSet> sets = new ArrayList<>();
    final Map<BitSet, Integer> setIds = new HashMap<>();

    int add(int k, int o, int s, boolean neg) throws NotRegular {
      if (size == MAX_NODES) throw new NotRegular();
      if (size == kind.length) {
        kind = Arrays.copyOf(kind, size * 2);
        out = Arrays.copyOf(out, size * 2);
        set = Arrays.copyOf(set, size * 2);
        negated = Arrays.copyOf(negated, size * 2);
      }
      kind[size] = k;
      out[size] = o;
      set[size] = s;
      negated[size] = neg;
      alts.add(null);
      return size++;
    }

    int setId(BitSet s) {
      Integer id = setIds.get(s);
      if (id == null) {
        setIds.put(s, id = sets.size());
        sets.add(s);
      }
      return id;
    }

    /** The node for n followed by next. */
    int build(PatternParser.Node n, int next) throws NotRegular {
      if (n instanceof PatternParser.Chars) return add(CHAR, next, setId(((PatternParser.Chars) n).set), false);
      if (n instanceof PatternParser.Seq) {
        List<PatternParser.Node> items = ((PatternParser.Seq) n).items;
        int o = next;
        for (int k = items.size() - 1; k >= 0; k--) o = build(items.get(k), o);
        return o;
      }
      if (n instanceof PatternParser.Alt) {
        List<PatternParser.Node> list = ((PatternParser.Alt) n).alts;
        int[] a = new int[list.size()];
        for (int k = 0; k < a.length; k++) a[k] = build(list.get(k), next);
        return split(a);
      }
      if (n instanceof PatternParser.Repeat) {
        PatternParser.Repeat r = (PatternParser.Repeat) n;
        if (r.mode == 'p') throw new NotRegular();
        // A body that can match empty repeats differently in each engine: left to backtracking.
        if (!(r.body instanceof PatternParser.Chars) && nullable(r.body)) throw new NotRegular();
        boolean greedy = r.mode == 'g';
        int o = next;
        if (r.max == PatternParser.Repeat.UNBOUNDED) {
          int loop = add(SPLIT, -1, -1, false);
          int body = build(r.body, loop);
          alts.set(loop, greedy ? new int[] {body, next} : new int[] {next, body});
          o = loop;
        } else {
          for (int k = r.max - r.min; k > 0; k--) {
            int take = build(r.body, o);
            o = split(greedy ? new int[] {take, next} : new int[] {next, take});
          }
        }
        for (int k = 0; k < r.min; k++) o = build(r.body, o);
        return o;
      }
      if (n instanceof PatternParser.Look) {
        PatternParser.Look l = (PatternParser.Look) n;
        if (l.behind || !(l.body instanceof PatternParser.Chars)) throw new NotRegular();
        return add(LOOK, next, setId(((PatternParser.Chars) l.body).set), l.negated);
      }
      if (n instanceof PatternParser.Anchor && ((PatternParser.Anchor) n).kind == PatternParser.Anchor.TEXT_END) {
        return add(LOOK, next, -1, false);
      }
      throw new NotRegular(); // atomic groups, other anchors
    }

    private int split(int[] a) throws NotRegular {
      int s = add(SPLIT, -1, -1, false);
      alts.set(s, a);
      return s;
    }

    private static boolean nullable(PatternParser.Node n) {
      if (n instanceof PatternParser.Chars) return false;
      if (n instanceof PatternParser.Seq) {
        for (PatternParser.Node x : ((PatternParser.Seq) n).items) if (!nullable(x)) return false;
        return true;
      }
      if (n instanceof PatternParser.Alt) {
        for (PatternParser.Node x : ((PatternParser.Alt) n).alts) if (nullable(x)) return true;
        return false;
      }
      if (n instanceof PatternParser.Repeat) return ((PatternParser.Repeat) n).min == 0 || nullable(((PatternParser.Repeat) n).body);
      return true;
    }
  }

  /** The automaton of a parsed pattern, or null if it has a construct this cannot express. */
  static SplitDfa build(PatternParser.Node tree) {
    Nfa nfa = new Nfa();
    int root;
    try {
      int accept = nfa.add(ACCEPT, -1, -1, false);
      root = nfa.build(tree, accept);
    } catch (NotRegular e) {
      return null;
    }
    return new Builder(nfa).run(root);
  }

  private static final class Builder {
    final Nfa nfa;
    /** Per class, per set: whether the class is in the set. */
    boolean[][] member;
    int classes;
    byte[] ascii = new byte[128];
    char[] index = new char[(UnicodeTable.MAX_CODE_POINT >> 8) + 1];
    byte[] blocks;

    Builder(Nfa nfa) {
      this.nfa = nfa;
    }

    SplitDfa run(int root) {
      if (!classify()) return null;
      Map<IntArrayKey, Integer> ids = new LinkedHashMap<>();
      List<int[]> lists = new ArrayList<>();
      lists.add(new int[0]); // dead
      ids.put(new IntArrayKey(new int[0]), 0);
      int[] startList = closure(new int[] {root});
      ids.put(new IntArrayKey(startList), 1);
      lists.add(startList);
      int[] next = new int[16 * classes];
      for (int s = 1; s < lists.size(); s++) {
        if (lists.size() > MAX_STATES) return null;
        int[] list = lists.get(s);
        for (int c = 0; c < classes; c++) {
          IntList to = new IntList(8);
          BitSet seen = new BitSet();
          boolean matched = false;
          for (int node : list) {
            if (step(node, c, to, seen)) {
              matched = true;
              break; // every later state has lower priority: a backtracking engine never reaches it
            }
          }
          int[] toList = to.toArray();
          IntArrayKey key = new IntArrayKey(toList);
          Integer id = ids.get(key);
          if (id == null) {
            id = lists.size();
            ids.put(key, id);
            lists.add(toList);
          }
          if ((s + 1) * classes > next.length) next = Arrays.copyOf(next, next.length * 2);
          next[s * classes + c] = id * classes | (matched ? MATCH : 0);
        }
      }
      boolean[] atEnd = new boolean[lists.size()];
      for (int s = 1; s < lists.size(); s++) {
        for (int node : lists.get(s)) if (atEnd(node, new BitSet())) atEnd[s] = true;
      }
      return new SplitDfa(ascii, index, blocks, classes, classes, Arrays.copyOf(next, lists.size() * classes), atEnd);
    }

    /**
     * Class c read at a node of a state: a character it takes adds the closure after it to
     * {@code to}; a look-ahead the class passes goes on at once. Returns whether an accept is
     * reached before the character (the match ends there).
     */
    private boolean step(int node, int c, IntList to, BitSet seen) {
      switch (nfa.kind[node]) {
        case CHAR:
          if (member[c][nfa.set[node]]) addClosure(nfa.out[node], to, seen, new BitSet());
          return false;
        case LOOK:
          if (nfa.set[node] < 0 || member[c][nfa.set[node]] == nfa.negated[node]) return false;
          return stepClosure(nfa.out[node], c, to, seen, new BitSet());
        case ACCEPT:
          return true;
        default:
          throw new IllegalStateException();
      }
    }

    /** step over the epsilon closure of node, in priority order. */
    private boolean stepClosure(int node, int c, IntList to, BitSet seen, BitSet visited) {
      if (visited.get(node)) return false;
      visited.set(node);
      if (nfa.kind[node] == SPLIT) {
        for (int a : nfa.alts.get(node)) if (stepClosure(a, c, to, seen, visited)) return true;
        return false;
      }
      return step(node, c, to, seen);
    }

    private boolean atEnd(int node, BitSet visited) {
      if (visited.get(node)) return false;
      visited.set(node);
      switch (nfa.kind[node]) {
        case ACCEPT: return true;
        case SPLIT:
          for (int a : nfa.alts.get(node)) if (atEnd(a, visited)) return true;
          return false;
        case LOOK:
          // At the end of the text a negative look-ahead holds and a positive one fails.
          if (nfa.set[node] >= 0 && !nfa.negated[node]) return false;
          return atEnd(nfa.out[node], visited);
        default:
          return false;
      }
    }

    private int[] closure(int[] nodes) {
      IntList to = new IntList(8);
      BitSet seen = new BitSet();
      for (int n : nodes) addClosure(n, to, seen, new BitSet());
      return to.toArray();
    }

    /** Adds the non-epsilon nodes reachable from node, in priority order, each once. */
    private void addClosure(int node, IntList to, BitSet seen, BitSet visited) {
      if (visited.get(node)) return;
      visited.set(node);
      if (nfa.kind[node] == SPLIT) {
        for (int a : nfa.alts.get(node)) addClosure(a, to, seen, visited);
        return;
      }
      if (seen.get(node)) return;
      seen.set(node);
      to.add(node);
    }

    /** The classes: code points with the same membership in every set; false if over 127. */
    private boolean classify() {
      List<BitSet> sets = nfa.sets;
      int words = (sets.size() + 63) / 64;
      // Membership signature per code point, built set by set.
      long[] flat = new long[(UnicodeTable.MAX_CODE_POINT + 1) * words];
      for (int k = 0; k < sets.size(); k++) {
        BitSet s = sets.get(k);
        for (int a = s.nextSetBit(0); a >= 0 && a <= UnicodeTable.MAX_CODE_POINT; a = s.nextSetBit(a + 1)) {
          flat[a * words + (k >> 6)] |= 1L << (k & 63);
        }
      }
      Map<IntArrayKey, Integer> classIds = new HashMap<>();
      List<long[]> classSig = new ArrayList<>();
      byte[] cls = new byte[UnicodeTable.MAX_CODE_POINT + 1];
      int[] key = new int[words * 2];
      for (int cp = 0; cp <= UnicodeTable.MAX_CODE_POINT; cp++) {
        if (cp > 0 && Arrays.equals(flat, cp * words, cp * words + words, flat, (cp - 1) * words, cp * words)) {
          cls[cp] = cls[cp - 1]; // most code points are in a run of one class
          continue;
        }
        for (int w = 0; w < words; w++) {
          long v = flat[cp * words + w];
          key[2 * w] = (int) v;
          key[2 * w + 1] = (int) (v >>> 32);
        }
        IntArrayKey k = new IntArrayKey(key);
        Integer id = classIds.get(k);
        if (id == null) {
          if (classIds.size() == 127) return false;
          id = classIds.size();
          classIds.put(new IntArrayKey(key.clone()), id);
          classSig.add(Arrays.copyOfRange(flat, cp * words, cp * words + words));
        }
        cls[cp] = (byte) (int) id;
      }
      classes = classSig.size();
      member = new boolean[classes][sets.size()];
      for (int c = 0; c < classes; c++) {
        for (int k = 0; k < sets.size(); k++) member[c][k] = (classSig.get(c)[k >> 6] & (1L << (k & 63))) != 0;
      }
      System.arraycopy(cls, 0, ascii, 0, 128);
      Map<IntArrayKey, Integer> distinct = new HashMap<>();
      List<byte[]> list = new ArrayList<>();
      for (int blk = 0; blk < index.length; blk++) {
        byte[] block = Arrays.copyOfRange(cls, blk << 8, (blk + 1) << 8);
        int[] asInts = new int[256];
        for (int i = 0; i < 256; i++) asInts[i] = block[i];
        IntArrayKey k = new IntArrayKey(asInts);
        Integer id = distinct.get(k);
        if (id == null) {
          distinct.put(k, id = list.size());
          list.add(block);
        }
        index[blk] = (char) (int) id;
      }
      blocks = new byte[list.size() << 8];
      for (int k = 0; k < list.size(); k++) System.arraycopy(list.get(k), 0, blocks, k << 8, 256);
      return true;
    }
  }

  private static final class IntArrayKey {
    final int[] a;
    final int hash;

    IntArrayKey(int[] a) {
      this.a = a;
      this.hash = Arrays.hashCode(a);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IntArrayKey && Arrays.equals(a, ((IntArrayKey) o).a);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
