package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PrecompiledNormalizer} against Hugging Face tokenizers' {@code Precompiled} normalizer
 * (its output and the offsets of every output character in the input), from {@code
 * golden/unigram/precompiled.jsonl.gz}, made by {@code src/test/oracle/make-unigram-golden.py}
 * with the {@code nmt_nfkc} charsmap of a SentencePiece model.
 */
class PrecompiledNormalizerTest {
  static final String DIR = "/golden/unigram/";

  @SuppressWarnings("unchecked")
  static PrecompiledNormalizer spm() {
    Map<String, Object> m = (Map<String, Object>) Json.parse(Jsonl.readLines(DIR + "spm.precompiled.json.gz").get(0), "spm");
    assertEquals("Precompiled", m.get("type"));
    return PrecompiledNormalizer.fromBase64((String) m.get("precompiled_charsmap"));
  }

  /** The offsets (start, end per output code point) the normalizer gives, in input UTF-16 units. */
  static int[] offsets(CharSequence input, PrecompiledNormalizer.Normalized n) {
    List<Integer> out = new ArrayList<>();
    for (int u = 0; u < n.text.length(); u += Character.charCount(n.text.codePointAt(u))) {
      int s = n.sources[u];
      if (s < 0) {
        out.add(0);
        out.add(0);
      } else {
        boolean pair = Character.isHighSurrogate(input.charAt(s)) && s + 1 < input.length()
            && Character.isLowSurrogate(input.charAt(s + 1));
        out.add(s);
        out.add(s + (pair ? 2 : 1));
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  static int fnv(int h, int v) {
    return (h ^ v) * 16777619;
  }

  @Test
  @SuppressWarnings("unchecked")
  void outputAndOffsetsMatchTokenizers() {
    PrecompiledNormalizer p = spm();
    List<String> lines = Jsonl.readLines(DIR + "precompiled.jsonl.gz");
    Map<String, List<String>> docs = new HashMap<>();
    int alone = 0, blocks = 0, texts = 0, crafted = 0, contexts = 0;
    PrecompiledNormalizer leadBytes = null;
    for (int line = 0; line < lines.size(); line++) {
      Map<String, Object> c = (Map<String, Object>) Json.parse(lines.get(line), "precompiled line " + (line + 1));
      String where = "precompiled line " + (line + 1);
      if (c.containsKey("charsmap")) {
        // Hand-built charsmaps. Where tokenizers fails, at load or (panicking) on the text that
        // reaches a bad key, this class refuses the charsmap at load.
        String b64 = (String) c.get("charsmap");
        if (c.containsKey("out")) {
          assertEquals(c.get("out"), PrecompiledNormalizer.fromBase64(b64).normalize((String) c.get("text")).text, where);
        } else {
          assertTrue(c.containsKey("error"), where);
          assertThrows(IllegalArgumentException.class, () -> PrecompiledNormalizer.fromBase64(b64), where);
        }
        crafted++;
        continue;
      }
      if (c.containsKey("leadbytes")) {
        leadBytes = PrecompiledNormalizer.fromBase64((String) c.get("leadbytes"));
        continue;
      }
      if (c.containsKey("context")) {
        // With every character a key, the output's length shows where the clusters are: for
        // every code point, whether the context is one cluster must be as in tokenizers.
        String context = (String) c.get("context");
        List<Object> ranges = (List<Object>) c.get("clusters");
        int r = 0;
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
          if (cp >= 0xD800 && cp <= 0xDFFF) continue;
          while (r < ranges.size() && ((Number) ((List<Object>) ranges.get(r)).get(1)).intValue() < cp) r++;
          boolean want = r < ranges.size() && ((Number) ((List<Object>) ranges.get(r)).get(0)).intValue() <= cp;
          String text = context.replace("X", new String(Character.toChars(cp)));
          boolean got = leadBytes.normalize(text).text.length() == 1;
          if (want != got) assertEquals(want, got, "one cluster: " + context + " with U+" + Integer.toHexString(cp));
        }
        contexts++;
        continue;
      }
      if (c.containsKey("alone")) {
        // Every code point alone: the listed ones change as listed, all others stay.
        Map<Integer, String> changed = new HashMap<>();
        for (Object o : (List<Object>) c.get("alone")) {
          List<Object> e = (List<Object>) o;
          changed.put(((Number) e.get(0)).intValue(), (String) e.get(1));
        }
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
          if (cp >= 0xD800 && cp <= 0xDFFF) continue;
          String in = new String(Character.toChars(cp));
          String want = changed.getOrDefault(cp, in);
          PrecompiledNormalizer.Normalized n = p.normalize(in);
          if (!want.equals(n.text)) assertEquals(want, n.text, "U+" + Integer.toHexString(cp));
          alone++;
        }
        continue;
      }
      if (c.containsKey("block")) {
        int block = ((Number) c.get("block")).intValue();
        String text = blockText(block);
        PrecompiledNormalizer.Normalized n = p.normalize(text);
        int h = 0x811C9DC5;
        h = fnv(h, n.text.length());
        for (int i = 0; i < n.text.length(); ) {
          int cp = n.text.codePointAt(i);
          h = fnv(h, cp);
          i += Character.charCount(cp);
        }
        for (int v : offsets(text, n)) h = fnv(h, v);
        assertEquals(((Number) c.get("len")).intValue(), n.text.length(), "block " + Integer.toHexString(block));
        assertEquals(((Number) c.get("hash")).longValue(), h & 0xFFFFFFFFL, "block " + Integer.toHexString(block));
        blocks++;
        continue;
      }
      String text = c.containsKey("text") ? (String) c.get("text")
          : docs.computeIfAbsent((String) c.get("set"), Golden::docs).get(((Number) c.get("i")).intValue());
      PrecompiledNormalizer.Normalized n = p.normalize(text);
      assertEquals((String) c.get("out"), n.text, where);
      int[] al = UnigramTest.ints(c.get("al"));
      int[] want = new int[al.length];
      for (int i = 0, start = 0; i < al.length; i += 2) {
        start += al[i];
        want[i] = start;
        want[i + 1] = start + al[i + 1];
      }
      assertArrayEquals(want, offsets(text, n), where);
      assertEquals(n.text.length(), n.sources.length, where);
      texts++;
    }
    assertEquals(0x110000 - 0x800, alone);
    assertEquals(10, crafted);
    assertEquals(4, contexts);
    assertTrue(blocks > 1000, "blocks " + blocks);
    assertTrue(texts > 2000, "texts " + texts);
  }

  /** The text the generator builds for a block: each code point in seven contexts, joined by \n. */
  static String blockText(int block) {
    String[] templates = {"X\u0301", "aX", "XX", "\u0915\u094dX", "X\u200d\u2764", "\u1100X", "\uff21X\u0308"};
    StringBuilder sb = new StringBuilder();
    for (int cp = block * 256; cp < block * 256 + 256; cp++) {
      String x = new String(Character.toChars(cp));
      for (String t : templates) {
        if (sb.length() > 0) sb.append('\n');
        sb.append(t.replace("X", x));
      }
    }
    return sb.toString();
  }

  @Test
  void loneSurrogatesAreReadAsReplacementCharacters() {
    PrecompiledNormalizer p = spm();
    for (String s : new String[] {"a\uD800b", "\uDC00", "x\uDBFF", "\uD83D\uDE00\uDE00"}) {
      PrecompiledNormalizer.Normalized lone = p.normalize(s);
      PrecompiledNormalizer.Normalized replaced = p.normalize(s.replaceAll("(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])", "\uFFFD"));
      assertEquals(replaced.text, lone.text, s);
      assertArrayEquals(replaced.sources, lone.sources, s);
    }
  }

  /** A charsmap: the u32 trie size, the units, then the blob. */
  static byte[] charsmap(int declaredBytes, int[] units, byte[] blob) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * units.length + blob.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(declaredBytes);
    for (int u : units) b.putInt(u);
    b.put(blob);
    return b.array();
  }

