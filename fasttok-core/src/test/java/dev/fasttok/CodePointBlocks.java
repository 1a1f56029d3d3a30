package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * The every-code-point-in-context golden files of the tokenizer.json families: each line is a
 * block of code points ({@code hex-block count fnv}), the oracle's token count and FNV-1a hash of
 * the ids of one document that puts every code point of the block into every context template
 * ("X" replaced; " " between code points, "\n" between templates). Lone surrogates are U+FFFD,
 * as fasttok reads them.
 */
final class CodePointBlocks {
  private CodePointBlocks() {}

  /** Checks a file of one tokenizer: its {@code block} and {@code templates} lines, then the blocks. */
  static void check(Encoding enc, List<String> lines) {
    int size = -1;
    List<String> contexts = null;
    List<String> blocks = new ArrayList<>();
    for (String line : lines) {
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("join ")) continue;
      if (line.startsWith("block ")) size = Integer.parseInt(line.substring(6));
      else if (line.startsWith("templates ")) contexts = Jsonl.parseStringArray(line.substring(10));
      else blocks.add(line);
    }
    assertEquals(0x110000 / size, blocks.size());
    check(enc, size, contexts, blocks);
  }

  /** Checks the given block lines, blocks of {@code size} code points, in these contexts. */
  static void check(Encoding enc, int size, List<String> contexts, List<String> blocks) {
    List<String> failures = new ArrayList<>();
    for (String line : blocks) {
      String[] f = line.split(" ");
      int b = Integer.parseInt(f[0], 16);
      StringBuilder doc = new StringBuilder();
      for (int k = 0; k < contexts.size(); k++) {
        if (k > 0) doc.append('\n');
        for (int cp = b * size; cp < (b + 1) * size; cp++) {
          if (cp > b * size) doc.append(' ');
          String x = cp >= 0xD800 && cp <= 0xDFFF ? "\uFFFD" : new String(Character.toChars(cp));
          doc.append(contexts.get(k).replace("X", x));
        }
      }
      int[] ids = enc.encodeOrdinary(doc.toString());
      String got = ids.length + " " + fnv(ids);
      if (!got.equals(f[1] + " " + f[2])) failures.add(String.format("U+%04X..U+%04X", b * size, (b + 1) * size - 1));
    }
    assertTrue(failures.isEmpty(), failures.size() + " blocks differ: "
        + failures.subList(0, Math.min(8, failures.size())));
  }

  private static String fnv(int[] ids) {
    int h = 0x811C9DC5;
    for (int v : ids) {
      for (int k = 0; k < 4; k++) {
        h ^= (v >>> (8 * k)) & 0xFF;
        h *= 0x01000193;
      }
    }
    return String.format("%08x", h);
  }
}
