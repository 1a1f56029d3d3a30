package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * fasttok on Hugging Face tokenizer.json files against token ids written by the Rust
 * {@code tokenizers} library (npm {@code tokenizers}; see src/test/oracle/make-hf-golden.mjs and
 * golden/hf/README.md): Qwen3's real file, tokenizer.json files built from tiktoken vocabularies
 * as the oracle's make_hf_tokenizer.mjs builds them, and variants of those with other
 * normalizers, pre-tokenizers, added tokens and templates. Also the errors for what is not
 * supported.
 */
class HuggingFaceTest {
  private static final String ROOT = "/golden/hf/";
  private static final int PAD = 13;

  private static final Map<String, Object> MANIFEST = manifest();
  private static final Map<String, Encoding> ENCODINGS = new ConcurrentHashMap<>();
  private static final Map<String, Map<String, Object>> BASES = new ConcurrentHashMap<>();

  // ------------------------------------------------------------------------------------------
  // Golden ids

  @TestFactory
  Stream<DynamicNode> goldenIds() {
    return tokenizers().stream().map(t -> DynamicContainer.dynamicContainer(name(t), strings(t.get("sets")).stream()
        .map(set -> DynamicTest.dynamicTest(name(t) + "/" + set, () -> checkSet(t, set)))));
  }

  private static void checkSet(Map<String, Object> t, String set) {
    Encoding enc = encoding(t);
    List<String> docs = docs(set);
    List<int[]> want = Jsonl.readIdArrays(ROOT + name(t) + "/" + set + ".jsonl.gz");
    assertEquals(docs.size(), want.size(), "lines in docs/" + set + " and " + name(t) + "/" + set);
    Map<String, Object> template = obj(t.get("template"));
    int[] before = ints(template.get("before"));
    int[] after = ints(template.get("after"));
    Failures f = new Failures(enc, name(t) + "/" + set + ".jsonl.gz");
    for (int n = 0; n < docs.size(); n++) {
      String doc = docs.get(n);
      int[] ids = want.get(n);
      f.compare(n, doc, "encodeOrdinary(String)", ids, enc.encodeOrdinary(doc));
      f.compare(n, doc, "encode(String, false)", ids, enc.encode(doc, false));
      f.compare(n, doc, "encode(String, true)", concat(before, ids, after), enc.encode(doc, true));
      byte[] utf8 = GoldenTest.utf8(doc);
      byte[] big = GoldenTest.padded(utf8);
      f.compare(n, doc, "encodeOrdinary(byte[])", ids, enc.encodeOrdinary(big, PAD, utf8.length));
      f.compare(n, doc, "encode(byte[], true)", concat(before, ids, after), enc.encode(big, PAD, utf8.length, true));
      int count = enc.countTokens(doc);
      if (count != ids.length) f.add(n, doc, "countTokens(String) = " + count + ", expected " + ids.length);
      count = enc.countTokens(big, PAD, utf8.length);
      if (count != ids.length) f.add(n, doc, "countTokens(byte[]) = " + count + ", expected " + ids.length);
      // Every special token allowed: the same ids.
      f.compare(n, doc, "encode(String, all special)", ids, enc.encode(doc, enc.specialTokens().keySet()));
    }
    f.check();
  }

  @TestFactory
  Stream<DynamicNode> decode() {
    return tokenizers().stream().filter(t -> Boolean.TRUE.equals(t.get("decode")))
        .map(t -> DynamicTest.dynamicTest(name(t) + "/decode", () -> {
          Encoding enc = encoding(t);
          List<Jsonl.DecodeCase> cases = Jsonl.readDecodeCases(ROOT + name(t) + "/decode.jsonl.gz");
          Failures f = new Failures(enc, name(t) + "/decode.jsonl.gz");
          for (int n = 0; n < cases.size(); n++) {
            Jsonl.DecodeCase c = cases.get(n);
            String got = enc.decode(c.ids);
            if (!got.equals(c.text)) {
              f.add(n, c.text, "decode(" + Arrays.toString(c.ids) + ") = " + GoldenTest.repr(got, 200)
                  + ", expected " + GoldenTest.repr(c.text, 200));
            }
          }
          f.check();
        }));
  }

