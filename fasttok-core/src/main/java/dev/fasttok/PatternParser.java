package dev.fasttok;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a split pattern into a tree for {@link CompiledSplitter}. The pattern's structure
 * (alternation, groups, quantifiers, anchors, look-arounds) is read here; every atom that matches
 * one character (a literal, a bracket class, {@code \p{..}}, {@code \s}, {@code .}) becomes the
 * set of code points that the splitter's {@code java.util.regex} translation of that atom
 * matches, computed once over all code points: so a class means exactly what it means in
 * {@link RegexSplitter} or {@link HfSplitters.Regex}, whose translations are checked against the
 * oracles. What the compiler does not handle is {@link Unsupported}; the caller then uses
 * {@code java.util.regex}.
 */
final class PatternParser {
  /** Whose syntax: tiktoken's ({@code $} is the end of the text) or Oniguruma's (line anchors). */
  enum Dialect { TIKTOKEN, ONIGURUMA }

  /** A construct the compiler does not handle (back-references, unbounded repeated groups...). */
  static final class Unsupported extends RuntimeException {
    Unsupported(String what, int at) {
      super(what + " at position " + at, null, false, false);
    }
  }

  /** A pattern that is not well formed, with the position (a char index) where it goes wrong. */
  static final class Malformed extends RuntimeException {
    Malformed(String what, int at) {
      super(what + " at position " + at, null, false, false);
    }
  }

  // ---- the tree ----

  abstract static class Node {}

  static final class Alt extends Node {
    final List<Node> alts;

    Alt(List<Node> alts) {
      this.alts = alts;
    }
  }

  static final class Seq extends Node {
    final List<Node> items;

    Seq(List<Node> items) {
      this.items = items;
    }
  }

  /** One code point of a set. */
  static final class Chars extends Node {
    final BitSet set;

    Chars(BitSet set) {
      this.set = set;
    }
  }

  static final class Repeat extends Node {
    static final int UNBOUNDED = Integer.MAX_VALUE;
    final Node body;
    final int min;
    final int max;
    /** 'g' greedy, 'l' lazy, 'p' possessive. */
    final char mode;

    Repeat(Node body, int min, int max, char mode) {
      this.body = body;
      this.min = min;
      this.max = max;
      this.mode = mode;
    }
  }

  static final class Look extends Node {
    final Node body;
    final boolean behind;
    final boolean negated;

    Look(Node body, boolean behind, boolean negated) {
      this.body = body;
      this.behind = behind;
      this.negated = negated;
    }
  }

  static final class Atomic extends Node {
    final Node body;

    Atomic(Node body) {
      this.body = body;
    }
  }

  static final class Anchor extends Node {
    static final int TEXT_START = 0;
    static final int TEXT_END = 1;
    static final int LINE_START = 2;
    static final int LINE_END = 3;
    final int kind;

    Anchor(int kind) {
      this.kind = kind;
    }
  }

  // ---- the parser ----

  private final String p;
  private final Dialect dialect;
  private int i;
  private boolean ignoreCase;

  private PatternParser(String p, Dialect dialect) {
    this.p = p;
    this.dialect = dialect;
  }

  static Node parse(String pattern, Dialect dialect) {
    PatternParser parser = new PatternParser(pattern, dialect);
    Node n = parser.alternation();
    if (parser.i < pattern.length()) throw new Malformed("unmatched ')'", parser.i);
    return n;
  }

  private Node alternation() {
    boolean savedCase = ignoreCase; // an inline (?i) lasts to the end of its group
    List<Node> alts = new ArrayList<>();
    alts.add(sequence());
    while (i < p.length() && p.charAt(i) == '|') {
      i++;
      alts.add(sequence());
    }
    ignoreCase = savedCase;
    return alts.size() == 1 ? alts.get(0) : new Alt(alts);
  }

