package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every method on UTF-8 bytes gives what its String twin gives on {@code new String(bytes, UTF_8)},
 * on random ill-formed UTF-8 (stray continuation bytes, truncated sequences, overlong forms,
 * encoded surrogates, bytes F5..FF) mixed with ASCII, well-formed characters and special-token
 * text. Each array is checked with the next of the tiktoken encodings and a tokenizer.json one
 * (Qwen3, which normalizes with NFC), 10,000 arrays each.
 */
class ByteInputPropertyTest {
  private static final int ARRAYS = 50_000;
  private static final int PAD = 3;

  private static final byte[][] WELL_FORMED = bytes("é", "€", "日", "😀", "\u0301", "ſ", "한", "\u00A0", "Ω", "\u3000");
  private static final byte[][] ILL_FORMED = {
    {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xA9}, // stray continuation bytes
    {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xE6}, {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0x81}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
    {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, // surrogates
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
    {(byte) 0xFE}, {(byte) 0xFF},
  };
  private static final byte[][] ASCII = bytes("a", "Z", "1", "23", " ", "  ", "\n", "'s", ".", "hello", " world", "<|");

  @Test
  void everyByteMethodEqualsItsStringTwinOnIllFormedUtf8() throws IOException {
    List<Encoding> encodings = List.of(Encodings.get("r50k_base"), Encodings.get("p50k_base"),
        Encodings.get("cl100k_base"), Encodings.get("o200k_base"), qwen3());
    Random rnd = new Random(0x5EED_0001L);
    for (int n = 0; n < ARRAYS; n++) {
      byte[] b = illFormed(rnd);
      assertFalse(Utf8.isWellFormed(b, 0, b.length));
      check(encodings.get(n % encodings.size()), b, rnd);
    }
  }

  private static void check(Encoding enc, byte[] b, Random rnd) {
    String text = new String(b, StandardCharsets.UTF_8);
    byte[] big = new byte[b.length + 2 * PAD];
    Arrays.fill(big, (byte) 0xFF);
    System.arraycopy(b, 0, big, PAD, b.length);
    int len = b.length;
    Supplier<String> what = () -> enc.name() + " on " + hex(b);

    int[] ids = enc.encodeOrdinary(text);
    assertArrayEquals(ids, enc.encodeOrdinary(big, PAD, len), what);
    assertEquals(ids.length, enc.countTokens(text), what);
    assertEquals(ids.length, enc.countTokens(big, PAD, len), what);
    assertArrayEquals(enc.encode(text, true), enc.encode(big, PAD, len, true), what);
    assertArrayEquals(enc.encode(text, false), enc.encode(big, PAD, len, false), what);
    Set<String> all = enc.specialTokens().keySet();
    assertArrayEquals(enc.encode(text, all), enc.encode(big, PAD, len, all), what);
    assertArrayEquals(enc.encode(text, Set.of(), Set.of()), enc.encode(big, PAD, len, Set.of(), Set.of()), what);
    assertEquals(outcome(() -> enc.encode(text)), outcome(() -> enc.encode(big, PAD, len, Set.of())), what);

    assertEquals(enc.decode(ids), new String(enc.decodeBytes(ids), StandardCharsets.UTF_8), what);
    if (!enc.name().equals("qwen3")) assertEquals(text, enc.decode(ids), what); // no normalizer

    for (int k : new int[] {0, 1, 2, ids.length - 1, rnd.nextInt(ids.length + 2)}) {
      if (k < 0) continue;
      int kept = enc.truncatedLength(big, PAD, len, k);
      int max = k;
      assertEquals(enc.truncate(text, k), new String(big, PAD, kept, StandardCharsets.UTF_8),
          () -> what.get() + ", " + max + " tokens");
    }

    int size = 1 + rnd.nextInt(4);
    int overlap = rnd.nextInt(size);
    List<Encoding.Chunk> fromString = enc.chunk(text, size, overlap);
    List<Encoding.Chunk> fromBytes = enc.chunk(big, PAD, len, size, overlap);
    assertEquals(fromString.size(), fromBytes.size(), what);
    if (fromString.isEmpty()) return;
    // The text as tokenized (normalized for Qwen3), rebuilt from the chunks at their char offsets.
    char[] tokenized = new char[fromString.get(fromString.size() - 1).end()];
    for (Encoding.Chunk c : fromString) c.text().getChars(0, c.text().length(), tokenized, c.start());
    String t = new String(tokenized);
    for (int i = 0; i < fromString.size(); i++) {
      Encoding.Chunk s = fromString.get(i);
      Encoding.Chunk c = fromBytes.get(i);
      assertEquals(s.text(), c.text(), what);
      assertEquals(s.text(), t.substring(s.start(), s.end()), what);
      assertEquals(s.tokenStart(), c.tokenStart(), what);
      assertEquals(s.tokenCount(), c.tokenCount(), what);
      // Byte offsets are those of the same places in the UTF-8 of the text as tokenized.
      assertEquals(Utf8.encodedLength(t, 0, s.start()), c.start(), what);
      assertEquals(Utf8.encodedLength(t, 0, s.end()), c.end(), what);
    }
  }

  /** The ids, or the kind of error. */
  private static Object outcome(Supplier<int[]> encode) {
    try {
      return Arrays.toString(encode.get());
    } catch (IllegalArgumentException e) {
      return "refused";
    }
  }

  /** 1 to 8 fragments, at least one of them ill-formed. */
  private static byte[] illFormed(Random rnd) {
    int n = 1 + rnd.nextInt(8);
    int bad = rnd.nextInt(n);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      int kind = i == bad ? 0 : rnd.nextInt(5);
      byte[] f = kind <= 1 ? ILL_FORMED[rnd.nextInt(ILL_FORMED.length)]
          : kind == 2 ? WELL_FORMED[rnd.nextInt(WELL_FORMED.length)]
          : kind == 3 ? ASCII[rnd.nextInt(ASCII.length)]
          : rnd.nextInt(8) == 0 ? "<|endoftext|>".getBytes(StandardCharsets.UTF_8) : new byte[] {(byte) rnd.nextInt(256)};
      out.writeBytes(f);
    }
    // A truncated sequence can be completed by the next fragment.
    if (Utf8.isWellFormed(out.toByteArray(), 0, out.size())) out.write(0xFF);
    return out.toByteArray();
  }

  private static Encoding qwen3() throws IOException {
    try (InputStream in = ByteInputPropertyTest.class.getResourceAsStream("/golden/hf/tokenizers/qwen3.tokenizer.json.gz")) {
      assertTrue(in != null, "missing qwen3 tokenizer.json");
      return Encodings.fromTokenizerJson(new GZIPInputStream(in), "qwen3/tokenizer.json");
    }
  }

  private static byte[][] bytes(String... s) {
    byte[][] b = new byte[s.length][];
    for (int i = 0; i < s.length; i++) b[i] = s[i].getBytes(StandardCharsets.UTF_8);
    return b;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02X ", x & 0xFF));
    return sb.toString().trim();
  }
}
