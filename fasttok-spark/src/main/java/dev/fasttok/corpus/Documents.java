package dev.fasttok.corpus;

import dev.fasttok.Utf8;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns what the input holds into a document's UTF-8 bytes, and says how: a line of a JSON Lines
 * file that is one JSON string literal (or such a literal inside a JSON object's line, see
 * {@link JsonObjectLine}), or raw bytes (a text line or file, a Parquet value). The result is
 * always well-formed UTF-8: ill-formed bytes become U+FFFD exactly as {@code new String(bytes,
 * UTF_8)} makes them (which is also how fasttok's engine reads them, so the tokens are the same
 * either way), and the document is marked {@link #REPLACED}.
 */
final class Documents {
  private Documents() {}

  /** A document whose bytes were well-formed (or that is NULL or empty). */
  static final int OK = 0;
  /** A document with ill-formed UTF-8, or with escaped lone surrogates, each replaced by U+FFFD. */
  static final int REPLACED = 1;
  /** A NULL document: a JSON {@code null} line, a missing or null field, a NULL value. */
  static final int NULL = 2;
  /** A line that is not what its format says: not one JSON string literal, not one JSON object. */
  static final int MALFORMED = 3;
  /** A line of a JSON Lines file that is empty or only whitespace: not a document. */
  static final int BLANK = 4;
  /** A JSON object line with a key twice in one object: not a document (which value is meant is unknown). */
  static final int DUPLICATE_KEY = 5;
  /** A JSON object line beyond {@link JsonObjectLine}'s limits (nesting, number length): not a document. */
  static final int BEYOND_LIMITS = 6;
  /** A JSON object line whose text field is a number, boolean, array or object: not a document. */
  static final int NOT_STRING = 7;

  private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Whether none of the eight bytes is a quote, a backslash, or 0x80 or above. */
  private static boolean plainAscii(long x) {
    long quote = x ^ 0x2222222222222222L;
    long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
    // A zero byte in quote or backslash (the classic "has a zero byte" test) is a quote or a backslash in x.
    return ((x | ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash)) & HIGH_BITS) == 0;
  }

  /**
   * The result of decoding: the document's bytes (null for a NULL document or a line that is none),
   * a status, and for a JSON object line whose other fields are kept, the line for Spark's JSON reader.
   */
  static final class Decoded {
    final byte[] text;
    final int status;
    final byte[] line;

    Decoded(byte[] text, int status) {
      this(text, status, null);
    }

    Decoded(byte[] text, int status, byte[] line) {
      this.text = text;
      this.status = status;
      this.line = line;
    }
  }

  /** Raw bytes as a document: checked, and repaired if they are not well-formed UTF-8. */
  static Decoded raw(byte[] b) {
    if (b == null) return new Decoded(null, NULL);
    if (Utf8.isWellFormed(b, 0, b.length)) return new Decoded(b, OK);
    return new Decoded(replaceIllFormed(b, b.length), REPLACED);
  }

  /**
   * A JSON Lines line holding one JSON string literal (optionally surrounded by JSON whitespace,
   * with a byte order mark before it): its value as UTF-8. {@code null} is a NULL document; any
   * other line is {@link #MALFORMED}. Control characters in the string are taken as they are.
   */
  static Decoded jsonStringLine(byte[] line) {
    if (line == null) return new Decoded(null, NULL);
    int n = line.length;
    int i = start(line);
    if (i == n) return new Decoded(null, BLANK);
    if (line[i] == 'n' && i + 4 <= n && line[i + 1] == 'u' && line[i + 2] == 'l' && line[i + 3] == 'l'
        && skipWhitespace(line, i + 4, n) == n) {
      return new Decoded(null, NULL);
    }
    if (line[i] != '"') return new Decoded(null, MALFORMED);
    return jsonString(line, i, n);
  }

  /**
   * The value of the JSON string literal that starts at {@code line[from]} (a quote) and ends,
   * but for JSON whitespace, at {@code to}; {@link #MALFORMED} if there is none.
   */
  static Decoded jsonString(byte[] line, int from, int to) {
    int n = to;
    int i = from + 1;
    // Fast path: no escapes, no ill-formed bytes; the value is a slice of the line.
    int start = i;
    boolean wellFormed = true;
    while (i < n) {
      // Eight bytes at a time while they hold no quote, no backslash and no byte >= 0x80.
      while (i + 8 <= n && plainAscii((long) LONGS.get(line, i))) i += 8;
      if (i == n) break;
      int c = line[i] & 0xFF;
      if (c == '"' || c == '\\') break;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len = sequenceLength(line, i, n);
      if (len < 0) {
        wellFormed = false;
        i++;
      } else {
        i += len;
      }
    }
    if (i == n) return new Decoded(null, MALFORMED); // unterminated
    if (line[i] == '"') {
      if (skipWhitespace(line, i + 1, n) != n) return new Decoded(null, MALFORMED);
      byte[] text = Arrays.copyOfRange(line, start, i);
      return wellFormed ? new Decoded(text, OK) : new Decoded(replaceIllFormed(text, text.length), REPLACED);
    }
    // Slow path: escapes. The value is never longer than its literal.
    byte[] out = new byte[n - start];
    int o = i - start;
    System.arraycopy(line, start, out, 0, o);
    boolean loneSurrogate = false;
    while (true) {
      // Runs of plain ASCII: eight bytes at a time (out never gets ahead of line: o <= i - start).
      while (i + 8 <= n) {
        long x = (long) LONGS.get(line, i);
        if (!plainAscii(x)) break;
        LONGS.set(out, o, x);
        o += 8;
        i += 8;
      }
      if (i == n) return new Decoded(null, MALFORMED);
      int c = line[i] & 0xFF;
      if (c == '"') break;
      if (c != '\\') {
        if (c >= 0x80) {
          int len = sequenceLength(line, i, n);
          if (len < 0) {
            wellFormed = false;
            len = 1;
          }
          System.arraycopy(line, i, out, o, len);
          o += len;
          i += len;
        } else {
          out[o++] = (byte) c;
          i++;
        }
        continue;
      }
      if (i + 1 == n) return new Decoded(null, MALFORMED);
      int e = line[i + 1];
      i += 2;
      switch (e) {
        case '"': out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; break;
        case '/': out[o++] = '/'; break;
        case 'b': out[o++] = '\b'; break;
        case 'f': out[o++] = '\f'; break;
        case 'n': out[o++] = '\n'; break;
        case 'r': out[o++] = '\r'; break;
        case 't': out[o++] = '\t'; break;
        case 'u': {
          int u = hex4(line, i, n);
          if (u < 0) return new Decoded(null, MALFORMED);
          i += 4;
          int cp = u;
          if (u >= 0xD800 && u <= 0xDBFF) {
            int low = i + 6 <= n && line[i] == '\\' && line[i + 1] == 'u' ? hex4(line, i + 2, n) : -1;
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
              i += 6;
            } else {
              cp = -1;
            }
          } else if (u >= 0xDC00 && u <= 0xDFFF) {
            cp = -1;
          }
          if (cp < 0) {
            // A lone surrogate: U+FFFD, as tiktoken reads one in a string.
            loneSurrogate = true;
            System.arraycopy(REPLACEMENT, 0, out, o, 3);
            o += 3;
          } else {
            o = putCodePoint(out, o, cp);
          }
          break;
        }
        default:
          return new Decoded(null, MALFORMED);
      }
    }
    if (skipWhitespace(line, i + 1, n) != n) return new Decoded(null, MALFORMED);
    if (!wellFormed) return new Decoded(replaceIllFormed(out, o), REPLACED);
    return new Decoded(o == out.length ? out : Arrays.copyOf(out, o), loneSurrogate ? REPLACED : OK);
  }

  private static int putCodePoint(byte[] out, int o, int cp) {
    if (cp < 0x80) {
      out[o++] = (byte) cp;
    } else if (cp < 0x800) {
      out[o++] = (byte) (0xC0 | cp >> 6);
      out[o++] = (byte) (0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      out[o++] = (byte) (0xE0 | cp >> 12);
      out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
      out[o++] = (byte) (0x80 | cp & 0x3F);
    } else {
      out[o++] = (byte) (0xF0 | cp >> 18);
      out[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
      out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
      out[o++] = (byte) (0x80 | cp & 0x3F);
    }
    return o;
  }

  static int hex4(byte[] b, int i, int n) {
    if (i + 4 > n) return -1;
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int c = b[i + k];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  /** Where a line's JSON starts: after JSON whitespace and a byte order mark (a file's first line may have). */
  static int start(byte[] line) {
    int n = line.length;
    int i = skipWhitespace(line, 0, n);
    if (i + 3 <= n && (line[i] & 0xFF) == 0xEF && (line[i + 1] & 0xFF) == 0xBB && (line[i + 2] & 0xFF) == 0xBF) {
      i = skipWhitespace(line, i + 3, n);
    }
    return i;
  }

  static int skipWhitespace(byte[] b, int i, int n) {
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
    return i;
  }

  /** The first {@code length} bytes of b with each ill-formed sequence replaced, as the JDK's decoder does. */
  static byte[] replaceIllFormed(byte[] b, int length) {
    return new String(b, 0, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
  }

  /** The length of the well-formed multi-byte sequence starting at b[i] (a byte >= 0x80), or -1. */
  private static int sequenceLength(byte[] b, int i, int to) {
    int c = b[i] & 0xFF;
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return -1;
    }
    if (i + n >= to) return -1;
    int b1 = b[i + 1] & 0xFF;
    if (b1 < lo || b1 > hi) return -1;
    for (int k = 2; k <= n; k++) {
      if ((b[i + k] & 0xC0) != 0x80) return -1;
    }
    return n + 1;
  }
}
