package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Encoding#decode(int[], boolean)} against Hugging Face tokenizers 0.23.2's
 * {@code decode(ids, skip_special_tokens)} and tiktoken 0.14's {@code decode} of the ids without
 * the special ones, and the RobertaProcessing post-processor and the CTC and BPEDecoder decoders
 * against tokenizers' ids and decodes (src/test/oracle/make-decode-golden.py, golden/decode-special):
 * WordPiece with [CLS]/[SEP] and with added tokens of every kind, SentencePiece-style BPE with
 * {@code <s>} and in Gemma's layout, T5's and XLM-R's Unigram, Qwen3's byte-level BPE, and r50k, cl100k, o200k.
 */
class DecodeTest {
  private static final String ROOT = "/golden/decode-special/";
  private static final List<String> TOKENIZERS = List.of("bert", "bert-added", "bert-normalized-special", "bert-roberta-ctc",
      "bert-sequence-ctc", "bert-bpe", "llama-bf", "llama-roberta-bpe", "gemma-bf", "t5", "xlmr", "qwen3",
      "qwen3-roberta", "qwen3-no-decoder");
  private static final List<String> TIKTOKEN = List.of("r50k_base", "cl100k_base", "o200k_base");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  /** A variant: its base tokenizer.json with the variant's top-level keys in place of the base's. */
  static Map<String, Object> tokenizerJson(String name) {
    String text = String.join("\n", Jsonl.readLines(ROOT + "variants/" + name + ".json"));
    Map<String, Object> variant = obj(Json.parse(text, name));
    Map<String, Object> js = obj(Json.parse(SentencePieceFiles.gunzip("/golden/" + variant.get("base")), name));
    variant.forEach((k, v) -> {
      if (!k.equals("base")) js.put(k, v);
    });
    return js;
  }

