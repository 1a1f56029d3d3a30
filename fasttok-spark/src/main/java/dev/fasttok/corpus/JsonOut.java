package dev.fasttok.corpus;

import java.util.Locale;

/** A small JSON writer: pretty-printed objects and arrays, keys in the order written. */
final class JsonOut {
  private final StringBuilder sb = new StringBuilder();
  private final boolean[] hasItems = new boolean[64];
  private int depth;
  private boolean afterKey;

  JsonOut beginObject() {
    beforeValue();
    sb.append('{');
    hasItems[++depth] = false;
    return this;
  }

  JsonOut endObject() {
    return end('}');
  }

  JsonOut beginArray() {
    beforeValue();
    sb.append('[');
    hasItems[++depth] = false;
    return this;
  }

  JsonOut endArray() {
    return end(']');
  }

  private JsonOut end(char c) {
    boolean items = hasItems[depth--];
    if (items) newline();
    sb.append(c);
    return this;
  }

  JsonOut key(String k) {
    if (hasItems[depth]) sb.append(',');
    newline();
    hasItems[depth] = true;
    string(k);
    sb.append(": ");
    afterKey = true;
    return this;
  }

  private void value() {
    beforeValue();
  }

  private void beforeValue() {
    if (afterKey) {
      afterKey = false;
      return;
    }
    if (depth > 0) {
      if (hasItems[depth]) sb.append(',');
      newline();
      hasItems[depth] = true;
    }
  }

  JsonOut value(String s) {
    value();
    if (s == null) {
      sb.append("null");
    } else {
      string(s);
    }
    return this;
  }

  JsonOut value(long n) {
    value();
    sb.append(n);
    return this;
  }

  JsonOut value(double d) {
    value();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      sb.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      sb.append((long) d);
    } else {
      // Six significant digits: enough for rates and ratios, short to read.
      sb.append(new java.math.BigDecimal(d).round(new java.math.MathContext(6)).stripTrailingZeros().toString());
    }
    return this;
  }

  JsonOut value(boolean b) {
    value();
    sb.append(b);
    return this;
  }

  JsonOut field(String k, String v) {
    return key(k).value(v);
  }

  JsonOut field(String k, long v) {
    return key(k).value(v);
  }

  JsonOut field(String k, double v) {
    return key(k).value(v);
  }

  JsonOut field(String k, boolean v) {
    return key(k).value(v);
  }

  private void newline() {
    sb.append('\n');
    for (int i = 0; i < depth; i++) sb.append("  ");
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return sb.toString() + "\n";
  }
}