  /** Every code point in context, as CodePointsTest does for tiktoken (golden/hf/codepoints.txt). */
  @TestFactory
  Stream<DynamicNode> everyCodePointInContext() {
    List<String> lines = Jsonl.readLines(ROOT + "codepoints.txt");
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
    return expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      Encoding enc = encoding(tokenizer(e.getKey()));
      List<long[]> blocks = e.getValue();
      assertEquals(0x110000 / size, blocks.size(), "blocks of " + e.getKey());
      List<String> bad = new ArrayList<>();
      for (int b = 0; b < blocks.size(); b++) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < tpl.size(); k++) {
          if (k > 0) sb.append(sep);
          for (int cp = b * size; cp < (b + 1) * size; cp++) {
            String x = cp >= 0xD800 && cp <= 0xDFFF ? String.valueOf((char) cp) : new String(Character.toChars(cp));
            sb.append(tpl.get(k).replace("X", x));
          }
        }
        int[] ids = enc.encodeOrdinary(sb.toString());
        if (ids.length != blocks.get(b)[0] || CodePointsTest.fnv(ids) != blocks.get(b)[1]) {
          bad.add(String.format("U+%04X..U+%04X", b * size, (b + 1) * size - 1));
        }
      }
      assertTrue(bad.isEmpty(), e.getKey() + " differs from Hugging Face in " + bad.size() + " blocks: " + bad);
    }));
  }

  // ------------------------------------------------------------------------------------------
  // API

  @Test
  void qwen3Basics() {
    Encoding enc = encoding(tokenizer("qwen3"));
    assertEquals("qwen3", enc.name());
    assertEquals(151669, enc.vocabularySize());
    assertEquals(Cl100kSplitter.SINGLE_DIGIT_PATTERN, enc.pattern());
    Map<String, Integer> specials = enc.specialTokens();
    assertEquals(151643, specials.get("<|endoftext|>"));
    assertEquals(151644, specials.get("<|im_start|>"));
    assertEquals(14, specials.size());
    assertFalse(specials.containsKey("<think>"), "<think> is an added token, not a special one");
    // Added tokens are found in text, special or not.
    int[] ids = enc.encodeOrdinary("<|im_start|>user\n<think>hi</think><|im_end|>");
    assertEquals(151644, ids[0]);
    assertEquals(151645, ids[ids.length - 1]);
    assertTrue(Arrays.stream(ids).anyMatch(i -> i == 151667), "<think>");
    assertEquals("<|im_start|>user\n<think>hi</think><|im_end|>", enc.decode(ids));
    // tiktoken's rule for special tokens that are not allowed.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.encode("a <|im_end|>"));
    assertTrue(e.getMessage().contains("<|im_end|>") && e.getMessage().contains("index 2"), e.getMessage());
    assertArrayEquals(enc.encodeOrdinary("a <|im_end|>"), enc.encode("a <|im_end|>", Set.of("<|im_end|>")));
    assertArrayEquals(enc.encodeOrdinary("a <think>"), enc.encode("a <think>"), "non-special added tokens are allowed");
    assertThrows(IllegalArgumentException.class, () -> enc.encode("x", Set.of("<think>")));
  }

  @Test
  void compactFormKeepsThePipeline() {
    for (String name : List.of("qwen3", "added", "digits-nfkc", "roberta")) {
      Encoding enc = encoding(tokenizer(name));
      byte[] compact = enc.toBytes();
      Encoding back = Encodings.fromBytes(compact);
      assertSame(back, Encodings.fromBytes(compact.clone()));
      assertEquals(enc.name(), back.name());
      assertEquals(enc.pattern(), back.pattern());
      assertEquals(enc.vocabularySize(), back.vocabularySize());
      assertEquals(enc.specialTokens(), back.specialTokens());
      assertArrayEquals(compact, back.toBytes());
      for (String set : List.of("added", "special", "multilingual")) {
        for (String doc : docs(set)) {
          assertArrayEquals(enc.encode(doc, true), back.encode(doc, true), name + ": " + doc);
          int[] ids = enc.encodeOrdinary(doc);
          assertEquals(enc.decode(ids), back.decode(ids));
        }
      }
    }
  }

  @Test
  void readVocabularyTakesJson(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("my-model").resolve("tokenizer.json");
    Files.createDirectories(file.getParent());
    Files.write(file, tokenizerJsonBytes(tokenizer("added")));
    Encoding enc = Encodings.readVocabulary(file, null);
    assertEquals("my-model", enc.name());
    Encoding fromPath = Encodings.fromTokenizerJson(file);
    Encoding expected = encoding(tokenizer("added"));
    for (String doc : docs("added")) {
      assertArrayEquals(expected.encode(doc, true), enc.encode(doc, true), doc);
      assertArrayEquals(expected.encodeOrdinary(doc), fromPath.encodeOrdinary(doc), doc);
    }
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals("tok", Encodings.readVocabulary("s3://bucket/tok.json", in, "cl100k_base").name());
    }
  }

  @Test
  void vocabularySizeCoversAddedAndTemplateTokens() {
    // gpt2: <|endoftext|> is both a vocabulary token and the added special token 50256.
    Encoding gpt2 = encoding(tokenizer("gpt2"));
    assertEquals(50257, gpt2.vocabularySize());
    assertEquals(Map.of("<|endoftext|>", 50256), gpt2.specialTokens());
    assertArrayEquals(new int[] {50256}, gpt2.encodeOrdinary("<|endoftext|>"));
    assertEquals("<|endoftext|>", gpt2.decode(new int[] {50256}));
    // Its added token is normalized: found in the second pass, still refused with its place.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gpt2.encode("ab <|endoftext|>"));
    assertTrue(e.getMessage().contains("index 3"), e.getMessage());
    byte[] utf8 = "é <|endoftext|>".getBytes(StandardCharsets.UTF_8);
    e = assertThrows(IllegalArgumentException.class, () -> gpt2.encode(utf8, 0, utf8.length, Set.of()));
    assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
    Encoding roberta = encoding(tokenizer("roberta"));
    assertEquals(50261, roberta.vocabularySize());
    assertEquals("ByteLevel(add_prefix_space, " + R50kSplitter.PATTERN + ")", roberta.pattern());
  }

  @Test
  void truncateAndChunkFollowTheTokens() {
    for (String name : List.of("qwen3", "added", "roberta", "digits-nfkc", "split-prefix")) {
      Encoding enc = encoding(tokenizer(name));
      for (String set : List.of("added", "multilingual", "special")) {
        // encode(doc, addSpecialTokens=false) by Hugging Face's tokenizers
        List<int[]> golden = Jsonl.readIdArrays(ROOT + name + "/" + set + ".jsonl.gz");
        for (int d = 0; d < 50; d++) {
          String doc = docs(set).get(d);
          int total = enc.countTokens(doc);
          for (int max : new int[] {0, 1, 3, total / 2, total}) {
            String kept = enc.truncate(doc, max);
            assertTrue(enc.countTokens(kept) <= max, name + ": truncate(" + GoldenTest.repr(doc, 80) + ", " + max + ")");
            if (max == total) assertEquals(doc, kept);
          }
          if (total == 0) continue;
          List<Encoding.Chunk> chunks = enc.chunk(doc, 4, 0);
          StringBuilder joined = new StringBuilder();
          IntList ids = new IntList(16);
          for (Encoding.Chunk c : chunks) {
            joined.append(c.text());
            for (int id : c.ids()) ids.add(id);
          }
          assertArrayEquals(golden.get(d), ids.toArray(), name + ": chunk ids of " + GoldenTest.repr(doc, 80));
          int tokens = chunks.stream().mapToInt(Encoding.Chunk::tokenCount).sum();
          assertEquals(tokens, chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).tokenStart()
              + chunks.get(chunks.size() - 1).tokenCount(), name + ": chunk token counts of " + GoldenTest.repr(doc, 80));
          if (isNormalized(enc, doc)) {
            assertEquals(GoldenTest.wellFormed(doc), joined.toString(), name + ": chunks of " + GoldenTest.repr(doc, 80));
            assertEquals(total, tokens, name + ": chunk tokens of " + GoldenTest.repr(doc, 80));
          }
        }
      }
    }
  }

  private static boolean isNormalized(Encoding enc, String doc) {
    // The variants with a normalizer; Qwen3 normalizes with NFC.
    String s = GoldenTest.wellFormed(doc);
    String name = enc.name();
    int form = name.equals("digits-nfkc") || name.equals("added") ? HfNormalizer.NFKC
        : name.equals("qwen3") || name.equals("split-prefix") ? HfNormalizer.NFC : HfNormalizer.NONE;
    return HfNormalizer.normalize(s, form).equals(s);
  }

  @Test
  void normalizerFollowsUnicode9() {
    // U+07FD (Unicode 11) is a combining mark to the JDK, an unassigned starter to Hugging Face.
    assertEquals("e\u07FD\u0301", HfNormalizer.normalize("e\u07FD\u0301", HfNormalizer.NFC));
    assertEquals("\u00E9", HfNormalizer.normalize("e\u0301", HfNormalizer.NFC));
    assertEquals("\u32FF", HfNormalizer.normalize("\u32FF", HfNormalizer.NFKC)); // Reiwa: Unicode 12
    assertEquals("fine \u00E9", HfNormalizer.normalize("\uFB01ne e\u0301", HfNormalizer.NFKC));
  }

  // ------------------------------------------------------------------------------------------
  // What is not supported

  @Test
  void unsupportedComponentsAreNamed() {
    check("model", "Sentencepiece", m -> m.put("model", obj("{\"type\":\"Sentencepiece\",\"vocab\":[]}")));
    check("model option", "dropout", m -> obj(m.get("model")).put("dropout", 0.1));
    check("Split behavior", "Sideways", m -> m.put("pre_tokenizer", obj("{\"type\":\"Sequence\",\"pretokenizers\":["
        + "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"a\"},\"behavior\":\"Sideways\",\"invert\":false},{\"type\":\"ByteLevel\"}]}")));
    // tokenizers has five post-processors, all read here; a type it does not have is named.
    // A byte-level file the byte-level path does not read goes to the component pipeline, which
    // names what it refuses the same way (merges in one form: it refuses a mix, as tokenizers does).
    check("post_processor", "PairProcessing", m -> {
      m.put("post_processor", obj("{\"type\":\"Sequence\",\"processors\":[{\"type\":\"RobertaProcessing\","
          + "\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",0]},{\"type\":\"PairProcessing\"}]}"));
      obj(m.get("model")).put("merges", List.of(List.of("a", "b"), List.of("ab", "c")));
    });
    check("TemplateProcessing single template", "sequence B", m -> m.put("post_processor", obj(
        "{\"type\":\"TemplateProcessing\",\"single\":[{\"Sequence\":{\"id\":\"B\",\"type_id\":0}}],\"pair\":[],\"special_tokens\":{}}")));
    check("truncation", "truncation", m -> m.put("truncation", obj("{\"max_length\":512}")));
    check("padding", "padding", m -> m.put("padding", obj("{\"strategy\":\"BatchLongest\"}")));
  }

  /**
   * A BPE file without a ByteLevel pre-tokenizer (none, Metaspace, Digits alone) is BPE over
   * characters, as tokenizers reads it, and goes to the component pipeline; a byte-level file
   * stays on the byte-level pipeline unless it has a component only the component pipeline
   * reads (PreTokenizerTest checks those files' ids).
   */
  @Test
  void bpeWithoutByteLevelIsReadAsCharacterBpe() {
    assertTrue(pipelineWith(null) instanceof ComponentPipeline);
    assertTrue(pipelineWith("{\"type\":\"Metaspace\",\"replacement\":\"\u2581\"}") instanceof ComponentPipeline);
    assertTrue(pipelineWith("{\"type\":\"Digits\",\"individual_digits\":true}") instanceof ComponentPipeline);
    byte[] byteLevel = write(smallTokenizer()).getBytes(StandardCharsets.UTF_8);
    assertTrue(Pipeline.of(TokenizerJson.read(byteLevel, "t", "t")) instanceof HfPipeline);
    List<Consumer<Map<String, Object>>> components = List.of(
        m -> obj(m.get("model")).put("byte_fallback", true),
        m -> m.put("pre_tokenizer",
            obj("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Whitespace\"},{\"type\":\"ByteLevel\"}]}")),
        m -> m.put("pre_tokenizer",
            obj("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"ByteLevel\"},{\"type\":\"Digits\"}]}")),
        m -> m.put("normalizer", obj("{\"type\":\"Lowercase\"}")),
        m -> m.put("decoder", obj("{\"type\":\"WordPiece\",\"prefix\":\"##\"}")));
    for (Consumer<Map<String, Object>> change : components) {
      Map<String, Object> json = smallTokenizer();
      obj(json.get("model")).put("merges", List.of(List.of("a", "b"), List.of("ab", "c")));
      change.accept(json);
      assertTrue(Pipeline.of(TokenizerJson.read(write(json).getBytes(StandardCharsets.UTF_8), "t", "t"))
          instanceof ComponentPipeline, write(json));
    }
  }

  /** The pipeline of the small byte-level tokenizer with another pre-tokenizer (JSON, or null) and no decoder. */
  private static Pipeline pipelineWith(String preTokenizer) {
    Map<String, Object> json = smallTokenizer();
    json.put("pre_tokenizer", preTokenizer == null ? null : obj(preTokenizer));
    json.put("decoder", null);
    // Merges in one form: tokenizers refuses a file that mixes them outside byte-level BPE too.
    obj(json.get("model")).put("merges", List.of(List.of("a", "b"), List.of("ab", "c")));
    return Pipeline.of(TokenizerJson.read(write(json).getBytes(StandardCharsets.UTF_8), "t", "t"));
  }

  /** Loading the tokenizer changed by {@code change} fails naming the component and listing what is supported. */
  private static void check(String component, String detail, Consumer<Map<String, Object>> change) {
    Map<String, Object> json = smallTokenizer();
    change.accept(json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(json, "bad/tokenizer.json"),
        component + " " + detail);
    String m = e.getMessage();
    assertTrue(m.contains("unsupported " + component) && m.contains(detail) && m.contains("bad/tokenizer.json")
        && (m.contains(TokenizerJson.SUPPORTED) || m.contains(ComponentJson.SUPPORTED)), "message for " + component + " " + detail + ": " + m);
  }

  @Test
  void malformedFilesAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Encodings.fromTokenizerJson(new ByteArrayInputStream("{\"model\": {\n  \"vocab\": [1,}".getBytes(
            StandardCharsets.UTF_8)), "broken.json"));
    assertTrue(e.getMessage().contains("broken.json") && e.getMessage().contains("line 2"), e.getMessage());
    Map<String, Object> noByte = smallTokenizer();
    obj(obj(noByte.get("model")).get("vocab")).remove(String.valueOf(ByteLevel.charOf('a')));
    obj(noByte.get("model")).put("merges", List.of());
    e = assertThrows(IllegalArgumentException.class, () -> load(noByte, "x.json"));
    assertTrue(e.getMessage().contains("0x61"), e.getMessage());
    Map<String, Object> badMerge = smallTokenizer();
    obj(badMerge.get("model")).put("merges", List.of("a q\u0100"));
    e = assertThrows(IllegalArgumentException.class, () -> load(badMerge, "x.json"));
    assertTrue(e.getMessage().contains("q\u0100") && e.getMessage().contains("merges[0]"), e.getMessage());
  }

  @Test
  void errorsFoundWhenTheEncodingIsBuiltNameTheFile() {
    Map<String, Object> badRegex = smallTokenizer();
    badRegex.put("pre_tokenizer", obj("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\","
        + "\"pattern\":{\"Regex\":\"(a\"},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\","
        + "\"add_prefix_space\":false,\"use_regex\":false}]}"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> load(badRegex, "bad/tokenizer.json"));
    assertTrue(e.getMessage().startsWith("bad/tokenizer.json: pre_tokenizer: invalid Split regex (a"), e.getMessage());

    // U+212B (Angstrom sign) is U+00C5 after NFC: two added tokens found by one text.
    Map<String, Object> twice = smallTokenizer();
    twice.put("normalizer", obj("{\"type\":\"NFC\"}"));
    twice.put("added_tokens", List.of(obj("{\"id\":258,\"content\":\"\u212B\",\"normalized\":true}"),
        obj("{\"id\":259,\"content\":\"\u00C5\",\"normalized\":true}")));
    e = assertThrows(IllegalArgumentException.class, () -> load(twice, "two/tokenizer.json"));
    assertTrue(e.getMessage().startsWith("two/tokenizer.json: added tokens ")
        && e.getMessage().endsWith(" are both found by the text '\u00C5'"), e.getMessage());
  }

  /** A merge rule changed in the compact form, checksum recomputed, to make a token of other bytes. */
  @Test
  void compactFormWithAMergeRuleThatLiesIsAnError() {
    Encoding small = load(smallTokenizer(), "small.json");
    byte[] b = small.toBytes();
    VocabularyFilesTest.Layout l = new VocabularyFilesTest.Layout(b);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    assertEquals(2, buf.getInt(l.rulesAt));
    int results = l.rulesAt + 4 + 2 * 2 * 4;
    assertEquals(256, buf.getInt(results)); // "a b" -> "ab"
    Encoding unchanged = Encodings.fromBytes(VocabularyFilesTest.resealed(b.clone()));
    assertArrayEquals(new int[] {256}, unchanged.encodeOrdinary("ab"));
    buf.putInt(results, 257); // "a b" -> "abc"
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Encodings.fromBytes(VocabularyFilesTest.resealed(b)));
    assertTrue(e.getMessage().startsWith("compact vocabulary at byte offset " + (l.rulesAt + 4) + ": merge rule 0 does"
        + " not make"), e.getMessage());
  }

  @Test
  void smallTokenizerEncodes() {
    Encoding enc = load(smallTokenizer(), "small/tokenizer.json");
    assertEquals("small", enc.name());
    // "a b" merges first (rule 0), then "ab c" (rule 1); "b a" has no rule. Byte b has id b.
    assertArrayEquals(new int[] {257}, enc.encodeOrdinary("abc"));
    assertArrayEquals(new int[] {'b', 'a'}, enc.encodeOrdinary("ba"));
    assertArrayEquals(new int[] {256, ' ', 'x'}, enc.encodeOrdinary("ab x"));
    assertEquals("abcba", enc.decode(enc.encodeOrdinary("abcba")));
    assertEquals(258, enc.vocabularySize());
  }

  // ------------------------------------------------------------------------------------------
  // Tokenizers

  private static Map<String, Object> manifest() {
    List<String> lines = Jsonl.readLines(ROOT + "manifest.json");
    return obj(Json.parse(String.join("\n", lines), "manifest.json"));
  }

  private static List<Map<String, Object>> tokenizers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) MANIFEST.get("tokenizers")) out.add(obj(o));
    return out;
  }

  private static Map<String, Object> tokenizer(String name) {
    for (Map<String, Object> t : tokenizers()) if (name(t).equals(name)) return t;
    throw new IllegalArgumentException("no tokenizer " + name + " in manifest.json");
  }

  private static String name(Map<String, Object> t) {
    return (String) t.get("name");
  }

  private static Encoding encoding(Map<String, Object> t) {
    return ENCODINGS.computeIfAbsent(name(t), n -> {
      try {
        return Encodings.fromTokenizerJson(new ByteArrayInputStream(tokenizerJsonBytes(t)), n + "/tokenizer.json");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The tokenizer.json the oracle read: the committed file, or the base with the overlay. */
  private static byte[] tokenizerJsonBytes(Map<String, Object> t) {
    if (t.get("file") != null) {
      byte[] bytes;
      try (InputStream in = HuggingFaceTest.class.getResourceAsStream(ROOT + t.get("file"))) {
        assertNotNull(in, "missing test resource " + ROOT + t.get("file"));
        bytes = new GZIPInputStream(in).readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assertEquals(t.get("sha256"), sha256(bytes), "sha256 of " + t.get("file"));
      return bytes;
    }
    Map<String, Object> json = deepCopy(base((String) t.get("base")));
    if (t.get("overlay") != null) {
      Map<String, Object> overlay = obj(Json.parse(String.join("\n", Jsonl.readLines(ROOT + t.get("overlay"))),
          (String) t.get("overlay")));
      for (Map.Entry<String, Object> e : overlay.entrySet()) {
        if (e.getKey().equals("model")) {
          Map<String, Object> model = obj(json.get("model"));
          for (Map.Entry<String, Object> m : obj(e.getValue()).entrySet()) {
            if (m.getKey().equals("vocab_add")) obj(model.get("vocab")).putAll(obj(m.getValue()));
            else model.put(m.getKey(), m.getValue());
          }
        } else {
          json.put(e.getKey(), e.getValue());
        }
      }
    }
    return write(json).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The tokenizer.json that the oracle's make_hf_tokenizer.mjs builds for a tiktoken encoding:
   * tokens spelled in GPT-2's byte alphabet with their ranks as ids; for each token, in rank
   * order, a merge for every way to cut it into two tokens, ordered by the ranks of the left
   * then the right part; ignore_merges; tiktoken's split pattern, then ByteLevel. Checked
   * against the hash the golden generator recorded.
   */
  static Map<String, Object> base(String encoding) {
    return BASES.computeIfAbsent(encoding, e -> {
      Encoding enc = Encodings.get(e);
      Set<Integer> specials = Set.copyOf(enc.specialTokens().values());
      Map<String, Integer> ranks = new HashMap<>(); // latin1 text of the bytes -> rank
      List<byte[]> byRank = new ArrayList<>();
      for (int r = 0; r < enc.vocabularySize(); r++) {
        byte[] b = null;
        if (!specials.contains(r)) {
          try {
            b = enc.decodeBytes(new int[] {r});
          } catch (IllegalArgumentException unused) {
            // an unused rank
          }
        }
        byRank.add(b);
        if (b != null) ranks.put(new String(b, StandardCharsets.ISO_8859_1), r);
      }
      Map<String, Object> vocab = new LinkedHashMap<>();
      List<Object> merges = new ArrayList<>();
      for (int r = 0; r < byRank.size(); r++) {
        byte[] b = byRank.get(r);
        if (b == null) continue;
        vocab.put(ByteLevel.spell(b, 0, b.length), (long) r);
        String tok = new String(b, StandardCharsets.ISO_8859_1);
        List<String[]> local = new ArrayList<>();
        for (int i = 1; i < tok.length(); i++) {
          String l = tok.substring(0, i);
          String rt = tok.substring(i);
          if (ranks.containsKey(l) && ranks.containsKey(rt)) local.add(new String[] {l, rt});
        }
        local.sort(Comparator.<String[]>comparingInt(p -> ranks.get(p[0])).thenComparingInt(p -> ranks.get(p[1])));
        for (String[] p : local) merges.add(List.of(spellLatin1(p[0]), spellLatin1(p[1])));
      }
      Map<String, Object> model = new LinkedHashMap<>();
      model.put("type", "BPE");
      model.put("dropout", null);
      model.put("unk_token", null);
      model.put("continuing_subword_prefix", null);
      model.put("end_of_word_suffix", null);
      model.put("fuse_unk", false);
      model.put("byte_fallback", false);
      model.put("ignore_merges", true);
      model.put("vocab", vocab);
      model.put("merges", merges);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("version", "1.0");
      json.put("truncation", null);
      json.put("padding", null);
      json.put("added_tokens", new ArrayList<>());
      json.put("normalizer", null);
      json.put("pre_tokenizer", obj("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":"
          + write(enc.pattern()) + "},\"behavior\":\"Isolated\",\"invert\":false},{\"type\":\"ByteLevel\","
          + "\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}]}"));
      json.put("post_processor", null);
      json.put("decoder", obj("{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true,\"use_regex\":true}"));
      json.put("model", model);
      assertEquals(obj(MANIFEST.get("bases")).get(e), baseHash(enc.pattern(), vocab, merges),
          "the " + e + " tokenizer.json built here differs from the one the golden ids were made with");
      return json;
    });
  }

  private static String spellLatin1(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return ByteLevel.spell(b, 0, b.length);
  }

  /** make-hf-golden.mjs's baseHash. */
  private static String baseHash(String pattern, Map<String, Object> vocab, List<Object> merges) {
    StringBuilder sb = new StringBuilder("pattern ").append(pattern).append('\n');
    List<Map.Entry<String, Object>> entries = new ArrayList<>(vocab.entrySet());
    entries.sort(Comparator.comparingLong(en -> (Long) en.getValue()));
    for (Map.Entry<String, Object> en : entries) sb.append(en.getValue()).append('\t').append(en.getKey()).append('\n');
    sb.append("merges\n");
    for (Object m : merges) sb.append(((List<?>) m).get(0)).append(' ').append(((List<?>) m).get(1)).append('\n');
    sb.append("ignore_merges true\n");
    return sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A tokenizer with the 256 byte tokens and two merges: "a b" -> 256, "ab c" -> 257. */
  private static Map<String, Object> smallTokenizer() {
    Map<String, Object> vocab = new LinkedHashMap<>();
    for (int b = 0; b < 256; b++) vocab.put(String.valueOf(ByteLevel.charOf(b)), (long) vocab.size());
    vocab.put("ab", 256L);
    vocab.put("abc", 257L);
    Map<String, Object> json = obj("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,"
        + "\"use_regex\":true},\"post_processor\":null,\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\","
        + "\"dropout\":null,\"unk_token\":null,\"byte_fallback\":false,\"merges\":[\"a b\",[\"ab\",\"c\"]]}}");
    obj(json.get("model")).put("vocab", vocab);
    return json;
  }

  private static Encoding load(Map<String, Object> json, String source) {
    try {
      return Encodings.fromTokenizerJson(new ByteArrayInputStream(write(json).getBytes(StandardCharsets.UTF_8)), source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  private static final Map<String, List<String>> DOCS = new ConcurrentHashMap<>();

  private static List<String> docs(String set) {
    return DOCS.computeIfAbsent(set, s -> Jsonl.readStrings(s.equals("added") ? ROOT + "docs/added.jsonl"
        : "/golden/docs/" + s + ".jsonl"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> obj(String json) {
    return obj(Json.parse(json, "test"));
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    for (Object x : (List<?>) o) out.add((String) x);
    return out;
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      out.put(e.getKey(), v instanceof Map ? deepCopy((Map<String, Object>) v) : v);
    }
    return out;
  }

  private static String sha256(byte[] b) {
    try {
      StringBuilder sb = new StringBuilder();
      for (byte x : MessageDigest.getInstance("SHA-256").digest(b)) sb.append(String.format("%02x", x));
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** JSON text of maps, lists, strings, numbers, booleans and nulls. */
  static String write(Object o) {
    StringBuilder sb = new StringBuilder();
    write(o, sb);
    return sb.toString();
  }

  private static void write(Object o, StringBuilder sb) {
    if (o == null) {
      sb.append("null");
    } else if (o instanceof String) {
      String s = (String) o;
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
      sb.append('"');
    } else if (o instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        if (!first) sb.append(',');
        first = false;
        write(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (o instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object x : (List<?>) o) {
        if (!first) sb.append(',');
        first = false;
        write(x, sb);
      }
      sb.append(']');
    } else {
      sb.append(o); // Long, Double, Boolean
    }
  }

  /** Collects the differing documents of one file and fails with a readable report. */
  private static final class Failures {
    private final Encoding enc;
    private final String file;
    private final List<String> details = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();

    Failures(Encoding enc, String file) {
      this.enc = enc;
      this.file = file;
    }

    void compare(int index, String doc, String what, int[] want, int[] got) {
      if (!Arrays.equals(want, got)) add(index, doc, what + ": " + GoldenTest.describeDifference(enc, doc, want, got));
    }

    void add(int index, String doc, String detail) {
      int line = index + 1;
      if (!lines.isEmpty() && lines.get(lines.size() - 1) == line) return;
      lines.add(line);
      if (details.size() < 3) {
        details.add(file + " line " + line + ", document " + GoldenTest.repr(doc, 160) + "\n  " + detail);
      }
    }

    void check() {
      if (lines.isEmpty()) return;
      StringBuilder sb = new StringBuilder();
      sb.append(enc.name()).append(" differs from Hugging Face on ").append(lines.size()).append(" line(s) of ")
          .append(file).append(", lines ").append(lines.size() <= 20 ? lines : lines.subList(0, 20) + "...").append('\n');
      for (String d : details) sb.append(d).append('\n');
      fail(sb.toString());
    }
  }
}
