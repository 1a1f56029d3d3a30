package dev.fasttok;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds Hugging Face added tokens in text exactly as {@code AddedVocabulary::find_matches} does:
 * the leftmost-longest occurrences, without overlaps, of the tokens' texts; an occurrence of a
 * {@code single_word} token with a word character right before or after it is dropped (and the
 * search goes on after it); an {@code lstrip} token also takes the whitespace before it (not
 * taken by the previous token), an {@code rstrip} token the whitespace after it. Word characters
 * and whitespace are those of Rust's regex crate ({@code \w}, {@code \s}).
 */
final class AddedTokens {
  static final int SINGLE_WORD = 1;
  static final int LSTRIP = 2;
  static final int RSTRIP = 4;

  private final SpecialTokens texts; // the token texts, found by a byte trie
  private final int[] ids;
  private final int[] flags;
  private final boolean[] all;

  /** Tokens to find: their texts (as matched), ids and flags. */
  AddedTokens(List<String> patterns, int[] ids, int[] flags) {
    Map<String, Integer> byText = new LinkedHashMap<>();
    for (int i = 0; i < patterns.size(); i++) {
      if (byText.put(patterns.get(i), i) != null) {
        // Hugging Face's Aho-Corasick builder refuses duplicate patterns too.
        throw new IllegalArgumentException("two added tokens are matched by the same text '" + patterns.get(i) + "'");
      }
    }
    this.texts = new SpecialTokens(byText);
    this.ids = ids.clone();
    this.flags = flags.clone();
    this.all = new boolean[patterns.size()];
    Arrays.fill(all, true);
  }

  int size() {
    return ids.length;
  }

  /**
   * Splits b[start, end) into added tokens and the text between them; appends to {@code parts}
   * three ints per part: the token id (-1 for text), start and end. Text parts are never empty;
   * a token part can start before the end of the previous one (an rstrip token's whitespace
   * can hold the start of the next token), as in Hugging Face.
   */
  void split(byte[] b, int start, int end, IntList parts) {
    int done = start; // Hugging Face's start_offset
    int from = start; // where the search goes on
    while (from < end) {
      long hit = texts.find(b, from, end, all);
      if (hit < 0) break;
      int k = (int) hit;
      int s = (int) (hit >>> 32);
      int e = s + texts.bytes[k].length;
      from = e;
      int f = flags[k];
      if ((f & SINGLE_WORD) != 0) {
        boolean wordBefore = s > start && isWordChar(lastCodePoint(b, start, s));
        boolean wordAfter = e < end && isWordChar(Utf8.codePoint(b, e));
        if (wordBefore || wordAfter) continue;
      }
      if ((f & LSTRIP) != 0) s = Math.max(trailingSpaceStart(b, start, s), done);
      if ((f & RSTRIP) != 0) e = leadingSpaceEnd(b, e, end);
      if (done < s) add(parts, -1, done, s);
      add(parts, ids[k], s, e);
      done = e;
    }
    if (done < end) add(parts, -1, done, end);
  }

  private static void add(IntList parts, int id, int s, int e) {
    parts.add(id);
    parts.add(s);
    parts.add(e);
  }

  /** The code point that ends at byte {@code end} of well-formed UTF-8 starting at or after from. */
  private static int lastCodePoint(byte[] b, int from, int end) {
    int i = end - 1;
    while (i > from && (b[i] & 0xC0) == 0x80) i--;
    return Utf8.codePoint(b, i);
  }

  /** Start of the whitespace run that ends at {@code end} ({@code end} if there is none). */
  private static int trailingSpaceStart(byte[] b, int from, int end) {
    int i = end;
    while (i > from) {
      int j = i - 1;
      while (j > from && (b[j] & 0xC0) == 0x80) j--;
      if (!isSpace(Utf8.codePoint(b, j))) break;
      i = j;
    }
    return i;
  }

  /** End of the whitespace run that starts at {@code from}. */
  private static int leadingSpaceEnd(byte[] b, int from, int end) {
    int i = from;
    while (i < end) {
      int cp = Utf8.codePoint(b, i);
      if (!isSpace(cp)) break;
      i += Utf8.length(b[i]);
    }
    return i;
  }

  /** Rust regex {@code \s}: White_Space. */
  static boolean isSpace(int cp) {
    return (UnicodeClasses.of(cp) & UnicodeClasses.SPACE) != 0;
  }

  /**
   * Rust regex {@code \w}: Alphabetic, marks, decimal digits, connector punctuation and the join
   * controls. Letters, marks and decimal digits follow fasttok's Unicode 16.0 table; the other
   * alphabetic characters (letter numbers and a few symbols such as circled letters) the JDK's.
   */
  static boolean isWordChar(int cp) {
    int c = UnicodeClasses.of(cp);
    if ((c & (UnicodeClasses.L | UnicodeClasses.MARK)) != 0) return true;
    if (cp == 0x200C || cp == 0x200D) return true;
    int type = Character.getType(cp);
    if (type == Character.CONNECTOR_PUNCTUATION) return true;
    if ((c & UnicodeClasses.NUMBER) != 0) return isDecimalOrLetterNumber(cp);
    return Character.isAlphabetic(cp);
  }

  private static boolean isDecimalOrLetterNumber(int cp) {
    for (String cat : new String[] {"Nd", "Nl"}) {
      for (int[] r : UnicodeClasses.table().categories.getOrDefault(cat, List.of())) {
        if (cp >= r[0] && cp <= r[1]) return true;
      }
    }
    return false;
  }
}
