package dev.fasttok;

/** Case folds of the letters in the English contractions of the split patterns. */
final class Contractions {
  private static final String LETTERS = "delmrstv";
  private static final int[] FOLDED_FROM;
  private static final char[] FOLDED_TO;

  static {
    int n = 0;
    for (char c : LETTERS.toCharArray()) n += UnicodeClasses.FOLDS.get(c).length;
    FOLDED_FROM = new int[n];
    FOLDED_TO = new char[n];
    int k = 0;
    for (char c : LETTERS.toCharArray()) {
      for (int cp : UnicodeClasses.FOLDS.get(c)) {
        FOLDED_FROM[k] = cp;
        FOLDED_TO[k++] = c;
      }
    }
  }

  private Contractions() {}

  /** The contraction letter that {@code (?i)} matches for cp, or -1. */
  static int fold(int cp) {
    for (int i = 0; i < FOLDED_FROM.length; i++) {
      if (FOLDED_FROM[i] == cp) return FOLDED_TO[i];
    }
    return -1;
  }
}