  private Node sequence() {
    List<Node> items = new ArrayList<>();
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '|' || c == ')') break;
      int atomStart = i;
      Node atom = atom();
      if (atom == null) continue; // an inline flag group
      items.add(quantified(atom, atomStart));
    }
    return items.size() == 1 ? items.get(0) : new Seq(items);
  }

  private Node quantified(Node atom, int atomStart) {
    if (i >= p.length()) return atom;
    char c = p.charAt(i);
    int min;
    int max;
    if (c == '*') {
      min = 0;
      max = Repeat.UNBOUNDED;
      i++;
    } else if (c == '+') {
      min = 1;
      max = Repeat.UNBOUNDED;
      i++;
    } else if (c == '?') {
      min = 0;
      max = 1;
      i++;
    } else if (c == '{') {
      int close = p.indexOf('}', i);
      String body = close < 0 ? "" : p.substring(i + 1, close);
      if (!body.matches("[0-9]{1,6}(,[0-9]{0,6})?")) throw new Unsupported("'{' that is not a counted repetition", i);
      int comma = body.indexOf(',');
      min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
      max = comma < 0 ? min : comma == body.length() - 1 ? Repeat.UNBOUNDED : Integer.parseInt(body.substring(comma + 1));
      if (max < min) throw new Malformed("repetition {" + body + "} with its maximum below its minimum", i);
      i = close + 1;
    } else {
      return atom;
    }
    char mode = 'g';
    if (i < p.length() && p.charAt(i) == '?') {
      mode = 'l';
      i++;
    } else if (i < p.length() && p.charAt(i) == '+') {
      mode = 'p';
      i++;
    }
    if (atom instanceof Look || atom instanceof Anchor) throw new Unsupported("a repeated assertion", atomStart);
    if (i < p.length() && "*+?{".indexOf(p.charAt(i)) >= 0) throw new Unsupported("a repeated repetition", i);
    return new Repeat(atom, min, max, mode);
  }

  /** One atom, or null for an inline flag group such as {@code (?i)}. */
  private Node atom() {
    int start = i;
    char c = p.charAt(i);
    switch (c) {
      case '(':
        return group();
      case '[':
        return new Chars(set(classEnd(i), start));
      case '*': case '+': case '?':
        throw new Malformed("dangling '" + c + "' (nothing to repeat)", i);
      case '{':
        throw new Unsupported("'{' with nothing to repeat", i);
      case '.':
        i++;
        return new Chars(set(i, start));
      case '^':
        i++;
        return new Anchor(dialect == Dialect.ONIGURUMA ? Anchor.LINE_START : Anchor.TEXT_START);
      case '$':
        i++;
        return new Anchor(dialect == Dialect.ONIGURUMA ? Anchor.LINE_END : Anchor.TEXT_END);
      case '\\':
        return escape();
      default:
        i += Character.charCount(p.codePointAt(i));
        return new Chars(set(i, start));
    }
  }

  private Node escape() {
    int start = i;
    if (i + 1 >= p.length()) throw new Malformed("trailing '\\'", i);
    char n = p.charAt(i + 1);
    i += 2;
    switch (n) {
      case 'A':
        return new Anchor(Anchor.TEXT_START);
      case 'z':
        return new Anchor(Anchor.TEXT_END);
      case 'p': case 'P':
        if (i < p.length() && p.charAt(i) == '{') {
          int close = p.indexOf('}', i);
          if (close < 0) throw new Malformed("unclosed \\" + n + "{", start);
          i = close + 1;
        } else {
          if (i >= p.length()) throw new Malformed("\\" + n + " without a property name", start);
          i++;
        }
        return new Chars(set(i, start));
      case 's': case 'S': case 'd': case 'D': case 'w': case 'W': case 'h': case 'H':
      case 't': case 'n': case 'r': case 'f': case 'a': case 'e':
        return new Chars(set(i, start));
      case 'x':
        if (i < p.length() && p.charAt(i) == '{') {
          int close = p.indexOf('}', i);
          if (close < 0) throw new Malformed("unclosed \\x{", start);
          i = close + 1;
        } else {
          i += 2;
        }
        return new Chars(set(Math.min(i, p.length()), start));
      case 'u':
        i += 4;
        return new Chars(set(Math.min(i, p.length()), start));
      default:
        if (Character.isLetterOrDigit(n)) throw new Unsupported("\\" + n, start);
        return new Chars(set(i, start));
    }
  }

  private Node group() {
    int start = i;
    i++;
    boolean savedCase = ignoreCase;
    Node body;
    if (p.startsWith("?", i)) {
      i++;
      if (p.startsWith(":", i)) {
        i++;
        body = alternation();
      } else if (p.startsWith("=", i) || p.startsWith("!", i)) {
        boolean negated = p.charAt(i++) == '!';
        body = new Look(alternation(), false, negated);
      } else if (p.startsWith("<=", i) || p.startsWith("<!", i)) {
        boolean negated = p.charAt(i + 1) == '!';
        i += 2;
        body = new Look(alternation(), true, negated);
      } else if (p.startsWith(">", i)) {
        i++;
        body = new Atomic(alternation());
      } else if (p.startsWith("<", i) || p.startsWith("P<", i)) {
        int close = p.indexOf('>', i);
        if (close < 0) throw new Malformed("unclosed group name", start);
        i = close + 1;
        body = alternation();
      } else {
        // Flags: only i, on or off, for the group or (with ')') for the rest of the enclosing one.
        boolean on = true;
        boolean flag = ignoreCase;
        while (i < p.length() && p.charAt(i) != ':' && p.charAt(i) != ')') {
          char f = p.charAt(i++);
          if (f == '-') on = false;
          else if (f == 'i') flag = on;
          else throw new Unsupported("flag '" + f + "'", i - 1);
        }
        if (i >= p.length()) throw new Malformed("unclosed group", start);
        if (p.charAt(i) == ')') {
          i++;
          ignoreCase = flag;
          return null;
        }
        i++;
        ignoreCase = flag;
        body = alternation();
      }
    } else {
      body = alternation();
    }
    ignoreCase = savedCase;
    if (i >= p.length() || p.charAt(i) != ')') throw new Malformed("unclosed group", start);
    i++;
    return body;
  }

  /** The index after the bracket class that starts at {@code at}, as java.util.regex reads it. */
  private int classEnd(int at) {
    int j = at + 1;
    if (j < p.length() && p.charAt(j) == '^') j++;
    if (j < p.length() && p.charAt(j) == ':') throw new Unsupported("a POSIX bracket", at);
    boolean first = true; // ']' first in a class is a literal
    while (j < p.length()) {
      char c = p.charAt(j);
      if (c == '\\') {
        if (j + 1 < p.length() && (p.charAt(j + 1) == 'Q' || p.charAt(j + 1) == 'E')) throw new Unsupported("\\Q", j);
        if (j + 2 < p.length() && "pPx".indexOf(p.charAt(j + 1)) >= 0 && p.charAt(j + 2) == '{') {
          int close = p.indexOf('}', j);
          if (close < 0) throw new Malformed("unclosed \\" + p.charAt(j + 1) + "{", j);
          j = close + 1;
        } else {
          j += 2;
        }
      } else if (c == '[') {
        j = classEnd(j);
      } else if (c == ']' && !first) {
        i = j + 1;
        return i;
      } else {
        j++;
      }
      first = false;
    }
    throw new Malformed("unclosed character class", at);
  }

  // ---- the sets ----

  private static final Map<String, BitSet> SETS = new ConcurrentHashMap<>();

  /** The code points the atom p[start, end) matches, as the java.util.regex translation reads it. */
  private BitSet set(int end, int start) {
    i = end;
    String atom = p.substring(start, end);
    if (ignoreCase && atom.matches("(?s).*\\\\[pP]\\{(L[ult&C]|Is.*|Lower.*|Upper.*|Title.*)}.*")) {
      throw new Unsupported("a cased property under (?i)", start);
    }
    scriptsAllowed(atom, start);
    String key = dialect.name().charAt(0) + (ignoreCase ? "i" : "-") + atom;
    BitSet s = SETS.get(key);
    if (s == null) {
      s = direct(atom, dialect, ignoreCase);
      if (s == null) s = evaluate(translation(atom, dialect), ignoreCase, start);
      SETS.putIfAbsent(key, s);
    }
    return s;
  }

  private static final Pattern PROPERTY = Pattern.compile("\\\\[pP](?:\\{([^}]*)\\}|(.))");

  /**
   * Refuses script names the dialect does not spell that way (Oniguruma takes no {@code Is}
   * prefix and no {@code Script=}), as its engine does; and scripts under {@code (?i)}, whose
   * case folding is the engine's own, for java.util.regex to approximate.
   */
  private void scriptsAllowed(String atom, int start) {
    Matcher m = PROPERTY.matcher(atom);
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      if (category(name, dialect) != null) continue;
      if (UnicodeScripts.of(name, dialect) != null) {
        if (ignoreCase) throw new Unsupported("a script property under (?i)", start);
      } else if (UnicodeScripts.isScriptSomewhere(name)) {
        throw new Malformed("invalid character property name {" + name + "}", start + m.start());
      }
    }
  }

  /** The java.util.regex text of an atom, as the regex splitters translate it. */
  static String translation(String atom, Dialect dialect) {
    return dialect == Dialect.ONIGURUMA
        ? RegexSplitter.translate(HfSplitters.Regex.fromOniguruma(atom)) : RegexSplitter.translate(atom);
  }

  /**
   * The set of an atom in the common forms (a character, a property, {@code \s}, {@code \d}, a
   * bracket class of those and of ranges, negated or not), built from the tables without a regex;
   * null for any other form. It equals what the translation matches: the tests compare the two.
   */
  static BitSet direct(String atom, Dialect dialect, boolean ignoreCase) {
    int[] pos = {0};
    if (atom.charAt(0) != '[') {
      BitSet s = item(atom, pos, dialect, ignoreCase);
      return s != null && pos[0] == atom.length() ? s : null;
    }
    pos[0] = 1;
    boolean negated = atom.startsWith("^", 1);
    if (negated) pos[0]++;
    BitSet union = new BitSet();
    boolean first = true;
    while (pos[0] < atom.length()) {
      char c = atom.charAt(pos[0]);
      if (c == ']' && !first) break;
      if (c == '[' || c == '&') return null;
      first = false;
      int itemStart = pos[0];
      BitSet s = item(atom, pos, dialect, ignoreCase);
      if (s == null) return null;
      if (pos[0] + 1 < atom.length() && atom.charAt(pos[0]) == '-' && atom.charAt(pos[0] + 1) != ']') {
        // a range: both ends single characters
        int lo = single(atom, itemStart, pos[0]);
        pos[0]++;
        int hiStart = pos[0];
        if (item(atom, pos, dialect, false) == null) return null;
        int hi = single(atom, hiStart, pos[0]);
        if (lo < 0 || hi < 0 || hi < lo || ignoreCase) return null;
        s = new BitSet();
        s.set(lo, hi + 1);
      }
      union.or(s);
    }
    if (pos[0] != atom.length() - 1) return null;
    if (negated) union.flip(0, UnicodeTable.MAX_CODE_POINT + 1);
    return union;
  }

  /** The code point of a literal character item atom[from, to), or -1 if it is not one. */
  private static int single(String atom, int from, int to) {
    String t = atom.substring(from, to);
    if (t.codePointCount(0, t.length()) == 1 && t.charAt(0) != '\\') return t.codePointAt(0);
    if (t.length() == 2 && t.charAt(0) == '\\') {
      int e = "tnrfae".indexOf(t.charAt(1));
      if (e >= 0) return "\t\n\r\f\u0007\u001b".charAt(e);
      if (!Character.isLetterOrDigit(t.charAt(1))) return t.charAt(1);
    }
    if (t.startsWith("\\x{") && t.endsWith("}")) return Integer.parseInt(t.substring(3, t.length() - 1), 16);
    if (t.startsWith("\\u") && t.length() == 6) return Integer.parseInt(t.substring(2), 16);
    return -1;
  }

  /** One item at atom[pos]: a character or a class escape; advances pos; null if another form. */
  private static BitSet item(String atom, int[] pos, Dialect dialect, boolean ignoreCase) {
    int at = pos[0];
    char c = atom.charAt(at);
    if (c != '\\') {
      int cp = atom.codePointAt(at);
      pos[0] += Character.charCount(cp);
      if (dialect == Dialect.ONIGURUMA && c == '.' && atom.length() == 1) return null;
      if (atom.length() == 1 && (c == '.' || c == '^' || c == '$')) return null;
      return literal(cp, ignoreCase);
    }
    if (at + 1 >= atom.length()) return null;
    char n = atom.charAt(at + 1);
    pos[0] += 2;
    switch (n) {
      case 's': case 'S': {
        BitSet s = ranges(UnicodeClasses.table().whiteSpace);
        if (n == 'S') s.flip(0, UnicodeTable.MAX_CODE_POINT + 1);
        return s;
      }
      case 'd': case 'D': {
        BitSet s = category("Nd", dialect);
        if (s == null) return null;
        if (n == 'D') s.flip(0, UnicodeTable.MAX_CODE_POINT + 1);
        return s;
      }
      case 'p': case 'P': {
        String name;
        if (pos[0] < atom.length() && atom.charAt(pos[0]) == '{') {
          int close = atom.indexOf('}', pos[0]);
          if (close < 0) return null;
          name = atom.substring(pos[0] + 1, close);
          pos[0] = close + 1;
        } else {
          if (pos[0] >= atom.length()) return null;
          name = String.valueOf(atom.charAt(pos[0]++));
        }
        if (ignoreCase && name.startsWith("L")) return null;
        BitSet s = category(name, dialect);
        if (s == null && !ignoreCase) s = UnicodeScripts.of(name, dialect);
        if (s == null) return null;
        if (n == 'P') s.flip(0, UnicodeTable.MAX_CODE_POINT + 1);
        return s;
      }
      default: {
        pos[0] = at;
        // a character escape (t, n, r, f, a, e, x, u) or an escaped symbol
        int end = at + 2;
        if (n == 'x' && at + 2 < atom.length() && atom.charAt(at + 2) == '{') {
          end = atom.indexOf('}', at) + 1;
          if (end == 0) return null;
        } else if (n == 'x') {
          end = at + 4;
        } else if (n == 'u') {
          end = at + 6;
        }
        if (end > atom.length()) return null;
        int cp;
        try {
          cp = single(atom, at, end);
        } catch (NumberFormatException e) {
          return null;
        }
        if (cp < 0) return null;
        pos[0] = end;
        return literal(cp, ignoreCase);
      }
    }
  }

  /** A character; under (?i) every character java.util.regex's UNICODE_CASE matches for it. */
  private static BitSet literal(int cp, boolean ignoreCase) {
    BitSet s = new BitSet();
    s.set(cp);
    if (!ignoreCase) return s;
    int lower = Character.toLowerCase(Character.toUpperCase(cp));
    if (lower == Character.toUpperCase(cp)) return s; // no case: matched as itself
    for (int c = 0; c <= UnicodeTable.MAX_CODE_POINT; c++) {
      if (c == lower || Character.toLowerCase(Character.toUpperCase(c)) == lower) s.set(c);
    }
    return s;
  }

  private static final Map<String, BitSet> CATEGORIES = new ConcurrentHashMap<>();

  /**
   * A general category or group: L, M, N and theirs from fasttok's table; P, S and theirs as the
   * JDK has them, plus (Oniguruma) what Unicode 14 to 16 added; null for other names (scripts
   * are {@link UnicodeScripts}).
   */
  private static BitSet category(String name, Dialect dialect) {
    String key = dialect.name().charAt(0) + name;
    BitSet cached = CATEGORIES.get(key);
    if (cached != null) return (BitSet) cached.clone();
    BitSet s = new BitSet();
    if ((name.length() == 1 && "LMN".contains(name)) || UnicodeClasses.table().categories.containsKey(name)) {
      for (Map.Entry<String, List<int[]>> e : UnicodeClasses.table().categories.entrySet()) {
        if (e.getKey().startsWith(name)) s.or(ranges(e.getValue()));
      }
    } else if (name.matches("[PS][a-z]?") && "P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So".contains(name)) {
      s = new PatternParser("\\p{" + name + "}", Dialect.TIKTOKEN).evaluate("\\p{" + name + "}", false, 0);
      if (dialect == Dialect.ONIGURUMA) {
        String more = translation("[\\p{" + name + "}]", Dialect.ONIGURUMA);
        // the ranges the Oniguruma rewrite adds: \x{a}-\x{b} or \x{a}
        Matcher m = Pattern.compile("\\\\x\\{([0-9a-f]+)\\}(?:-\\\\x\\{([0-9a-f]+)\\})?").matcher(more);
        while (m.find()) {
          int lo = Integer.parseInt(m.group(1), 16);
          int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2), 16);
          s.set(lo, hi + 1);
        }
      }
    } else {
      return null;
    }
    CATEGORIES.putIfAbsent(key, s);
    return (BitSet) s.clone();
  }

  private static BitSet ranges(List<int[]> ranges) {
    BitSet s = new BitSet();
    for (int[] r : ranges) s.set(r[0], r[1] + 1);
    return s;
  }

  /**
   * Every code point but the surrogates, in order, as one string: a regex that matches runs of
   * an atom finds its set with one scan.
   */
  private static final class AllCodePoints {
    static final String TEXT;

    static {
      StringBuilder sb = new StringBuilder(0x110000 * 2);
      for (int cp = 0; cp <= UnicodeTable.MAX_CODE_POINT; cp++) {
        if (cp < 0xD800 || cp > 0xDFFF) sb.appendCodePoint(cp);
      }
      TEXT = sb.toString();
    }

    static int codePointAt(int index) {
      if (index < 0xD800) return index;
      if (index < 0x10000 - 0x800) return index + 0x800;
      return 0x10000 + (index - (0x10000 - 0x800)) / 2;
    }
  }

  /** The set of an atom through its java.util.regex translation. */
  static BitSet viaRegex(String atom, Dialect dialect, boolean ignoreCase) {
    return new PatternParser(atom, dialect).evaluate(translation(atom, dialect), ignoreCase, 0);
  }

  private BitSet evaluate(String translated, boolean ci, int at) {
    Pattern run;
    try {
      int flags = Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS | (ci ? Pattern.CASE_INSENSITIVE : 0);
      run = Pattern.compile("(?:" + translated + ")+", flags);
    } catch (IllegalArgumentException e) {
      throw new Malformed("invalid " + p.substring(at, i) + " (" + e.getMessage().split("\\R")[0] + ")", at);
    }
    BitSet s = new BitSet(UnicodeTable.MAX_CODE_POINT + 1);
    Matcher m = run.matcher(AllCodePoints.TEXT);
    while (m.find()) {
      s.set(AllCodePoints.codePointAt(m.start()), AllCodePoints.codePointAt(m.end() - 1) + 1);
    }
    return s;
  }
}
