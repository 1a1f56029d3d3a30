package dev.fasttok.corpus;

import static dev.fasttok.corpus.CorpusTestSupport.assertSameDocuments;
import static dev.fasttok.corpus.CorpusTestSupport.multiset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fasttok.spark.SharedSpark;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON Lines objects no reader should trust, written at run time: duplicate keys and keys that
 * differ only in case, nesting 10,000 deep, a 50 MB line, a byte order mark, CRLF line ends, NUL
 * bytes, invalid escapes, numbers beyond double, escaped lone surrogates, text fields that are not
 * strings. The job finishes; every document is tokenized as OpenAI's tiktoken tokenizes it (ids
 * from {@code hostile-o200k_base.jsonl}, written by the oracle from {@code hostile-docs.jsonl});
 * every other line is counted in summary.json with its reason. Parquet output of the same corpus:
 * {@link HostileJsonLinesParquetClusterTest}.
 */
class HostileJsonLinesTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path corpus;
  /** The lines written, in order, with what the job must make of them. */
  static final List<Line> LINES = new ArrayList<>();
  /** tiktoken's o200k_base ids of each document's text (lone surrogates as U+FFFD). */
  static final Map<String, int[]> IDS = new HashMap<>();

  /** The 50 MB line: a sentence whose ids repeat with it (checked by the oracle on the whole line). */
  static final String UNIT = " The quick brown fox jumps over the lazy dog.";
  static final int REPEAT = 1_111_112;
  static final int EOS = 199999;

  /** A line: its bytes, the status the job gives it, its text (documents with text) and id. */
  static final class Line {
    final byte[] bytes;
    final int status;
    final String text;
    final long id;

    Line(byte[] bytes, int status, String text, long id) {
      this.bytes = bytes;
      this.status = status;
      this.text = text;
      this.id = id;
    }
  }

  static void add(List<Line> file, int status, String text, long id, Object... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Object p : parts) {
      b.writeBytes(p instanceof byte[] ? (byte[]) p : ((String) p).getBytes(StandardCharsets.UTF_8));
    }
    Line l = new Line(b.toByteArray(), status, text, id);
    file.add(l);
    LINES.add(l);
  }

  static byte[] bytes(int... b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
    return r;
  }

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.get();
    corpus = writeCorpus(dir.resolve("hostile"));
  }

  /** Writes the corpus into dir (once per JVM: the lines are kept for the checks). */
  static synchronized Path writeCorpus(Path into) throws IOException {
    if (IDS.isEmpty()) readGolden();
    LINES.clear();
    Path corpus = Files.createDirectories(into);
    final int ok = Documents.OK;
    final int replaced = Documents.REPLACED;
    final int nul = Documents.NULL;
    final int malformed = Documents.MALFORMED;
    final int blank = Documents.BLANK;
    final int duplicate = Documents.DUPLICATE_KEY;
    final int limits = Documents.BEYOND_LIMITS;
    final int notString = Documents.NOT_STRING;

    // a.jsonl: a byte order mark, CRLF line ends.
    List<Line> a = new ArrayList<>();
    add(a, ok, "first line after a BOM", 1, bytes(0xEF, 0xBB, 0xBF), "{\"id\":1,\"text\":\"first line after a BOM\"}");
    add(a, replaced, "lone \uFFFD surrogate", 2, "{\"id\":2,\"text\":\"lone \\ud800 surrogate\"}");
    add(a, duplicate, null, 3, "{\"id\":3,\"text\":\"a\",\"text\":\"b\"}");
    add(a, ok, "exact case wins", 4, "{\"id\":4,\"TEXT\":\"upper case\",\"text\":\"exact case wins\"}");
    add(a, nul, null, 5, "{\"id\":5,\"TEXT\":\"only upper case\"}");
    add(a, duplicate, null, 6, "{\"id\":6,\"meta\":{\"k\":1,\"k\":2},\"text\":\"nested duplicate\"}");
    add(a, limits, null, 7, "{\"id\":7,\"text\":\"too deep\",\"x\":", "[".repeat(10_000), "]".repeat(10_000), "}");
    // Arrays in the object to the most levels there may be.
    int levels = JsonObjectLine.MAX_DEPTH - 1;
    add(a, ok, "deep but within the limits", 8, "{\"id\":8,\"x\":", "[".repeat(levels), "]".repeat(levels),
        ",\"text\":\"deep but within the limits\"}");
    add(a, ok, "nul\u0000 escaped and raw \u0000 inside", 9, "{\"id\":9,\"text\":\"nul\\u0000 escaped and raw ",
        bytes(0), " inside\"}");
    add(a, malformed, null, 10, "{\"id\":10,\"text\":\"x\"}", bytes(0));
    add(a, malformed, null, 11, "{\"id\":11,\"text\":\"bad \\x escape\"}");
    add(a, malformed, null, 12, "{\"id\":12,\"text\":\"ok\",\"m\":\"short \\u12 escape\"}");
    add(a, ok, "big numbers beside", 13, "{\"id\":13,\"a\":1e400,\"b\":-1e400,"
        + "\"c\":123456789012345678901234567890123456789012345,\"d\":1e-400,\"text\":\"big numbers beside\"}");
    add(a, limits, null, 14, "{\"id\":14,\"n\":1", "0".repeat(1000), ",\"text\":\"too long a number\"}");
    add(a, notString, null, 15, "{\"id\":15,\"text\":123}");
    add(a, notString, null, 16, "{\"id\":16,\"text\":true}");
    add(a, notString, null, 17, "{\"id\":17,\"text\":[1,\"a\"]}");
    add(a, notString, null, 18, "{\"id\":18,\"text\":{\"a\":\"b\"}}");
    add(a, nul, null, 19, "{\"id\":19,\"text\":null}");
    add(a, blank, null, -1, "");
    add(a, blank, null, -1, "  \t ");
    add(a, ok, "an escaped key", 20, "{\"id\":20,\"te\\u0078t\":\"an escaped key\"}");
    add(a, replaced, "caf\uFFFD au lait", 21, "{\"id\":21,\"text\":\"caf", bytes(0xE9), " au lait\"}");
    add(a, ok, "clean text, messy metadata", 22, "{\"id\":22,\"m\":\"", bytes(0xFF),
        "\",\"text\":\"clean text, messy metadata\"}");
    add(a, ok, "Src spelt one way", 23, "{\"id\":23,\"Src\":\"a\",\"text\":\"Src spelt one way\"}");
    add(a, ok, "src spelt another way", 24, "{\"id\":24,\"src\":\"b\",\"text\":\"src spelt another way\"}");
    add(a, ok, "a field named tokens", 25, "{\"id\":25,\"tokens\":[1,2],\"text\":\"a field named tokens\"}");
    add(a, ok, "an empty key", 26, "{\"id\":26,\"\":\"e\",\"text\":\"an empty key\"}");
    add(a, malformed, null, 27, "{\"id\":27,\"text\":\"x\"} {\"id\":28}");
    add(a, malformed, null, 29, "{\"id\":29,\"text\":\"unterminated");
    add(a, malformed, null, -1, "null");
    add(a, malformed, null, -1, "\"a string\"");
    add(a, malformed, null, -1, "[1]");
    add(a, ok, "tab\tand\nnewline escapes", 30, "{\"id\":30,\"text\":\"tab\\tand\\nnewline escapes\"}");
    add(a, ok, "", 31, "{\"id\":31,\"text\":\"\"}");
    add(a, ok, "a CRLF line", 32, "{\"id\":32,\"m\":{},\"text\":\"a CRLF line\"}");
    write(corpus.resolve("a.jsonl"), a, "\r\n");

    // b.jsonl: a 50 MB line between two short ones.
    List<Line> b = new ArrayList<>();
    add(b, ok, UNIT, 100, "{\"id\":100,\"text\":\"" + UNIT + "\"}");
    add(b, ok, UNIT.repeat(REPEAT), 101, "{\"id\":101,\"text\":\"", UNIT.repeat(REPEAT), "\"}");
    add(b, duplicate, null, 102, "{\"id\":102,\"text\":\"x\",\"id\":103}");
    write(corpus.resolve("b.jsonl"), b, "\n");
    return corpus;
  }

  static void write(Path file, List<Line> lines, String end) throws IOException {
    try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      for (Line l : lines) {
        o.write(l.bytes);
        o.write(end.getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  static void readGolden() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> docs = resourceLines("hostile-docs.jsonl");
    List<String> ids = resourceLines("hostile-o200k_base.jsonl");
    assertEquals(docs.size(), ids.size());
    for (int i = 0; i < docs.size(); i++) {
      String doc = CorpusTestSupport.withReplacement(json.readValue(docs.get(i), String.class));
      IDS.put(doc, json.readValue(ids.get(i), int[].class));
    }
    int[] unit = IDS.get(UNIT);
    int[] three = new int[unit.length * 3];
    for (int k = 0; k < 3; k++) System.arraycopy(unit, 0, three, k * unit.length, unit.length);
    assertArrayEquals(IDS.get(UNIT.repeat(3)), three, "the sentence's ids repeat with it");
  }

  static List<String> resourceLines(String name) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        HostileJsonLinesTest.class.getResourceAsStream(name), StandardCharsets.UTF_8))) {
      List<String> l = new ArrayList<>();
      for (String s = r.readLine(); s != null; s = r.readLine()) l.add(s);
      return l;
    }
  }

  static JobSummary run(SparkSession session, String... args) {
    return CorpusTestSupport.run(session, args);
  }

  static long count(int status) {
    return LINES.stream().filter(l -> l.status == status).count();
  }

  static boolean isBig(Line l) {
    return l.id == 101;
  }

  /** The summary's counts, each reason's, and the report's rows. */
  static void assertCounted(JobSummary s, Path out) throws IOException {
    long documents = count(Documents.OK) + count(Documents.REPLACED) + count(Documents.NULL);
    assertEquals(documents, s.documents());
    assertEquals(count(Documents.NULL), s.nullDocuments());
    assertEquals(1, s.emptyDocuments());
    assertEquals(count(Documents.REPLACED), s.invalidUtf8Documents());
    assertEquals(documents - s.nullDocuments() - 1, s.tokenizedDocuments());
    JsonNode j = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    Map<String, Long> reasons = new TreeMap<>();
    for (JsonNode r : j.get("skipped")) reasons.put(r.get("reason").asText(), r.get("count").asLong());
    Map<String, Long> want = new TreeMap<>();
    want.put("null text", count(Documents.NULL));
    want.put("empty text", 1L);
    want.put("blank line", count(Documents.BLANK));
    want.put("malformed line", count(Documents.MALFORMED));
    want.put("duplicate key", count(Documents.DUPLICATE_KEY));
    want.put("beyond limits", count(Documents.BEYOND_LIMITS));
    want.put("text not a string", count(Documents.NOT_STRING));
    assertEquals(want, reasons);
    assertEquals(count(Documents.REPLACED), j.get("documents").get("invalid_utf8").asLong());
    String html = Files.readString(out.resolve("report.html"));
    for (Map.Entry<String, Long> e : want.entrySet()) {
      assertTrue(html.contains("<td>" + e.getKey() + "</td><td class=\"num\">" + e.getValue() + "</td>"), e.getKey());
    }
    long bytes = 0;
    for (Line l : LINES) if (l.text != null) bytes += l.text.getBytes(StandardCharsets.UTF_8).length;
    assertEquals(bytes, s.bytes());
  }

  @Test
  void everyDocumentIsTokenizedExactlyAndEveryOtherLineCountedWithItsReason() throws IOException {
    Path out = dir.resolve("megatron");
    JobSummary s = run(spark, "--input", corpus.toString(), "--output", out.toString(),
        "--output-format", "megatron");
    assertCounted(s, out);
    // The documents, against tiktoken's ids; the 50 MB one apart (a multiset of its ids would be large).
    List<int[]> docs = new ArrayList<>(TokenFiles.megatronDocuments(out.resolve("data"), 4));
    int[] unit = IDS.get(UNIT);
    int bigIndex = -1;
    for (int i = 0; i < docs.size(); i++) if (docs.get(i).length == unit.length * REPEAT + 1) bigIndex = i;
    assertTrue(bigIndex >= 0, "the 50 MB document");
    int[] big = docs.remove(bigIndex);
    for (int i = 0; i < big.length - 1; i++) {
      if (big[i] != unit[i % unit.length]) throw new AssertionError("50 MB document: id " + i + " is " + big[i]);
    }
    assertEquals(EOS, big[big.length - 1]);
    List<int[]> want = new ArrayList<>();
    for (Line l : LINES) {
      if (l.text == null || l.text.isEmpty() || isBig(l)) continue;
      int[] ids = IDS.get(l.text);
      assertTrue(ids != null, "no golden ids for " + l.text);
      int[] d = Arrays.copyOf(ids, ids.length + 1);
      d[ids.length] = EOS;
      want.add(d);
    }
    assertSameDocuments(multiset(want), multiset(docs));
  }
}
