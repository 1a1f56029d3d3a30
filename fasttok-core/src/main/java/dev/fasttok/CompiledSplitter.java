package dev.fasttok;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A split pattern compiled to a matcher over UTF-8 bytes: a backtracking program with one object
 * per pattern node, trying alternatives in order (leftmost-first, as fancy-regex, Oniguruma and
 * java.util.regex do), with greedy, lazy and possessive repetition. Character sets become bits of
 * one table lookup per code point (an array for ASCII). Each alternative is tried only where its
 * first character can start it. A run of one class, the common case, is a loop with no call per
 * character; it backs off one character at a time only when what follows needs it.
 *
 * <p>Repeated groups are unrolled when bounded and small, else not compiled (the caller falls
 * back to java.util.regex): so only single-class runs are unbounded, which keeps backtracking
 * polynomial.
 */
final class CompiledSplitter extends Splitter {
  /** Whether text no match covers is skipped (tiktoken) or kept as pieces (Hugging Face). */
  private final boolean keepGaps;
  private final String pattern;
  private final Op root;
  /** The same pattern as an automaton, where it can be one (null otherwise): no call per piece. */
  private final SplitDfa dfa;

  private CompiledSplitter(String pattern, Op root, SplitDfa dfa, boolean keepGaps) {
    this.pattern = pattern;
    this.root = root;
    this.dfa = dfa;
    this.keepGaps = keepGaps;
  }

  /**
   * The compiled splitter, or an {@link PatternParser.Unsupported} or
   * {@link PatternParser.Malformed} exception.
   */
  static CompiledSplitter compile(String pattern, PatternParser.Dialect dialect, boolean keepGaps) {
    PatternParser.Node tree = PatternParser.parse(pattern, dialect);
    Compiler c = new Compiler();
    c.collect(tree);
    Tables t = c.tables();
    Op root = c.compile(tree, new Accept(), t);
    return new CompiledSplitter(pattern, root, SplitDfa.build(tree), keepGaps);
  }

  @Override
  String pattern() {
    return pattern;
  }

  @Override
  String engine() {
    return "compiled";
  }

  @Override
  void split(byte[] b, int start, int end, IntList ends) {
    Op root = this.root;
    SplitDfa dfa = this.dfa;
    int last = start; // end of the last piece
    int p = start;
    while (p < end) {
      int e = dfa != null ? dfa.match(b, p, end) : root.m(b, start, p, end);
      if (e < 0 || e == p) {
        // No match here, or an empty one, which makes no piece but cuts a Hugging Face gap.
        if (e == p && keepGaps && p > last) {
          ends.add(p);
          last = p;
        }
        p += Utf8.length(b[p]);
        continue;
      }
      if (p > last) ends.add(keepGaps ? p : -p - 1);
      int[] out = ends.a;
      int n = ends.size;
      if (n == out.length) out = ends.grow(n);
      out[n] = e;
      ends.size = n + 1;
      last = p = e;
    }
    if (last < end) ends.add(keepGaps ? end : -end - 1);
  }

  /**
   * The matches as Oniguruma's {@code find_iter} gives them to a Hugging Face {@code Split}:
   * start and end of each, in order, empty ones included except one right where the previous
   * match ended (the iterator skips it to move on). The end of the text is not tried: an empty
   * match there changes no piece whatever the behaviour.
   */
  void matches(byte[] b, int start, int end, IntList out) {
    matches(b, start, end, out, false);
  }

  /**
   * The matches as {@link #matches(byte[], int, int, IntList)}, and, if {@code atEnd}, also an
   * empty match at the end of the text where there is one (Replace inserts its content there).
   */
  void matches(byte[] b, int start, int end, IntList out, boolean atEnd) {
    Op root = this.root;
    SplitDfa dfa = this.dfa;
    int lastEnd = -1;
    int p = start;
    while (p < end || (atEnd && p == end)) {
      int e = dfa != null ? dfa.match(b, p, end) : root.m(b, start, p, end);
      if (e < 0 || (e == p && p == lastEnd)) {
        if (p == end) break;
        p += Utf8.length(b[p]);
        continue;
      }
      out.add(p);
      out.add(e);
      lastEnd = e;
      if (p == end) break;
      p = e > p ? e : p + Utf8.length(b[p]);
    }
  }

