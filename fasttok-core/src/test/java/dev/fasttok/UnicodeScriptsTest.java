package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Split patterns that name Unicode scripts ({@code \p{Han}}, {@code \p{Latin}}...) cut the
 * pieces Hugging Face's Split (Oniguruma, tokenizers 0.23.2) cuts, on the golden documents and on
 * every code point in context (golden/hf/scripts/pieces.txt.gz, from
 * src/test/oracle/make-script-split-golden.py).
 */
class UnicodeScriptsTest {
  private static final String GOLDEN = "/golden/hf/scripts/pieces.txt.gz";

  @TestFactory
  Stream<DynamicTest> piecesEqualOniguruma() {
    List<String> lines = Jsonl.readLines(GOLDEN);
    List<String> patterns = new ArrayList<>();
    List<String> templates = null;
    String join = null;
    int block = 0;
    Map<Integer, List<String[]>> expected = new HashMap<>();
    for (String line : lines) {
      if (line.startsWith("#") || line.isEmpty()) continue;
      if (line.startsWith("templates ")) templates = Jsonl.parseStringArray(line.substring(10));
      else if (line.startsWith("join ")) join = Jsonl.parseString(line.substring(5));
      else if (line.startsWith("block ")) block = Integer.parseInt(line.substring(6));
      else if (line.startsWith("pattern ")) {
        String[] f = line.split(" ", 3);
        patterns.add(Jsonl.parseString(f[2]));
      } else {
        String[] f = line.split(" ");
        expected.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>()).add(f);
      }
    }
    assertTrue(patterns.size() >= 3, "patterns in " + GOLDEN);
    List<String> t = templates;
    String j = join;
    int size = block;
    Map<String, List<String>> docs = new HashMap<>();
    return java.util.stream.IntStream.range(0, patterns.size()).mapToObj(k -> DynamicTest.dynamicTest(patterns.get(k), () -> {
      String pattern = patterns.get(k);
      Splitter s = HfSplitters.forRegex(pattern);
      assertEquals("compiled", s.engine(), pattern);
      List<String> bad = new ArrayList<>();
      int codeBlocks = 0;
      for (String[] f : expected.get(k)) {
        String where = f[1];
        String text;
        if (where.startsWith("cp:")) {
          codeBlocks++;
          int b = Integer.parseInt(where.substring(3), 16);
          StringBuilder sb = new StringBuilder();
          for (int n = 0; n < t.size(); n++) {
            if (n > 0) sb.append(j);
            for (int cp = b * size; cp < (b + 1) * size; cp++) {
              if (cp < 0xD800 || cp > 0xDFFF) sb.append(t.get(n).replace("X", new String(Character.toChars(cp))));
            }
          }
          text = sb.toString();
        } else {
          String set = where.substring(0, where.indexOf(':'));
          int line = Integer.parseInt(where.substring(where.indexOf(':') + 1));
          text = docs.computeIfAbsent(set, Golden::docs).get(line - 1);
        }
        int[] ends = codePointEnds(s, GoldenTest.utf8(text));
        if (ends.length != Integer.parseInt(f[2]) || CodePointsTest.fnv(ends) != (int) Long.parseLong(f[3], 16)) {
          bad.add(where);
        }
      }
      assertEquals(0x110000 / size, codeBlocks, "code point blocks");
      assertTrue(bad.isEmpty(), pattern + ": pieces differ from Oniguruma's in " + bad.size() + " texts, first "
          + bad.subList(0, Math.min(10, bad.size())));
    }));
  }

  /** The end of each piece, in code points, as the oracle reports offsets. */
  private static int[] codePointEnds(Splitter s, byte[] utf8) {
    IntList ends = new IntList(64);
    s.split(utf8, 0, utf8.length, ends);
    int[] out = new int[ends.size];
    int cps = 0;
    int at = 0;
    for (int k = 0; k < ends.size; k++) {
      int e = ends.a[k] < 0 ? -ends.a[k] - 1 : ends.a[k];
      while (at < e) {
        at += Utf8.length(utf8[at]);
        cps++;
      }
      out[k] = cps;
    }
    return out;
  }
}
