package dev.fasttok;

import static dev.fasttok.SentencePieceFiles.obj;
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
import java.util.HashMap;
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
 * The component pipeline's pre-tokenizers (Metaspace inside a Sequence, Digits,
 * CharDelimiterSplit, FixedLength, UnicodeScripts, and ByteLevel with components the byte-level
 * pipeline does not read) against ids, templates, decodes, offsets and every code point in
 * context written by Hugging Face tokenizers 0.23.2 (src/test/oracle/make-pretok-golden.py,
 * golden/pretok): committed files of the other families with these pre-tokenizers, and a small
 * byte-level BPE trained on the sample corpus. Also which pipeline reads a byte-level file, and
 * the errors for what is not supported.
 */
class PreTokenizerTest {
  private static final String ROOT = "/golden/pretok/";
  private static final List<String> SETS = List.of("prose", "code", "multilingual", "special", "contractions",
      "whitespace", "digits", "emoji", "scripts", "surrogates", "long", "added");
  private static final Map<String, String> BASES = Map.of(
      "bert-uncased", "/golden/wordpiece/tokenizers/bert-uncased.tokenizer.json.gz",
      "t5", "/golden/sp/tokenizers/t5.tokenizer.json.gz",
      "llama-bf", "/golden/sp/tokenizers/llama-bf.tokenizer.json.gz",
      "bytelevel", ROOT + "tokenizers/bytelevel.tokenizer.json.gz");
  private static final Map<String, Object> MANIFEST = obj(Json.parse(Jsonl.read(ROOT + "manifest.json"), "manifest.json"));
  private static final Map<String, Encoding> ENCODINGS = new ConcurrentHashMap<>();

  private static List<String> names() {
    List<String> out = new ArrayList<>();
    for (Object t : (List<?>) MANIFEST.get("tokenizers")) out.add((String) obj(t).get("name"));
    return out;
  }

  private static Map<String, Object> template(String name) {
    for (Object t : (List<?>) MANIFEST.get("tokenizers")) {
      if (name.equals(obj(t).get("name"))) return obj(obj(t).get("template"));
    }
    throw new IllegalArgumentException(name);
  }

  /** A tokenizer's file: its base with the variant's top-level keys replacing the base's. */
  static Map<String, Object> file(String name) {
    Map<String, Object> variant = obj(Json.parse(Jsonl.read(ROOT + "variants/" + name + ".json"), name));
    Map<String, Object> t = obj(Json.parse(Jsonl.read(BASES.get((String) variant.get("base"))), "base"));
    t.putAll(obj(variant.get("replace")));
    return t;
  }

