package dev.fasttok;

/**
 * The normalizers of the component pipeline, each as Hugging Face tokenizers 0.23 applies it,
 * with the character classes of {@link BertUnicode}. BertNormalizer is not a class of its own:
 * the reader ({@link ComponentJson}) makes it the steps it runs in order (clean_text, then
 * handle_chinese_chars, then strip_accents as NFD without nonspacing marks, then lowercase), and
 * flattens a Sequence into its members, so the pipeline only ever runs a flat list of steps.
 */
final class Normalizers {
  private Normalizers() {}

  /** BertNormalizer's clean_text: control characters (and NUL, U+FFFD) dropped, whitespace made a space. */
  static final TextNormalizer CLEAN_TEXT = (in, out) -> {
    for (int i = 0; i < in.length; ) {
      int cp = in.codePointAt(i);
      int n = Character.charCount(cp);
      int f = BertUnicode.of(cp);
      if ((f & BertUnicode.CONTROL) == 0) {
        if ((f & BertUnicode.WHITESPACE) != 0) out.append(' ', in.starts[i], in.ends[i]);
        else out.append(in, i, i + n);
      }
      i += n;
    }
  };

  /** BertNormalizer's handle_chinese_chars: a space on each side of every CJK ideograph. */
  static final TextNormalizer CHINESE_CHARS = (in, out) -> {
    for (int i = 0; i < in.length; ) {
      int cp = in.codePointAt(i);
      int n = Character.charCount(cp);
      if ((BertUnicode.of(cp) & BertUnicode.CJK) != 0) {
        out.append(' ', in.starts[i], in.ends[i]);
        out.append(in, i, i + n);
        out.append(' ', in.starts[i], in.ends[i]);
      } else {
        out.append(in, i, i + n);
      }
      i += n;
    }
  };

  /** Lowercase (and BertNormalizer's lowercase): Rust's char::to_lowercase of each character. */
  static final TextNormalizer LOWERCASE = (in, out) -> {
    for (int i = 0; i < in.length; ) {
      int cp = in.codePointAt(i);
      if (cp < 0x80) {
        // ASCII lowercases to ASCII, one letter each; no table lookup on the common path.
        out.append(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp, in.starts[i], in.ends[i]);
        i++;
        continue;
      }
      int n = Character.charCount(cp);
      int[] lower = BertUnicode.lower(cp);
      if (lower == null) {
        out.append(in, i, i + n);
      } else {
        for (int c : lower) out.append(c, in.starts[i], in.ends[i]);
      }
      i += n;
    }
  };

  /** StripAccents: combining marks dropped (no decomposition of its own; a file puts NFD before it). */
  static final TextNormalizer STRIP_ACCENTS = (in, out) -> {
    for (int i = 0; i < in.length; ) {
      int cp = in.codePointAt(i);
      int n = Character.charCount(cp);
      if ((BertUnicode.of(cp) & BertUnicode.COMBINING) == 0) out.append(in, i, i + n);
      i += n;
    }
  };

  static final TextNormalizer NFD = new Decompose(false, false);
  static final TextNormalizer NFKD = new Decompose(true, false);
  /** BertNormalizer's strip_accents: NFD, then nonspacing marks dropped. */
  static final TextNormalizer NFD_WITHOUT_MN = new Decompose(false, true);

  /**
   * NFD or NFKD with the normalization crate's tables (Unicode 9.0): each character's full
   * decomposition, then the canonical ordering of combining marks (a stable sort by combining
   * class of each run of nonzero classes). Dropping the nonspacing marks as they come gives what
   * dropping them after the sort would: a stable sort keeps the order of what remains.
   */
  private static final class Decompose implements TextNormalizer {
    private final boolean compatibility;
    private final boolean dropMn;

    Decompose(boolean compatibility, boolean dropMn) {
      this.compatibility = compatibility;
      this.dropMn = dropMn;
    }

    @Override
    public void normalize(NormalizedText in, NormalizedText out) {
      for (int i = 0; i < in.length; ) {
        int cp = in.codePointAt(i);
        int n = Character.charCount(cp);
        int[] d = BertUnicode.decompose(cp, compatibility);
        if (d == null) {
          add(out, cp, in.starts[i], in.ends[i]);
        } else {
          for (int c : d) add(out, c, in.starts[i], in.ends[i]);
        }
        i += n;
      }
    }

    private void add(NormalizedText out, int cp, int start, int end) {
      if (dropMn && (BertUnicode.of(cp) & BertUnicode.MN) != 0) return;
      int ccc = BertUnicode.combiningClass(cp);
      if (ccc == 0) {
        out.append(cp, start, end);
        return;
      }
      // Insertion into the run of marks before it: after every mark whose class is not higher.
      int at = out.length;
      while (at > 0) {
        int p = at - 1;
        if (Character.isLowSurrogate(out.chars[p]) && p > 0 && Character.isHighSurrogate(out.chars[p - 1])) p--;
        int prev = BertUnicode.combiningClass(out.codePointAt(p));
        if (prev <= ccc) break;
        at = p;
      }
      int tail = out.length - at;
      out.append(cp, start, end);
      if (tail == 0) return;
      int n = Character.charCount(cp);
      // Rotate the new code point's units in front of the tail. The alignments stay where they
      // are: tokenizers gives the normalized characters their alignments by position, so a
      // reordered mark takes the place's alignment, not its own (a token ending in reordered
      // marks ends where the last of them did in the text).
      char[] c = out.chars;
      for (int k = 0; k < n; k++) {
        int last = out.length - 1;
        char lc = c[last];
        System.arraycopy(c, at, c, at + 1, last - at);
        c[at] = lc;
      }
    }
  }

  /** Strip: whitespace (Rust's char::is_whitespace) taken off the start and/or the end. */
  static TextNormalizer strip(boolean left, boolean right) {
    return (in, out) -> {
      int from = 0;
      int to = in.length;
      if (left) {
        while (from < to) {
          int cp = in.codePointAt(from);
          if ((BertUnicode.of(cp) & BertUnicode.RUST_WHITESPACE) == 0) break;
          from += Character.charCount(cp);
        }
      }
      if (right) {
        while (to > from) {
          int p = to - 1;
          if (Character.isLowSurrogate(in.chars[p]) && p > from && Character.isHighSurrogate(in.chars[p - 1])) p--;
          if ((BertUnicode.of(in.codePointAt(p)) & BertUnicode.RUST_WHITESPACE) == 0) break;
          to = p;
        }
      }
      out.append(in, from, to);
    };
  }
}
