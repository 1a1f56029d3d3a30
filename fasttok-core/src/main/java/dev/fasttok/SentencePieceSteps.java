package dev.fasttok;

/**
 * The SentencePiece-style normalizers (Prepend, Replace, Precompiled) as
 * steps of the component pipeline. The standalone normalizers align their output to UTF-16
 * indices of their input; here each output unit takes the byte range of the input unit it came
 * from, so that alignments compose through every step back to the caller's bytes
 * ({@link NormalizedText}).
 */
final class SentencePieceSteps {
  private SentencePieceSteps() {}

  /** Prepend: the string before a non-empty text, aligned with the text's first character. */
  static TextNormalizer prepend(String prepend) {
    return (in, out) -> {
      if (in.length == 0) return;
      for (int k = 0; k < prepend.length(); ) {
        int cp = prepend.codePointAt(k);
        out.append(cp, in.starts[0], in.ends[0]);
        k += Character.charCount(cp);
      }
      out.append(in, 0, in.length);
    };
  }

  /**
   * Replace with a string pattern of one character (other patterns go through
   * {@link #replaceRegex}, which aligns a longer match as tokenizers does): each replacement takes
   * the range of the character it replaces.
   */
  static TextNormalizer replace(String pattern, String content) {
    if (pattern.codePointCount(0, pattern.length()) != 1) {
      throw new IllegalArgumentException("not one character: \"" + pattern + "\"");
    }
    // As String.indexOf finds them (left to right, without overlap), on the text's own array;
    // each replacement is aligned with the first unit of its match.
    char first = pattern.charAt(0);
    return (in, out) -> {
      char[] c = in.chars;
      int last = in.length - pattern.length();
      int copied = 0;
      for (int i = copied; i <= last; ) {
        if (c[i] != first || !matches(c, i, pattern)) {
          i++;
          continue;
        }
        out.append(in, copied, i);
        for (int k = 0; k < content.length(); ) {
          int cp = content.codePointAt(k);
          out.append(cp, in.starts[i], in.ends[i]);
          k += Character.charCount(cp);
        }
        i += pattern.length();
        copied = i;
      }
      out.append(in, copied, in.length);
    };
  }

  private static boolean matches(char[] c, int at, String pattern) {
    for (int k = 1; k < pattern.length(); k++) if (c[at + k] != pattern.charAt(k)) return false;
    return true;
  }

  /**
   * Replace with any regex (a String pattern is its escaped regex, as in tokenizers): each match
   * of Oniguruma's {@code find_iter} (leftmost, without overlap, an empty match included but not
   * one right where the previous match ended, the end of the text included) becomes
   * {@code content}. tokenizers aligns the content with the character before the match's end
   * (the last character of a non-empty match), or with the empty range at the start of the text
   * for an empty match there.
   *
   * @param matcher the regex ({@link HfSplitters#forRegex})
   */
  static TextNormalizer replaceRegex(Splitter matcher, String content) {
    return (in, out) -> {
      if (in.length == 0) return;
      byte[] b = new byte[3 * in.length];
      int[] unit = new int[b.length + 1];
      int n = HfSplitters.utf8(in, 0, in.length, b, unit);
      IntList m = new IntList(16);
      HfSplitters.matches(matcher, b, 0, n, m, new IntList(0), true);
      int origin = in.starts[0];
      int copied = 0;
      for (int i = 0; i < m.size; i += 2) {
        int from = unit[m.a[i]];
        int to = unit[m.a[i + 1]];
        out.append(in, copied, from);
        int start = to == 0 ? origin : in.starts[to - 1];
        int end = to == 0 ? origin : in.ends[to - 1];
        for (int k = 0; k < content.length(); ) {
          int cp = content.codePointAt(k);
          out.append(cp, start, end);
          k += Character.charCount(cp);
        }
        copied = to;
      }
      out.append(in, copied, in.length);
    };
  }

  /** A text with every match of the regex (as {@link #replaceRegex} finds them) replaced by {@code content}. */
  static String replaceAll(Splitter matcher, String text, String content) {
    if (text.isEmpty()) return text;
    byte[] b = new byte[3 * text.length()];
    int[] unit = new int[b.length + 1];
    int n = HfSplitters.utf8(text, 0, text.length(), b, unit);
    IntList m = new IntList(16);
    HfSplitters.matches(matcher, b, 0, n, m, new IntList(0), true);
    if (m.size == 0) return text;
    StringBuilder sb = new StringBuilder(text.length() + 16);
    int copied = 0;
    for (int i = 0; i < m.size; i += 2) {
      sb.append(text, copied, unit[m.a[i]]).append(content);
      copied = unit[m.a[i + 1]];
    }
    return sb.append(text, copied, text.length()).toString();
  }