  // ---- the class table ----

  /** Class bits of each code point: one bit per distinct set the pattern uses. */
  static final class Tables {
    final int[] ascii = new int[128];
    final char[] index = new char[(UnicodeTable.MAX_CODE_POINT >> 8) + 1];
    int[] blocks;

    /** Class bits of the code point at b[i], which must be in the text. */
    int at(byte[] b, int i) {
      int c = b[i];
      if (c >= 0) return ascii[c];
      int cp = Utf8.codePoint(b, i);
      return blocks[index[cp >> 8] << 8 | (cp & 0xFF)];
    }
  }

  private static final class Compiler {
    private static final int MAX_OPS = 4096;
    private final Map<BitSet, Integer> bits = new HashMap<>();
    private final List<BitSet> sets = new ArrayList<>();
    private int ops;

    /** Gives each distinct set a bit, first-character sets of alternatives too while bits last. */
    void collect(PatternParser.Node n) {
      if (n instanceof PatternParser.Chars) {
        bit(((PatternParser.Chars) n).set, true);
      } else if (n instanceof PatternParser.Seq) {
        for (PatternParser.Node x : ((PatternParser.Seq) n).items) collect(x);
      } else if (n instanceof PatternParser.Alt) {
        for (PatternParser.Node x : ((PatternParser.Alt) n).alts) collect(x);
      } else if (n instanceof PatternParser.Repeat) {
        collect(((PatternParser.Repeat) n).body);
      } else if (n instanceof PatternParser.Look) {
        collect(((PatternParser.Look) n).body);
      } else if (n instanceof PatternParser.Atomic) {
        collect(((PatternParser.Atomic) n).body);
      }
    }

    /** The bit of a set (0 if none is left and it is optional). */
    int bit(BitSet s, boolean required) {
      Integer b = bits.get(s);
      if (b != null) return b;
      if (sets.size() == 32) {
        if (required) throw new PatternParser.Unsupported("more than 32 distinct character sets", 0);
        return 0;
      }
      int v = 1 << sets.size();
      bits.put(s, v);
      sets.add(s);
      return v;
    }

    private Tables tables;

    Tables tables() {
      tables = new Tables();
      return tables;
    }

    /** Builds the lookup once all bits are known (after compiling, which adds first-character sets). */
    private void fill() {
      Tables t = tables;
      int[] all = new int[UnicodeTable.MAX_CODE_POINT + 1];
      for (int k = 0; k < sets.size(); k++) {
        BitSet s = sets.get(k);
        int v = 1 << k;
        for (int a = s.nextSetBit(0); a >= 0; a = s.nextSetBit(a + 1)) all[a] |= v;
      }
      System.arraycopy(all, 0, t.ascii, 0, 128);
      Map<IntArray, Integer> distinct = new HashMap<>();
      List<int[]> blocks = new ArrayList<>();
      for (int blk = 0; blk < t.index.length; blk++) {
        int[] block = Arrays.copyOfRange(all, blk << 8, (blk + 1) << 8);
        Integer id = distinct.get(new IntArray(block));
        if (id == null) {
          id = blocks.size();
          distinct.put(new IntArray(block), id);
          blocks.add(block);
        }
        t.index[blk] = (char) (int) id;
      }
      t.blocks = new int[blocks.size() << 8];
      for (int k = 0; k < blocks.size(); k++) System.arraycopy(blocks.get(k), 0, t.blocks, k << 8, 256);
    }

    Op compile(PatternParser.Node tree, Op next, Tables t) {
      Op root = op(tree, next, t);
      fill();
      return root;
    }

