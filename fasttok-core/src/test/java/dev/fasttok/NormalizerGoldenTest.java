package dev.fasttok;

import static dev.fasttok.SentencePieceFiles.obj;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The normalizers NFC, NFKC, Replace with a regex (and with String patterns of other than one
 * character) and ByteLevel, and the Replace decoder with a regex, in tokenizer.json files read by
 * {@link Encodings#fromTokenizerJson}, against ids, templates, decodes, token ends and every code
 * point in context written by Hugging Face tokenizers 0.23.2
 * (src/test/oracle/make-normalizer-golden.py, golden/norm): a SentencePiece unigram model with byte
 * fallback (so the ids spell the normalized text) and uncased BERT's WordPiece, each with its
 * normalizer swapped.
 */
class NormalizerGoldenTest {
  private static final String ROOT = "/golden/norm/";
  private static final List<String> SETS = List.of("prose", "code", "multilingual", "special", "contractions",
      "whitespace", "digits", "emoji", "scripts", "surrogates", "long", "added", "norm");
  private static final Map<String, Object> MANIFEST = obj(Json.parse(Jsonl.read(ROOT + "manifest.json"), "manifest.json"));
  private static final Map<String, Encoding> ENCODINGS = new ConcurrentHashMap<>();

  private static List<Map<String, Object>> tokenizers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object t : (List<?>) MANIFEST.get("tokenizers")) out.add(obj(t));
    return out;
  }

  private static String json(String name) {
    return Jsonl.read(ROOT + "tokenizers/" + name + ".tokenizer.json.gz");
  }

  private static Encoding encoding(String name) {
    return ENCODINGS.computeIfAbsent(name, n -> load(json(n), n + "/tokenizer.json"));
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

  private static List<String> docs(String set) {
    if (set.equals("norm")) return Jsonl.readStrings(ROOT + "docs/norm.jsonl");
    return set.equals("added") ? Jsonl.readStrings("/golden/hf/docs/added.jsonl") : Golden.docs(set);
  }

  private static void noFailures(List<String> failures, String what) {
    assertTrue(failures.isEmpty(), failures.size() + " " + what + " differ, e.g. "
        + failures.subList(0, Math.min(3, failures.size())));
  }

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
            if (!Arrays.equals(got, enc.encodeOrdinary(utf8, 0, utf8.length))) failures.add("line " + (i + 1) + ": bytes");
            if (enc.countTokens(doc) != got.length) failures.add("line " + (i + 1) + ": count");
            IntList full = new IntList(got.length + 4);
            for (int x : before) full.add(x);
            for (int x : got) full.add(x);
            for (int x : after) full.add(x);
            if (!Arrays.equals(full.toArray(), enc.encode(doc, true))) failures.add("line " + (i + 1) + ": template");
          }
          noFailures(failures, "documents");
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
        noFailures(failures, "decodes");
      }));
    }
    return tests.stream();
  }

  /**
   * Where each token ends in the caller's text, through the normalizers' alignments, equals the
   * end of tokenizers' offsets for that token (composition and Replace move characters' ranges).
   */
  @TestFactory
  Stream<DynamicNode> tokenEndsAreTokenizersOffsets() {
    return tokenizers().stream().map(t -> (String) t.get("name")).map(name -> DynamicTest.dynamicTest(name, () -> {
      byte[] json = json(name).getBytes(StandardCharsets.UTF_8);
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
        int[] got = new int[n];
        // Byte offsets to UTF-16 indices, as the golden file has them.
        for (int i = 0; i < n; i++) got[i] = Utf8.charCount(b, 0, ends.a[i]);
        if (!Arrays.equals(want, got)) {
          failures.add(GoldenTest.repr(doc, 80) + ": want " + Arrays.toString(want) + " got " + Arrays.toString(got));
        }
      }
      assertTrue(lines.size() > 100);
      noFailures(failures, "documents");
    }));
  }

  /** Every code point in context, for the tokenizers where a character alone decides the result. */
  @TestFactory
  Stream<DynamicNode> everyCodePointInContext() {
    return tokenizers().stream().filter(t -> Boolean.TRUE.equals(t.get("codepoints"))).map(t -> (String) t.get("name")).map(name -> DynamicTest.dynamicTest(name, () -> {
      Encoding enc = encoding(name);
      CodePointBlocks.check(enc, Jsonl.readLines(ROOT + name + "/codepoints.txt.gz"));
    }));
  }

  @Test
  void aReplaceRegexThatCannotRunFailsAtLoadNamingItsPath() {
    // Oniguruma's subexpression call (\g<name>): tokenizers runs it; neither the pattern compiler
    // nor java.util.regex has it.
    check("normalizer.normalizers[2].pattern", t -> obj(((List<?>) obj(t.get("normalizer")).get("normalizers")).get(2))
        .put("pattern", Map.of("Regex", "(?<a>x)\\g<a>")));
    check("decoder.decoders[0].pattern", t -> obj(((List<?>) obj(t.get("decoder")).get("decoders")).get(0))
        .put("pattern", Map.of("Regex", "(?<a>x)\\g<a>")));
    check("normalizer.normalizers[1]", t -> ((List<Object>) obj(t.get("normalizer")).get("normalizers"))
        .set(1, Map.of("type", "Nmt")));
  }

  @SuppressWarnings("unchecked")
  private static void check(String path, Consumer<Map<String, Object>> change) {
    Map<String, Object> t = obj(Json.parse(json("uni-replace"), "uni-replace"));
    change.accept(t);
    String text = HuggingFaceTest.write(t);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(text, "changed.json"));
    assertTrue(e.getMessage().contains(path) && e.getMessage().contains("changed.json"), e.getMessage());
  }
}
