package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The compiled split patterns against the splitters whose pieces the golden ids already check:
 * the java.util.regex translations ({@link RegexSplitter}, {@link HfSplitters.Regex}) and the
 * hand-written splitters, on the golden documents, on every code point in the contexts of
 * golden/codepoints.txt, and on random text from the character kinds the patterns name.
 */
class CompiledSplitterTest {
  /** Where GoldenTest.padded puts the text. */
  private static final int PAD = 13;

  /** tiktoken's four patterns (p50k_base shares r50k_base's). */
  static final List<String> TIKTOKEN = List.of(
      R50kSplitter.PATTERN, Cl100kSplitter.PATTERN, Cl100kSplitter.SINGLE_DIGIT_PATTERN, O200kSplitter.PATTERN);

  static final String DEEPSEEK_V3_DIGITS = "\\p{N}{1,3}";
  static final String DEEPSEEK_V3_CJK = "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+";
  static final String DEEPSEEK_V3 = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?"
      + "[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";
  static final String MISTRAL_NEMO = "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
      + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /**
   * Split regexes of tokenizer.json files: Llama 3's is cl100k's, Qwen's the single-digit one,
   * gpt-oss's and GPT-4o's o200k's; DeepSeek V3's three, Mistral-Nemo's, and those of the golden
   * variants (digits-nfkc, camel).
   */
  static final List<String> HF = List.of(Cl100kSplitter.PATTERN, Cl100kSplitter.SINGLE_DIGIT_PATTERN,
      O200kSplitter.PATTERN, R50kSplitter.PATTERN, DEEPSEEK_V3_DIGITS, DEEPSEEK_V3_CJK, DEEPSEEK_V3, MISTRAL_NEMO,
      "^[ \\t]+|[A-Za-z]+$|\\p{P}+|\\p{S}+|[\\p{L}\\p{M}]+|\\s+|.", "(?=[A-Z])");

  /** Other constructs: lazy, possessive and counted repetition, flags, look-arounds, set operations. */
  static final List<String> CONSTRUCTS = List.of(
      "\\s+?\\S|\\p{L}{2,4}+|(?i:[a-f]+|k)|[\\p{L}&&[^\\p{Lu}]]+|(?<=\\p{N})\\p{L}|\\p{N}{2}|.",
      "(?i)'(?:s|t|re|ve|m|ll|d)|[^\\s\\p{L}]++|\\w+|\\W",
      "(?:ab|a){1,3}c?|\\d+(?=x)|x|(?<![a-z])[a-z]|\\P{L}+",
      "[\\p{Han}\\p{Hiragana}]+|\\p{Cyrillic}|\\p{Lt}|\\p{Lm}\\p{Mn}*|[\\x{1F600}-\\x{1F64F}]+|\\u00e9|\\x41|\\t+|(?>\\s+)\\S|\\S",
      "a*|b*?|(?=c)|$|\\z|\\A\\s|^\\S");

