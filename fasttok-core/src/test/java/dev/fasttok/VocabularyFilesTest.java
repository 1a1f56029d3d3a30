package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading vocabulary files: sparse ranks, what tiktoken's loader accepts, errors that name the file
 * and the line or byte offset, and compact forms that no change can turn into an encoder that
 * hangs or whose decode disagrees with its encode.
 */
class VocabularyFilesTest {
  private static final Path R50K = Path.of("src/main/tiktoken/r50k_base.tiktoken");
  /** "hello world" with the highest rank fasttok accepts, as in a real report: far above the others. */
  private static final String SPARSE_LINE = "aGVsbG8gd29ybGQ= 16777215\n";
  private static final Map<String, Integer> ENDOFTEXT = Map.of("<|endoftext|>", 50256);

  // ------------------------------------------------------------------------------------------
  // Sparse ranks

  private static Path sparseR50k(Path dir) throws IOException {
    Path file = dir.resolve("sparse.tiktoken");
    Files.write(file, (Files.readString(R50K) + SPARSE_LINE).getBytes(StandardCharsets.US_ASCII));
    return file;
  }

  /**
   * The ids tiktoken 0.14.0 gives with r50k_base's ranks plus that line, from Python:
   * {@code tiktoken.Encoding(name, pat_str=..., mergeable_ranks=ranks, special_tokens={"<|endoftext|>": 50256})}.
   */
  @Test
  void sparseRankEncodesAndDecodesAsTiktoken(@TempDir Path dir) throws IOException {
    Path file = sparseR50k(dir);
    Encoding r50kPattern = Encodings.readVocabulary(file, "r50k_base");
    Encoding lines = Encodings.fromTiktoken(file, "[^\\n]+|\\n", ENDOFTEXT);
    for (Encoding e : List.of(r50kPattern, lines, Encodings.fromBytes(lines.toBytes()))) {
      assertEquals(16777216, e.vocabularySize(), "n_vocab");
      assertEquals("hello world<|endoftext|>", e.decode(new int[] {16777215, 50256}));
    }
    assertArrayEquals(new int[] {31373, 995}, r50kPattern.encodeOrdinary("hello world"));
    assertArrayEquals(new int[] {31373, 995, 50256, 31373, 995},
        r50kPattern.encode("hello world<|endoftext|>hello world", Set.of("<|endoftext|>")));
    Map<String, int[]> want = Map.of(
        "hello world", new int[] {16777215},
        "hello world!", new int[] {16777215, 0},
        "hello worlds", new int[] {31373, 11621},
        "(hello world)\n(hello world)\n", new int[] {7, 16777215, 8, 198, 7, 16777215, 8, 198},
        "hello world" + "!".repeat(40), new int[] {16777215, 34635, 34635, 34635, 34635, 34635},
        "(".repeat(40) + "hello world)", new int[] {19510, 19510, 19510, 19510, 19510, 19510, 19510, 19510, 19510,
            19510, 19510, 19510, 19510, 19510, 19510, 19510, 19510, 19510, 19510, 19510, 16777215, 8});
    for (Encoding e : List.of(lines, Encodings.fromBytes(lines.toBytes()))) {
      for (Map.Entry<String, int[]> t : want.entrySet()) {
        assertArrayEquals(t.getValue(), e.encodeOrdinary(t.getKey()), t.getKey());
        assertEquals(t.getValue().length, e.countTokens(t.getKey()), t.getKey());
        assertEquals(t.getKey(), e.decode(t.getValue()));
      }
      assertArrayEquals(new int[] {16777215, 50256, 16777215},
          e.encode("hello world<|endoftext|>hello world", Set.of("<|endoftext|>")));
      assertEquals("hello world", e.truncate("hello world!", 1));
      assertEquals(List.of("hello world", "!"), e.chunk("hello world!", 1, 0).stream().map(Encoding.Chunk::text)
          .collect(java.util.stream.Collectors.toList()));
    }
  }