  /**
   * Replace with a regex that is one literal character repeated at least {@code min} times
   * (SentencePiece converters' {@code " {2,}"}): each longest run of it becomes {@code content},
   * aligned, as tokenizers' replace aligns it, with the last character of the run.
   */
  static TextNormalizer replaceRuns(int c, int min, String content) {
    return (in, out) -> {
      if (c <= 0xFFFF && !Character.isSurrogate((char) c)) {
        // Runs of one unit: the text between them copied whole.
        char[] chars = in.chars;
        int copied = 0;
        for (int i = 0; i < in.length; ) {
          if (chars[i] != c) {
            i++;
            continue;
          }
          int j = i + 1;
          while (j < in.length && chars[j] == c) j++;
          if (j - i >= min) {
            out.append(in, copied, i);
            for (int k = 0; k < content.length(); ) {
              int cp = content.codePointAt(k);
              out.append(cp, in.starts[j - 1], in.ends[j - 1]);
              k += Character.charCount(cp);
            }
            copied = j;
          }
          i = j;
        }
        out.append(in, copied, in.length);
        return;
      }
      for (int i = 0; i < in.length; ) {
        int j = i;
        int count = 0;
        int last = i;
        while (j < in.length && in.codePointAt(j) == c) {
          last = j;
          j += Character.charCount(c);
          count++;
        }
        if (count >= min) {
          for (int k = 0; k < content.length(); ) {
            int cp = content.codePointAt(k);
            out.append(cp, in.starts[last], in.ends[last]);
            k += Character.charCount(cp);
          }
          i = j;
        } else if (count > 0) {
          out.append(in, i, j);
          i = j;
        } else {
          int n = Character.charCount(in.codePointAt(i));
          out.append(in, i, i + n);
          i += n;
        }
      }
    };
  }

  /**
   * The character and minimum count of a regex that is one literal character (or an escaped
   * one) followed by {@code {n,}} or {@code +}, else null.
   */
  static int[] literalRun(String regex) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("(?s)(\\\\[^A-Za-z0-9]|[^\\\\.^$|?*+()\\[\\]{}])(?:\\{([0-9]{1,4}),\\}|(\\+))").matcher(regex);
    if (!m.matches()) return null;
    String ch = m.group(1);
    int c = ch.codePointAt(ch.length() == 2 && ch.charAt(0) == '\\' ? 1 : 0);
    int min = m.group(3) != null ? 1 : Integer.parseInt(m.group(2));
    return min >= 1 ? new int[] {c, min} : null;
  }

  /**
   * Precompiled: a character tokenizers aligns with the empty range at the input's start takes
   * the empty range at the first byte of this text.
   */
  static TextNormalizer precompiled(PrecompiledNormalizer p) {
    return (in, out) -> {
      if (p.keeps(in.chars, 0, in.length)) {
        out.append(in, 0, in.length);
        return;
      }
      // Between two kept characters there is always a cluster boundary, no key spans it and the
      // count of characters consumed is in step (except after a removal at the very start), so
      // the text is normalized in parts: each run of kept characters is copied, and each text
      // between runs goes through the charsmap with the kept character before it as its first,
      // which takes what a removal right after it charges to the character before.
      char[] c = in.chars;
      int n = in.length;
      int part = 0;
      for (int i = 0; i + 1 < n; i++) {
        if (!p.kept(c[i]) || !p.kept(c[i + 1])) continue;
        int j = i + 2;
        while (j < n && p.kept(c[j])) j++;
        // The run [i, j): the part before ends with i, the next one starts with j - 1.
        if (!precompiledPart(p, in, part, i + 1, out)) {
          out.clear();
          copy(in, 0, p.normalize(in.toString()), out);
          return;
        }
        out.append(in, i + 1, j - 1);
        part = j - 1;
        i = j - 2;
      }
      if (!precompiledPart(p, in, part, n, out)) {
        out.clear();
        copy(in, 0, p.normalize(in.toString()), out);
      }
    };
  }

  /**
   * Normalizes in[from, to) and appends it; false (having appended it) if it is the first part
   * and a removal at its start left the rest shifted, which every later part would inherit.
   */
  private static boolean precompiledPart(PrecompiledNormalizer p, NormalizedText in, int from, int to,
      NormalizedText out) {
    if (p.keeps(in.chars, from, to)) {
      out.append(in, from, to);
      return true;
    }
    PrecompiledNormalizer.Normalized n = p.normalize(java.nio.CharBuffer.wrap(in.chars, from, to - from));
    copy(in, from, n, out);
    return from > 0 || to == in.length || !n.shifted;
  }

  /** Appends a normalized part that started at unit {@code from} of {@code in}. */
  private static void copy(NormalizedText in, int from, PrecompiledNormalizer.Normalized n, NormalizedText out) {
    int origin = in.length == 0 ? 0 : in.starts[0];
    for (int i = 0; i < n.text.length(); ) {
      int cp = n.text.codePointAt(i);
      int s = n.sources[i];
      if (s < 0) out.append(cp, origin, origin);
      else out.append(cp, in.starts[from + s], in.ends[from + s]);
      i += Character.charCount(cp);
    }
  }
}