  // ---------------------------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> goldenDocuments() {
    List<String> docs = new ArrayList<>();
    for (String set : Golden.SETS) docs.addAll(Golden.docs(set));
    docs.addAll(Jsonl.readStrings("/golden/hf/docs/added.jsonl"));
    return cases().map(c -> DynamicTest.dynamicTest(c.name, () -> {
      for (String doc : docs) c.check(doc);
    }));
  }

  /**
   * Every code point in the contexts of golden/codepoints.txt against the hand-written splitters;
   * against java.util.regex (slow on the corrected Unicode classes) in two contexts, for the
   * tokenizer.json patterns that have no hand-written splitter. The sets themselves are compared
   * code point by code point in {@link #setsEqualTheirTranslations}.
   */
  @TestFactory
  Stream<DynamicTest> everyCodePointInContext() {
    List<String> all = List.of("X", " X", "aX", "XA", "X1", "'X", "X's", "X\n", " !X", "AXb", "X X", "\u3000X");
    List<String> some = List.of(" X1", "aXb");
    return cases().filter(c -> !c.name.startsWith("constructs")).map(c -> DynamicTest.dynamicTest(c.name, () -> {
      List<String> templates = c.handWritten != null ? all : some;
      for (int block = 0; block < 0x110000; block += 256) {
        StringBuilder sb = new StringBuilder();
        for (String t : templates) {
          for (int cp = block; cp < block + 256; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            sb.append(t.replace("X", new String(Character.toChars(cp))));
          }
          sb.append("\n\n");
        }
        if (c.handWritten != null) c.checkHandWritten(sb.toString());
        else c.check(sb.toString());
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> randomText() {
    return cases().map(c -> DynamicTest.dynamicTest(c.name, () -> {
      Random r = new Random(13);
      for (int n = 0; n < 20000; n++) c.check(randomString(r));
    }));
  }

  /** Pieces of text that the split patterns treat differently. */
  private static final String[] ALPHABET = {
      "a", "b", "z", "A", "Z", "e", "x", "s", "t", "d", "m", "S", "T", "D", "M", "re", "RE", "ve", "Ve", "ll", "LL",
      "\u017f", "\u212a", "k", "K", "\u00e9", "\u00c9", "\u01c5", "\u02b0", "\u03b1", "\u0391", "\u0436", "\u0416",
      "\u4e2d", "\u6587", "\u3042", "\u30a2", "\u0627", "\u0928", "\ud55c", "\u0e01", "\ud801\udc00", "\ud801\udc28",
      "\u0301", "\u093f", "\u20dd", "\u0300", "0", "1", "9", "\u0663", "\uff11", "\u216b", "\u00bd", "\u2460",
      ".", ",", "!", "?", "-", "\"", "(", ")", "[", "]", "{", "}", "\u2026", "\u3001", "\u3002", "\u00ab", "\u00bb",
      "_", "/", "\\", "@", "#", "$", "+", "<", "=", ">", "^", "`", "|", "~", "\u20ac", "\u00a9", "\ud83d\ude00",
      "\ud835\udd18", "\u2e5d", "\ud833\udc00", "\ud803\udd6e",
      " ", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\r\n\r\n", "\n\n", "\u000b", "\f", "\u0085", "\u00a0",
      "\u1680", "\u2000", "\u2028", "\u2029", "\u202f", "\u3000", "\u200b", "\u200d",
      "'", "'", "\u2019", "\u02bc", "'s", "'S", "'t", "'re", "'ve", "'m", "'ll", "'d", "'LL", "\u2019s", "'\u017f",
      "\u0000", "\u007f", "\ufffd", "\ufeff"};

  static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    int len = r.nextInt(24);
    for (int k = 0; k < len; k++) sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void patternsCompile() {
    for (String p : TIKTOKEN) assertEquals("compiled", CompiledSplitter.compile(p, PatternParser.Dialect.TIKTOKEN, false).engine());
    for (String p : HF) assertEquals("compiled", HfSplitters.forRegex(p).engine().replace("hand-written", "compiled"), p);
    assertEquals("compiled", Splitters.forPattern(DEEPSEEK_V3).engine());
    assertEquals("compiled", HfSplitters.forRegex(MISTRAL_NEMO).engine());
    assertEquals("hand-written", Splitters.forPattern(O200kSplitter.PATTERN).engine());
  }

  /** The sets built from the tables equal what the regex translations match, code point by code point. */
  @Test
  void setsEqualTheirTranslations() {
    List<String> atoms = List.of("\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\p{Lt}", "\\p{Lm}", "\\p{Lo}", "\\p{M}",
        "\\p{Mn}", "\\p{N}", "\\p{Nd}", "\\p{No}", "\\p{P}", "\\p{S}", "\\p{Pd}", "\\p{So}", "\\pL", "\\PL",
        "\\P{N}", "\\s", "\\S", "\\d", "\\D", "[^\\r\\n\\p{L}\\p{N}]", "[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]",
        "[^\\s\\p{L}\\p{N}]", "[\\r\\n/]", "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]", "[A-Za-z]",
        "[^\r\n\\p{L}\\p{P}\\p{S}]", "[\\p{P}\\p{S}]", "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]", "[ \\t]",
        "'", "K", "\u00e9", "\\x41", "\\x{1F600}", "\\u00e9", "\\-", "[a-f]", "[-a]", "[a-]", "[]a]", "[^]a]",
        "\\p{Han}", "\\p{Latin}", "\\P{Cyrillic}", "[\\p{Han}\\p{Hiragana}\\p{Katakana}]", "[^\\p{Arabic}\\s]", "\\p{Hani}");
    int direct = 0;
    for (PatternParser.Dialect d : PatternParser.Dialect.values()) {
      for (String atom : atoms) {
        java.util.BitSet s = PatternParser.direct(atom, d, false);
        if (s == null) continue;
        direct++;
        assertEquals(PatternParser.viaRegex(atom, d, false), s, d + " " + atom);
      }
      for (String letter : List.of("s", "t", "r", "e", "v", "m", "l", "d", "k", "i", "'", "\u00e9")) {
        assertEquals(PatternParser.viaRegex(letter, d, true), PatternParser.direct(letter, d, true), d + " (?i)" + letter);
      }
    }
    assertTrue(direct >= 2 * atoms.size() - 4, "atoms built from the tables: " + direct);
  }

  /**
   * Script properties come from the engines' own tables (UnicodeScripts), spelled as each engine
   * spells them: tiktoken's also with "Is" and "Script=", Oniguruma's not (an error, as there).
   */
  @Test
  void scriptNamesAsEachDialectSpellsThem() {
    java.util.BitSet han = PatternParser.direct("\\p{Han}", PatternParser.Dialect.TIKTOKEN, false);
    assertTrue(han.get(0x4e2d) && han.get(0x2EBF0) && !han.get('a') && !han.get(0x3042), "Han");
    for (String spelling : List.of("\\p{IsHan}", "\\p{Script=Han}", "\\p{sc=Hani}", "\\p{hani}", "\\p{is_han}")) {
      assertEquals(han, PatternParser.direct(spelling, PatternParser.Dialect.TIKTOKEN, false), spelling);
    }
    assertEquals(han, PatternParser.direct("\\p{Hani}", PatternParser.Dialect.ONIGURUMA, false));
    assertEquals(PatternParser.direct("\\p{Old_Italic}", PatternParser.Dialect.ONIGURUMA, false),
        PatternParser.direct("\\p{old-italic}", PatternParser.Dialect.ONIGURUMA, false));
    for (String p : List.of("\\p{IsHan}+", "\\p{Script=Han}", "[\\p{sc=Latin}a]")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfSplitters.forRegex(p), p);
      assertTrue(e.getMessage().contains(p), e.getMessage());
    }
    // Script_Extensions is another table: not taken for a script.
    assertThrows(IllegalArgumentException.class, () -> Splitters.forPattern("\\p{scx=Han}"));
    assertEquals("compiled", HfSplitters.forRegex("\\p{Han}+|\\P{Han}+").engine());
    assertEquals("compiled", Splitters.forPattern("\\p{Latin}+|\\p{Cyrillic}+|.").engine());
  }

  @Test
  void unsupportedPatternsFallBack() {
    for (String p : List.of("(a)\\1", "(?:ab)+", "\\bword\\b", "(?s).", "[[:alpha:]]+", "\\R")) {
      assertEquals("java.util.regex", Splitters.forPattern(p).engine(), p);
    }
    assertEquals("java.util.regex", HfSplitters.forRegex("(?:a|b)*c").engine());
    // Still exact: the same pieces as java.util.regex gives.
    Splitter fallback = Splitters.forPattern("(?:ab)+|\\bx\\b|.");
    IntList ends = new IntList(16);
    byte[] b = GoldenTest.utf8("ababx abx x");
    fallback.split(b, 0, b.length, ends);
    assertEquals("[4, 5, 6, 8, 9, 10, 11]", Arrays.toString(ends.toArray()));
  }

  @Test
  void malformedPatternsNameThePatternAndThePosition() {
    for (String p : List.of("[a-", "(ab", "ab)", "a{3,1}", "*a", "\\p{L", "[z-a]")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splitters.forPattern(p), p);
      assertTrue(e.getMessage().contains(p), e.getMessage());
      assertTrue(e.getMessage().contains("position"), e.getMessage());
      IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> HfSplitters.forRegex(p), p);
      assertTrue(h.getMessage().contains(p), h.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splitters.forPattern("ab)"));
    assertTrue(e.getMessage().contains("position 2"), e.getMessage());
  }

  @Test
  void emptyMatchesNeverHang() {
    // java.util.regex steps into a surrogate pair after an empty match; the compiled matcher steps
    // over the whole character, as Oniguruma and fancy-regex do: compared on BMP text only.
    String text = "ab c\u00e9 x\n\n" + "a".repeat(10000) + " ".repeat(10000);
    String astral = "a\ud83d\ude00b\ud835\udd18";
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (String p : List.of("a*", "(?=x)", "", "(?!)", "\\s*", "(?:)|a", "x??", "$", "^")) {
        new Case(p, p, false).check(text);
        new Case(p, p, true).check(text);
        IntList ends = new IntList(16);
        byte[] b = GoldenTest.utf8(astral);
        CompiledSplitter.compile(p, PatternParser.Dialect.ONIGURUMA, true).split(b, 0, b.length, ends);
        for (int k = 0; k < ends.size; k++) {
          assertTrue(ends.a[k] == b.length || (b[ends.a[k]] & 0xC0) != 0x80, p + ": a piece ends inside a character");
        }
        assertEquals(b.length, ends.a[ends.size - 1], p);
      }
    });
    // Backtracking stays polynomial on long runs.
    String spaces = " ".repeat(200000) + "x" + "a".repeat(200000) + "B".repeat(200000);
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      for (String p : List.of(MISTRAL_NEMO, O200kSplitter.PATTERN, DEEPSEEK_V3)) {
        IntList ends = new IntList(16);
        byte[] b = GoldenTest.utf8(spaces);
        CompiledSplitter.compile(p, PatternParser.Dialect.ONIGURUMA, true).split(b, 0, b.length, ends);
        assertEquals(b.length, ends.a[ends.size - 1]);
      }
    });
  }

  /** A fallback is logged once per pattern, at WARNING (the job runs many times slower). */
  @Test
  void fallbackIsLoggedOnceAtWarning() {
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.fasttok");
    List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler h = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(h);
    try {
      String p = "(?:xy)+|\\bq\\b|z";
      for (int k = 0; k < 3; k++) assertEquals("java.util.regex", HfSplitters.forRegex(p).engine());
      List<java.util.logging.LogRecord> mine = records.stream()
          .filter(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters()).contains(p)).toList();
      assertEquals(1, mine.size(), "log records for " + p);
      assertEquals(java.util.logging.Level.WARNING, mine.get(0).getLevel());
    } finally {
      jul.removeHandler(h);
    }
  }

  @Test
  void encodingsSayHowTheySplit() {
    assertTrue(Encodings.get("cl100k_base").toString().contains("hand-written"), Encodings.get("cl100k_base").toString());
  }

  // ---------------------------------------------------------------------------------------------

  /** One pattern in one dialect: the compiled splitter and the splitters it must agree with. */
  static final class Case {
    final String name;
    final Splitter compiled;
    final Splitter regex;
    final Splitter handWritten;
    /**
     * Whether empty matches can come before a supplementary character, where
     * HfSplitters.Regex steps into the surrogate pair and cuts the character (see
     * emptyMatchesNeverHang): then compared on text with those characters replaced.
     */
    final boolean stepsIntoPairs;

    Case(String name, String pattern, boolean hf) {
      this.name = name;
      this.compiled = CompiledSplitter.compile(
          pattern, hf ? PatternParser.Dialect.ONIGURUMA : PatternParser.Dialect.TIKTOKEN, hf);
      this.regex = hf ? new HfSplitters.Regex(pattern) : new RegexSplitter(pattern);
      this.stepsIntoPairs = hf && pattern.equals(CONSTRUCTS.get(4));
      Splitter s = hf ? HfSplitters.forRegex(pattern) : Splitters.forPattern(pattern);
      this.handWritten = s.engine().equals("hand-written") ? s : null;
    }

    void check(String text) {
      if (stepsIntoPairs) text = text.codePoints().map(c -> c > 0xFFFF ? 0x3A9 : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
      byte[] utf8 = GoldenTest.utf8(text);
      byte[] big = GoldenTest.padded(utf8);
      int[] want = pieces(regex, big, utf8.length);
      int[] got = pieces(compiled, big, utf8.length);
      if (!Arrays.equals(want, got)) fail(differ(text, got, want, "java.util.regex"));
      if (handWritten != null) {
        int[] hand = pieces(handWritten, big, utf8.length);
        if (!Arrays.equals(hand, got)) fail(differ(text, got, hand, "hand-written"));
      }
    }

    /** Against the hand-written splitter only. */
    void checkHandWritten(String text) {
      byte[] utf8 = GoldenTest.utf8(text);
      byte[] big = GoldenTest.padded(utf8);
      int[] got = pieces(compiled, big, utf8.length);
      int[] hand = pieces(handWritten, big, utf8.length);
      if (!Arrays.equals(hand, got)) fail(differ(text, got, hand, "hand-written"));
    }

    private String differ(String text, int[] got, int[] want, String other) {
      int k = Arrays.mismatch(got, want);
      int from = Math.max(0, k - 3);
      return name + " on " + GoldenTest.repr(text, 200) + ": from piece " + from + ", compiled "
          + Arrays.toString(Arrays.copyOfRange(got, from, Math.min(got.length, k + 4))) + ", " + other + " "
          + Arrays.toString(Arrays.copyOfRange(want, from, Math.min(want.length, k + 4)))
          + " (offsets from " + PAD + ")";
    }

    private static int[] pieces(Splitter s, byte[] big, int length) {
      IntList ends = new IntList(16);
      s.split(big, PAD, PAD + length, ends);
      return ends.toArray();
    }
  }

  private static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    int k = 0;
    for (String p : TIKTOKEN) cases.add(new Case("tiktoken " + (k++) + " " + p, p, false));
    k = 0;
    for (String p : HF) cases.add(new Case("tokenizer.json " + (k++) + " " + p, p, true));
    k = 0;
    for (String p : CONSTRUCTS) {
      cases.add(new Case("constructs " + k + " " + p, p, false));
      cases.add(new Case("constructs " + (k++) + " (Oniguruma) " + p, p, true));
    }
    assertFalse(cases.isEmpty());
    return cases.stream();
  }
}
