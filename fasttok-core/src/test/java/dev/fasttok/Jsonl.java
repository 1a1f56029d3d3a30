package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the golden JSON-lines files under {@code src/test/resources/golden}: one JSON value per
 * line, either a string literal (documents), an array of non-negative integers (token ids), or a
 * decode case {@code {"ids":[...],"text":"..."}}.
 *
 * <p>Only the JSON these files use is supported, but string literals are read completely: every
 * escape, including {@code \}{@code uXXXX} escapes of lone surrogates, which a Java String keeps
 * as they are.
 */
final class Jsonl {
  private Jsonl() {}

  /** One line of a decode file: token ids and the text tiktoken decodes them to. */
  static final class DecodeCase {
    final int[] ids;
    final String text;

    DecodeCase(int[] ids, String text) {
      this.ids = ids;
      this.text = text;
    }
  }

  /** The documents of a {@code docs/*.jsonl} resource, one per line. */
  static List<String> readStrings(String resource) {
    List<String> lines = readLines(resource);
    List<String> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Parser p = new Parser(lines.get(i), resource, i + 1);
      out.add(p.string());
      p.end();
    }
    return out;
  }

  /** The id arrays of an {@code <encoding>/*.jsonl} resource, one per line. */
  static List<int[]> readIdArrays(String resource) {
    List<String> lines = readLines(resource);
    List<int[]> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Parser p = new Parser(lines.get(i), resource, i + 1);
      out.add(p.intArray());
      p.end();
    }
    return out;
  }

  /** The cases of a {@code decode/<encoding>.jsonl} resource, one per line. */
  static List<DecodeCase> readDecodeCases(String resource) {
    List<String> lines = readLines(resource);
    List<DecodeCase> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Parser p = new Parser(lines.get(i), resource, i + 1);
      out.add(p.decodeCase());
      p.end();
    }
    return out;
  }

  /** Parses one JSON string literal (the whole of {@code json}). */
  static String parseString(String json) {
    Parser p = new Parser(json, "<string>", 1);
    String s = p.string();
    p.end();
    return s;
  }

  /** Parses one JSON array of integers (the whole of {@code json}). */
  static int[] parseIdArray(String json) {
    Parser p = new Parser(json, "<string>", 1);
    int[] a = p.intArray();
    p.end();
    return a;
  }

  /** Parses one JSON array of string literals (the whole of {@code json}). */
  static List<String> parseStringArray(String json) {
    Parser p = new Parser(json, "<string>", 1);
    List<String> a = p.stringArray();
    p.end();
    return a;
  }

  /**
   * The text of a classpath resource (gunzipped if its name ends in .gz) read as strict UTF-8.
   */
  static String read(String resource) {
    byte[] bytes;
    try (InputStream in = Jsonl.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource
            + " (generate it with the scripts in src/test/oracle)");
      }
      bytes = resource.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in).readAllBytes() : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(resource + " is not well-formed UTF-8", e);
    }
  }

  /**
   * The lines of a classpath resource ({@link #read}), split at '\n' only (a JSON line cannot hold
   * a raw '\n', but may hold U+2028 or U+0085, which are not line ends here).
   */
  static List<String> readLines(String resource) {
    String text = read(resource);
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) nl = text.length();
      lines.add(text.substring(start, nl));
      start = nl + 1;
    }
    return lines;
  }

  /** A recursive-descent reader over one line. */
  private static final class Parser {
    private final String s;
    private final String resource;
    private final int line;
    private int i;

    Parser(String s, String resource, int line) {
      this.s = s;
      this.resource = resource;
      this.line = line;
    }

    private IllegalArgumentException error(String what) {
      String near = s.substring(Math.max(0, i - 20), Math.min(s.length(), i + 20));
      return new IllegalArgumentException(resource + ":" + line + ":" + (i + 1) + ": " + what + " near '" + near + "'");
    }

    private void skipSpace() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
        i++;
      }
    }

    private void expect(char c) {
      skipSpace();
      if (i >= s.length() || s.charAt(i) != c) throw error("expected '" + c + "'");
      i++;
    }

    void end() {
      skipSpace();
      if (i != s.length()) throw error("unexpected text after the value");
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) throw error("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c < 0x20) throw error(String.format("raw control character U+%04X in a string", (int) c));
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
            sb.append((char) v); // a lone surrogate stays one
            break;
          }
          default:
            throw error("unknown escape \\" + e);
        }
      }
    }

    List<String> stringArray() {
      expect('[');
      List<String> out = new ArrayList<>();
      skipSpace();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return out;
      }
      while (true) {
        out.add(string());
        skipSpace();
        if (i >= s.length()) throw error("unterminated array");
        char c = s.charAt(i++);
        if (c == ']') return out;
        if (c != ',') throw error("expected ',' or ']'");
      }
    }

    int[] intArray() {
      expect('[');
      skipSpace();
      int[] a = new int[16];
      int n = 0;
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return new int[0];
      }
      while (true) {
        skipSpace();
        int start = i;
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          v = v * 10 + (s.charAt(i) - '0');
          if (v > Integer.MAX_VALUE) throw error("number too large");
          i++;
        }
        if (i == start) throw error("expected a non-negative integer");
        if (n == a.length) a = java.util.Arrays.copyOf(a, n * 2);
        a[n++] = (int) v;
        skipSpace();
        if (i >= s.length()) throw error("unterminated array");
        char c = s.charAt(i++);
        if (c == ']') return java.util.Arrays.copyOf(a, n);
        if (c != ',') throw error("expected ',' or ']'");
      }
    }

    DecodeCase decodeCase() {
      expect('{');
      int[] ids = null;
      String text = null;
      while (true) {
        String key = string();
        expect(':');
        if (key.equals("ids")) {
          ids = intArray();
        } else if (key.equals("text")) {
          text = string();
        } else {
          throw error("unknown key '" + key + "'");
        }
        skipSpace();
        if (i >= s.length()) throw error("unterminated object");
        char c = s.charAt(i++);
        if (c == '}') break;
        if (c != ',') throw error("expected ',' or '}'");
      }
      if (ids == null || text == null) throw error("a decode case needs both \"ids\" and \"text\"");
      return new DecodeCase(ids, text);
    }
  }
}