    private Op op(PatternParser.Node n, Op next, Tables t) {
      if (++ops > MAX_OPS) throw new PatternParser.Unsupported("a pattern too large to compile", 0);
      if (n instanceof PatternParser.Chars) {
        return new One(t, bit(((PatternParser.Chars) n).set, true), next);
      }
      if (n instanceof PatternParser.Seq) {
        List<PatternParser.Node> items = ((PatternParser.Seq) n).items;
        Op o = next;
        int k = items.size() - 1;
        while (k >= 0) {
          // A block of single-class runs becomes one op, with a one-character look-ahead after it.
          int lookBit = 0;
          boolean lookNegated = false;
          int blockEnd = k;
          PatternParser.Node x = items.get(k);
          if (x instanceof PatternParser.Look && !((PatternParser.Look) x).behind
              && ((PatternParser.Look) x).body instanceof PatternParser.Chars && k > 0 && simpleRun(items.get(k - 1))) {
            lookBit = bit(((PatternParser.Chars) ((PatternParser.Look) x).body).set, true);
            lookNegated = ((PatternParser.Look) x).negated;
            blockEnd = --k;
          }
          int blockStart = k;
          while (blockStart >= 0 && simpleRun(items.get(blockStart))) blockStart--;
          blockStart++;
          if (blockStart > blockEnd) {
            o = op(items.get(k), o, t);
            k--;
            continue;
          }
          o = runs(items.subList(blockStart, blockEnd + 1), lookBit, lookNegated, o, t);
          k = blockStart - 1;
        }
        return o;
      }
      if (simpleRun(n)) return runs(List.of(n), 0, false, next, t);
      if (n instanceof PatternParser.Alt) {
        List<PatternParser.Node> alts = ((PatternParser.Alt) n).alts;
        Op[] ops = new Op[alts.size()];
        int[] first = new int[alts.size()];
        for (int k = 0; k < ops.length; k++) {
          ops[k] = op(alts.get(k), next, t);
          BitSet f = new BitSet();
          first[k] = first(alts.get(k), f) ? -1 : bit(f, false);
          if (first[k] == 0) first[k] = -1;
        }
        return new Alternatives(t, ops, first);
      }
      if (n instanceof PatternParser.Repeat) return repeat((PatternParser.Repeat) n, next, t);
      if (n instanceof PatternParser.Look) {
        PatternParser.Look l = (PatternParser.Look) n;
        if (l.behind) {
          if (!(l.body instanceof PatternParser.Chars)) throw new PatternParser.Unsupported("a look-behind of more than one character", 0);
          return new Behind(t, bit(((PatternParser.Chars) l.body).set, true), l.negated, next);
        }
        return new Ahead(op(l.body, new Accept(), t), l.negated, next);
      }
      if (n instanceof PatternParser.Atomic) {
        return new AtomicOp(op(((PatternParser.Atomic) n).body, new Accept(), t), next);
      }
      if (n instanceof PatternParser.Anchor) return new AnchorOp(((PatternParser.Anchor) n).kind, next);
      throw new IllegalStateException("unknown node " + n);
    }

    /** A character of a set, or a greedy repetition of one. */
    private static boolean simpleRun(PatternParser.Node n) {
      if (n instanceof PatternParser.Chars) return true;
      return n instanceof PatternParser.Repeat && ((PatternParser.Repeat) n).body instanceof PatternParser.Chars
          && ((PatternParser.Repeat) n).mode == 'g';
    }

    private Op runs(List<PatternParser.Node> block, int lookBit, boolean lookNegated, Op next, Tables t) {
      int n = block.size();
      int[] bits = new int[n];
      int[] min = new int[n];
      int[] max = new int[n];
      for (int k = 0; k < n; k++) {
        PatternParser.Node x = block.get(k);
        if (x instanceof PatternParser.Chars) {
          bits[k] = bit(((PatternParser.Chars) x).set, true);
          min[k] = max[k] = 1;
        } else {
          PatternParser.Repeat r = (PatternParser.Repeat) x;
          bits[k] = bit(((PatternParser.Chars) r.body).set, true);
          min[k] = r.min;
          max[k] = r.max;
        }
      }
      return new Runs(t, bits, min, max, lookBit, lookNegated, next);
    }