  private static Encoding load(Map<String, Object> js, String source) {
    try {
      byte[] b = HuggingFaceTest.write(js).getBytes(StandardCharsets.UTF_8);
      return Encodings.fromTokenizerJson(new ByteArrayInputStream(b), source);
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

  @TestFactory
  Stream<DynamicTest> tokenizerJsonDecodesAndTemplates() {
    return TOKENIZERS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      Encoding enc = load(tokenizerJson(name), name + "/tokenizer.json");
      check(enc, name);
    }));
  }

  @TestFactory
  Stream<DynamicTest> tiktokenDecodesWithoutSpecialTokens() {
    return TIKTOKEN.stream().map(name -> DynamicTest.dynamicTest(name, () -> check(Encodings.get(name), name)));
  }

  /** Every line of the golden file: a document's ids with the template, or an id list's two decodes. */
  private static void check(Encoding enc, String name) {
    List<String> failures = new ArrayList<>();
    int decodes = 0;
    int skipsSomething = 0;
    for (String line : Jsonl.readLines(ROOT + name + ".jsonl.gz")) {
      if (line.isEmpty()) continue;
      Map<String, Object> c = obj(Json.parse(line, name));
      int[] ids = ints(c.get("ids"));
      if (c.containsKey("doc")) {
        int[] got = enc.encode((String) c.get("doc"), true);
        if (!Arrays.equals(ids, got)) {
          failures.add("encode " + GoldenTest.repr((String) c.get("doc"), 60) + ": want " + Arrays.toString(ids)
              + " got " + Arrays.toString(got));
        }
        continue;
      }
      decodes++;
      String keep = (String) c.get("keep");
      String skip = (String) c.get("skip");
      if (!keep.equals(skip)) skipsSomething++;
      expect(failures, ids, "decode(ids, false)", keep, enc.decode(ids, false));
      expect(failures, ids, "decode(ids)", keep, enc.decode(ids));
      expect(failures, ids, "decode(ids, true)", skip, enc.decode(ids, true));
      expect(failures, ids, "decodeBytes(ids, true)", skip,
          new String(enc.decodeBytes(ids, true), StandardCharsets.UTF_8));
    }
    assertTrue(decodes > 500, name + ": " + decodes + " decodes");
    assertTrue(skipsSomething > 100, name + ": skipping changed only " + skipsSomething + " decodes");
    assertTrue(failures.isEmpty(), name + ": " + failures.size() + " differ, e.g. "
        + failures.subList(0, Math.min(3, failures.size())));
  }

  private static void expect(List<String> failures, int[] ids, String what, String want, String got) {
    if (!want.equals(got)) {
      failures.add(what + " of " + Arrays.toString(ids) + ": want " + GoldenTest.repr(want, 80) + " got "
          + GoldenTest.repr(got, 80));
    }
  }

  @Test
  void compactFormsKeepTheTemplateAndTheSkippedTokens() throws IOException {
    for (String name : List.of("qwen3-roberta", "bert-roberta-ctc", "llama-roberta-bpe")) {
      Encoding enc = load(tokenizerJson(name), name + "/tokenizer.json");
      Encoding back = Encodings.fromBytes(enc.toBytes());
      for (String doc : Golden.docs("special")) {
        int[] ids = enc.encode(doc, true);
        assertArrayEquals(ids, back.encode(doc, true), doc);
        assertEquals(enc.decode(ids, true), back.decode(ids, true), doc);
      }
    }
  }

  @Test
  void skippingLeavesOutSpecialTokensOnly() {
    Encoding bert = load(tokenizerJson("bert"), "bert/tokenizer.json");
    int[] ids = bert.encode("Hello, world!", true);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[ids.length - 1]);
    assertEquals("[CLS] hello, world! [SEP]", bert.decode(ids, false));
    assertEquals("hello, world!", bert.decode(ids, true));
    // Unknown ids stay an error, skipped or not.
    assertThrows(IllegalArgumentException.class, () -> bert.decode(new int[] {101, 1 << 20}, true));
    Encoding cl100k = Encodings.get("cl100k_base");
    int eot = cl100k.specialTokens().get("<|endoftext|>");
    int[] hello = cl100k.encodeOrdinary("hello");
    int[] withEot = {eot, hello[0], eot};
    assertEquals("<|endoftext|>hello<|endoftext|>", cl100k.decode(withEot, false));
    assertEquals("hello", cl100k.decode(withEot, true));
    assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), cl100k.decodeBytes(withEot, true));
  }

  @Test
  void robertaAndTheNewDecodersAreCheckedWhenLoading() {
    refused("post_processor has no cls", "post_processor", Map.of("type", "RobertaProcessing", "sep", List.of("[SEP]",
        102L)));
    refused("post_processor.sep is not a [token, id] pair", "post_processor", Map.of("type", "RobertaProcessing",
        "sep", List.of("[SEP]", 102L, 3L), "cls", List.of("[CLS]", 101L)));
    refused("post_processor.trim_offsets is not true or false", "post_processor", Map.of("type", "RobertaProcessing",
        "sep", List.of("[SEP]", 102L), "cls", List.of("[CLS]", 101L), "trim_offsets", "yes"));
    refused("decoder has no cleanup", "decoder", Map.of("type", "CTC", "pad_token", "[PAD]",
        "word_delimiter_token", "|"));
    refused("decoder.decoders[0] has no suffix", "decoder", Map.of("type", "Sequence", "decoders",
        List.of(Map.of("type", "BPEDecoder"))));
  }

  @Test
  void robertaIsCheckedOnTheByteLevelPathToo() {
    Map<String, Object> js = tokenizerJson("qwen3");
    js.put("post_processor", Map.of("type", "RobertaProcessing", "sep", List.of("<|im_end|>", 151645L)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(js, "changed.json"));
    assertTrue(e.getMessage().contains("post_processor (RobertaProcessing) has no cls"), e.getMessage());
  }

  private static void refused(String message, String key, Object value) {
    Map<String, Object> js = tokenizerJson("bert");
    js.put(key, value);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(js, "changed.json"));
    assertTrue(e.getMessage().contains(message) && e.getMessage().contains("changed.json"), e.getMessage());
  }

  @Test
  void ctcAndBpeDecodersAsTokenizersHasThem() {
    // Examples of tokenizers' own unit tests.
    List<String> ctc = TokenDecoders.ctc("<pad>", "|", true).decodeChain(
        List.of("<pad>", "<pad>", "h", "e", "e", "l", "l", "<pad>", "l", "o", "o", "o", "<pad>"));
    assertEquals(List.of("h", "e", "l", "l", "o"), ctc);
    List<String> words = TokenDecoders.ctc("<pad>", "|", true).decodeChain(List.of("<pad>", "h", "e", "|", "|",
        "w", "o", "<pad>", "."));
    assertEquals("he wo.", String.join("", words));
    assertEquals(List.of("hello ", "world"), TokenDecoders.bpe("</w>").decodeChain(List.of("hello</w>", "world</w>")));
    assertEquals(List.of(), TokenDecoders.bpe("</w>").decodeChain(List.of()));
    assertEquals("xaxbx", TokenDecoders.replace("ab", "", "x"));
    assertEquals("x", TokenDecoders.replace("", "", "x"));
    assertEquals("x\uD83D\uDE00x", TokenDecoders.replace("\uD83D\uDE00", "", "x"));
  }

  /** The Sequence of post-processors nests: Bert's tokens around Roberta's. */
  @Test
  void sequenceOfPostProcessorsNests() {
    Encoding enc = load(tokenizerJson("bert-sequence-ctc"), "bert-sequence-ctc/tokenizer.json");
    int[] ids = enc.encode("hello", true);
    int[] plain = enc.encodeOrdinary("hello");
    IntList want = new IntList(8);
    want.add(101);
    want.add(103);
    for (int x : plain) want.add(x);
    want.add(102);
    want.add(102);
    assertArrayEquals(want.toArray(), ids);
  }
}