  @Test
  void malformedCharsmapsAreRefusedNamingTheOffset() {
    IllegalArgumentException e;
    e = assertThrows(IllegalArgumentException.class, () -> PrecompiledNormalizer.of(new byte[] {1, 0}));
    assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PrecompiledNormalizer.of(charsmap(1024, new int[4], new byte[0])));
    assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PrecompiledNormalizer.of(charsmap(0, new int[0], new byte[0])));
    assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
    // A blob that is not UTF-8: its first bad byte is named.
    e = assertThrows(IllegalArgumentException.class,
        () -> PrecompiledNormalizer.of(charsmap(4 * 256, new int[256], new byte[] {'a', 0, (byte) 0xC3, 'x'})));
    assertTrue(e.getMessage().contains("offset " + (4 + 4 * 256 + 2)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PrecompiledNormalizer.fromBase64("not base64!"));
    // A trie of fewer than 256 units: a byte's child would be outside it.
    e = assertThrows(IllegalArgumentException.class, () -> PrecompiledNormalizer.of(charsmap(16, new int[4], new byte[0])));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
  }

  @Test
  void aTruncatedRealCharsmapIsRefusedNamingTheOffset() {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) Json.parse(Jsonl.readLines(DIR + "spm.precompiled.json.gz").get(0), "spm");
    byte[] real = Base64.getDecoder().decode((String) m.get("precompiled_charsmap"));
    PrecompiledNormalizer.of(real);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrecompiledNormalizer.of(java.util.Arrays.copyOf(real, 1000)));
    assertTrue(e.getMessage().contains("offset 0") && e.getMessage().contains("offset 4"), e.getMessage());
  }
}
