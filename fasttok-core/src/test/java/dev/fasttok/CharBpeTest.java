package dev.fasttok;

import static dev.fasttok.SentencePieceFiles.list;
import static dev.fasttok.SentencePieceFiles.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link CharBpe} against model-only ids written by Hugging Face tokenizers (see
 * src/test/oracle/make-spbpe-golden.py and golden/hf/spbpe/README.md): Llama 2's real file,
 * small files trained with tokenizers' BpeTrainer for the options Llama 2 does not use, small
 * random models for the corners of merging, and Llama 2's and Gemma 3's files when
 * {@code -Dfasttok.llama2} and {@code -Dfasttok.gemma3} point at them (their ids are committed).
 */
class CharBpeTest {
  private static final Map<String, Object> MANIFEST =
      obj(Json.parse(String.join("\n", Jsonl.readLines(SentencePieceFiles.ROOT + "manifest.json")), "manifest.json"));
  private static final Map<String, Map<String, Object>> FILES = new ConcurrentHashMap<>();
  private static final Map<String, CharBpe> MODELS = new ConcurrentHashMap<>();

  private static Map<String, Object> file(String name) {
    return FILES.computeIfAbsent(name, SentencePieceFiles::tokenizerJson);
  }

  private static CharBpe model(String name) {
    return MODELS.computeIfAbsent(name, n -> SentencePieceFiles.model(obj(file(n).get("model"))));
  }

  private static List<String> docs(String set) {
    return set.equals("extra") ? Jsonl.readStrings(SentencePieceFiles.ROOT + "extra.jsonl") : Golden.docs(set);
  }

  /** The tokenizers of the manifest; Gemma 3 only when its file is given. */
  private static List<String> tokenizers() {
    List<String> names = new ArrayList<>();
    for (String name : obj(MANIFEST.get("tokenizers")).keySet()) {
      if (SentencePieceFiles.available(name)) names.add(name);
    }
    return names;
  }

  // ------------------------------------------------------------------------------------------
  // Golden ids

  @TestFactory
  Stream<DynamicNode> goldenIds() {
    return tokenizers().stream().map(name -> DynamicContainer.dynamicContainer(name,
        list(obj(obj(MANIFEST.get("tokenizers")).get(name)).get("sets")).stream().map(set ->
            DynamicTest.dynamicTest(name + "/" + set, () -> checkSet(name, (String) set)))));
  }

  private static void checkSet(String name, String set) {
    Map<String, Object> tok = file(name);
    CharBpe model = model(name);
    List<String> docs = docs(set);
    List<int[]> want = Jsonl.readIdArrays(SentencePieceFiles.ROOT + name + "/" + set + ".jsonl.gz");
    assertEquals(docs.size(), want.size(), "documents in " + set);
    List<String> bad = new ArrayList<>();
    for (int n = 0; n < docs.size(); n++) {
      int[] got = SentencePieceFiles.ids(model, tok, docs.get(n));
      if (!Arrays.equals(want.get(n), got)) bad.add(describe(n, want.get(n), got));
    }
    assertTrue(bad.isEmpty(), name + "/" + set + ": " + bad.size() + " documents differ: " + head(bad));
  }

  private static String describe(int n, int[] want, int[] got) {
    int i = 0;
    while (i < want.length && i < got.length && want[i] == got[i]) i++;
    return "doc " + n + " at token " + i + " (want " + want.length + " tokens, got " + got.length + "): want "
        + Arrays.toString(Arrays.copyOfRange(want, i, Math.min(want.length, i + 6))) + " got "
        + Arrays.toString(Arrays.copyOfRange(got, i, Math.min(got.length, i + 6)));
  }

  private static String head(List<String> bad) {
    return String.join("; ", bad.subList(0, Math.min(5, bad.size())));
  }

