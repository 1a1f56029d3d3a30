package dev.fasttok;

import java.util.Arrays;

/**
 * Text as a normalizer left it, with its alignments (as Hugging Face's NormalizedString): for
 * each UTF-16 unit of the normalized text, the byte range {@code [start, end)} of the original
 * UTF-8 text it came from. A character that a normalizer writes in place of another (or adds
 * next to it, as a decomposition's marks or the spaces around a CJK ideograph) takes that
 * character's range, so a token's end in the normalized text maps back to where it ends in the
 * caller's text; both units of a surrogate pair carry the same range.
 *
 * <p>A {@link TextNormalizer} reads one and {@link #append}s to another; the pipeline swaps the
 * two between steps, so that no step allocates once the buffers have grown.
 */
final class NormalizedText implements CharSequence {
  char[] chars = new char[64];
  int[] starts = new int[64];
  int[] ends = new int[64];
  int length;

  void clear() {
    length = 0;
  }

  /** Appends a code point that came from the original bytes {@code [start, end)}. */
  void append(int cp, int start, int end) {
    if (length + 2 > chars.length) {
      int n = Math.max(2 * chars.length, length + 2);
      chars = Arrays.copyOf(chars, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
    }
    if (cp < 0x10000) {
      chars[length] = (char) cp;
      starts[length] = start;
      ends[length++] = end;
    } else {
      chars[length] = Character.highSurrogate(cp);
      chars[length + 1] = Character.lowSurrogate(cp);
      starts[length] = starts[length + 1] = start;
      ends[length] = ends[length + 1] = end;
      length += 2;
    }
  }

  /** Appends the units {@code [from, to)} of another text, with their alignments. */
  void append(NormalizedText t, int from, int to) {
    int n = to - from;
    if (n <= 0) return;
    ensure(length + n);
    System.arraycopy(t.chars, from, chars, length, n);
    System.arraycopy(t.starts, from, starts, length, n);
    System.arraycopy(t.ends, from, ends, length, n);
    length += n;
  }

  /** Room for {@code capacity} units. */
  void ensure(int capacity) {
    if (capacity > chars.length) {
      int n = Math.max(2 * chars.length, capacity);
      chars = Arrays.copyOf(chars, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
    }
  }

  /** Reads well-formed UTF-8 {@code b[from, to)}: each character aligned with its own bytes. */
  void setUtf8(byte[] b, int from, int to) {
    clear();
    // A text has at most as many UTF-16 units as UTF-8 bytes.
    ensure(to - from);
    char[] c = chars;
    int[] s = starts;
    int[] e = ends;
    int n = 0;
    for (int i = from; i < to; ) {
      byte x = b[i];
      if (x >= 0) {
        c[n] = (char) x;
        s[n] = i;
        e[n++] = ++i;
        continue;
      }
      int k = Utf8.length(x);
      int cp = Utf8.codePoint(b, i);
      if (cp < 0x10000) {
        c[n] = (char) cp;
        s[n] = i;
        e[n++] = i + k;
      } else {
        c[n] = Character.highSurrogate(cp);
        c[n + 1] = Character.lowSurrogate(cp);
        s[n] = s[n + 1] = i;
        e[n] = e[n + 1] = i + k;
        n += 2;
      }
      i += k;
    }
    length = n;
  }

  /** The code point starting at unit i. */
  int codePointAt(int i) {
    char c = chars[i];
    if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1])) {
      return Character.toCodePoint(c, chars[i + 1]);
    }
    return c;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    return chars[index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new String(chars, start, end - start);
  }

  @Override
  public String toString() {
    return new String(chars, 0, length);
  }
}
