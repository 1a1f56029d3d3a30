package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Model names against tiktoken 0.14's {@code encoding_name_for_model} (golden/models.jsonl, made by
 * src/test/oracle/models.py): every name of its table, a name for each of its prefixes, dated and
 * fine-tuned variants, and names it does not know.
 */
class ModelsTest {

  @Test
  void everyModelNameMapsAsTiktokenMapsIt() throws IOException {
    int known = 0;
    int unknown = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        ModelsTest.class.getResourceAsStream("/golden/models.jsonl"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(line, "models.jsonl");
        String model = (String) m.get("model");
        if (m.containsKey("encoding")) {
          String encoding = (String) m.get("encoding");
          assertEquals(encoding, Encodings.encodingNameForModel(model), model);
          assertSame(Encodings.get(encoding), Encodings.forModel(model), model);
          assertSame(Encodings.get(encoding), Encodings.get(model), model);
          known++;
        } else {
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.forModel(model));
          assertTrue(e.getMessage().startsWith("unknown model '" + model + "'; nearest known: "), e.getMessage());
          if (!Encodings.names().contains(model)) assertThrows(IllegalArgumentException.class, () -> Encodings.get(model));
          unknown++;
        }
      }
    }
    assertTrue(known > 80 && unknown > 10, known + " known, " + unknown + " unknown");
  }

  @Test
  void anUnknownNameListsTheNearestKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.get("gpt4o"));
    assertTrue(e.getMessage().startsWith("unknown encoding or model 'gpt4o'; nearest known: gpt-4o,"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Encodings.forModel("o200k-base"));
    assertTrue(e.getMessage().startsWith("unknown model 'o200k-base'; nearest known: o200k_base,"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; encodings: r50k_base, gpt2, p50k_base, p50k_edit, cl100k_base, o200k_base,"
        + " o200k_harmony"), e.getMessage());
  }

  @Test
  void gpt2IsR50kUnderTiktokensOtherName() {
    // tiktoken's gpt2 encoding: r50k_base's ranks, pattern and special token under another name.
    Encoding gpt2 = Encodings.get("gpt2");
    assertEquals("gpt2", gpt2.name());
    assertEquals(Map.of("<|endoftext|>", 50256), gpt2.specialTokens());
    assertEquals(50257, gpt2.vocabularySize());
    for (String set : Golden.SETS) {
      java.util.List<String> docs = Golden.docs(set);
      java.util.List<int[]> ids = Golden.ids("r50k_base", set);
      for (int i = 0; i < docs.size(); i++) assertArrayEquals(ids.get(i), gpt2.encodeOrdinary(docs.get(i)), set + " " + i);
    }
  }
}