    private Op repeat(PatternParser.Repeat r, Op next, Tables t) {
      if (r.body instanceof PatternParser.Chars) {
        int bit = bit(((PatternParser.Chars) r.body).set, true);
        return new Run(t, bit, r.min, r.max, r.mode, next);
      }
      if (r.mode == 'p') {
        return new AtomicOp(op(new PatternParser.Repeat(r.body, r.min, r.max, 'g'), new Accept(), t), next);
      }
      if (r.max == PatternParser.Repeat.UNBOUNDED) throw new PatternParser.Unsupported("an unbounded repeated group", 0);
      if (r.max > 16) throw new PatternParser.Unsupported("a group repeated more than 16 times", 0);
      // X{min,max}: min copies of X, then max - min nested optional copies.
      Op o = next;
      BitSet f = new BitSet();
      int takeFirst = first(r.body, f) ? -1 : bit(f, false);
      if (takeFirst == 0) takeFirst = -1;
      for (int k = r.max - r.min; k > 0; k--) {
        Op take = op(r.body, o, t);
        o = new Alternatives(t, r.mode == 'l' ? new Op[] {next, take} : new Op[] {take, next},
            r.mode == 'l' ? new int[] {-1, takeFirst} : new int[] {takeFirst, -1});
      }
      for (int k = 0; k < r.min; k++) o = op(r.body, o, t);
      return o;
    }

    /**
     * Adds to {@code f} the characters a non-empty match of n can start with; returns whether n can
     * match the empty string (or starts with an assertion), when it must be tried anywhere.
     */
    private static boolean first(PatternParser.Node n, BitSet f) {
      if (n instanceof PatternParser.Chars) {
        f.or(((PatternParser.Chars) n).set);
        return false;
      }
      if (n instanceof PatternParser.Seq) {
        for (PatternParser.Node x : ((PatternParser.Seq) n).items) {
          if (!first(x, f)) return false;
        }
        return true;
      }
      if (n instanceof PatternParser.Alt) {
        boolean nullable = false;
        for (PatternParser.Node x : ((PatternParser.Alt) n).alts) nullable |= first(x, f);
        return nullable;
      }
      if (n instanceof PatternParser.Repeat) {
        PatternParser.Repeat r = (PatternParser.Repeat) n;
        return first(r.body, f) || r.min == 0;
      }
      if (n instanceof PatternParser.Atomic) return first(((PatternParser.Atomic) n).body, f);
      return true; // look-arounds and anchors: be safe
    }
  }

  private static final class IntArray {
    final int[] a;
    final int hash;

