package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public API's behaviour beyond the token ids themselves (those are in GoldenTest). */
class EncodingTest {

  @Test
  void builtInsAreCachedAndKnownByName() {
    assertSame(Encodings.get("cl100k_base"), Encodings.get("cl100k_base"));
    assertEquals(List.of("r50k_base", "gpt2", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base", "o200k_harmony"),
        List.copyOf(Encodings.names()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.get("gpt5"));
    assertTrue(e.getMessage().contains("gpt5") && e.getMessage().contains("o200k_base"), e.getMessage());
  }

  @Test
  void vocabularySizesAreTiktokensNVocab() {
    assertEquals(50257, Encodings.get("r50k_base").vocabularySize());
    assertEquals(50281, Encodings.get("p50k_base").vocabularySize());
    assertEquals(50284, Encodings.get("p50k_edit").vocabularySize());
    assertEquals(100277, Encodings.get("cl100k_base").vocabularySize());
    assertEquals(200019, Encodings.get("o200k_base").vocabularySize());
    assertEquals(201088, Encodings.get("o200k_harmony").vocabularySize());
  }

  @Test
  void harmonyIsO200kWithMoreSpecialTokens() {
    Encoding base = Encodings.get("o200k_base");
    Encoding harmony = Encodings.get("o200k_harmony");
    assertEquals(1091, harmony.specialTokens().size());
    String text = "<|start|>assistant<|channel|>final<|message|>Hi!<|end|>";
    assertArrayEquals(base.encodeOrdinary(text), harmony.encodeOrdinary(text));
    int[] ids = harmony.encode(text, harmony.specialTokens().keySet());
    assertEquals(200006, ids[0]);
    assertEquals(text, harmony.decode(ids));
    // Two names share id 200018; decoding gives the first one defined.
    assertEquals("<|endofprompt|>", harmony.decode(new int[] {200018}));
  }

  @Test
  void disallowedSpecialTokenTextIsAnErrorNamingTokenAndPlace() {
    Encoding enc = Encodings.get("cl100k_base");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.encode("héllo <|endoftext|>"));
    assertTrue(e.getMessage().contains("<|endoftext|>") && e.getMessage().contains("index 6"), e.getMessage());
    byte[] utf8 = "héllo <|endoftext|>".getBytes(StandardCharsets.UTF_8);
    e = assertThrows(IllegalArgumentException.class, () -> enc.encode(utf8, 0, utf8.length, Set.of()));
    assertTrue(e.getMessage().contains("byte offset 7"), e.getMessage());
    // Allowing one special token still refuses the others.
    e = assertThrows(IllegalArgumentException.class,
        () -> enc.encode("<|endoftext|><|fim_prefix|>", Set.of("<|endoftext|>")));
    assertTrue(e.getMessage().contains("<|fim_prefix|>"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> enc.encode("x", Set.of("<|nope|>")));
    assertTrue(e.getMessage().contains("<|nope|>"), e.getMessage());
    assertArrayEquals(new int[] {100257, 15339}, enc.encode("<|endoftext|>hello", Set.of("<|endoftext|>")));
    // Partial special-token text is plain text.
    assertArrayEquals(enc.encodeOrdinary("<|endoftext"), enc.encode("<|endoftext", Set.of()));
  }

  @Test
  void specialTokensNeitherAllowedNorDisallowedArePlainText() {
    // tiktoken: encode(text, allowed_special={"<|endoftext|>"}, disallowed_special=())
    Encoding enc = Encodings.get("cl100k_base");
    String text = "a<|endoftext|>b<|fim_prefix|>c";
    int[] a = enc.encodeOrdinary("a");
    int[] rest = enc.encodeOrdinary("b<|fim_prefix|>c");
    int[] expected = new int[a.length + 1 + rest.length];
    System.arraycopy(a, 0, expected, 0, a.length);
    expected[a.length] = 100257;
    System.arraycopy(rest, 0, expected, a.length + 1, rest.length);
    assertArrayEquals(expected, enc.encode(text, Set.of("<|endoftext|>"), Set.of()));
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(expected, enc.encode(utf8, 0, utf8.length, Set.of("<|endoftext|>"), Set.of()));
    assertArrayEquals(enc.encodeOrdinary(text), enc.encode(text, Set.of(), Set.of()));
    // Only the listed ones are refused.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> enc.encode(text, Set.of(), Set.of("<|fim_prefix|>")));
    assertTrue(e.getMessage().contains("<|fim_prefix|>") && e.getMessage().contains("index 15"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> enc.encode(text, Set.of(), Set.of("<|nope|>")));
    assertTrue(e.getMessage().contains("<|nope|>"), e.getMessage());
  }

  /** golden/cl100k_base/special.sets.jsonl: tiktoken's encode(text, allowed_special, disallowed_special). */
  @Test
  void allowedAndDisallowedSetsFollowTiktokenEvenWhereTheyOverlap() {
    Encoding enc = Encodings.get("cl100k_base");
    List<String> lines = Jsonl.readLines("/golden/cl100k_base/special.sets.jsonl");
    assertTrue(lines.size() > 40, "cases in special.sets.jsonl");
    for (String line : lines) {
      Map<?, ?> c = (Map<?, ?>) Json.parse(line, "special.sets.jsonl");
      String text = (String) c.get("text");
      Set<String> allowed = strings(c.get("allowed"));
      Set<String> disallowed = strings(c.get("disallowed"));
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      if (c.containsKey("error")) {
        String token = (String) c.get("error");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> enc.encode(text, allowed, disallowed), line);
        assertTrue(e.getMessage().contains("special token " + token), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> enc.encode(utf8, 0, utf8.length, allowed, disallowed), line);
        assertTrue(e.getMessage().contains("special token " + token), e.getMessage());
      } else {
        int[] ids = ((List<?>) c.get("ids")).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        assertArrayEquals(ids, enc.encode(text, allowed, disallowed), line);
        assertArrayEquals(ids, enc.encode(utf8, 0, utf8.length, allowed, disallowed), line);
      }
    }
  }

  private static Set<String> strings(Object jsonArray) {
    Set<String> s = new HashSet<>();
    for (Object o : (List<?>) jsonArray) s.add((String) o);
    return s;
  }

  @Test
  void encodeWithTemplateFlagReadsSpecialTokenTextAsSpecialTokensInBothFamilies() {
    // Hugging Face's encode(text, add_special_tokens) finds special tokens in the text either way;
    // for a tiktoken encoding that is allowed_special="all" (and there is no template).
    Encoding enc = Encodings.get("cl100k_base");
    String text = "a<|endoftext|>b<|fim_prefix|>";
    int[] all = enc.encode(text, enc.specialTokens().keySet());
    assertArrayEquals(new int[] {64, 100257, 65, 100258}, all);
    assertArrayEquals(all, enc.encode(text, true));
    assertArrayEquals(all, enc.encode(text, false));
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(all, enc.encode(utf8, 0, utf8.length, true));
    assertArrayEquals(all, enc.encode(utf8, 0, utf8.length, false));
  }

  @Test
  void decodingAnUnknownIdNamesIt() {
    Encoding enc = Encodings.get("cl100k_base");
    for (int id : new int[] {100256, 100261, 100275, -1, 100277, Integer.MAX_VALUE}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> enc.decode(new int[] {15339, id}));
      assertTrue(e.getMessage().contains(String.valueOf(id)), e.getMessage());
    }
    assertEquals("<|endofprompt|>", enc.decode(new int[] {100276}));
  }

  @ParameterizedTest
  @ValueSource(strings = {"r50k_base", "cl100k_base", "o200k_base"})
  void illFormedUtf8ReadsAsItsReplacementDecoding(String name) {
    Encoding enc = Encodings.get(name);
    byte[][] cases = {
      {(byte) 0xFF}, {'a', (byte) 0xC3}, {(byte) 0xE2, (byte) 0x82, 'x'}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {'h', 'i', ' ', (byte) 0x80, (byte) 0x80, ' ', 'y', 'o'}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80, ' ', 'a', 'b'},
    };
    for (byte[] b : cases) {
      String decoded = new String(b, StandardCharsets.UTF_8);
      assertArrayEquals(enc.encodeOrdinary(decoded), enc.encodeOrdinary(b, 0, b.length), Arrays.toString(b));
      assertEquals(enc.countTokens(decoded), enc.countTokens(b, 0, b.length));
      assertEquals(decoded, enc.decode(enc.encodeOrdinary(b, 0, b.length)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void truncateKeepsAPrefixOfAtMostTheTokens(String name) {
    Encoding enc = Encodings.get(name);
    for (String set : List.of("prose", "multilingual", "emoji", "scripts", "surrogates")) {
      for (String doc : GoldenTest.docs(set)) {
        String text = new String(Utf8.encode(doc), StandardCharsets.UTF_8); // lone surrogates as U+FFFD
        int n = enc.countTokens(text);
        for (int k : new int[] {0, 1, 2, 3, 5, 8, 13, n / 2, n - 1, n, n + 1}) {
          if (k < 0) continue;
          String kept = enc.truncate(text, k);
          assertTrue(text.startsWith(kept), set + ": not a prefix");
          assertTrue(enc.countTokens(kept) <= k, set + ": " + enc.countTokens(kept) + " tokens kept for " + k);
          if (k >= n) assertEquals(text, kept);
          // Cut where the k-th token ends, moved back at most to the start of its character.
          int[] ids = enc.encodeOrdinary(text);
          int want = enc.decodeBytes(Arrays.copyOf(ids, Math.min(k, ids.length))).length;
          int got = kept.getBytes(StandardCharsets.UTF_8).length;
          int oneLess = enc.decodeBytes(Arrays.copyOf(ids, Math.max(0, Math.min(k, ids.length) - 1))).length;
          assertTrue(got <= want && got >= oneLess - 3, set + ": kept " + got + " bytes, tokens end at " + want);
          byte[] b = text.getBytes(StandardCharsets.UTF_8);
          assertEquals(got, enc.truncatedLength(b, 0, b.length, k));
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> enc.truncate("x", -1));
  }

  @Test
  void truncatedLengthOfIllFormedUtf8KeepsWholeCharacters() {
    // "€", a stray 0xFF, "123": the String form keeps "€"; the bytes form kept only E2.
    Encoding enc = Encodings.get("cl100k_base");
    byte[] b = {(byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xFF, '1', '2', '3'};
    assertEquals("\u20AC", enc.truncate(new String(b, StandardCharsets.UTF_8), 1));
    assertEquals(3, enc.truncatedLength(b, 0, b.length, 1));
    byte[] padded = new byte[b.length + 4];
    System.arraycopy(b, 0, padded, 2, b.length);
    assertEquals(3, enc.truncatedLength(padded, 2, b.length, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void chunksCoverTheTextAndCountTokens(String name) {
    Encoding enc = Encodings.get(name);
    for (String set : List.of("prose", "code", "multilingual", "emoji")) {
      List<int[]> golden = Golden.ids(name, set);
      List<String> docs = GoldenTest.docs(set);
      for (int d = 0; d < docs.size(); d++) {
        String doc = docs.get(d);
        int n = enc.countTokens(doc);
        for (int[] so : new int[][] {{7, 0}, {16, 4}, {100, 99}}) {
          List<Encoding.Chunk> chunks = enc.chunk(doc, so[0], so[1]);
          if (n == 0) {
            assertTrue(chunks.isEmpty());
            continue;
          }
          StringBuilder joined = new StringBuilder();
          int expectStart = 0;
          for (Encoding.Chunk c : chunks) {
            assertEquals(expectStart, c.tokenStart());
            assertEquals(Math.min(so[0], n - c.tokenStart()), c.tokenCount());
            assertEquals(doc.substring(c.start(), c.end()), c.text());
            // The chunk's ids are tiktoken's ids of the whole text, sliced.
            assertArrayEquals(Arrays.copyOfRange(golden.get(d), c.tokenStart(), c.tokenStart() + c.tokenCount()),
                c.ids(), set + " " + d);
            if (so[1] == 0) joined.append(c.text());
            expectStart += so[0] - so[1];
          }
          Encoding.Chunk last = chunks.get(chunks.size() - 1);
          assertEquals(n, last.tokenStart() + last.tokenCount());
          if (so[1] == 0) assertEquals(doc, joined.toString());
        }
      }
    }
    assertTrue(enc.chunk("", 5, 0).isEmpty());
    // Ill-formed UTF-8 reads as U+FFFD, as in the other methods on bytes.
    byte[] ill = {'a', 'b', (byte) 0xE2, (byte) 0x82, ' ', 'c', 'd', (byte) 0xFF, 'e', (byte) 0xC3};
    String read = new String(ill, StandardCharsets.UTF_8);
    List<Encoding.Chunk> fromBytes = enc.chunk(ill, 0, ill.length, 2, 0);
    List<Encoding.Chunk> fromString = enc.chunk(read, 2, 0);
    assertEquals(fromString.size(), fromBytes.size());
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < fromBytes.size(); i++) {
      assertEquals(fromString.get(i).text(), fromBytes.get(i).text());
      assertEquals(fromString.get(i).tokenStart(), fromBytes.get(i).tokenStart());
      assertEquals(fromString.get(i).tokenCount(), fromBytes.get(i).tokenCount());
      joined.append(fromBytes.get(i).text());
    }
    assertEquals(read, joined.toString());
    assertThrows(IllegalArgumentException.class, () -> enc.chunk("x", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> enc.chunk("x", 4, 4));
    assertThrows(IllegalArgumentException.class, () -> enc.chunk("x", 4, -1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"r50k_base", "cl100k_base", "o200k_harmony"})
  void compactFormRoundTrips(String name) {
    Encoding enc = Encodings.get(name);
    byte[] compact = enc.toBytes();
    Encoding back = Encodings.fromBytes(compact);
    assertSame(back, Encodings.fromBytes(compact.clone()), "built once per content");
    assertEquals(enc.specialTokens(), back.specialTokens());
    assertEquals(enc.vocabularySize(), back.vocabularySize());
    for (String doc : GoldenTest.docs("multilingual")) assertArrayEquals(enc.encodeOrdinary(doc), back.encodeOrdinary(doc));
  }

  @Test
  void corruptOrTruncatedCompactFormNamesTheOffset() {
    byte[] compact = Encodings.get("r50k_base").toBytes();
    byte[] flipped = compact.clone();
    flipped[flipped.length / 2] ^= 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromBytes(flipped));
    assertTrue(e.getMessage().contains("byte offset") && e.getMessage().contains("checksum"), e.getMessage());
    byte[] cut = Arrays.copyOf(compact, compact.length - 1000);
    e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromBytes(cut));
    assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromBytes(new byte[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("not a fasttok vocabulary"), e.getMessage());
  }

  @Test
  void tiktokenFileWithBuiltInPatternGivesTheBuiltInIds(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("my_ranks.tiktoken");
    Files.copy(Path.of("src/main/tiktoken/cl100k_base.tiktoken"), file);
    Encoding custom = Encodings.readVocabulary(file, "cl100k_base");
    assertEquals("my_ranks", custom.name());
    Encoding builtIn = Encodings.get("cl100k_base");
    for (String doc : GoldenTest.docs("code")) assertArrayEquals(builtIn.encodeOrdinary(doc), custom.encodeOrdinary(doc));
    Encoding viaPattern = Encodings.fromTiktoken(file, Encodings.pattern("cl100k_base"), Map.of("<|endoftext|>", 100257));
    assertArrayEquals(new int[] {100257}, viaPattern.encode("<|endoftext|>", Set.of("<|endoftext|>")));
  }

  @Test
  void malformedTiktokenFilesNameFileAndLine() {
    String bytes = allSingleBytes();
    assertError(bytes + "!!! 256\n", "line 257");
    assertError(bytes + "YWI= 255\n", "rank 255 appears twice");
    assertError(bytes + "YWI=\n", "line 257");
    assertError(bytes + "YWI= x1\n", "line 257");
    assertError(bytes.substring(bytes.indexOf('\n') + 1), "single byte 0x00");
    assertError(bytes + "YWI= 256\nYWI= 257\n", "same bytes");
  }

  private static String allSingleBytes() {
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b < 256; b++) {
      sb.append(java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) b})).append(' ').append(b).append('\n');
    }
    return sb.toString();
  }

  private static void assertError(String file, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromTiktoken("t",
        new ByteArrayInputStream(file.getBytes(StandardCharsets.US_ASCII)), "t.tiktoken", "\\S+|\\s+", Map.of()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"r50k_base", "cl100k_base", "o200k_base"})
  void regexSplitterAgreesWithTheHandWrittenOne(String name) {
    Encoding enc = Encodings.get(name);
    Splitter hand = Splitters.forPattern(enc.pattern());
    Splitter regex = new RegexSplitter(enc.pattern());
    for (String set : GoldenTest.SETS) {
      for (String doc : GoldenTest.docs(set)) {
        byte[] b = Utf8.encode(doc);
        IntList want = new IntList(16);
        IntList got = new IntList(16);
        hand.split(b, 0, b.length, want);
        regex.split(b, 0, b.length, got);
        assertArrayEquals(want.toArray(), got.toArray(), set + ": " + doc);
      }
    }
  }
}