  /** What the vocabulary holds, and so what Spark broadcasts, follows the number of tokens. */
  @Test
  void sparseRankCostsWhatOneTokenCosts(@TempDir Path dir) throws IOException {
    Encoding sparse = Encodings.readVocabulary(sparseR50k(dir), "r50k_base");
    int r50k = Encodings.get("r50k_base").toBytes().length;
    assertTrue(sparse.toBytes().length < r50k + 64, sparse.toBytes().length + " vs " + r50k);
  }

  /** In a JVM of 64 MB of heap, where the old tables by highest rank (16M entries) ran out of memory. */
  @Test
  void sparseRankLoadsInASmallHeap(@TempDir Path dir) throws Exception {
    Path file = sparseR50k(dir);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        SmallHeap.class.getName(), file.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertEquals("[31373, 995] hello world", out.strip());
  }

  /** The forked JVM of {@link #sparseRankLoadsInASmallHeap}. */
  static final class SmallHeap {
    public static void main(String[] args) throws IOException {
      Encoding e = Encodings.fromBytes(Encodings.readVocabulary(Path.of(args[0]), "r50k_base").toBytes());
      String ids = java.util.Arrays.toString(e.encodeOrdinary("hello world"));
      System.out.println(ids + " " + e.decode(new int[] {16777215}));
    }
  }

  // ------------------------------------------------------------------------------------------
  // tiktoken rank files

  /** tiktoken's loader splits each line on whitespace: spaces or tabs around the two fields, CRLF. */
  @Test
  void whitespaceAroundTheFieldsIsAccepted(@TempDir Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (String line : Files.readAllLines(R50K)) {
      String[] f = line.split(" ");
      sb.append(i % 3 == 0 ? f[0] + " " + f[1] + " "
          : i % 3 == 1 ? f[0] + "\t" + f[1] + "\t \r" : " " + f[0] + "  " + f[1]);
      sb.append('\n');
      i++;
    }
    Path file = dir.resolve("spaced.tiktoken");
    Files.write(file, sb.toString().getBytes(StandardCharsets.US_ASCII));
    Encoding spaced = Encodings.readVocabulary(file, "r50k_base");
    Encoding builtIn = Encodings.get("r50k_base");
    for (String doc : GoldenTest.docs("code")) {
      assertArrayEquals(builtIn.encodeOrdinary(doc), spaced.encodeOrdinary(doc));
    }
  }

