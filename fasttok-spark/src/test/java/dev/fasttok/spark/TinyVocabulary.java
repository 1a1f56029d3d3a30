package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * A small custom vocabulary for tests: the 256 single bytes (ranks 0..255) and a few merges, so
 * that "hello world" is two tokens, {@link #HELLO} and {@link #WORLD}.
 */
public final class TinyVocabulary {
  private TinyVocabulary() {}

  static final String[] MERGES = {"he", "ll", "hell", "hello", " w", "or", "ld", " wor", " world"};
  /** Id of "hello". */
  public static final int HELLO = 259;
  /** Id of " world". */
  public static final int WORLD = 264;

  /** Writes {@code tiny.tiktoken} (tiktoken's rank format) into dir. */
  public static Path writeTiktoken(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    int rank = 0;
    for (int b = 0; b < 256; b++) {
      sb.append(Base64.getEncoder().encodeToString(new byte[] {(byte) b})).append(' ').append(rank++).append('\n');
    }
    for (String m : MERGES) {
      sb.append(Base64.getEncoder().encodeToString(m.getBytes(StandardCharsets.UTF_8))).append(' ').append(rank++)
          .append('\n');
    }
    Path file = dir.resolve("tiny.tiktoken");
    Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** Writes {@code tiny.ftok} (fasttok's compact form) into dir: the same ranks, no special tokens. */
  public static Path writeFtokWithoutSpecials(Path dir) throws IOException {
    Path tiktoken = writeTiktoken(Files.createTempDirectory(dir, "src"));
    Encoding e = Encodings.fromTiktoken(tiktoken, Encodings.pattern("o200k_base"), Map.of());
    Path file = dir.resolve("tiny.ftok");
    Files.write(file, e.toBytes());
    return file;
  }
}
