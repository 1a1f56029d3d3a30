package dev.fasttok;

import static dev.fasttok.SentencePieceFiles.list;
import static dev.fasttok.SentencePieceFiles.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link SentencePieceDecoders} and {@link SentencePieceNormalizers} against Hugging Face
 * tokenizers (src/test/oracle/make-spbpe-golden.py): each decoder on token lists with their
 * corners (byte runs that are not UTF-8, tokens that only look like bytes, Strip's panics), each
 * normalizer on texts, and the files' decoders on ids of whole documents and of slices that cut
 * characters.
 */
class SentencePieceDecodersTest {

  @TestFactory
  Stream<DynamicTest> decoders() {
    List<String> lines = Jsonl.readLines(SentencePieceFiles.ROOT + "decoders.jsonl");
    List<DynamicTest> tests = new ArrayList<>();
    for (int k = 0; k < lines.size(); k++) {
      Map<String, Object> c = obj(Json.parse(lines.get(k), "decoders.jsonl:" + (k + 1)));
      List<String> tokens = new ArrayList<>();
      for (Object t : list(c.get("tokens"))) tokens.add((String) t);
      tests.add(DynamicTest.dynamicTest(k + 1 + ": " + c.get("decoder") + " " + tokens, () -> {
        if (c.containsKey("load_error")) {
          assertThrows(IllegalArgumentException.class,
              () -> SentencePieceDecoders.fromJson(obj(c.get("decoder")), "decoder"));
          return;
        }
        SentencePieceDecoders.Decoder d = SentencePieceDecoders.fromJson(obj(c.get("decoder")), "decoder");
        if (c.containsKey("error")) {
          assertThrows(IllegalStateException.class, () -> d.decode(tokens));
        } else {
          assertEquals(c.get("text"), d.decode(tokens));
        }
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> normalizers() {
    List<String> lines = Jsonl.readLines(SentencePieceFiles.ROOT + "normalizers.jsonl");
    List<DynamicTest> tests = new ArrayList<>();
    for (int k = 0; k < lines.size(); k++) {
      Map<String, Object> c = obj(Json.parse(lines.get(k), "normalizers.jsonl:" + (k + 1)));
      String text = (String) c.get("text");
      tests.add(DynamicTest.dynamicTest(k + 1 + ": " + c.get("normalizer") + " \"" + text + "\"", () -> {
        SentencePieceNormalizers.Normalized n =
            SentencePieceFiles.normalize(c.get("normalizer"), SentencePieceNormalizers.of(text));
        assertEquals(c.get("normalized"), n.text);
        checkAlignment(text, n);
      }));
    }
    return tests.stream();
  }

  /**
   * The alignment has one entry per output unit, never goes back, stays in the text, and every
   * unit copied from the text (not inserted) points at the same unit.
   */
  private static void checkAlignment(String text, SentencePieceNormalizers.Normalized n) {
    assertEquals(n.text.length(), n.align.length);
    int prev = 0;
    for (int i = 0; i < n.align.length; i++) {
      assertTrue(n.align[i] >= prev && n.align[i] <= text.length(), "align[" + i + "] = " + n.align[i]);
      prev = n.align[i];
    }
  }

  @Test
  void alignmentPointsAtTheOriginalCharacters() {
    // Llama 2's normalizer: Prepend U+2581, then every space as U+2581.
    SentencePieceNormalizers.Normalized n = SentencePieceNormalizers.of("ab c\uD83D\uDE00 d");
    n = SentencePieceNormalizers.prepend(n.text, n.align, "\u2581");
    n = SentencePieceNormalizers.replace(n.text, n.align, " ", "\u2581");
    assertEquals("\u2581ab\u2581c\uD83D\uDE00\u2581d", n.text);
    assertArrayEquals(new int[] {0, 0, 1, 2, 3, 4, 5, 6, 7}, n.align);
    // A replacement longer than the match: all of it from the match's start.
    n = SentencePieceNormalizers.replace("a b", null, " ", "--");
    assertArrayEquals(new int[] {0, 1, 1, 2}, n.align);
    // A match replaced by nothing leaves no units.
    n = SentencePieceNormalizers.replace("axxb", null, "xx", "");
    assertEquals("ab", n.text);
    assertArrayEquals(new int[] {0, 3}, n.align);
  }

  /** The files' decoders on ids: tokenizers' {@code decode(ids, false)} with only the model and decoder. */
  @TestFactory
  Stream<DynamicTest> filesDecodeIds() {
    Map<String, Object> manifest = obj(Json.parse(
        String.join("\n", Jsonl.readLines(SentencePieceFiles.ROOT + "manifest.json")), "manifest.json"));
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : obj(manifest.get("tokenizers")).keySet()) {
      if (!SentencePieceFiles.available(name)) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(name, () -> {
        Map<String, Object> tok = SentencePieceFiles.tokenizerJson(name);
        Map<Integer, String> tokens = SentencePieceFiles.tokens(obj(tok.get("model")));
        Object decoder = tok.get("decoder");
        SentencePieceDecoders.Decoder d = decoder == null ? null : SentencePieceDecoders.fromJson(obj(decoder), "decoder");
        List<Jsonl.DecodeCase> cases = Jsonl.readDecodeCases(SentencePieceFiles.ROOT + name + "/decode.jsonl.gz");
        assertTrue(cases.size() > 100, cases.size() + " cases");
        int bad = 0;
        String first = null;
        for (Jsonl.DecodeCase c : cases) {
          List<String> ts = new ArrayList<>();
          for (int id : c.ids) ts.add(tokens.get(id));
          // Without a decoder tokenizers joins the tokens with spaces.
          String got = d == null ? String.join(" ", ts) : d.decode(ts);
          if (!got.equals(c.text)) {
            bad++;
            if (first == null) first = "ids " + java.util.Arrays.toString(c.ids) + ": want \"" + c.text + "\" got \"" + got + "\"";
          }
        }
        assertEquals(0, bad, name + ": " + bad + " of " + cases.size() + " decodes differ, first: " + first);
      }));
    }
    return tests.stream();
  }

  @Test
  void unsupportedDecodersNameTheirPath() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SentencePieceDecoders.fromJson(
        obj(Json.parse("{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Fuse\"},{\"type\":\"CTC\"}]}", "t")),
        "decoder"));
    assertTrue(e.getMessage().startsWith("decoder.decoders[1].type"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SentencePieceDecoders.fromJson(
        obj(Json.parse("{\"type\":\"Replace\",\"pattern\":{\"Regex\":\" +\"},\"content\":\" \"}", "t")), "decoder"));
    assertTrue(e.getMessage().startsWith("decoder.pattern"), e.getMessage());
  }
}