    IntArray(int[] a) {
      this.a = a;
      this.hash = Arrays.hashCode(a);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IntArray && Arrays.equals(a, ((IntArray) o).a);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  // ---- the program ----

  /** A node: matches from i and then its continuation; returns the end of the whole match, or -1. */
  abstract static class Op {
    abstract int m(byte[] b, int start, int i, int end);
  }

  static final class Accept extends Op {
    @Override
    int m(byte[] b, int start, int i, int end) {
      return i;
    }
  }

  /** One character of a set. */
  static final class One extends Op {
    private final Tables t;
    private final int bit;
    private final Op next;

    One(Tables t, int bit, Op next) {
      this.t = t;
      this.bit = bit;
      this.next = next;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      if (i >= end || (t.at(b, i) & bit) == 0) return -1;
      return next.m(b, start, i + Utf8.length(b[i]), end);
    }
  }

  /** A set repeated min to max times. */
  static final class Run extends Op {
    private final int[] ascii;
    private final Tables t;
    private final int bit;
    private final int min;
    private final int max;
    private final char mode;
    private final Op next;
    private final boolean last;

    Run(Tables t, int bit, int min, int max, char mode, Op next) {
      this.ascii = t.ascii;
      this.t = t;
      this.bit = bit;
      this.min = min;
      this.max = max;
      this.mode = mode;
      this.next = next;
      this.last = next instanceof Accept;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      if (mode == 'l') return lazy(b, start, i, end);
      int n = 0;
      int j = i;
      int[] ascii = this.ascii;
      int bit = this.bit;
      while (n < max && j < end) {
        int c = b[j];
        if (c >= 0) {
          if ((ascii[c] & bit) == 0) break;
          j++;
        } else {
          if ((t.at(b, j) & bit) == 0) break;
          j += Utf8.length((byte) c);
        }
        n++;
      }
      if (n < min) return -1;
      if (last) return j;
      if (mode == 'p') return next.m(b, start, j, end);
      for (;;) {
        int r = next.m(b, start, j, end);
        if (r >= 0) return r;
        if (n == min) return -1;
        do j--; while ((b[j] & 0xC0) == 0x80);
        n--;
      }
    }

    private int lazy(byte[] b, int start, int i, int end) {
      int j = i;
      int n = 0;
      for (;;) {
        if (n >= min) {
          int r = next.m(b, start, j, end);
          if (r >= 0) return r;
          if (n == max) return -1;
        }
        if (j >= end || (t.at(b, j) & bit) == 0) return -1;
        j += Utf8.length(b[j]);
        n++;
      }
    }
  }

  /**
   * Greedy runs of single classes in sequence, each min to max characters, backtracking among
   * themselves in loops; then, if lookBit is set, a one-character look-ahead; then next.
   */
  static final class Runs extends Op {
    private final int[] ascii;
    private final Tables t;
    private final int[] bits;
    private final int[] min;
    private final int[] max;
    private final int n;
    private final int lookBit;
    private final boolean lookNegated;
    private final Op next;
    private final boolean last;

    Runs(Tables t, int[] bits, int[] min, int[] max, int lookBit, boolean lookNegated, Op next) {
      this.ascii = t.ascii;
      this.t = t;
      this.bits = bits;
      this.min = min;
      this.max = max;
      this.n = bits.length;
      this.lookBit = lookBit;
      this.lookNegated = lookNegated;
      this.next = next;
      this.last = next instanceof Accept;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      return n == 2 ? two(b, start, i, end) : from(b, start, i, end, 0);
    }

    /** {@link #from} for two runs, without the recursive call: the most common form. */
    private int two(byte[] b, int start, int i, int end) {
      int bit0 = bits[0];
      int bit1 = bits[1];
      int j = min[0] == 0 ? i : need(b, i, end, bit0, min[0]);
      if (j < 0) return -1;
      int floor = j;
      j = max[0] == PatternParser.Repeat.UNBOUNDED ? scan(b, j, end, bit0) : scan(b, j, end, bit0, max[0] - min[0]);
      for (;;) {
        int k = min[1] == 0 ? j : need(b, j, end, bit1, min[1]);
        if (k >= 0) {
          int floor1 = k;
          k = max[1] == PatternParser.Repeat.UNBOUNDED ? scan(b, k, end, bit1) : scan(b, k, end, bit1, max[1] - min[1]);
          if (lookBit == 0 && last) return k;
          for (;;) {
            int r = tail(b, start, k, end);
            if (r >= 0) return r;
            if (k == floor1) break;
            do k--; while ((b[k] & 0xC0) == 0x80);
          }
        }
        if (j == floor) return -1;
        do j--; while ((b[j] & 0xC0) == 0x80);
      }
    }

    private int from(byte[] b, int start, int i, int end, int k) {
      int bit = bits[k];
      int j = min[k] == 0 ? i : need(b, i, end, bit, min[k]);
      if (j < 0) return -1;
      int floor = j;
      j = max[k] == PatternParser.Repeat.UNBOUNDED ? scan(b, j, end, bit) : scan(b, j, end, bit, max[k] - min[k]);
      boolean final_ = k == n - 1;
      if (final_ && lookBit == 0 && last) return j;
      for (;;) {
        int r = final_ ? tail(b, start, j, end) : from(b, start, j, end, k + 1);
        if (r >= 0) return r;
        if (j == floor) return -1;
        do j--; while ((b[j] & 0xC0) == 0x80);
      }
    }

    /** After {@code count} characters of the class from j, or -1. */
    private int need(byte[] b, int j, int end, int bit, int count) {
      for (; count > 0; count--) {
        if (j >= end) return -1;
        int c = b[j];
        if (c >= 0) {
          if ((ascii[c] & bit) == 0) return -1;
          j++;
        } else {
          if ((t.at(b, j) & bit) == 0) return -1;
          j += Utf8.length((byte) c);
        }
      }
      return j;
    }

    /** The end of the run of the class from j. */
    private int scan(byte[] b, int j, int end, int bit) {
      int[] ascii = this.ascii;
      while (j < end) {
        int c = b[j];
        if (c >= 0) {
          if ((ascii[c] & bit) == 0) break;
          j++;
        } else {
          if ((t.at(b, j) & bit) == 0) break;
          j += Utf8.length((byte) c);
        }
      }
      return j;
    }

    /** The end of the run of the class from j, at most {@code more} characters. */
    private int scan(byte[] b, int j, int end, int bit, int more) {
      for (; more > 0 && j < end; more--) {
        int c = b[j];
        if (c >= 0) {
          if ((ascii[c] & bit) == 0) break;
          j++;
        } else {
          if ((t.at(b, j) & bit) == 0) break;
          j += Utf8.length((byte) c);
        }
      }
      return j;
    }

    private int tail(byte[] b, int start, int j, int end) {
      if (lookBit != 0) {
        boolean found = j < end && (t.at(b, j) & lookBit) != 0;
        if (found == lookNegated) return -1;
      }
      return last ? j : next.m(b, start, j, end);
    }
  }

  /** Alternatives in order; each tried only where its first character can be (-1: anywhere). */
  static final class Alternatives extends Op {
    private final Tables t;
    private final Op[] alts;
    /** The alternatives that are Runs, called through a call site of one type, which the JIT inlines. */
    private final Runs[] runs;
    private final int[] first;

    Alternatives(Tables t, Op[] alts, int[] first) {
      this.t = t;
      this.alts = alts;
      this.first = first;
      this.runs = new Runs[alts.length];
      for (int k = 0; k < alts.length; k++) if (alts[k] instanceof Runs) runs[k] = (Runs) alts[k];
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      int here = i < end ? t.at(b, i) : 0;
      Op[] alts = this.alts;
      Runs[] runs = this.runs;
      int[] first = this.first;
      for (int k = 0; k < alts.length; k++) {
        if ((here & first[k]) == 0 && first[k] != -1) continue;
        Runs r0 = runs[k];
        int r = r0 != null ? r0.m(b, start, i, end) : alts[k].m(b, start, i, end);
        if (r >= 0) return r;
      }
      return -1;
    }
  }

  static final class Ahead extends Op {
    private final Op body;
    private final boolean negated;
    private final Op next;

    Ahead(Op body, boolean negated, Op next) {
      this.body = body;
      this.negated = negated;
      this.next = next;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      if ((body.m(b, start, i, end) >= 0) == negated) return -1;
      return next.m(b, start, i, end);
    }
  }

  /** A look-behind of one character; the text before {@code start} is not seen. */
  static final class Behind extends Op {
    private final Tables t;
    private final int bit;
    private final boolean negated;
    private final Op next;

    Behind(Tables t, int bit, boolean negated, Op next) {
      this.t = t;
      this.bit = bit;
      this.negated = negated;
      this.next = next;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      boolean found = false;
      if (i > start) {
        int j = i - 1;
        while ((b[j] & 0xC0) == 0x80) j--;
        found = (t.at(b, j) & bit) != 0;
      }
      if (found == negated) return -1;
      return next.m(b, start, i, end);
    }
  }

  static final class AtomicOp extends Op {
    private final Op body;
    private final Op next;

    AtomicOp(Op body, Op next) {
      this.body = body;
      this.next = next;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      int e = body.m(b, start, i, end);
      return e < 0 ? -1 : next.m(b, start, e, end);
    }
  }

  static final class AnchorOp extends Op {
    private final int kind;
    private final Op next;

    AnchorOp(int kind, Op next) {
      this.kind = kind;
      this.next = next;
    }

    @Override
    int m(byte[] b, int start, int i, int end) {
      boolean ok;
      switch (kind) {
        case PatternParser.Anchor.TEXT_START: ok = i == start; break;
        case PatternParser.Anchor.TEXT_END: ok = i == end; break;
        case PatternParser.Anchor.LINE_START: ok = i == start || b[i - 1] == '\n'; break;
        default: ok = i == end || b[i] == '\n'; break;
      }
      return ok ? next.m(b, start, i, end) : -1;
    }
  }
}
