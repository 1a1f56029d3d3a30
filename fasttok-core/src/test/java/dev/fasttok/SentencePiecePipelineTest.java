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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * SentencePiece-style tokenizer.json files read by {@link Encodings#fromTokenizerJson} and
 * encoded through the component pipeline (character BPE with byte fallback, Prepend and Replace
 * normalizers, the ByteFallback/Fuse/Strip/Replace decoders), against ids, templates, decodes
 * and token ends written by Hugging Face tokenizers 0.23.2
 * (src/test/oracle/make-sp-pipeline-golden.py, golden/sp): BPEs trained with byte fallback in
 * Llama 2's layout, in Gemma's and in the Metaspace layout (Mistral style), Llama 2's own file
 * while it is committed, and a SentencePiece unigram model in the layouts of T5 and XLM-R (Precompiled,
 * Strip, Replace of space runs, Metaspace).
 */
class SentencePiecePipelineTest {
  private static final String ROOT = "/golden/sp/";
  private static final List<String> SETS = List.of("prose", "code", "multilingual", "special", "contractions",
      "whitespace", "digits", "emoji", "scripts", "surrogates", "long", "added", "spadded");
  private static final Map<String, Object> MANIFEST = obj(Json.parse(Jsonl.read(ROOT + "manifest.json"), "manifest.json"));
  private static final Map<String, Encoding> ENCODINGS = new ConcurrentHashMap<>();

  private static List<Map<String, Object>> tokenizers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object t : (List<?>) MANIFEST.get("tokenizers")) {
      // Llama 2's file is not committed (model licence): its checks run when it is given.
      if (SentencePieceFiles.available((String) obj(t).get("name"))) out.add(obj(t));
    }
    return out;
  }

  /**
   * The tokenizer.json text of a tokenizer: a committed file, or Llama 2's, which is not
   * committed (see {@link SentencePieceFiles#EXTERNAL}).
   */
  static String json(String name) {
    if (SentencePieceFiles.EXTERNAL.contains(name)) return SentencePieceFiles.externalText(name);
    return Jsonl.read(ROOT + "tokenizers/" + name + ".tokenizer.json.gz");
  }

  static Encoding encoding(String name) {
    String json = json(name);
    return ENCODINGS.computeIfAbsent(name, n -> load(json, n + "/tokenizer.json"));
  }

  private static Encoding load(String json, String source) {
    try {
      return Encodings.fromTokenizerJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] ints(Object o) {
    List<?> l = (List<?>) o;
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
    return a;
  }

  private static int[] concat(int[]... parts) {
    IntList out = new IntList(16);
    for (int[] p : parts) for (int x : p) out.add(x);
    return out.toArray();
  }

  /**
   * The documents of a set: golden/docs, added-token text from golden/hf/docs, or (spadded)
   * SentencePiece's special tokens and spaces at the edges, from golden/sp/docs.
   */
  private static List<String> docs(String set) {
    if (set.equals("spadded")) return Jsonl.readStrings(ROOT + "docs/spadded.jsonl");
    return set.equals("added") ? Jsonl.readStrings("/golden/hf/docs/added.jsonl") : Golden.docs(set);
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

  /**
   * Where each token ends in the caller's text, through the normalizers' alignments, equals the
   * end of tokenizers' offsets for that token: what chunk and truncate cut at. One difference is
   * fasttok's on purpose ({@link CharBpe}): a fallback byte other than its character's last
   * (tokenizers gives it the whole character's offsets) ends where the character starts, as cuts
   * elsewhere in fasttok move back to a character's start, and ends never go back.
   */
  @TestFactory
  Stream<DynamicNode> tokenEndsAreTokenizersOffsets() {
    return tokenizers().stream().map(t -> (String) t.get("name")).map(name -> DynamicTest.dynamicTest(name, () -> {
      String text = json(name);
      // Unigram gives every byte of a fallback run the run's end, as tokenizers does; only BPE differs.
      boolean bpe = "BPE".equals(obj(obj(Json.parse(text, name)).get("model")).get("type"));
      java.util.Set<Integer> byteTokens = bpe ? byteTokens(text) : java.util.Set.of();
      byte[] json = text.getBytes(StandardCharsets.UTF_8);
      Pipeline p = Pipeline.of(TokenizerJson.read(json, name, name));
      assertTrue(p instanceof ComponentPipeline, p.getClass().getName());
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
        int[] ids = w.ids.toArray();
        for (int i = 0; i + 1 < want.length && i + 1 < ids.length; i++) {
          if (byteTokens.contains(ids[i]) && byteTokens.contains(ids[i + 1]) && want[i + 1] == want[i]) {
            int e = want[i];
            if (e == 0) continue;
            int charStart = e - (Character.isLowSurrogate(doc.charAt(e - 1)) ? 2 : 1);
            want[i] = Math.max(i == 0 ? 0 : want[i - 1], charStart);
          }
        }
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

  /** The ids of the model's {@code <0xXX>} tokens. */
  private static java.util.Set<Integer> byteTokens(String json) {
    java.util.Set<Integer> out = new java.util.HashSet<>();
    Object vocab = obj(obj(Json.parse(json, "tokenizer.json")).get("model")).get("vocab");
    if (vocab instanceof List) {
      // Unigram: [piece, score] pairs, the id being the index.
      List<?> pairs = (List<?>) vocab;
      for (int i = 0; i < pairs.size(); i++) {
        if (SentencePieceDecoders.byteToken((String) ((List<?>) pairs.get(i)).get(0)) >= 0) out.add(i);
      }
    } else {
      obj(vocab).forEach((t, id) -> {
        if (SentencePieceDecoders.byteToken(t) >= 0) out.add(((Number) id).intValue());
      });
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Every code point in context

  @TestFactory
  Stream<DynamicNode> everyCodePointInContext() {
    return tokenizers().stream().map(t -> (String) t.get("name")).map(name -> DynamicTest.dynamicTest(name, () -> {
      Encoding enc = encoding(name);
      CodePointBlocks.check(enc, Jsonl.readLines(ROOT + name + "/codepoints.txt.gz"));
    }));
  }

  // ------------------------------------------------------------------------------------------
  // The encoding around the ids

  @Test
  void compactFormRoundTrips() throws IOException {
    for (String name : List.of("llama-bf", "xlmr", "gemma-bf")) compactFormRoundTrips(name);
  }

  private static void compactFormRoundTrips(String name) throws IOException {
    Encoding enc = encoding(name);
    byte[] compact = enc.toBytes();
    Encoding back = Encodings.fromBytes(compact);
    assertEquals(enc.name(), back.name());
    assertEquals(enc.pattern(), back.pattern());
    assertEquals(enc.specialTokens(), back.specialTokens());
    assertEquals(enc.vocabularySize(), back.vocabularySize());
    assertArrayEquals(compact, back.toBytes());
    assertSame(back, Encodings.fromBytes(compact.clone()));
    for (String set : List.of("multilingual", "special", "emoji")) {
      for (String doc : Golden.docs(set)) {
        assertArrayEquals(enc.encode(doc, true), back.encode(doc, true), doc);
        int[] ids = enc.encodeOrdinary(doc);
        assertEquals(enc.decode(ids), back.decode(ids), doc);
      }
    }
  }

  @Test
  void chunksAndTruncationCutTheCallersText() {
    // The normalizer adds a leading U+2581 and turns spaces into U+2581, and byte fallback makes
    // several tokens of one character; T5's Precompiled normalizer rewrites and drops characters
    // and Metaspace adds one; chunks are still slices of the text itself.
    for (String name : List.of("llama-bf", "t5", "mistral-bf", "gemma-bf")) {
      chunksAndTruncationCutTheCallersText(encoding(name));
    }
  }

  private static void chunksAndTruncationCutTheCallersText(Encoding enc) {
    for (String set : List.of("multilingual", "prose", "special", "scripts", "emoji", "whitespace")) {
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

  @Test
  void metaspaceFirstOnlyAtTheStartOfTheText() {
    // "first": the text after an added token at the start gets no U+2581 in front; "always" does.
    Encoding first = encoding("t5-first");
    Encoding always = encoding("t5");
    int[] a = first.encodeOrdinary("</s>hello");
    int[] b = always.encodeOrdinary("</s>hello");
    assertEquals(2, a[0]);
    assertEquals(2, b[0]);
    assertTrue(!Arrays.equals(a, b), Arrays.toString(a));
    assertArrayEquals(first.encodeOrdinary("hello"), always.encodeOrdinary("hello"));
    assertEquals("Metaspace(first, split)", first.pattern());
  }

  @Test
  void llamaBasics() {
    Encoding enc = encoding("llama-bf");
    assertEquals(3000, enc.vocabularySize());
    assertEquals(1, enc.specialTokens().get("<s>"));
    // The template puts <s> before the text, and decoding with it gives the text back.
    int[] ids = enc.encode("Hello world", true);
    assertEquals(1, ids[0]);
    assertEquals("<s> Hello world", enc.decode(ids));
    assertEquals("Hello world", enc.decode(Arrays.copyOfRange(ids, 1, ids.length)));
    // A special token in the text is found whatever is asked, and refused where it is not allowed.
    assertTrue(Arrays.stream(enc.encodeOrdinary("a</s>b")).anyMatch(i -> i == 2));
    assertThrows(IllegalArgumentException.class, () -> enc.encode("a</s>b"));
    // Ill-formed UTF-8 reads as U+FFFD, as for the other families.
    byte[] bad = {'a', 'b', (byte) 0xFF, ' ', 'c', (byte) 0xE2, (byte) 0x82};
    assertArrayEquals(enc.encodeOrdinary(new String(bad, StandardCharsets.UTF_8)), enc.encodeOrdinary(bad, 0, bad.length));
  }

  // ------------------------------------------------------------------------------------------
  // What is refused, and where byte-level BPE still goes

  @Test
  void byteLevelBpeFilesStayOnTheirPipeline() {
    byte[] gpt2 = Jsonl.read("/golden/hf/tokenizers/qwen3.tokenizer.json.gz").getBytes(StandardCharsets.UTF_8);
    assertTrue(Pipeline.of(TokenizerJson.read(gpt2, "qwen3", "qwen3")) instanceof HfPipeline);
  }

  @Test
  void unsupportedComponentsAreNamedWithTheirPath() {
    // Replace regexes with Oniguruma's subexpression call (\\g<name>), which neither the pattern
    // compiler nor java.util.regex has.
    check("normalizer.normalizers[1].pattern", t -> obj(((List<?>) obj(t.get("normalizer")).get("normalizers")).get(1))
        .put("pattern", Map.of("Regex", "(?<a> )\\g<a>")));
    check("decoder.decoders[0].pattern", t -> obj(((List<?>) obj(t.get("decoder")).get("decoders")).get(0))
        .put("pattern", Map.of("Regex", "(?<a>\u2581)\\g<a>")));
    check("model.dropout", t -> obj(t.get("model")).put("dropout", 0.1));
    check("normalizer", t -> t.put("normalizer", Map.of("type", "Nmt")));
    check("pre_tokenizer.pretokenizers[1]", t -> t.put("pre_tokenizer", Map.of("type", "Sequence", "pretokenizers",
        List.of(Map.of("type", "Metaspace", "replacement", "\u2581", "prepend_scheme", "always", "split", true),
            Map.of("type", "Sideways")))));
    check("normalizer.normalizers[0].pattern", t -> obj(((List<?>) obj(t.get("normalizer")).get("normalizers")).get(0))
        .putAll(Map.of("type", "Replace", "pattern", Map.of("Regex", "(?<a> |x)\\g<a>"), "content", "\u2581")));
    check("pre_tokenizer.prepend_scheme", t -> t.put("pre_tokenizer", Map.of("type", "Metaspace", "replacement",
        "\u2581", "prepend_scheme", "sometimes", "split", true)));
  }

  private static void check(String path, Consumer<Map<String, Object>> change) {
    Map<String, Object> t = obj(Json.parse(json("llama-bf"), "llama-bf"));
    change.accept(t);
    String text = HuggingFaceTest.write(t);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(text, "changed.json"));
    assertTrue(e.getMessage().contains(path) && e.getMessage().contains("changed.json"), e.getMessage());
  }
}