  /**
   * Small random models over a few characters: many pairs making the same token, a pair listed
   * twice, legacy merges, and every combination of the unknown token, byte fallback with
   * missing byte tokens, prefix, suffix and ignore_merges. Where tokenizers fails (its unknown
   * token is not in the vocabulary), so does the model.
   */
  @TestFactory
  Stream<DynamicTest> syntheticModels() {
    List<String> lines = Jsonl.readLines(SentencePieceFiles.ROOT + "synthetic.jsonl.gz");
    List<DynamicTest> tests = new ArrayList<>();
    for (int k = 0; k < lines.size(); k++) {
      Map<String, Object> c = obj(Json.parse(lines.get(k), "synthetic.jsonl.gz:" + (k + 1)));
      tests.add(DynamicTest.dynamicTest("model " + k, () -> {
        CharBpe model = SentencePieceFiles.model(obj(c.get("model")));
        List<Object> texts = list(c.get("texts"));
        List<Object> ids = list(c.get("ids"));
        for (int i = 0; i < texts.size(); i++) {
          String t = (String) texts.get(i);
          if (ids.get(i) == null) {
            assertThrows(IllegalArgumentException.class, () -> model.encode(t, 0, t.length(), new IntList(8), null),
                "tokenizers fails on \"" + t + "\"");
            continue;
          }
          int[] want = list(ids.get(i)).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
          IntList got = new IntList(8);
          IntList ends = new IntList(8);
          int n = model.encode(t, 0, t.length(), got, ends);
          assertArrayEquals(want, got.toArray(), "text \"" + t + "\" of " + c.get("model"));
          assertEquals(n, got.size);
          // Without an unknown token, unknown characters are dropped, so the last may end early.
          checkEnds(t, 0, t.length(), ends, n, obj(c.get("model")).get("unk_token") != null);
        }
      }));
    }
    return tests.stream();
  }

