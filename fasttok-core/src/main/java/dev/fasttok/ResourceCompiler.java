package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (process-classes): writes the binary resources the jar carries, so that a JVM loads
 * them with a few bulk copies instead of parsing text before the JIT has compiled anything:
 * the Unicode class table from {@code unicode-classes.txt}, and the built-in vocabularies from the
 * shipped tiktoken rank files, in compact form.
 * Usage: {@code ResourceCompiler <dir of .tiktoken files> <classes dir>}.
 */
final class ResourceCompiler {
  private static final String[] BASES = {"r50k_base", "p50k_base", "cl100k_base", "o200k_base"};

  private ResourceCompiler() {}

  public static void main(String[] args) throws IOException {
    Path tiktoken = Path.of(args[0]);
    Path classes = Path.of(args[1]).resolve("dev/fasttok");
    Path text = classes.resolve(UnicodeClasses.RESOURCE);
    Path binary = classes.resolve(UnicodeClasses.BINARY);
    // A changed format (a recompiled writer) makes every output stale too.
    Path writer = classes.resolve("VocabularyFiles.class");
    if (isStale(binary, text) || isStale(binary, classes.resolve("UnicodeTable.class"))) {
      try (InputStream in = Files.newInputStream(text)) {
        Files.write(binary, UnicodeTable.parse(in, text.toString()).toBinary());
      }
    }
    Path vocab = classes.resolve("vocab");
    Files.createDirectories(vocab);
    for (String base : BASES) {
      Path file = tiktoken.resolve(base + ".tiktoken");
      Path target = vocab.resolve(base + ".ftok");
      if (!isStale(target, file) && !isStale(target, writer) && !isStale(target, classes.resolve("Vocabulary.class"))) {
        continue;
      }
      try (InputStream s = Files.newInputStream(file)) {
        VocabularyFiles.Definition d = VocabularyFiles.readTiktoken(s, file.toString(), base,
            Encodings.patternOf(base), Encodings.specialsOf(base));
        Files.write(target, VocabularyFiles.writeCompact(d));
      }
    }
  }

  private static boolean isStale(Path target, Path source) throws IOException {
    return !Files.exists(target) || Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(source)) < 0;
  }
}