  @Test
  void tiktokenErrorsNameFileAndLine(@TempDir Path dir) throws IOException {
    String bytes = allSingleBytes(); // lines 1..256
    assertError(bytes + "YWI= 256\nYWI= 257\n", "t.tiktoken line 258: the token of rank 257 has the same bytes as the"
        + " token of rank 256 on line 257");
    assertError(bytes + "YWI= 256\nYWM= 256\n", "t.tiktoken line 258: rank 256 appears twice (also on line 257)");
    assertError(bytes + "YWI= 16777216\n", "t.tiktoken line 257: rank 16777216 is above 16777215");
    assertError(bytes + "YWI= 1e3\n", "t.tiktoken line 257: invalid rank '1e3'");
    assertError(bytes + "YWI= 256 257\n", "t.tiktoken line 257: expected '<base64 token> <rank>'");
    assertError(bytes + "  \n", "t.tiktoken line 257: expected");
    assertError(bytes.substring(bytes.indexOf('\n') + 1), "t.tiktoken: no token for the single byte 0x00");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(bytes + "YWI= 256\n", Map.of("<|x|>", 256)));
    assertTrue(e.getMessage().contains("t.tiktoken line 257: rank 256 is also the id of the special token <|x|>"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> read(bytes, Map.of("<|x|>", -1)));
    assertTrue(e.getMessage().contains("t.tiktoken: special token <|x|> has id -1"), e.getMessage());

    // The path, not only the file's stem.
    Path file = dir.resolve("mine.tiktoken");
    Files.write(file, (bytes + "YWI= 256\n").getBytes(StandardCharsets.US_ASCII));
    e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromTiktoken(file, "\\S+|\\s+",
        Map.of("<|endoftext|>", 256)));
    assertTrue(e.getMessage().startsWith(file + " line 257: "), e.getMessage());
    Files.write(file, bytes.substring(bytes.indexOf('\n') + 1).getBytes(StandardCharsets.US_ASCII));
    e = assertThrows(IllegalArgumentException.class, () -> Encodings.readVocabulary(file, "r50k_base"));
    assertTrue(e.getMessage().startsWith(file + ": no token for the single byte 0x00"), e.getMessage());
  }

  static String allSingleBytes() {
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b < 256; b++) sb.append(Base64.getEncoder().encodeToString(new byte[] {(byte) b})).append(' ')
        .append(b).append('\n');
    return sb.toString();
  }

  private static Encoding read(String file, Map<String, Integer> specials) throws IOException {
    return Encodings.fromTiktoken("t", new ByteArrayInputStream(file.getBytes(StandardCharsets.US_ASCII)), "t.tiktoken",
        "\\S+|\\s+", specials);
  }

  private static void assertError(String file, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, Map.of()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  // ------------------------------------------------------------------------------------------
  // The compact form

  /** A small vocabulary: the single bytes and the merges that make "hello" and " world". */
  private static Encoding tiny() throws IOException {
    StringBuilder sb = new StringBuilder(allSingleBytes());
    int rank = 256;
    for (String m : new String[] {"he", "ll", "hell", "hello", " w", "or", "ld", " wor", " world"}) {
      sb.append(Base64.getEncoder().encodeToString(m.getBytes(StandardCharsets.US_ASCII))).append(' ').append(rank++)
          .append('\n');
    }
    return read(sb.toString(), Map.of("<|endoftext|>", 300));
  }

  /** Where the parts of a compact form start (format 3). */
  static final class Layout {
    final ByteBuffer buf;
    final int specialsAt;
    final int offsetsAt;
    final int poolAt;
    final int sparseAt;
    /** The number of merge rules (-1: none), then their left tokens, right tokens and results. */
    final int rulesAt;

    Layout(byte[] b) {
      buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      buf.position(8);
      skipBytes();
      skipBytes();
      int n = buf.getInt();
      specialsAt = buf.position();
      for (int i = 0; i < n; i++) {
        skipBytes();
        buf.getInt();
      }
      offsetsAt = buf.position();
      buf.position(offsetsAt + 4 + 4 * buf.getInt(offsetsAt));
      poolAt = buf.position() + 4;
      buf.position(poolAt + buf.getInt(poolAt - 4));
      sparseAt = buf.position();
      rulesAt = sparseAt + 4 + 4 * buf.getInt(sparseAt) + 1;
    }

    private void skipBytes() {
      int n = buf.getInt();
      buf.position(buf.position() + n);
    }

    /** Where the token of rank r starts. */
    int token(int r) {
      return poolAt + buf.getInt(offsetsAt + 4 + 4 * r);
    }
  }

  /** The bytes with a checksum that matches again, as a deliberate change would have. */
  static byte[] resealed(byte[] b) {
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - 8);
    ByteBuffer.wrap(b, b.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
    return b;
  }

  /**
   * A token's byte changed, checksum recomputed: the tables follow the token's new bytes, so
   * encode and decode agree (formats 1 and 2 kept the old tables: encode gave the token for
   * "hello", decode gave the new bytes).
   */
  @Test
  void aChangedTokenByteChangesTheTokenEverywhere() {
    byte[] b = Encodings.get("r50k_base").toBytes();
    int at = new Layout(b).token(31373); // "hello"
    assertEquals("hello", new String(b, at, 5, StandardCharsets.US_ASCII));
    b[at + 4] = 'Q';
    Encoding e = Encodings.fromBytes(resealed(b));
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      assertEquals("hellQ", e.decode(new int[] {31373}));
      assertArrayEquals(new int[] {31373}, e.encodeOrdinary("hellQ"));
      int[] ids = e.encodeOrdinary("hello world");
      assertEquals("hello world", e.decode(ids));
      assertTrue(ids[0] != 31373, java.util.Arrays.toString(ids));
    });
  }

  @Test
  void compactFormErrorsNameTheByteOffset() throws IOException {
    byte[] good = tiny().toBytes();
    Layout l = new Layout(good);

    byte[] b = good.clone();
    b[l.token(256) + 1] = 'l'; // "he" becomes "hl", a token of its own: fine
    assertEquals("hl", Encodings.fromBytes(resealed(b)).decode(new int[] {256}));

    b = good.clone();
    b[l.token(256)] = 'l'; // "he" becomes "ll", the bytes of rank 257
    b[l.token(256) + 1] = 'l';
    assertCorrupt(b, l.token(257), "the token of rank 257 has the same bytes as the token of rank 256");

    b = good.clone();
    b[l.token(0x41)] = 0x42; // the byte 'A' becomes a second 'B'
    assertCorrupt(b, l.token(0x42), "the token of rank 66 has the same bytes as the token of rank 65");

    b = good.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(l.offsetsAt + 4 + 4 * 101, 0); // offset of rank 101
    assertCorrupt(b, l.offsetsAt + 4 + 4 * 100, "token offsets out of order");

    b = good.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(l.specialsAt + 4 + "<|endoftext|>".length(), 259);
    assertCorrupt(b, l.specialsAt, "special token <|endoftext|> has id 259, which is the id of the ordinary token at"
        + " byte offset " + l.token(259));

    b = good.clone();
    int patternAt = 8 + 4 + 1; // after the name "t"
    assertEquals("\\S+|\\s+", new String(b, patternAt + 4, 7, StandardCharsets.US_ASCII));
    b[patternAt + 4 + 2] = '('; // \S(|\s+
    assertCorrupt(b, patternAt, "invalid split pattern");

    byte[] old = good.clone();
    ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
    assertCorrupt(old, 4, "format version 1, expected 3 (written by an earlier fasttok");
  }

  private static void assertCorrupt(byte[] b, int offset, String what) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.fromBytes(resealed(b)));
    assertTrue(e.getMessage().startsWith("compact vocabulary at byte offset " + offset + ": " + what), e.getMessage());
  }

  /**
   * Any bit of a compact form after its split pattern changed, checksum recomputed: loading fails
   * naming a byte offset, or gives an encoder that neither hangs nor decodes to other text than it
   * encoded.
   */
  @Test
  void noChangedByteMakesAnEncoderThatHangsOrLies() throws IOException {
    byte[] good = tiny().toBytes();
    int from = new Layout(good).specialsAt - 4; // after the name and the split pattern, which the file may change
    List<String> texts = List.of("hello world", "hello, hello world!\n", "he said: 'well, wold, hold'",
        "x".repeat(100) + " hello" + "ld".repeat(40), "日本語 ünïcödé <|endoftext|>");
    Random random = new Random(11);
    List<String> loaded = new ArrayList<>();
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int trial = 0; trial < 3000; trial++) {
        byte[] b = good.clone();
        int at = from + random.nextInt(b.length - 8 - from);
        b[at] ^= (byte) (1 << random.nextInt(8));
        Encoding e;
        try {
          e = Encodings.fromBytes(resealed(b));
        } catch (IllegalArgumentException x) {
          assertTrue(x.getMessage().startsWith("compact vocabulary at byte offset "), x.getMessage());
          continue;
        }
        loaded.add(e.name());
        for (String t : texts) {
          assertEquals(t, e.decode(e.encodeOrdinary(t)), "byte " + at + ": " + t);
          assertEquals(t, new String(e.decodeBytes(e.encode(t, e.specialTokens().keySet())), StandardCharsets.UTF_8));
        }
      }
    });
    assertTrue(loaded.size() > 50, "loaded " + loaded.size()); // most changes are errors (e.g. two equal tokens)
  }
}
