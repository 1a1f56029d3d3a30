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

  /**
   * BertNormalizer's steps in one pass: clean_text, handle_chinese_chars, strip_accents (NFD
   * without nonspacing marks) and lowercase, each if set, applied character by character. Each
   * of those steps maps a character on its own, except the canonical ordering of NFD, which
   * moves a mark of nonzero combining class; a text where such a mark comes out of the
   * decomposition goes through the separate steps instead ({@link #steps}), so the result is
   * theirs in every case. ASCII characters come from a table built by running the steps on
   * each of them.
   */
  static final class Bert implements TextNormalizer {
    private final boolean clean;
    private final boolean chinese;
    private final boolean strip;
    private final boolean lower;
    /** The separate steps, in BertNormalizer's order. */
    private final TextNormalizer[] steps;
    /** Per ASCII character, what it becomes: itself or another character, or -1 when dropped. */
    private final int[] ascii = new int[128];
    /** Per thread, the two texts the separate steps alternate between. */
    private final ThreadLocal<NormalizedText[]> spare =
        ThreadLocal.withInitial(() -> new NormalizedText[] {new NormalizedText(), new NormalizedText()});

    Bert(boolean clean, boolean chinese, boolean strip, boolean lower) {
      this.clean = clean;
      this.chinese = chinese;
      this.strip = strip;
      this.lower = lower;
      java.util.List<TextNormalizer> l = new java.util.ArrayList<>();
      if (clean) l.add(CLEAN_TEXT);
      if (chinese) l.add(CHINESE_CHARS);
      if (strip) l.add(NFD_WITHOUT_MN);
      if (lower) l.add(LOWERCASE);
      this.steps = l.toArray(new TextNormalizer[0]);
      NormalizedText one = new NormalizedText();
      NormalizedText out = new NormalizedText();
      for (int c = 0; c < 128; c++) {
        one.clear();
        one.append(c, 0, 1);
        chain(one, out);
        if (out.length > 1) throw new IllegalStateException("BertNormalizer makes U+00" + Integer.toHexString(c) + " two characters");
        ascii[c] = out.length == 0 ? -1 : out.chars[0];
      }
    }

    @Override
    public void normalize(NormalizedText in, NormalizedText out) {
      char[] chars = in.chars;
      int[] starts = in.starts;
      int[] ends = in.ends;
      int n = in.length;
      for (int i = 0; i < n; ) {
        char ch = chars[i];
        if (ch < 0x80) {
          int c = ascii[ch];
          if (c >= 0) out.append(c, starts[i], ends[i]);
          i++;
          continue;
        }
        int cp = in.codePointAt(i);
        if (!character(cp, starts[i], ends[i], out)) {
          out.clear();
          chain(in, out);
          return;
        }
        i += Character.charCount(cp);
      }
    }

    /** Appends what the steps make of one character; false if NFD would reorder it. */
    private boolean character(int cp, int start, int end, NormalizedText out) {
      int f = BertUnicode.of(cp);
      if (clean) {
        if ((f & BertUnicode.CONTROL) != 0) return true;
        if ((f & BertUnicode.WHITESPACE) != 0) {
          out.append(' ', start, end);
          return true;
        }
      }
      if (chinese && (f & BertUnicode.CJK) != 0) {
        out.append(' ', start, end);
        if (!decomposed(cp, start, end, out)) return false;
        out.append(' ', start, end);
        return true;
      }
      return decomposed(cp, start, end, out);
    }

    private boolean decomposed(int cp, int start, int end, NormalizedText out) {
      if (!strip) {
        lowered(cp, start, end, out);
        return true;
      }
      int[] d = BertUnicode.decompose(cp, false);
      if (d == null) return mark(cp, start, end, out);
      for (int c : d) if (!mark(c, start, end, out)) return false;
      return true;
    }

    /** A character of the decomposition: dropped if a nonspacing mark; false if it has a combining class. */
    private boolean mark(int c, int start, int end, NormalizedText out) {
      if ((BertUnicode.of(c) & BertUnicode.MN) != 0) return true;
      if (BertUnicode.combiningClass(c) != 0) return false;
      lowered(c, start, end, out);
      return true;
    }

    private void lowered(int c, int start, int end, NormalizedText out) {
      int[] l = lower ? BertUnicode.lower(c) : null;
      if (l == null) out.append(c, start, end);
      else for (int x : l) out.append(x, start, end);
    }

    private void chain(NormalizedText in, NormalizedText out) {
      NormalizedText[] t = spare.get();
      NormalizedText from = in;
      for (int k = 0; k < steps.length; k++) {
        NormalizedText to = k == steps.length - 1 ? out : t[k & 1];
        to.clear();
        steps[k].normalize(from, to);
        from = to;
      }
      if (steps.length == 0) out.append(in, 0, in.length);
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
