package dev.fasttok;

/**
 * tokenizers' ByteLevel pre-tokenizer in the component pipeline (for byte-level BPE files that
 * {@link HfPipeline} does not read, such as one with a BERT normalizer or a Digits step before
 * ByteLevel): for each piece it is given, a space in front unless the piece starts with one
 * ({@code add_prefix_space}, aligned with the piece's first character, as tokenizers' prepend
 * is), then GPT-2's pattern ({@link R50kSplitter}, {@code use_regex}) cuts the piece, then every
 * UTF-8 byte becomes its character of GPT-2's byte alphabet ({@link ByteLevel}), which the BPE
 * model's vocabulary spells its tokens in.
 *
 * <p>Each byte's character is aligned with the character it is a byte of; a byte other than a
 * character's last ends where that character starts, so a token that ends inside a character
 * ends where the character starts (as {@link CharBpe}'s fallback bytes do): cuts in fasttok
 * never split a character.
 */
final class ByteLevelPreTokenizer implements PreTokenizer.Rewriting {
  private static final Splitter GPT2 = new R50kSplitter();

  final boolean addPrefixSpace;
  final boolean useRegex;

  ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) {
    this.addPrefixSpace = addPrefixSpace;
    this.useRegex = useRegex;
  }

  @Override
  public void rewrite(NormalizedText text, int from, int to, boolean first, NormalizedText out, IntList pieces) {
    if (from == to) return;
    boolean prefix = addPrefixSpace && text.chars[from] != ' ';
    int max = 3 * (to - from) + 1;
    byte[] b = new byte[max];
    int[] start = new int[max]; // per byte, the caller's bytes its character came from
    int[] end = new int[max];
    int n = 0;
    if (prefix) {
      b[0] = ' ';
      start[0] = text.starts[from];
      end[0] = text.ends[from];
      n = 1;
    }
    for (int i = from; i < to; ) {
      int cp = text.codePointAt(i);
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      int first0 = n;
      n = Utf8.put(cp, b, n);
      for (int k = first0; k < n; k++) {
        start[k] = text.starts[i];
        end[k] = k == n - 1 ? text.ends[i] : text.starts[i];
      }
      i += cp > 0xFFFF ? 2 : 1;
    }
    int base = out.length;
    for (int k = 0; k < n; k++) out.append(ByteLevel.charOf(b[k]), start[k], end[k]);
    if (!useRegex) {
      pieces.add(base);
      pieces.add(base + n);
      return;
    }
    IntList ends = new IntList(16);
    GPT2.split(b, 0, n, ends);
    int p = 0;
    for (int i = 0; i < ends.size; i++) {
      int e = ends.a[i];
      if (e < 0) e = -e - 1; // GPT-2's pattern leaves no gap; kept for safety
      if (e > p) {
        pieces.add(base + p);
        pieces.add(base + e);
      }
      p = e;
    }
  }
}
