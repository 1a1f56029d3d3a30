package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Unigram} against Hugging Face tokenizers' ids and offsets for a model alone (no
 * normalizer, no pre-tokenizer: the whole text is one piece), from {@code golden/unigram}, made by
 * {@code src/test/oracle/make-unigram-golden.py}.
 */
class UnigramTest {
  static final String DIR = "/golden/unigram/";

  /** The model of {@code golden/unigram/<name>.model.json.gz}, as a tokenizer.json holds it. */
  @SuppressWarnings("unchecked")
  static Unigram model(String name) {
    Map<String, Object> m = (Map<String, Object>) Json.parse(Jsonl.readLines(DIR + name + ".model.json.gz").get(0), name);
    List<Object> vocab = (List<Object>) m.get("vocab");
    List<String> pieces = new ArrayList<>(vocab.size());
    double[] scores = new double[vocab.size()];
    for (int i = 0; i < vocab.size(); i++) {
      List<Object> e = (List<Object>) vocab.get(i);
      pieces.add((String) e.get(0));
      scores[i] = ((Number) e.get(1)).doubleValue();
    }
    Object unk = m.get("unk_id");
    return Unigram.of(pieces, scores, unk == null ? -1 : ((Number) unk).intValue(), (Boolean) m.get("byte_fallback"));
  }

  /** A golden case's text: inline, or a document of golden/docs, as Metaspace makes it or as it is. */
  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> c, Map<String, List<String>> docs) {
    if (c.containsKey("text")) return (String) c.get("text");
    String doc = docs.computeIfAbsent((String) c.get("set"), Golden::docs).get(((Number) c.get("i")).intValue());
    return Boolean.TRUE.equals(c.get("meta")) ? "\u2581" + doc.replace(' ', '\u2581') : doc;
  }

  static int[] ints(Object list) {
    List<?> l = (List<?>) list;
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) a[i] = ((Number) l.get(i)).intValue();
    return a;
  }

  @Test
  @SuppressWarnings("unchecked")
  void idsAndEndsMatchTokenizers() {
    Map<String, Unigram> models = new HashMap<>();
    Map<String, List<String>> docs = new HashMap<>();
    Map<String, int[]> counts = new HashMap<>();
    List<String> lines = Jsonl.readLines(DIR + "model-ids.jsonl.gz");
    for (int line = 0; line < lines.size(); line++) {
      Map<String, Object> c = (Map<String, Object>) Json.parse(lines.get(line), "model-ids line " + (line + 1));
      String name = (String) c.get("model");
      Unigram u = models.computeIfAbsent(name, UnigramTest::model);
      String text = text(c, docs);
      String where = name + " line " + (line + 1);
      if (c.containsKey("error")) {
        assertThrows(IllegalArgumentException.class, () -> u.encode(text, 0, text.length(), new IntList(4), null), where);
        counts.computeIfAbsent(name, k -> new int[2])[1]++;
        continue;
      }
      int[] want = ints(c.get("ids"));
      int[] lens = ints(c.get("lens"));
      int[] wantEnds = new int[lens.length];
      for (int i = 0, e = 0; i < lens.length; i++) wantEnds[i] = e += lens[i];

      IntList ids = new IntList(16);
      IntList ends = new IntList(16);
      int n = u.encode(text, 0, text.length(), ids, ends);
      assertArrayEquals(want, ids.toArray(), where);
      assertArrayEquals(wantEnds, ends.toArray(), where);
      assertEquals(want.length, n, where);

      // The same piece inside a longer text, appended after earlier ids, without ends.
      String outer = "«x" + text + "»";
      IntList more = new IntList(4);
      more.add(-7);
      assertEquals(want.length, u.encode(outer, 2, 2 + text.length(), more, null), where);
      int[] got = more.toArray();
      assertEquals(-7, got[0], where);
      assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 1, got.length), where);
      IntList shifted = new IntList(4);
      u.encode(outer, 2, 2 + text.length(), new IntList(4), shifted);
      for (int i = 0; i < wantEnds.length; i++) assertEquals(wantEnds[i] + 2, shifted.a[i], where);
      counts.computeIfAbsent(name, k -> new int[2])[0]++;
    }
    // Every model was exercised, on encodable text and (where the oracle refused) on errors.
    for (String m : List.of("spm", "spm-bytes", "trained", "ties", "ties-bytes", "dup", "positive", "positive-nofallback")) {
      assertTrue(counts.get(m)[0] > 40, m + " " + counts.get(m)[0]);
    }
    assertTrue(counts.get("no-unk")[0] > 0 && counts.get("no-unk")[1] > 0, "no-unk");
    assertTrue(counts.get("empty")[1] > 0, "empty");
  }

  @Test
  @SuppressWarnings("unchecked")
  void loadsWhatTokenizersLoads() {
    int cases = 0;
    for (String line : Jsonl.readLines(DIR + "model-load.jsonl.gz")) {
      Map<String, Object> c = (Map<String, Object>) Json.parse(line, "model-load");
      List<Object> vocab = (List<Object>) c.get("vocab");
      List<String> pieces = new ArrayList<>();
      double[] scores = new double[vocab.size()];
      for (int i = 0; i < vocab.size(); i++) {
        pieces.add((String) ((List<Object>) vocab.get(i)).get(0));
        scores[i] = ((Number) ((List<Object>) vocab.get(i)).get(1)).doubleValue();
      }
      int unk = c.get("unk_id") == null ? -1 : ((Number) c.get("unk_id")).intValue();
      boolean fallback = (Boolean) c.get("byte_fallback");
      if (c.containsKey("error")) {
        assertThrows(IllegalArgumentException.class, () -> Unigram.of(pieces, scores, unk, fallback), line);
      } else {
        Unigram.of(pieces, scores, unk, fallback);
      }
      cases++;
    }
    assertEquals(7, cases);
  }

  @Test
  void refusesInputsNoTokenizerJsonHolds() {
    // Lists of different lengths, and a lone surrogate, which serde refuses in a tokenizer.json.
    assertThrows(IllegalArgumentException.class, () -> Unigram.of(List.of("a"), new double[] {0, 0}, 0, false));
    assertThrows(IllegalArgumentException.class, () -> Unigram.of(List.of("a\uD800"), new double[] {0}, 0, false));
  }
}
