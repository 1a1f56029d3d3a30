package dev.fasttok.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Documents to tokenize, read from a file.
 *
 * <ul>
 *   <li><b>{@code *.jsonl}</b>: one document per line, each line a JSON string literal (the format
 *       of the test corpora); blank lines are skipped.
 *   <li><b>any other file</b>: plain UTF-8 text, one document per paragraph. Paragraphs are
 *       separated by one or more blank lines (lines that are empty or hold only whitespace); a
 *       paragraph keeps its own line breaks ({@code \n}; {@code \r\n} is read as {@code \n}),
 *       without a trailing one.
 * </ul>
 *
 * <p>Only a prefix is read: documents are taken in file order while their UTF-8 size adds up to
 * at most {@code maxBytes} (at least one document is always taken, even if it alone is larger).
 * The corpora are shuffled, so a prefix is a fair sample. {@code maxBytes <= 0} reads everything.
 */
public final class Corpus {
  final Path path;
  public final List<String> docs;
  /** UTF-8 bytes of all documents: what one pass over the corpus tokenizes. */
  public final long utf8Bytes;
  /** Whether the file had more documents than {@code maxBytes} allowed. */
  final boolean truncated;

  private Corpus(Path path, List<String> docs, long utf8Bytes, boolean truncated) {
    this.path = path;
    this.docs = Collections.unmodifiableList(docs);
    this.utf8Bytes = utf8Bytes;
    this.truncated = truncated;
  }

  public static Corpus load(String file, long maxBytes) throws IOException {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("corpus file not found: " + path.toAbsolutePath()
          + " (pass one with -p corpus=PATH, e.g. -p corpus=/tmp/corpora/prose_en.jsonl;"
          + " build the corpora with ../shared/corpora/make_corpora.sh /tmp/corpora)");
    }
    long limit = maxBytes <= 0 ? Long.MAX_VALUE : maxBytes;
    List<String> docs = new ArrayList<>();
    long total = 0;
    boolean truncated = false;
    // Strict UTF-8: a corpus with broken bytes should fail, not be benchmarked as U+FFFD.
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    boolean jsonl = path.getFileName().toString().endsWith(".jsonl");
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(path), utf8),
        1 << 16)) {
      int lineNo = 0;
      StringBuilder para = new StringBuilder();
      String line;
      while (true) {
        line = in.readLine();
        lineNo++;
        String doc = null;
        if (jsonl) {
          if (line == null) break;
          if (line.isBlank()) continue;
          doc = JsonString.parse(line, path + ":" + lineNo);
        } else if (line != null && !line.isBlank()) {
          if (para.length() > 0) para.append('\n');
          para.append(line);
          continue;
        } else if (para.length() > 0) {
          doc = para.toString();
          para.setLength(0);
        } else if (line == null) {
          break;
        } else {
          continue;
        }
        long size = doc.getBytes(StandardCharsets.UTF_8).length;
        if (!docs.isEmpty() && total + size > limit) {
          truncated = true;
          break;
        }
        docs.add(doc);
        total += size;
        if (line == null) break;
      }
    }
    if (docs.isEmpty()) throw new IllegalArgumentException("corpus " + path + " holds no documents");
    return new Corpus(path, docs, total, truncated);
  }

  public String describe() {
    return String.format("%s: %d docs, %d UTF-8 bytes (%.2f MiB)%s", path, docs.size(), utf8Bytes,
        utf8Bytes / 1048576.0, truncated ? ", a prefix" : "");
  }
}
