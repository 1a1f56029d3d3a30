package dev.fasttok.corpus;

import dev.fasttok.Utf8;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A line of a JSON Lines file that should hold one JSON object, checked against JSON's grammar
 * (RFC 8259) in one pass over its bytes, and its text field found. Each line is judged on its own
 * (nothing is inferred over the whole corpus), so no line can stop the job:
 *
 * <ul>
 *   <li>a key twice in one object, at any depth: {@link Documents#DUPLICATE_KEY} (which value is
 *       meant is unknown);
 *   <li>nesting deeper than {@link #MAX_DEPTH} levels or a number longer than
 *       {@link #MAX_NUMBER_LENGTH} characters: {@link Documents#BEYOND_LIMITS}. Jackson (and so
 *       Spark's JSON reader) allows 1,000 levels, but Spark's schema inference overflows the stack
 *       on types a few hundred levels deep and the job hangs; the limits apply whatever the output
 *       format, so that a line is a document or not whatever is written;
 *   <li>anything else that is not one JSON object (bytes after it, an invalid escape, a NUL byte
 *       outside a string): {@link Documents#MALFORMED}.
 * </ul>
 *
 * The text field is the top-level key equal to the text column's name, case included (a key that
 * differs in case is another field): missing or null, a NULL document; a number, boolean, array
 * or object, {@link Documents#NOT_STRING}; a string, read by {@link Documents#jsonString} (ill-formed
 * UTF-8 and escaped lone surrogates as U+FFFD). Strings may hold raw control characters, as in the
 * one-string-per-line form. A line may start with a byte order mark.
 */
final class JsonObjectLine {
  static final int MAX_DEPTH = 100;
  static final int MAX_NUMBER_LENGTH = 1000;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private final byte[] b;
  private final int n;
  private final String textKey;
  private int i;
  private int failure;
  /** Whether the string scanned last holds an escape. */
  private boolean escaped;
  /** The text field's value, {@code b[textFrom, textTo)}; textFrom -1 if there is none. */
  private int textFrom = -1;
  private int textTo;
  /** The top-level object's keys, in order. */
  final Set<String> keys = new LinkedHashSet<>();

  JsonObjectLine(byte[] line, String textKey) {
    this.b = line;
    this.n = line.length;
    this.textKey = textKey;
  }

  /**
   * A line as a document: its text (null but for OK and REPLACED) and status, and with
   * {@code forSpark}, for documents, the line as Spark's JSON reader can read it (no byte order
   * mark, ill-formed UTF-8 replaced).
   */
  static Documents.Decoded read(byte[] line, String textKey, boolean forSpark) {
    if (line == null) return new Documents.Decoded(null, Documents.NULL);
    JsonObjectLine p = new JsonObjectLine(line, textKey);
    int status = p.parse();
    if (status != Documents.OK && status != Documents.NULL) return new Documents.Decoded(null, status);
    byte[] clean = forSpark ? p.clean() : null;
    if (status == Documents.NULL) return new Documents.Decoded(null, Documents.NULL, clean);
    Documents.Decoded text = Documents.jsonString(line, p.textFrom, p.textTo);
    return new Documents.Decoded(text.text, text.status, clean);
  }

  /**
   * Checks the line: {@link Documents#OK} (the text field is a string), {@link Documents#NULL}
   * (missing or null) or why it is no document.
   */
  int parse() {
    i = Documents.start(b);
    if (i == n) return Documents.BLANK;
    if (b[i] != '{') return Documents.MALFORMED;
    if (!value(0)) return failure;
    if (Documents.skipWhitespace(b, i, n) != n) return Documents.MALFORMED;
    if (textFrom < 0 || b[textFrom] == 'n') return Documents.NULL;
    return b[textFrom] == '"' ? Documents.OK : Documents.NOT_STRING;
  }

  /** Whether the line has the text field (of any type, null included); after {@link #parse}. */
  boolean hasTextField() {
    return textFrom >= 0;
  }

  private byte[] clean() {
    int s = Documents.start(b);
    byte[] line = s == 0 ? b : Arrays.copyOfRange(b, s, n);
    return Utf8.isWellFormed(line, 0, line.length) ? line : Documents.replaceIllFormed(line, line.length);
  }

  private boolean fail(int status) {
    failure = status;
    return false;
  }

  private boolean value(int depth) {
    if (i >= n) return fail(Documents.MALFORMED);
    switch (b[i]) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal(TRUE);
      case 'f':
        return literal(FALSE);
      case 'n':
        return literal(NULL);
      default:
        return number();
    }
  }

  private boolean object(int depth) {
    if (depth > MAX_DEPTH) return fail(Documents.BEYOND_LIMITS);
    i = Documents.skipWhitespace(b, i + 1, n);
    if (i < n && b[i] == '}') {
      i++;
      return true;
    }
    Set<String> seen = depth == 1 ? keys : new HashSet<>();
    while (true) {
      if (i >= n || b[i] != '"') return fail(Documents.MALFORMED);
      int k = i;
      if (!string()) return false;
      String key = key(k, i);
      if (!seen.add(key)) return fail(Documents.DUPLICATE_KEY);
      i = Documents.skipWhitespace(b, i, n);
      if (i >= n || b[i] != ':') return fail(Documents.MALFORMED);
      i = Documents.skipWhitespace(b, i + 1, n);
      int v = i;
      if (!value(depth)) return false;
      if (depth == 1 && key.equals(textKey)) {
        textFrom = v;
        textTo = i;
      }
      i = Documents.skipWhitespace(b, i, n);
      if (i < n && b[i] == ',') {
        i = Documents.skipWhitespace(b, i + 1, n);
      } else if (i < n && b[i] == '}') {
        i++;
        return true;
      } else {
        return fail(Documents.MALFORMED);
      }
    }
  }

  private boolean array(int depth) {
    if (depth > MAX_DEPTH) return fail(Documents.BEYOND_LIMITS);
    i = Documents.skipWhitespace(b, i + 1, n);
    if (i < n && b[i] == ']') {
      i++;
      return true;
    }
    while (true) {
      if (!value(depth)) return false;
      i = Documents.skipWhitespace(b, i, n);
      if (i < n && b[i] == ',') {
        i = Documents.skipWhitespace(b, i + 1, n);
      } else if (i < n && b[i] == ']') {
        i++;
        return true;
      } else {
        return fail(Documents.MALFORMED);
      }
    }
  }

  /** A key as a string (escapes decoded), to compare with others and with the text column's name. */
  private String key(int from, int to) {
    if (!escaped) return new String(b, from + 1, to - from - 2, StandardCharsets.UTF_8);
    return new String(Documents.jsonString(b, from, to).text, StandardCharsets.UTF_8);
  }

  /** Whether one of the eight bytes is a quote or a backslash. */
  private static boolean quoteOrBackslash(long x) {
    long quote = x ^ 0x2222222222222222L;
    long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
    return ((((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash)) & HIGH_BITS) != 0;
  }

  private boolean string() {
    escaped = false;
    int j = i + 1;
    while (true) {
      while (j + 8 <= n && !quoteOrBackslash((long) LONGS.get(b, j))) j += 8;
      if (j >= n) return fail(Documents.MALFORMED);
      byte c = b[j];
      if (c == '"') {
        i = j + 1;
        return true;
      }
      if (c != '\\') {
        j++;
        continue;
      }
      escaped = true;
      if (j + 1 >= n) return fail(Documents.MALFORMED);
      switch (b[j + 1]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          j += 2;
          break;
        case 'u':
          if (Documents.hex4(b, j + 2, n) < 0) return fail(Documents.MALFORMED);
          j += 6;
          break;
        default:
          return fail(Documents.MALFORMED);
      }
    }
  }

  private boolean literal(byte[] word) {
    if (i + word.length > n) return fail(Documents.MALFORMED);
    for (int k = 0; k < word.length; k++) {
      if (b[i + k] != word[k]) return fail(Documents.MALFORMED);
    }
    i += word.length;
    return true;
  }

  private boolean number() {
    int start = i;
    if (b[i] == '-') i++;
    if (i < n && b[i] == '0') {
      i++;
    } else if (i < n && b[i] >= '1' && b[i] <= '9') {
      i = digits(i);
    } else {
      return fail(Documents.MALFORMED);
    }
    if (i < n && b[i] == '.') {
      int d = digits(i + 1);
      if (d == i + 1) return fail(Documents.MALFORMED);
      i = d;
    }
    if (i < n && (b[i] == 'e' || b[i] == 'E')) {
      int j = i + 1;
      if (j < n && (b[j] == '+' || b[j] == '-')) j++;
      int d = digits(j);
      if (d == j) return fail(Documents.MALFORMED);
      i = d;
    }
    return i - start <= MAX_NUMBER_LENGTH || fail(Documents.BEYOND_LIMITS);
  }

  private int digits(int j) {
    while (j < n && b[j] >= '0' && b[j] <= '9') j++;
    return j;
  }
}
