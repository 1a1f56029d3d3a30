package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every code point U+0000..U+10FFFF, in a dozen contexts, in every encoding: the count and hash
 * of the ids must equal tiktoken's (golden/codepoints.txt, made by src/test/oracle/codepoints.mjs).
 */
class CodePointsTest {
  private static final String RESOURCE = "/golden/codepoints.txt";

  @TestFactory
  Stream<DynamicTest> everyCodePointInContext() throws IOException {
    Golden g = read();
    return g.expected.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      Encoding enc = Encodings.get(e.getKey());
      List<long[]> blocks = e.getValue();
      assertEquals(0x110000 / g.block, blocks.size(), "blocks in " + RESOURCE);
      List<String> bad = new ArrayList<>();
      for (int b = 0; b < blocks.size(); b++) {
        String doc = g.doc(b);
        int[] ids = enc.encodeOrdinary(doc);
        long[] want = blocks.get(b);
        if (ids.length != want[0] || fnv(ids) != want[1]) {
          bad.add(String.format("U+%04X..U+%04X", b * g.block, (b + 1) * g.block - 1));
        }
        assertEquals(ids.length, enc.countTokens(doc), "count of block " + b);
      }
      assertTrue(bad.isEmpty(), e.getKey() + " differs from tiktoken in " + bad.size() + " blocks: " + bad
          + " (node src/test/oracle/codepoints.mjs builds the documents; compare their ids)");
    }));
  }

  static int fnv(int[] ids) {
    int h = 0x811c9dc5;
    for (int v : ids) {
      for (int k = 0; k < 4; k++) {
        h ^= (v >>> (8 * k)) & 0xff;
        h *= 0x01000193;
      }
    }
    return h;
  }

  private static final class Golden {
    int block;
    List<String> templates;
    String join;
    final Map<String, List<long[]>> expected = new LinkedHashMap<>();

    String doc(int b) {
      StringBuilder sb = new StringBuilder();
      for (int t = 0; t < templates.size(); t++) {
        if (t > 0) sb.append(join);
        String template = templates.get(t);
        for (int cp = b * block; cp < (b + 1) * block; cp++) {
          // Surrogate code points stand alone as lone surrogates, as in the oracle's documents.
          String x = cp >= 0xD800 && cp <= 0xDFFF ? String.valueOf((char) cp) : new String(Character.toChars(cp));
          sb.append(template.replace("X", x));
        }
      }
      return sb.toString();
    }
  }

  private static Golden read() throws IOException {
    Golden g = new Golden();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        CodePointsTest.class.getResourceAsStream(RESOURCE), StandardCharsets.UTF_8))) {
      List<long[]> current = null;
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#")) continue;
        if (line.startsWith("block ")) g.block = Integer.parseInt(line.substring(6));
        else if (line.startsWith("templates ")) g.templates = Jsonl.parseStringArray(line.substring(10));
        else if (line.startsWith("join ")) g.join = Jsonl.parseString(line.substring(5));
        else if (line.startsWith("encoding ")) g.expected.put(line.substring(9), current = new ArrayList<>());
        else {
          String[] f = line.split(" ");
          current.add(new long[] {Long.parseLong(f[1]), (int) Long.parseLong(f[2], 16)});
        }
      }
    }
    return g;
  }
}