  /** Every code point in the contexts of golden/codepoints.txt (golden/hf/spbpe/codepoints.txt). */
  @TestFactory
  Stream<DynamicTest> everyCodePointInContext() {
    List<String> lines = Jsonl.readLines(SentencePieceFiles.ROOT + "codepoints.txt");
    int block = 0;
    List<String> templates = null;
    String join = null;
    Map<String, List<long[]>> expected = new LinkedHashMap<>();
    List<long[]> current = null;
    for (String line : lines) {
      if (line.startsWith("#")) continue;
      if (line.startsWith("block ")) block = Integer.parseInt(line.substring(6));
      else if (line.startsWith("templates ")) templates = Jsonl.parseStringArray(line.substring(10));
      else if (line.startsWith("join ")) join = Jsonl.parseString(line.substring(5));
      else if (line.startsWith("tokenizer ")) expected.put(line.substring(10), current = new ArrayList<>());
      else {
        String[] f = line.split(" ");
        current.add(new long[] {Long.parseLong(f[1]), (int) Long.parseLong(f[2], 16)});
      }
    }
    int size = block;
    List<String> tpl = templates;
    String sep = join;
    assertFalse(expected.isEmpty(), "no tokenizer in codepoints.txt");
    List<String> available = tokenizers();
    return expected.entrySet().stream().filter(e -> available.contains(e.getKey())).map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      Map<String, Object> tok = file(e.getKey());
      CharBpe model = model(e.getKey());
      List<long[]> blocks = e.getValue();
      assertEquals(0x110000 / size, blocks.size(), "blocks of " + e.getKey());
      List<String> bad = new ArrayList<>();
      for (int b = 0; b < blocks.size(); b++) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < tpl.size(); k++) {
          if (k > 0) sb.append(sep);
          for (int cp = b * size; cp < (b + 1) * size; cp++) {
            // A surrogate code point stays a lone surrogate here; the generator wrote U+FFFD.
            String x = cp >= 0xD800 && cp <= 0xDFFF ? String.valueOf((char) cp) : new String(Character.toChars(cp));
            sb.append(tpl.get(k).replace("X", x));
          }
        }
        int[] ids = SentencePieceFiles.ids(model, tok, sb.toString());
        if (ids.length != blocks.get(b)[0] || CodePointsTest.fnv(ids) != blocks.get(b)[1]) {
          bad.add(String.format("U+%04X..U+%04X", b * size, (b + 1) * size - 1));
        }
      }
      assertTrue(bad.isEmpty(), e.getKey() + " differs from Hugging Face in " + bad.size() + " blocks: "
          + bad.subList(0, Math.min(20, bad.size())));
    }));
  }

  /** One model shared by threads (each with its own scratch space and segment cache). */
  @Test
  void threadsSharingAModelGetTheGoldenIds() throws Exception {
    String name = SentencePieceFiles.llama2OrSample();
    Map<String, Object> tok = file(name);
    CharBpe model = model(name);
    List<String> docs = new ArrayList<>(Golden.docs("multilingual"));
    docs.addAll(Golden.docs("prose"));
    List<int[]> want = new ArrayList<>(Jsonl.readIdArrays(SentencePieceFiles.ROOT + name + "/multilingual.jsonl.gz"));
    want.addAll(Jsonl.readIdArrays(SentencePieceFiles.ROOT + name + "/prose.jsonl.gz"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int shift = t;
        results.add(pool.submit(() -> {
          int bad = 0;
          for (int k = 0; k < docs.size(); k++) {
            int n = (k + shift * 7) % docs.size();
            if (!Arrays.equals(want.get(n), SentencePieceFiles.ids(model, tok, docs.get(n)))) bad++;
          }
          return bad;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : results) assertEquals(0, f.get());
    } finally {
      pool.shutdown();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Token ends

  /**
   * Ends never go back, stay in the piece, the last is the piece's end, and each token that is
   * text of the vocabulary (not a fallback byte or the unknown token) covers exactly that text.
   */
  @Test
  void endsCoverTheTokensText() {
    for (String name : new java.util.LinkedHashSet<>(List.of(SentencePieceFiles.llama2OrSample(), "sample-bf"))) {
      Map<String, Object> tok = file(name);
      Map<Integer, String> tokens = SentencePieceFiles.tokens(obj(tok.get("model")));
      CharBpe model = model(name);
      for (String set : List.of("prose", "multilingual", "emoji", "extra", "surrogates")) {
        for (String doc : docs(set)) {
          for (String p : SentencePieceFiles.pieces(tok, doc)) {
            String q = "#" + p + "#"; // the piece inside a longer text: ends are indices in the text
            IntList ids = new IntList(64);
            IntList ends = new IntList(64);
            int n = model.encode(q, 1, q.length() - 1, ids, ends);
            checkEnds(q, 1, q.length() - 1, ends, n, true);
            int prev = 1;
            for (int i = 0; i < n; i++) {
              String t = tokens.get(ids.a[i]);
              if (SentencePieceDecoders.byteToken(t) < 0 && !t.equals("<unk>") && noLoneSurrogate(q, prev, ends.a[i])) {
                assertEquals(t, q.substring(prev, ends.a[i]), name + " token " + i + " of " + set + " document");
              }
              prev = ends.a[i];
            }
          }
        }
      }
    }
  }

  private static boolean noLoneSurrogate(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) i++;
      else if (Character.isSurrogate(c)) return false;
    }
    return true;
  }

  private static void checkEnds(String text, int from, int to, IntList ends, int n, boolean reachesEnd) {
    assertEquals(n, ends.size, "one end per token");
    int prev = from;
    for (int i = 0; i < n; i++) {
      assertTrue(ends.a[i] >= prev && ends.a[i] <= to, "end " + i + " = " + ends.a[i] + " after " + prev);
      prev = ends.a[i];
    }
    if (n > 0 && reachesEnd) assertEquals(to, ends.a[n - 1], "the last token ends the piece");
  }

  @Test
  void byteFallbackTokensEndAtTheCharactersStartUntilTheLastByte() {
    String name = SentencePieceFiles.llama2OrSample();
    CharBpe model = model(name);
    String s = "\u2581\uD83E\uDEE8"; // a character newer than Llama 2's vocabulary: four fallback bytes
    IntList ids = new IntList(8);
    IntList ends = new IntList(8);
    model.encode(s, 0, s.length(), ids, ends);
    Map<Integer, String> tokens = SentencePieceFiles.tokens(obj(file(name).get("model")));
    List<String> t = new ArrayList<>();
    for (int i = 0; i < ids.size; i++) t.add(tokens.get(ids.a[i]));
    assertEquals(List.of("\u2581", "<0xF0>", "<0x9F>", "<0xAB>", "<0xA8>"), t);
    assertArrayEquals(new int[] {1, 1, 1, 1, 3}, ends.toArray());
  }

  @Test
  void loneSurrogatesAreTakenAsReplacementCharacters() {
    CharBpe model = model(SentencePieceFiles.llama2OrSample());
    for (String s : List.of("a\uD800b", "\uDC00", "x\uD83D", "\uDE00\uD83D\uDE00")) {
      String fixed = s.replaceAll("\\p{Cs}", "\uFFFD");
      IntList a = new IntList(8);
      IntList b = new IntList(8);
      model.encode(s, 0, s.length(), a, null);
      model.encode(fixed, 0, fixed.length(), b, null);
      assertArrayEquals(b.toArray(), a.toArray(), s);
    }
  }

  @Test
  void encodesOnlyItsRangeAndAppends() {
    CharBpe model = model(SentencePieceFiles.llama2OrSample());
    String doc = "\u2581Hello\u2581world";
    IntList whole = new IntList(8);
    model.encode(doc, 0, doc.length(), whole, null);
    IntList ids = new IntList(8);
    ids.add(-7);
    String padded = "xx" + doc + "yy";
    int n = model.encode(padded, 2, 2 + doc.length(), ids, null);
    assertEquals(whole.size, n);
    assertEquals(-7, ids.a[0]);
    assertArrayEquals(whole.toArray(), Arrays.copyOfRange(ids.a, 1, ids.size));
    assertEquals(0, model.encode(padded, 3, 3, ids, null));
    assertEquals(n + 1, ids.size);
  }

  // ------------------------------------------------------------------------------------------
  // Long pieces

  // ------------------------------------------------------------------------------------------
  // Construction

  @Test
  void dropoutOtherThanZeroIsRefused() {
    Map<String, Integer> vocab = Map.of("a", 0, "b", 1, "ab", 2);
    List<String[]> merges = List.<String[]>of(new String[] {"a", "b"});
    assertNotNull(CharBpe.of(vocab, merges, null, false, false, null, null, false, null));
    assertNotNull(CharBpe.of(vocab, merges, null, false, false, null, null, false, 0.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CharBpe.of(vocab, merges, null, false, false, null, null, false, 0.1));
    assertTrue(e.getMessage().contains("dropout"), e.getMessage());
  }

  @Test
  void mergesOutsideTheVocabularyAreRefused() {
    Map<String, Integer> vocab = Map.of("a", 0, "b", 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CharBpe.of(vocab, List.<String[]>of(new String[] {"a", "b"}), null, false, false, null, null, false, null));
    assertTrue(e.getMessage().contains("\"ab\""), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CharBpe.of(vocab, List.<String[]>of(new String[] {"a", "c"}), null, false, false, null, null, false, null));
    assertTrue(e.getMessage().contains("\"c\""), e.getMessage());
  }

  @Test
  void legacyMergesAreTwoTokensAroundOneSpace() {
    List<String[]> m = CharBpe.legacyMerges(List.of("#version: 0.2", "a b", "\u2581 t"));
    assertEquals(2, m.size());
    assertArrayEquals(new String[] {"a", "b"}, m.get(0));
    assertArrayEquals(new String[] {"\u2581", "t"}, m.get(1));
    assertThrows(IllegalArgumentException.class, () -> CharBpe.legacyMerges(List.of("a  b")));
    assertThrows(IllegalArgumentException.class, () -> CharBpe.legacyMerges(List.of("ab")));
    assertThrows(IllegalArgumentException.class, () -> CharBpe.legacyMerges(List.of("a b c")));
  }
}