  static String json(String name) {
    return HuggingFaceTest.write(file(name));
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

  private static List<String> docs(String set) {
    return set.equals("added") ? Jsonl.readStrings("/golden/hf/docs/added.jsonl") : Golden.docs(set);
  }

  // ------------------------------------------------------------------------------------------
  // Golden ids, templates and decodes

  @TestFactory
  Stream<DynamicNode> goldenIds() {
    List<DynamicNode> tests = new ArrayList<>();
    for (String name : names()) {
      for (String set : SETS) {
        tests.add(DynamicTest.dynamicTest(name + " " + set, () -> {
          Encoding enc = encoding(name);
          List<String> docs = docs(set);
          List<int[]> want = Jsonl.readIdArrays(ROOT + name + "/" + set + ".jsonl.gz");
          assertEquals(docs.size(), want.size());
          int[] before = ints(template(name).get("before"));
          int[] after = ints(template(name).get("after"));
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
            if (!Arrays.equals(got, enc.encodeOrdinary(utf8, 0, utf8.length))) failures.add("line " + (i + 1) + ": bytes");
            if (enc.countTokens(doc) != got.length) failures.add("line " + (i + 1) + ": count");
            if (!Arrays.equals(concat(before, got, after), enc.encode(doc, true))) {
              failures.add("line " + (i + 1) + ": template");
            }
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
        assertTrue(failures.isEmpty(), failures.size() + " decodes differ, e.g. "
            + failures.subList(0, Math.min(3, failures.size())));
      }));
    }
    return tests.stream();
  }

  /**
   * Where each token ends in the caller's text equals the end of tokenizers' offsets for that
   * token (written with the ByteLevel post-processor's trim_offsets off, which otherwise moves
   * offsets off the spaces a token holds). One difference is fasttok's on purpose: a token that
   * ends inside a character (a byte of GPT-2's alphabet, or a fallback byte, other than the
   * character's last; tokenizers gives it the whole character's offsets) ends where the character
   * starts, as cuts elsewhere in fasttok never split a character; the test applies that rule to
   * the golden ends, knowing such a token by the next token starting with a UTF-8 continuation
   * byte.
   */
  @TestFactory
  Stream<DynamicNode> tokenEndsAreTokenizersOffsets() {
    return names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      String text = json(name);
      byte[][] firstBytes = firstBytes(file(name));
      Pipeline p = Pipeline.of(TokenizerJson.read(text.getBytes(StandardCharsets.UTF_8), name, name));
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
          byte[] next = ids[i + 1] < firstBytes.length ? firstBytes[ids[i + 1]] : null;
          if (next != null && (next[0] & 0xC0) == 0x80 && want[i] > 0) {
            int e = want[i];
            int charStart = e - (Character.isLowSurrogate(doc.charAt(e - 1)) ? 2 : 1);
            want[i] = Math.max(i == 0 ? 0 : want[i - 1], charStart);
          }
        }
        int[] got = new int[n];
        for (int i = 0; i < n; i++) got[i] = Utf8.charCount(b, 0, ends.a[i]);
        if (!Arrays.equals(want, got)) {
          failures.add(GoldenTest.repr(doc, 80) + ": want " + Arrays.toString(want) + " got " + Arrays.toString(got));
        }
      }
      assertTrue(lines.size() > 100);
      assertTrue(failures.isEmpty(), failures.size() + " documents differ, e.g. "
          + failures.subList(0, Math.min(3, failures.size())));
    }));
  }

  /**
   * Per id, the bytes a token stands for where it is bytes: a token spelled in GPT-2's byte
   * alphabet (byte-level files), or a {@code <0xXX>} fallback byte; else null.
   */
  private static byte[][] firstBytes(Map<String, Object> file) {
    Map<String, Object> model = obj(file.get("model"));
    boolean byteLevel = file.toString().contains("type=ByteLevel");
    Map<Integer, String> byId = new HashMap<>();
    Object vocab = model.get("vocab");
    if (vocab instanceof List) {
      List<?> pairs = (List<?>) vocab;
      for (int i = 0; i < pairs.size(); i++) byId.put(i, (String) ((List<?>) pairs.get(i)).get(0));
    } else {
      for (Map.Entry<String, Object> e : obj(vocab).entrySet()) byId.put((int) (long) (Long) e.getValue(), e.getKey());
    }
    int max = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    byte[][] out = new byte[max + 1][];
    for (Map.Entry<Integer, String> e : byId.entrySet()) {
      int fallback = SentencePieceDecoders.byteToken(e.getValue());
      if (fallback >= 0) out[e.getKey()] = new byte[] {(byte) fallback};
      else if (byteLevel) out[e.getKey()] = ByteLevel.bytesOf(e.getValue());
      if (out[e.getKey()] != null && out[e.getKey()].length == 0) out[e.getKey()] = null;
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Every code point in context

  /**
   * Every code point in context, for the tokenizers whose result depends on a Unicode table of
   * their own (UnicodeScripts' scripts, Digits' numbers, the BERT normalizer before ByteLevel);
   * the manifest says which.
   */
  @TestFactory
  Stream<DynamicNode> everyCodePointInContext() {
    List<String> names = new ArrayList<>();
    for (Object t : (List<?>) MANIFEST.get("tokenizers")) {
      if (Boolean.TRUE.equals(obj(t).get("codepoints"))) names.add((String) obj(t).get("name"));
    }
    assertTrue(names.size() >= 7, names.toString());
    return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
      CodePointBlocks.check(encoding(name), Jsonl.readLines(ROOT + name + "/codepoints.txt.gz"));
    }));
  }

  // ------------------------------------------------------------------------------------------
  // Which pipeline reads a byte-level file

  /**
   * A byte-level BPE file that the byte-level pipeline reads stays there (its fast path); one
   * with a component only the component pipeline has goes there, and encodes as that file.
   */
  @Test
  void byteLevelFilesTheFastPathReadsStayThere() {
    Map<String, Object> base = obj(Json.parse(Jsonl.read(BASES.get("bytelevel")), "base"));
    assertTrue(pipeline(base) instanceof HfPipeline);
    base.put("normalizer", obj(Json.parse("{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFC\"}]}", "t")));
    base.put("pre_tokenizer", obj(Json.parse("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\","
        + "\"individual_digits\":true},{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"use_regex\":true}]}", "t")));
    assertTrue(pipeline(base) instanceof HfPipeline);
    for (String name : names()) {
      if (name.startsWith("bl-")) assertTrue(pipeline(file(name)) instanceof ComponentPipeline, name);
    }
    // The same components on both pipelines give the same ids and decodes.
    base.put("normalizer", null);
    assertTrue(pipeline(base) instanceof HfPipeline);
    Encoding fast = load(HuggingFaceTest.write(base), "fast/tokenizer.json");
    base.put("decoder", obj(Json.parse("{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"ByteLevel\"},"
        + "{\"type\":\"Strip\",\"content\":\" \",\"start\":0,\"stop\":0}]}", "t")));
    assertTrue(pipeline(base) instanceof ComponentPipeline);
    Encoding components = load(HuggingFaceTest.write(base), "components/tokenizer.json");
    for (String set : List.of("multilingual", "digits", "code", "special")) {
      for (String doc : Golden.docs(set)) {
        int[] ids = fast.encodeOrdinary(doc);
        assertArrayEquals(ids, components.encodeOrdinary(doc), doc);
        assertEquals(fast.decode(ids), components.decode(ids), doc);
      }
    }
  }

  private static Pipeline pipeline(Map<String, Object> file) {
    byte[] json = HuggingFaceTest.write(file).getBytes(StandardCharsets.UTF_8);
    return Pipeline.of(TokenizerJson.read(json, "t", "t"));
  }

  @Test
  void patternDescribesThePreTokenizer() {
    assertEquals("Sequence[WhitespaceSplit, Digits(individual_digits), Punctuation(Isolated)]",
        encoding("wp-digits").pattern());
    assertEquals("Sequence[UnicodeScripts, Metaspace(first)]", encoding("t5-scripts").pattern());
    assertEquals("Sequence[Digits(individual_digits), ByteLevel(" + R50kSplitter.PATTERN + ")]",
        encoding("bl-digits").pattern());
  }

  @Test
  void chunksAreSlicesOfTheText() {
    for (String name : List.of("bl-bert", "t5-seq-first", "wp-scripts")) {
      Encoding enc = encoding(name);
      for (String doc : Golden.docs("multilingual")) {
        int[] ids = enc.encodeOrdinary(doc);
        List<Integer> all = new ArrayList<>();
        for (Encoding.Chunk c : enc.chunk(doc, 7, 0)) {
          assertEquals(doc.substring(c.start(), c.end()), c.text());
          for (int id : c.ids()) all.add(id);
        }
        assertArrayEquals(ids, all.stream().mapToInt(Integer::intValue).toArray(), name + ": " + doc);
        String cut = enc.truncate(doc, 9);
        assertTrue(doc.startsWith(cut));
        assertTrue(enc.countTokens(cut) <= 9, name + ": " + doc);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // What is not supported

  @Test
  void badParametersAreNamedWithTheirPath() {
    check("unsupported FixedLength length 0 at pre_tokenizer.pretokenizers[1].length", m -> m.put("pre_tokenizer",
        obj(Json.parse("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},"
            + "{\"type\":\"FixedLength\",\"length\":0}]}", "t"))));
    check("pre_tokenizer.delimiter is not one character", m -> m.put("pre_tokenizer",
        obj(Json.parse("{\"type\":\"CharDelimiterSplit\",\"delimiter\":\"ab\"}", "t"))));
    check("unsupported pre_tokenizer Sideways at pre_tokenizer.pretokenizers[1]", m -> m.put("pre_tokenizer",
        obj(Json.parse("{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\"},"
            + "{\"type\":\"Sideways\"}]}", "t"))));
  }

  private static void check(String expected, Consumer<Map<String, Object>> change) {
    Map<String, Object> t = file("wp-digits");
    change.accept(t);
    String text = HuggingFaceTest.write(t);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(text, "bad/tokenizer.json"));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("bad/tokenizer.json"), e.getMessage());
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
