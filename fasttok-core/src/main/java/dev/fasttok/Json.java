package dev.fasttok;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small JSON reader (RFC 8259) for tokenizer.json files: objects become {@link LinkedHashMap}s
 * in document order (a repeated key keeps its last value, as serde does), arrays
 * {@link ArrayList}s, numbers {@link Long} when integral and in range, else {@link Double},
 * strings {@link String} (escaped lone surrogates are kept as they are), and {@code true},
 * {@code false} and {@code null} as {@link Boolean} and null. Errors name the source, line and
 * column.
 */
final class Json {
  private final String s;
  private final String source;
  private final Set<String> rawPaths;
  private int i;

  private Json(String s, String source, Set<String> rawPaths) {
    this.s = s;
    this.source = source;
    this.rawPaths = rawPaths;
  }

  /** Parses one JSON document (surrounding whitespace allowed). */
  static Object parse(String text, String source) {
    return parse(text, source, Set.of());
  }

  /**
   * Parses one JSON document, leaving the values at the given paths (member names joined by
   * '/', e.g. {@code model/vocab}) as {@link Raw} text, checked but not built: a large
   * vocabulary read member by member ({@link Raw#forEachMember}) never exists as a map of
   * objects, which would cost more in garbage collection than in parsing.
   */
  static Object parse(String text, String source, Set<String> rawPaths) {
    Json p = new Json(text, source, rawPaths);
    // A byte order mark is not JSON, but editors write one.
    if (text.startsWith("\uFEFF")) p.i = 1;
    p.skipSpace();
    Object v = p.value(0, "");
    p.skipSpace();
    if (p.i != text.length()) throw p.error("unexpected text after the JSON value");
    return v;
  }

  /** A JSON value left as text by {@link #parse(String, String, Set)}. */
  static final class Raw {
    private final String text;
    private final String source;
    private final int start;
    private final int end;

    Raw(String text, String source, int start, int end) {
      this.text = text;
      this.source = source;
      this.start = start;
      this.end = end;
    }

    boolean isObject() {
      return text.charAt(start) == '{';
    }

    boolean isArray() {
      return text.charAt(start) == '[';
    }

    /** Calls the visitor with each member of the object, its value parsed, in document order. */
    void forEachMember(java.util.function.BiConsumer<String, Object> visitor) {
      Json p = new Json(text, source, Set.of());
      p.i = start + 1;
      p.skipSpace();
      if (p.s.charAt(p.i) == '}') return;
      while (true) {
        p.skipSpace();
        String key = p.string();
        p.skipSpace();
        p.i++; // ':' (checked when the value was skipped)
        p.skipSpace();
        visitor.accept(key, p.value(1, null));
        p.skipSpace();
        if (p.s.charAt(p.i++) == '}') return;
      }
    }

    /** Calls the visitor with each element of the array, parsed, in order. */
    void forEachElement(java.util.function.Consumer<Object> visitor) {
      Json p = new Json(text, source, Set.of());
      p.i = start + 1;
      p.skipSpace();
      if (p.s.charAt(p.i) == ']') return;
      while (true) {
        p.skipSpace();
        visitor.accept(p.value(1, null));
        p.skipSpace();
        if (p.s.charAt(p.i++) == ']') return;
      }
    }
  }

  private static final int MAX_DEPTH = 512;

  private IllegalArgumentException error(String what) {
    int line = 1;
    int col = 1;
    for (int k = 0; k < i && k < s.length(); k++) {
      if (s.charAt(k) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new IllegalArgumentException(source + ": invalid JSON at line " + line + ", column " + col + ": " + what);
  }

  private void skipSpace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      i++;
    }
  }

  /** The value at i; {@code path}: its path from the root if it is in an object at most two deep, else null. */
  private Object value(int depth, String path) {
    if (depth > MAX_DEPTH) throw error("nested too deeply");
    if (i >= s.length()) throw error("unexpected end of input");
    char c = s.charAt(i);
    if (path != null && rawPaths.contains(path) && (c == '{' || c == '[')) {
      int start = i;
      skip(depth);
      return new Raw(s, source, start, i);
    }
    switch (c) {
      case '{': return object(depth, path);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) throw error("expected " + word);
    i += word.length();
    return v;
  }

