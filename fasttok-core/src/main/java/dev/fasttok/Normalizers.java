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

  static final TextNormalizer NFD = new UnicodeForm(false, false, false);
  static final TextNormalizer NFKD = new UnicodeForm(true, false, false);
  static final TextNormalizer NFC = new UnicodeForm(false, true, false);
  static final TextNormalizer NFKC = new UnicodeForm(true, true, false);
  /** BertNormalizer's strip_accents: NFD, then nonspacing marks dropped. */
  static final TextNormalizer NFD_WITHOUT_MN = new UnicodeForm(false, false, true);

  /**
   * NFD, NFKD, NFC or NFKC with the normalization crate's tables (Unicode 9.0, in
   * {@link BertUnicode}), and its alignments. The crate turns the text into a stream of characters,
   * each with a change: 0 for a character that takes the place of the next input character, 1 for
   * one added after it (the second and later characters of a decomposition), -n for one that
   * also swallows the n input characters after it (a composition). tokenizers aligns the stream
   * by position: a character with change 0 or less takes the range of the input character at the
   * current position, then the position moves past it and the swallowed ones; an added character
   * takes the range of the character before the position. So a composed character has the range
   * of its first input character only, and a reordered mark takes the range of the place it
   * moves to, not its own. The steps are the crate's: each character's full decomposition, a
   * stable sort by combining class of every run of marks (nonzero classes), then (NFC, NFKC)
   * canonical composition with the crate's blocking rules.
   */
  private static final class UnicodeForm implements TextNormalizer {
    private final boolean compatibility;
    private final boolean compose;
    private final boolean dropMn;
    /** Below this code point a character is left as it is, whatever its neighbours. */
    private final int plain;

    UnicodeForm(boolean compatibility, boolean compose, boolean dropMn) {
      this.compatibility = compatibility;
      this.compose = compose;
      this.dropMn = dropMn;
      // U+00A0 has a compatibility decomposition, U+00C0 a canonical one; composition only
      // changes a character followed by a mark (U+0300 and up) or by another character at or
      // above U+0300 (such as a jamo), and leaves every composite below U+0300 as it is.
      this.plain = compatibility ? 0xA0 : compose ? 0x300 : 0xC0;
    }

    /** The decomposed and composed streams, reused by each thread. */
    private static final class Scratch {
      int[] cps = new int[64];
      int[] changes = new int[64];
      int[] classes = new int[64];
      int n;

      void add(int cp, int change, int ccc) {
        if (n == cps.length) {
          cps = java.util.Arrays.copyOf(cps, 2 * n);
          changes = java.util.Arrays.copyOf(changes, 2 * n);
          classes = java.util.Arrays.copyOf(classes, 2 * n);
        }
        cps[n] = cp;
        changes[n] = change;
        classes[n++] = ccc;
      }
    }

    private static final ThreadLocal<Scratch[]> SCRATCH =
        ThreadLocal.withInitial(() -> new Scratch[] {new Scratch(), new Scratch()});

    @Override
    public void normalize(NormalizedText in, NormalizedText out) {
      int i = 0;
      while (i < in.length && in.chars[i] < plain) i++;
      if (i == in.length) {
        out.append(in, 0, in.length);
        return;
      }
      Scratch[] scratch = SCRATCH.get();
      Scratch d = scratch[0];
      d.n = 0;
      for (int u = 0; u < in.length; ) {
        int cp = in.codePointAt(u);
        // Every character is decomposed, even below the plain limit: a composite there (such as
        // U+00C0) recomposes differently when a mark of a lower class follows it.
        int[] parts = cp < 0x80 ? null : BertUnicode.decompose(cp, compatibility);
        if (parts == null) {
          d.add(cp, 0, cp < 0x300 ? 0 : BertUnicode.combiningClass(cp));
        } else {
          for (int k = 0; k < parts.length; k++) d.add(parts[k], k == 0 ? 0 : 1, BertUnicode.combiningClass(parts[k]));
        }
        u += Character.charCount(cp);
      }
      sortMarks(d);
      Scratch stream = d;
      if (compose) {
        stream = scratch[1];
        stream.n = 0;
        compose(d, stream);
      }
      // Alignment by position, as tokenizers' transform does.
      int origin = in.starts[0];
      int u = 0; // the input unit at the position
      int previous = -1; // the input unit of the character before it
      for (int k = 0; k < stream.n; k++) {
        int cp = stream.cps[k];
        int change = stream.changes[k];
        int start;
        int end;
        if (change > 0) {
          start = previous < 0 ? origin : in.starts[previous];
          end = previous < 0 ? origin : in.ends[previous];
        } else {
          start = in.starts[u];
          end = in.ends[u];
          for (int skip = 1 - change; skip > 0 && u < in.length; skip--) {
            previous = u;
            u += Character.isHighSurrogate(in.chars[u]) && u + 1 < in.length
                && Character.isLowSurrogate(in.chars[u + 1]) ? 2 : 1;
          }
        }
        // BertNormalizer's filter keeps each remaining character's alignment.
        if (dropMn && (BertUnicode.of(cp) & BertUnicode.MN) != 0) continue;
        out.append(cp, start, end);
      }
    }

    /** Canonical ordering: a stable sort by class of each run of nonzero classes (insertion sort). */
    private static void sortMarks(Scratch d) {
      for (int k = 1; k < d.n; k++) {
        int c = d.classes[k];
        if (c == 0) continue;
        int j = k;
        while (j > 0 && d.classes[j - 1] > c) j--;
        if (j == k) continue;
        int cp = d.cps[k];
        int change = d.changes[k];
        System.arraycopy(d.cps, j, d.cps, j + 1, k - j);
        System.arraycopy(d.changes, j, d.changes, j + 1, k - j);
        System.arraycopy(d.classes, j, d.classes, j + 1, k - j);
        d.cps[j] = cp;
        d.changes[j] = change;
        d.classes[j] = c;
      }
    }

    /**
     * Canonical composition as the crate runs it over the decomposed stream: the last starter
     * (the composee) absorbs each following character it composes with unless a mark of the
     * same or a higher class, or a starter, came between; marks it does not absorb wait in a
     * buffer and follow it out. A composite's change is the sum of its parts' changes minus one
     * for each character absorbed.
     */
    private static void compose(Scratch d, Scratch out) {
      int composee = -1;
      int composeeChange = 0;
      int lastClass = -1; // the class of the last buffered mark, -1 if none
      int[] buffer = new int[8]; // the indices in d of the marks that follow the composee out
      int buffered = 0;
      for (int k = 0; k < d.n; k++) {
        int ch = d.cps[k];
        int change = d.changes[k];
        int cls = d.classes[k];
        if (composee < 0) {
          if (cls != 0) {
            out.add(ch, change, cls);
          } else {
            composee = ch;
            composeeChange = change;
          }
          continue;
        }
        if (lastClass >= 0 && lastClass >= cls) {
          // Blocked from the composee.
          if (cls == 0) {
            out.add(composee, composeeChange, 0);
            for (int b = 0; b < buffered; b++) out.add(d.cps[buffer[b]], d.changes[buffer[b]], d.classes[buffer[b]]);
            buffered = 0;
            lastClass = -1;
            composee = ch;
            composeeChange = change;
          } else {
            if (buffered == buffer.length) buffer = java.util.Arrays.copyOf(buffer, 2 * buffered);
            buffer[buffered++] = k;
            lastClass = cls;
          }
          continue;
        }
        int r = BertUnicode.compose(composee, ch);
        if (r >= 0) {
          composee = r;
          composeeChange += change - 1;
          continue;
        }
        if (lastClass < 0 && cls == 0) {
          out.add(composee, composeeChange, 0);
          composee = ch;
          composeeChange = change;
          continue;
        }
        if (buffered == buffer.length) buffer = java.util.Arrays.copyOf(buffer, 2 * buffered);
        buffer[buffered++] = k;
        lastClass = cls;
      }
      if (composee >= 0) out.add(composee, composeeChange, 0);
      for (int b = 0; b < buffered; b++) out.add(d.cps[buffer[b]], d.changes[buffer[b]], d.classes[buffer[b]]);
    }
  }

  /**
   * ByteLevel: each UTF-8 byte of the text becomes its character of the byte-level alphabet
   * ({@link ByteLevel}); all of a character's bytes take its range.
   */
  static final TextNormalizer BYTE_LEVEL = (in, out) -> {
    byte[] utf8 = new byte[4];
    for (int i = 0; i < in.length; ) {
      int cp = in.codePointAt(i);
      int n = Utf8.put(cp, utf8, 0);
      for (int k = 0; k < n; k++) out.append(ByteLevel.charOf(utf8[k] & 0xFF), in.starts[i], in.ends[i]);
      i += Character.charCount(cp);
    }
  };

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
