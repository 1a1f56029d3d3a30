package dev.fasttok;

/**
 * The pre-tokenizers of the component pipeline, each as Hugging Face tokenizers 0.23 cuts text,
 * with the character classes of {@link BertUnicode}.
 */
final class PreTokenizers {
  private PreTokenizers() {}

  // tokenizers' SplitDelimiterBehavior: what becomes of each character the split finds.
  static final int REMOVED = 0;
  static final int ISOLATED = 1;
  static final int MERGED_WITH_PREVIOUS = 2;
  static final int MERGED_WITH_NEXT = 3;
  static final int CONTIGUOUS = 4;

  /** Behavior names as tokenizer.json spells them, by constant. */
  static final String[] BEHAVIORS = {"Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"};

  /** WhitespaceSplit: cut at whitespace (Rust's char::is_whitespace), which is dropped. */
  static final PreTokenizer WHITESPACE_SPLIT = byClass(BertUnicode.RUST_WHITESPACE, REMOVED);

  /**
   * BertPreTokenizer: WhitespaceSplit, then every punctuation character a piece of its own.
   * Punctuation is never whitespace, so one pass does both.
   */
  static final PreTokenizer BERT = (text, from, to, pieces) -> {
    char[] chars = text instanceof NormalizedText ? ((NormalizedText) text).chars : null;
    int start = from;
    for (int i = from; i < to; ) {
      char c = chars != null ? chars[i] : text.charAt(i);
      int cp = Character.isSurrogate(c) ? Character.codePointAt(text, i) : c;
      int n = Character.charCount(cp);
      int f = BertUnicode.of(cp);
      if ((f & (BertUnicode.RUST_WHITESPACE | BertUnicode.PUNCTUATION)) != 0) {
        if (start < i) add(pieces, start, i);
        if ((f & BertUnicode.PUNCTUATION) != 0) add(pieces, i, i + n);
        start = i + n;
      }
      i += n;
    }
    if (start < to) add(pieces, start, to);
  };

  /**
   * Whitespace: the matches of the regex {@code \w+|[^\w\s]+} (runs of word characters, runs of
   * characters that are neither word characters nor whitespace), with the regex crate's classes.
   */
  static final PreTokenizer WHITESPACE = (text, from, to, pieces) -> {
    int start = -1;
    int kind = 0; // of the run in progress: WORD, or 0 for neither-word-nor-space
    for (int i = from; i < to; ) {
      int cp = Character.codePointAt(text, i);
      int n = Character.charCount(cp);
      int f = BertUnicode.of(cp);
      int k = (f & BertUnicode.WORD) != 0 ? BertUnicode.WORD : (f & BertUnicode.SPACE) != 0 ? BertUnicode.SPACE : 0;
      if (start >= 0 && k != kind) {
        add(pieces, start, i);
        start = -1;
      }
      if (start < 0 && k != BertUnicode.SPACE) {
        start = i;
        kind = k;
      }
      i += n;
    }
    if (start >= 0) add(pieces, start, to);
  };

  /** Punctuation with a behavior: splits at BERT's punctuation characters. */
  static PreTokenizer punctuation(int behavior) {
    return byClass(BertUnicode.PUNCTUATION, behavior);
  }

  /**
   * A Sequence: each member cuts every piece of the one before. A member that rewrites the text
   * ({@link PreTokenizer.Rewriting}) needs the text itself, so {@link ComponentPipeline} runs
   * such a Sequence member by member; {@link #split} serves the others.
   */
  static final class Sequence implements PreTokenizer {
    final PreTokenizer[] members;

    Sequence(PreTokenizer[] members) {
      this.members = members.clone();
    }

    /** Whether a member rewrites the text. */
    boolean rewrites() {
      for (PreTokenizer p : members) if (p instanceof PreTokenizer.Rewriting) return true;
      return false;
    }

    @Override
    public void split(CharSequence text, int from, int to, IntList pieces) {
      IntList current = new IntList(16);
      current.add(from);
      current.add(to);
      for (PreTokenizer p : members) {
        IntList next = new IntList(current.size + 16);
        for (int i = 0; i < current.size; i += 2) p.split(text, current.a[i], current.a[i + 1], next);
        current = next;
      }
      for (int i = 0; i < current.size; i++) pieces.add(current.a[i]);
    }
  }

  /** Digits: numbers apart from the rest, each digit alone if {@code individual}. */
  static PreTokenizer digits(boolean individual) {
    return HfSplitters.preTokenizer(new HfSplitters.Digits(individual));
  }

  /** CharDelimiterSplit: cut at each delimiter character, which is dropped (a String Split, Removed). */
  static PreTokenizer charDelimiterSplit(String delimiter) {
    return HfSplitters.preTokenizer(HfSplitters.literal(delimiter), REMOVED, false);
  }

  /** FixedLength: pieces of {@code length} characters (code points), the last one shorter. */
  static PreTokenizer fixedLength(int length) {
    return (text, from, to, pieces) -> {
      int start = from;
      int n = 0;
      for (int i = from; i < to; ) {
        i += Character.charCount(Character.codePointAt(text, i));
        if (++n == length) {
          add(pieces, start, i);
          start = i;
          n = 0;
        }
      }
      if (start < to) add(pieces, start, to);
    };
  }

  /**
   * tokenizers' split on a character predicate: each character of the class is a match of its
   * own, the runs between them are not, and the behavior decides the pieces.
   */
  static PreTokenizer byClass(int flag, int behavior) {
    return (text, from, to, pieces) -> {
      int first = pieces.size; // pieces of this call start here
      int start = from; // of the run of other characters in progress
      boolean previousMatch = false; // whether the last segment was a match
      int pendingNext = -1; // MergedWithNext: start of a match waiting for the run after it
      for (int i = from; i < to; ) {
        int cp = Character.codePointAt(text, i);
        int n = Character.charCount(cp);
        if ((BertUnicode.of(cp) & flag) == 0) {
          i += n;
          continue;
        }
        if (start < i) {
          // The run of other characters before this match.
          if (pendingNext >= 0) {
            add(pieces, pendingNext, i);
            pendingNext = -1;
          } else {
            add(pieces, start, i);
          }
          previousMatch = false;
        }
        switch (behavior) {
          case REMOVED:
            break;
          case ISOLATED:
            add(pieces, i, i + n);
            break;
          case MERGED_WITH_PREVIOUS:
            if (!previousMatch && pieces.size > first) pieces.a[pieces.size - 1] = i + n;
            else add(pieces, i, i + n);
            break;
          case MERGED_WITH_NEXT:
            // Joins the run after it, if one follows right away; else stands alone.
            if (pendingNext >= 0) add(pieces, pendingNext, i);
            pendingNext = i;
            break;
          case CONTIGUOUS:
            if (previousMatch && pieces.size > first) pieces.a[pieces.size - 1] = i + n;
            else add(pieces, i, i + n);
            break;
          default:
            throw new IllegalStateException("behavior " + behavior);
        }
        previousMatch = true;
        i += n;
        start = i;
      }
      if (start < to) {
        add(pieces, pendingNext >= 0 ? pendingNext : start, to);
      } else if (pendingNext >= 0) {
        add(pieces, pendingNext, to);
      }
    };
  }

  private static void add(IntList pieces, int start, int end) {
    pieces.add(start);
    pieces.add(end);
  }
}