  /** Moves past the value at i, checking its syntax, without building it. */
  private void skip(int depth) {
    if (depth > MAX_DEPTH) throw error("nested too deeply");
    if (i >= s.length()) throw error("unexpected end of input");
    char c = s.charAt(i);
    if (c == '"') {
      skipString();
    } else if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      i++;
      skipSpace();
      if (i < s.length() && s.charAt(i) == close) {
        i++;
        return;
      }
      while (true) {
        skipSpace();
        if (c == '{') {
          if (i >= s.length() || s.charAt(i) != '"') throw error("expected a string key");
          skipString();
          skipSpace();
          if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
          i++;
          skipSpace();
        }
        skip(depth + 1);
        skipSpace();
        if (i >= s.length()) throw error(c == '{' ? "unterminated object" : "unterminated array");
        char d = s.charAt(i++);
        if (d == close) return;
        if (d != ',') {
          i--;
          throw error("expected ',' or '" + close + "'");
        }
      }
    } else {
      value(depth, null);
    }
  }

  /** Moves past the string at i, checking its escapes. */
  private void skipString() {
    i++;
    while (true) {
      if (i >= s.length()) throw error("unterminated string");
      char c = s.charAt(i++);
      if (c == '"') return;
      if (c < 0x20) {
        i--;
        throw error(String.format("raw control character U+%04X in a string", (int) c));
      }
      if (c == '\\') {
        if (i >= s.length()) throw error("unterminated escape");
        char e = s.charAt(i++);
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            if (i >= s.length() || Character.digit(s.charAt(i), 16) < 0) throw error("bad \\u escape");
            i++;
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          i--;
          throw error("unknown escape \\" + e);
        }
      }
    }
  }

  private Map<String, Object> object(int depth, String path) {
    i++; // {
    Map<String, Object> m = new LinkedHashMap<>();
    skipSpace();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return m;
    }
    while (true) {
      skipSpace();
      if (i >= s.length() || s.charAt(i) != '"') throw error("expected a string key");
      String key = string();
      skipSpace();
      if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':'");
      i++;
      skipSpace();
      m.put(key, value(depth + 1, path == null || depth >= 2 ? null : path.isEmpty() ? key : path + "/" + key));
      skipSpace();
      if (i >= s.length()) throw error("unterminated object");
      char c = s.charAt(i++);
      if (c == '}') return m;
      if (c != ',') {
        i--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    i++; // [
    List<Object> a = new ArrayList<>();
    skipSpace();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return a;
    }
    while (true) {
      skipSpace();
      a.add(value(depth + 1, null));
      skipSpace();
      if (i >= s.length()) throw error("unterminated array");
      char c = s.charAt(i++);
      if (c == ']') return a;
      if (c != ',') {
        i--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    i++; // opening quote
    int start = i;
    // Fast path: no escapes.
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') return s.substring(start, i++);
      if (c == '\\') break;
      if (c < 0x20) throw error(String.format("raw control character U+%04X in a string", (int) c));
      i++;
    }
    StringBuilder sb = new StringBuilder(s.length() - start < 64 ? 16 : 64).append(s, start, i);
    while (true) {
      if (i >= s.length()) throw error("unterminated string");
      char c = s.charAt(i++);
      if (c == '"') return sb.toString();
      if (c < 0x20) {
        i--;
        throw error(String.format("raw control character U+%04X in a string", (int) c));
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= s.length()) throw error("unterminated escape");
      char e = s.charAt(i++);
      switch (e) {
        case '"': sb.append('"'); break;
        case '\\': sb.append('\\'); break;
        case '/': sb.append('/'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'n': sb.append('\n'); break;
        case 'r': sb.append('\r'); break;
        case 't': sb.append('\t'); break;
        case 'u': {
          if (i + 4 > s.length()) throw error("short \\u escape");
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) throw error("bad \\u escape");
            v = v * 16 + d;
          }
          i += 4;
          sb.append((char) v);
          break;
        }
        default:
          i--;
          throw error("unknown escape \\" + e);
      }
    }
  }

  private Object number() {
    int start = i;
    if (s.charAt(i) == '-') i++;
    if (i >= s.length()) throw error("bad number");
    if (s.charAt(i) == '0') {
      i++;
    } else if (s.charAt(i) >= '1' && s.charAt(i) <= '9') {
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) i++;
    } else {
      throw error("bad number");
    }
    boolean integral = true;
    if (i < s.length() && s.charAt(i) == '.') {
      integral = false;
      i++;
      int digits = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
      if (i == digits) throw error("bad number");
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integral = false;
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      int digits = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
      if (i == digits) throw error("bad number");
    }
    String t = s.substring(start, i);
    if (integral && t.length() <= 18) return Long.parseLong(t);
    return Double.parseDouble(t);
  }
}
