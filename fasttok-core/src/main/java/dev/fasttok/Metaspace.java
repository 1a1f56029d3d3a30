package dev.fasttok;

/**
 * tokenizers' Metaspace pre-tokenizer: every U+0020 of a split becomes the replacement
 * character, the replacement is put in front of the split (per the prepend scheme, unless it
 * already starts with one), and with {@code split} the text is cut before every replacement
 * character (tokenizers' MergedWithNext). Unlike the other pre-tokenizers it changes the text,
 * so it is a {@link PreTokenizer.Rewriting}.
 *
 * <p>"first" is tokenizers' test {@code offsets_original().0 == 0}: only a split that starts at
 * the very start of the caller's text gets the replacement in front; the text after an added
 * token at the start does not.
 */
final class Metaspace implements PreTokenizer.Rewriting {
  final int replacement;
  final SentencePieceDecoders.PrependScheme scheme;
  final boolean split;

  Metaspace(int replacement, SentencePieceDecoders.PrependScheme scheme, boolean split) {
    this.replacement = replacement;
    this.scheme = scheme;
    this.split = split;
  }

  /**
   * Appends text[from, to) to out with spaces replaced, and the replacement in front where the
   * scheme puts it (aligned with the first character, as tokenizers' prepend does).
   *
   * @param first whether the split starts at the start of the caller's text
   */
  void rewrite(NormalizedText text, int from, int to, boolean first, NormalizedText out) {
    if (from == to) return;
    boolean prepend = scheme == SentencePieceDecoders.PrependScheme.ALWAYS
        || (scheme == SentencePieceDecoders.PrependScheme.FIRST && first);
    // tokenizers tests for a leading replacement after replacing the spaces, so a leading space counts.
    int c = text.codePointAt(from);
    if (prepend && c != replacement && c != ' ') out.append(replacement, text.starts[from], text.ends[from]);
    if (replacement > 0xFFFF) {
      for (int i = from; i < to; ) {
        int cp = text.codePointAt(i);
        int n = Character.charCount(cp);
        out.append(cp == ' ' ? replacement : cp, text.starts[i], text.ends[i]);
        i += n;
      }
      return;
    }
    // One unit for another: copied whole, then the spaces replaced in place.
    int at = out.length;
    out.append(text, from, to);
    char[] units = out.chars;
    for (int i = at; i < out.length; i++) if (units[i] == ' ') units[i] = (char) replacement;
  }

  /** The pieces of rewritten text[from, to): cut before each replacement character if split. */
  void cut(CharSequence text, int from, int to, IntList pieces) {
    if (from == to) return;
    if (!split) {
      pieces.add(from);
      pieces.add(to);
      return;
    }
    if (replacement <= 0xFFFF && text instanceof NormalizedText) {
      char[] c = ((NormalizedText) text).chars;
      int start = from;
      for (int i = from + 1; i < to; i++) {
        if (c[i] == replacement) {
          pieces.add(start);
          pieces.add(i);
          start = i;
        }
      }
      pieces.add(start);
      pieces.add(to);
      return;
    }
    int start = from;
    for (int i = from; i < to; ) {
      int cp = Character.codePointAt(text, i);
      if (cp == replacement && i > start) {
        pieces.add(start);
        pieces.add(i);
        start = i;
      }
      i += Character.charCount(cp);
    }
    pieces.add(start);
    pieces.add(to);
  }

  @Override
  public void rewrite(NormalizedText text, int from, int to, boolean first, NormalizedText out, IntList pieces) {
    int at = out.length;
    rewrite(text, from, to, first, out);
    cut(out, at, out.length, pieces);
  }
}
