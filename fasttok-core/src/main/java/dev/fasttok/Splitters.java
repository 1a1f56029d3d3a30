package dev.fasttok;

/** Picks the splitter for a split pattern: a hand-written one where it implements that pattern exactly. */
final class Splitters {
  private Splitters() {}

  static Splitter forPattern(String pattern) {
    if (pattern.equals(Cl100kSplitter.PATTERN)) return new Cl100kSplitter();
    if (pattern.equals(Cl100kSplitter.SINGLE_DIGIT_PATTERN)) return new Cl100kSplitter(1);
    if (pattern.equals(O200kSplitter.PATTERN)) return new O200kSplitter();
    if (pattern.equals(R50kSplitter.PATTERN)) return new R50kSplitter();
    return new RegexSplitter(pattern);
  }
}
