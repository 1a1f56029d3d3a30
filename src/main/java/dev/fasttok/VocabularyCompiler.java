package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: turns the shipped tiktoken rank files into the compact form the jar carries, so
 * that a built-in encoding loads without parsing base64.
 * Usage: {@code VocabularyCompiler <dir of .tiktoken files> <output dir>}.
 */
final class VocabularyCompiler {
  private static final String[] BASES = {"r50k_base", "p50k_base", "cl100k_base", "o200k_base"};
  private static final String[] PATTERNS = {
    R50kSplitter.PATTERN, R50kSplitter.PATTERN, Cl100kSplitter.PATTERN, O200kSplitter.PATTERN
  };

  private VocabularyCompiler() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    for (int i = 0; i < BASES.length; i++) {
      Path file = in.resolve(BASES[i] + ".tiktoken");
      Path target = out.resolve(BASES[i] + ".ftok");
      if (Files.exists(target) && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(file)) > 0) {
        continue;
      }
      try (InputStream s = Files.newInputStream(file)) {
        VocabularyFiles.Definition d = VocabularyFiles.readTiktoken(s, file.toString(), BASES[i], PATTERNS[i],
            Encodings.specialsOf(BASES[i]));
        Files.write(target, VocabularyFiles.writeCompact(d));
      }
    }
  }
}
