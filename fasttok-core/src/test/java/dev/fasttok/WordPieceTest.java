package dev.fasttok;

import static dev.fasttok.SentencePieceFiles.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The component-built tokenizer.json family (WordPiece, WordLevel and the BERT-style
 * normalizers, pre-tokenizers, post-processors and decoder) against ids, templates and decodes
 * written by Hugging Face tokenizers 0.23.2 (src/test/oracle/make-wordpiece-golden.py,
 * golden/wordpiece): bert-base-uncased's vocabulary made into BertWordPieceTokenizer's file, and
 * variants of it. Also every code point in context, the compact form, token ends in the
 * caller's text, and the errors for what is not supported.
 */
class WordPieceTest {
  private static final String ROOT = "/golden/wordpiece/";
  private static final List<String> SETS = List.of("prose", "code", "multilingual", "special", "contractions",
      "whitespace", "digits", "emoji", "scripts", "surrogates", "long", "added");
  private static final Map<String, Object> MANIFEST = obj(Json.parse(Jsonl.read(ROOT + "manifest.json"), "manifest.json"));
  private static final Map<String, Encoding> ENCODINGS = new ConcurrentHashMap<>();

  private static List<Map<String, Object>> tokenizers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object t : (List<?>) MANIFEST.get("tokenizers")) out.add(obj(t));
    return out;
  }

  /**
   * The tokenizer.json text of a tokenizer: a committed file (the base, bert-uncased, or a
   * trained one such as bert-cased-sample), or the base with a variant's overlay applied as the
   * generator applied it (top-level keys replace the base's; model keys replace the model's, a
   * WordLevel model keeping only the vocabulary).
   */
  static String json(String name) {
    String own = ROOT + "tokenizers/" + name + ".tokenizer.json.gz";
    if (WordPieceTest.class.getResource(own) != null) return Jsonl.read(own);
    String base = Jsonl.read(ROOT + "tokenizers/bert-uncased.tokenizer.json.gz");
    Map<String, Object> t = obj(Json.parse(base, "base"));
    Map<String, Object> overlay = obj(Json.parse(Jsonl.read(ROOT + "variants/" + name + ".json"), name));
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      if (e.getKey().equals("model")) {
        Map<String, Object> m = obj(t.get("model"));
        Map<String, Object> o = obj(e.getValue());
        if ("WordLevel".equals(o.get("type"))) {
          Object vocab = m.get("vocab");
          m.clear();
          m.put("type", "WordLevel");
          m.put("vocab", vocab);
        }
        m.putAll(o);
      } else {
        t.put(e.getKey(), e.getValue());
      }
    }
    return HuggingFaceTest.write(t);
  }

  static Encoding encoding(String name) {
    return ENCODINGS.computeIfAbsent(name, n -> load(json(n), n + "/tokenizer.json"));
  }

  private static Encoding load(String json, String source) {
    try {
      return Encodings.fromTokenizerJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Golden ids, templates and decodes

  @TestFactory
  Stream<DynamicNode> goldenIds() {
    List<DynamicNode> tests = new ArrayList<>();
    for (Map<String, Object> t : tokenizers()) {
      String name = (String) t.get("name");
      for (String set : SETS) {
        tests.add(DynamicTest.dynamicTest(name + " " + set, () -> {
          Encoding enc = encoding(name);
          List<String> docs = docs(set);
          List<int[]> want = Jsonl.readIdArrays(ROOT + name + "/" + set + ".jsonl.gz");
          assertEquals(docs.size(), want.size());
          Map<String, Object> template = obj(t.get("template"));
          int[] before = ints(template.get("before"));
          int[] after = ints(template.get("after"));
          List<String> failures = new ArrayList<>();
          for (int i = 0; i < docs.size(); i++) {
            String doc = docs.get(i);
            int[] got = enc.encodeOrdinary(doc);
            if (!Arrays.equals(want.get(i), got)) {
              failures.add("line " + (i + 1) + " " + GoldenTest.repr(doc, 120) + ": "
                  + GoldenTest.describeDifference(enc, doc, want.get(i), got));
              continue;
            }
            byte[] utf8 = Utf8.encode(doc);
            if (!Arrays.equals(got, enc.encodeOrdinary(utf8, 0, utf8.length))) {
              failures.add("line " + (i + 1) + ": bytes");
            }
            if (enc.countTokens(doc) != got.length) failures.add("line " + (i + 1) + ": count");
            int[] withTemplate = concat(before, got, after);
            if (!Arrays.equals(withTemplate, enc.encode(doc, true))) failures.add("line " + (i + 1) + ": template");
            if (!Arrays.equals(got, enc.encode(doc, false))) failures.add("line " + (i + 1) + ": no template");
          }
          assertTrue(failures.isEmpty(), failures.size() + " documents differ, e.g. "
              + failures.subList(0, Math.min(3, failures.size())));
        }));
      }
      tests.add(DynamicTest.dynamicTest(name + " decode", () -> {
        Encoding enc = encoding(name);
        List<Jsonl.DecodeCase> cases = Jsonl.readDecodeCases(ROOT + name + "/decode.jsonl.gz");
        assertTrue(cases.size() > 100);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
          String got = enc.decode(cases.get(i).ids);
          if (!got.equals(cases.get(i).text)) {
            failures.add("line " + (i + 1) + ": want " + GoldenTest.repr(cases.get(i).text, 100) + " got "
                + GoldenTest.repr(got, 100));
          }
        }
        assertTrue(failures.isEmpty(), failures.size() + " decodes differ, e.g. " + failures.subList(0, Math.min(3,
            failures.size())));
      }));
    }
    return tests.stream();
  }

  /** The documents of a set: golden/docs, or added-token text from golden/hf/docs. */
  private static List<String> docs(String set) {
    return set.equals("added") ? Jsonl.readStrings("/golden/hf/docs/added.jsonl") : Golden.docs(set);
  }

  /**
   * Where each token ends in the caller's text, through the normalizer's alignments, equals the
   * end of tokenizers' offsets for that token: what chunk and truncate cut at.
   */
  @TestFactory
  Stream<DynamicNode> tokenEndsAreTokenizersOffsets() {
    return tokenizers().stream().map(t -> (String) t.get("name")).map(name -> DynamicTest.dynamicTest(name, () -> {
      byte[] json = json(name).getBytes(StandardCharsets.UTF_8);
      Pipeline p = Pipeline.of(TokenizerJson.read(json, name, name));
      Pipeline.Workspace w = p.newWorkspace();
      List<String> failures = new ArrayList<>();
      List<String> lines = Jsonl.readLines(ROOT + name + "/offsets.jsonl.gz");
      for (String line : lines) {
        if (line.isEmpty()) continue;
        Map<String, Object> c = obj(Json.parse(line, "offsets"));
        String doc = (String) c.get("doc");
        int[] want = ints(c.get("ends"));
        byte[] b = Utf8.encode(doc);
        IntList ends = new IntList(16);
        int n = p.tokenEnds(b, 0, b.length, Integer.MAX_VALUE - 1, ends, w);
        int[] got = new int[n];
        // Byte offsets to UTF-16 indices, as the golden file has them.
        for (int i = 0; i < n; i++) got[i] = Utf8.charCount(b, 0, ends.a[i]);
        if (!Arrays.equals(want, got)) {
          failures.add(GoldenTest.repr(doc, 80) + ": want " + Arrays.toString(want) + " got " + Arrays.toString(got));
        }
      }
      assertTrue(lines.size() > 100);
      assertTrue(failures.isEmpty(), failures.size() + " documents differ, e.g. " + failures.subList(0, Math.min(3,
          failures.size())));
    }));
  }

  // ------------------------------------------------------------------------------------------
  // Every code point in context

  @TestFactory
  Stream<DynamicNode> everyCodePointInContext() {
    List<String> lines = Jsonl.readLines(ROOT + "codepoints.txt.gz");
    int block = -1;
    List<String> templates = null;
    Map<String, List<String>> byTokenizer = new java.util.LinkedHashMap<>();
    List<String> current = null;
    for (String line : lines) {
      if (line.startsWith("#")) continue;
      if (line.startsWith("block ")) block = Integer.parseInt(line.substring(6));
      else if (line.startsWith("templates ")) templates = Jsonl.parseStringArray(line.substring(10));
      else if (line.startsWith("join ")) continue;
      else if (line.startsWith("tokenizer ")) byTokenizer.put(line.substring(10), current = new ArrayList<>());
      else current.add(line);
    }
    int size = block;
    List<String> contexts = templates;
    assertEquals(0x110000 / size, byTokenizer.get("bert-uncased").size());
    return byTokenizer.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      CodePointBlocks.check(encoding(e.getKey()), size, contexts, e.getValue());
    }));
  }

  // ------------------------------------------------------------------------------------------
  // The encoding around the ids

  @Test
  void bertBasics() {
    Encoding enc = encoding("bert-uncased");
    assertEquals("BertPreTokenizer", enc.pattern());
    assertEquals(30522, enc.vocabularySize());
    assertEquals(Set.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), enc.specialTokens().keySet());
    assertEquals(101, enc.specialTokens().get("[CLS]"));
    // A special token in the text is found whatever is asked, and refused where it is not allowed.
    int[] ids = enc.encodeOrdinary("Hello [MASK] world");
    assertTrue(Arrays.stream(ids).anyMatch(i -> i == 103));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.encode("Hello [MASK] world"));
    assertTrue(e.getMessage().contains("[MASK]") && e.getMessage().contains("index 6"), e.getMessage());
    assertArrayEquals(ids, enc.encode("Hello [MASK] world", Set.of("[MASK]")));
    assertThrows(IllegalArgumentException.class, () -> enc.decode(new int[] {30522}));
    // Ill-formed UTF-8 reads as U+FFFD (which clean_text drops), as for the other families.
    byte[] bad = {'a', 'b', (byte) 0xFF, ' ', 'c', (byte) 0xE2, (byte) 0x82};
    assertArrayEquals(enc.encodeOrdinary(new String(bad, StandardCharsets.UTF_8)), enc.encodeOrdinary(bad, 0, bad.length));
  }

  @Test
  void compactFormRoundTrips() throws IOException {
    for (Map<String, Object> t : tokenizers()) {
      String name = (String) t.get("name");
      Encoding enc = encoding(name);
      byte[] compact = enc.toBytes();
      Encoding back = Encodings.fromBytes(compact);
      assertEquals(enc.name(), back.name());
      assertEquals(enc.pattern(), back.pattern());
      assertEquals(enc.specialTokens(), back.specialTokens());
      assertEquals(enc.vocabularySize(), back.vocabularySize());
      assertArrayEquals(compact, back.toBytes());
      assertSame(back, Encodings.fromBytes(compact.clone()));
      for (String doc : Golden.docs("multilingual")) {
        assertArrayEquals(enc.encode(doc, true), back.encode(doc, true), name + ": " + doc);
      }
    }
    // A .ftok file of it reads back the same way.
    Encoding enc = encoding("bert-uncased");
    Encoding file = Encodings.readVocabulary("bert.ftok", new ByteArrayInputStream(enc.toBytes()), null);
    assertEquals(enc.name(), file.name());
    for (String doc : Golden.docs("special")) assertArrayEquals(enc.encode(doc, true), file.encode(doc, true), doc);
    byte[] compact = enc.toBytes();
    compact[compact.length / 2] ^= 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromBytes(compact));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    byte[] truncated = Arrays.copyOf(enc.toBytes(), 100);
    e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromBytes(truncated));
    assertTrue(e.getMessage().contains("compact vocabulary"), e.getMessage());
  }

  @Test
  void tokenEndsMapToTheCallersText() {
    // Uncased BERT changes the text (lowercase, accents, CJK spacing, control characters), yet
    // chunks are slices of the text itself and concatenate to it.
    Encoding enc = encoding("bert-uncased");
    for (String set : List.of("multilingual", "prose", "special", "scripts")) {
      for (String doc : Golden.docs(set)) {
        int[] ids = enc.encodeOrdinary(doc);
        List<Encoding.Chunk> chunks = enc.chunk(doc, 5, 0);
        StringBuilder joined = new StringBuilder();
        List<Integer> all = new ArrayList<>();
        for (Encoding.Chunk c : chunks) {
          joined.append(c.text());
          assertEquals(doc.substring(c.start(), c.end()), c.text());
          for (int id : c.ids()) all.add(id);
        }
        if (ids.length > 0) assertEquals(Utf8.encode(doc).length, Utf8.encode(joined.toString()).length, doc);
        assertArrayEquals(ids, all.stream().mapToInt(Integer::intValue).toArray(), doc);
        String cut = enc.truncate(doc, 7);
        assertTrue(doc.startsWith(cut));
        assertTrue(enc.countTokens(cut) <= 7, doc);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // What is not supported

  @Test
  void unsupportedComponentsAreNamedWithTheirPath() {
    check("normalizer Nmt at normalizer.normalizers[1]", m -> m.put("normalizer",
        obj(Json.parse("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFD\"},{\"type\":\"Nmt\"}]}", "t"))));
    check("pre_tokenizer Sideways at pre_tokenizer.pretokenizers[1]", m -> m.put(
        "pre_tokenizer", obj(Json.parse("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Metaspace\","
            + "\"replacement\":\"\u2581\"},{\"type\":\"Sideways\"}]}", "t"))));
    check("Punctuation behavior Sideways at pre_tokenizer.behavior", m -> m.put("pre_tokenizer",
        obj(Json.parse("{\"type\":\"Punctuation\",\"behavior\":\"Sideways\"}", "t"))));
    check("post_processor PairProcessing at post_processor.processors[1]", m -> m.put("post_processor",
        obj(Json.parse("{\"type\":\"Sequence\",\"processors\":[{\"type\":\"RobertaProcessing\",\"sep\":"
            + "[\"[SEP]\",102],\"cls\":[\"[CLS]\",101]},{\"type\":\"PairProcessing\"}]}", "t"))));
    check("decoder Sideways at decoder.decoders[1]", m -> m.put("decoder",
        obj(Json.parse("{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"WordPiece\"},"
            + "{\"type\":\"Sideways\"}]}", "t"))));
    check("truncation", m -> m.put("truncation", obj(Json.parse("{\"max_length\":512}", "t"))));
  }

  /**
   * An unk_token that is not in the vocabulary is an error only when a word needs it, as in
   * tokenizers ("Missing [UNK] token from the vocabulary"); words that need none still encode.
   */
  @Test
  void missingUnknownTokenFailsOnlyWhereNeeded() {
    for (String type : List.of("WordPiece", "WordLevel")) {
      Map<String, Object> t = obj(Json.parse(json("bert-uncased"), "base"));
      obj(t.get("model")).put("type", type);
      obj(t.get("model")).put("unk_token", "[NOPE]");
      Encoding enc = load(HuggingFaceTest.write(t), "nope/tokenizer.json");
      assertEquals(2, enc.encodeOrdinary("hello world").length); // both words are tokens: no unknown token needed
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> enc.encodeOrdinary("hello \u2603\u2603 qqqzzz"));
      assertTrue(e.getMessage().contains(type) && e.getMessage().contains("[NOPE]"), e.getMessage());
    }
  }

  private static void check(String expected, Consumer<Map<String, Object>> change) {
    Map<String, Object> t = obj(Json.parse(json("bert-uncased"), "base"));
    change.accept(t);
    String text = HuggingFaceTest.write(t);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(text, "bad/tokenizer.json"));
    assertTrue(e.getMessage().contains("unsupported " + expected) && e.getMessage().contains("bad/tokenizer.json"),
        e.getMessage());
  }

  private static int[] ints(Object o) {
    List<?> l = (List<?>) o;
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = (int) (long) (Long) l.get(i);
    return a;
  }

  private static int[] concat(int[] a, int[] b, int[] c) {
    int[] out = Arrays.copyOf(a, a.length + b.length + c.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
