package dev.fasttok.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The job's parts that need no Spark: decoding, counting, the index writer, JSON. */
class CorpusPartsTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(Documents.Decoded d) {
    return d.text == null ? null : new String(d.text, StandardCharsets.UTF_8);
  }

  @Test
  void jsonStringLines() {
    assertEquals("hello", text(Documents.jsonStringLine(utf8("\"hello\""))));
    assertEquals(Documents.OK, Documents.jsonStringLine(utf8("  \"hello\" \r")).status);
    assertEquals("a\"b\\c/d\be\ff\ng\rh\ti", text(Documents.jsonStringLine(utf8("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\""))));
    assertEquals("é😀ü", text(Documents.jsonStringLine(utf8("\"\\u00e9\\ud83d\\ude00\\u00FC\""))));
    assertEquals("é😀", text(Documents.jsonStringLine(utf8("\"é😀\""))));
    assertEquals("", text(Documents.jsonStringLine(utf8("\"\""))));
    assertEquals("\u2028", text(Documents.jsonStringLine(utf8("\"\\u2028\""))));
    assertEquals("bom", text(Documents.jsonStringLine(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '"', 'b', 'o', 'm', '"'})));
    // Lone surrogates: U+FFFD, as tiktoken reads them, and counted.
    Documents.Decoded lone = Documents.jsonStringLine(utf8("\"a\\ud800b\\udc00\\ud83d\""));
    assertEquals("a\uFFFDb\uFFFD\uFFFD", text(lone));
    assertEquals(Documents.REPLACED, lone.status);
    assertEquals("\uFFFD\uFFFD", text(Documents.jsonStringLine(utf8("\"\\ude00\\ud83d\""))));
    // Not documents.
    assertEquals(Documents.NULL, Documents.jsonStringLine(utf8("null")).status);
    assertEquals(Documents.NULL, Documents.jsonStringLine(null).status);
    assertEquals(Documents.BLANK, Documents.jsonStringLine(utf8("  \t")).status);
    assertEquals(Documents.BLANK, Documents.jsonStringLine(utf8("")).status);
    for (String bad : new String[] {"\"open", "\"a\" x", "{\"text\":\"a\"}", "123", "\"\\x\"", "\"\\u12\"", "\"a\\",
        "\"a\"\"b\"", "nul"}) {
      Documents.Decoded d = Documents.jsonStringLine(utf8(bad));
      assertEquals(Documents.MALFORMED, d.status, bad);
      assertNull(d.text, bad);
    }
  }

  @Test
  void jsonStringLinesAgreeWithJackson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Random r = new Random(11);
    String[] alphabet = {"a", "b", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "é", "東", "😀", "\uD800", "\uDC00",
        "\u2028", "\u007f", "xyzxyzxyz"};
    for (int n = 0; n < 5000; n++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(40);
      for (int i = 0; i < len; i++) sb.append(alphabet[r.nextInt(alphabet.length)]);
      String doc = sb.toString();
      // Quotes, backslashes and controls escaped by Jackson; lone surrogates (which UTF-8 cannot carry) as \\uXXXX.
      String literal = escapeLoneSurrogates(json.writeValueAsString(doc));
      if (r.nextBoolean()) literal = literal.replace("/", "\\/");
      Documents.Decoded d = Documents.jsonStringLine(utf8(literal));
      String want = CorpusTestSupport.withReplacement(doc);
      assertEquals(want, text(d), literal);
      assertEquals(want.equals(doc) ? Documents.OK : Documents.REPLACED, d.status, literal);
    }
  }

  static String escapeLoneSurrogates(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  @Test
  void illFormedUtf8IsReplacedAsTheJdkDecoderDoes() {
    Random r = new Random(7);
    String[] pieces = {"a", "é", "東", "😀", " ", "\\n", "\\u00e9"};
    for (int n = 0; n < 3000; n++) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      ByteArrayOutputStream plain = new ByteArrayOutputStream(); // the same text, escapes decoded
      int len = r.nextInt(12);
      for (int i = 0; i < len; i++) {
        if (r.nextInt(4) == 0) {
          byte b = (byte) (0x80 + r.nextInt(128)); // continuation, lead or invalid byte
          raw.write(b);
          plain.write(b);
        } else {
          String p = pieces[r.nextInt(pieces.length)];
          raw.writeBytes(utf8(p));
          plain.writeBytes(utf8(p.equals("\\n") ? "\n" : p.equals("\\u00e9") ? "é" : p));
        }
      }
      byte[] inner = raw.toByteArray();
      byte[] line = new byte[inner.length + 2];
      line[0] = '"';
      System.arraycopy(inner, 0, line, 1, inner.length);
      line[line.length - 1] = '"';
      Documents.Decoded d = Documents.jsonStringLine(line);
      String want = new String(plain.toByteArray(), StandardCharsets.UTF_8);
      assertEquals(want, text(d));
      boolean wellFormed = dev.fasttok.Utf8.isWellFormed(plain.toByteArray(), 0, plain.size());
      assertEquals(wellFormed ? Documents.OK : Documents.REPLACED, d.status);
      // Raw bytes the same way.
      Documents.Decoded raw2 = Documents.raw(plain.toByteArray());
      assertEquals(want, text(raw2));
      assertEquals(wellFormed ? Documents.OK : Documents.REPLACED, raw2.status);
    }
  }

  @Test
  void wellFormedMatchesTheJdk() {
    Random r = new Random(3);
    for (int n = 0; n < 20000; n++) {
      byte[] b = new byte[r.nextInt(6)];
      for (int i = 0; i < b.length; i++) b[i] = (byte) (r.nextBoolean() ? 0x80 + r.nextInt(0x80) : r.nextInt(0x80));
      boolean jdk = java.util.Arrays.equals(b, new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
      assertEquals(jdk, dev.fasttok.Utf8.isWellFormed(b, 0, b.length), java.util.Arrays.toString(b));
    }
    assertTrue(dev.fasttok.Utf8.isWellFormed(utf8("\uD83D\uDE00"), 0, 4));
    assertEquals(false, dev.fasttok.Utf8.isWellFormed(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)); // a surrogate
    assertEquals(false, dev.fasttok.Utf8.isWellFormed(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2)); // overlong
  }

  /** A line of strings (as UTF-8) and bytes. */
  static byte[] line(Object... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer) {
        b.write((Integer) p);
      } else {
        b.writeBytes(utf8((String) p));
      }
    }
    return b.toByteArray();
  }

  static Documents.Decoded object(String line) {
    return JsonObjectLine.read(utf8(line), "text", false);
  }

  static void assertStatus(int status, String... lines) {
    for (String l : lines) {
      Documents.Decoded d = object(l);
      assertEquals(status, d.status, l);
      assertNull(d.text, l);
    }
  }

  @Test
  void objectLinesAreDocumentsOrSayWhyNot() {
    assertEquals("x", text(object("{\"text\":\"x\"}")));
    assertEquals("x", text(object(" \t{ \"a\" : [1, -2.5e+3, {\"b\": null}, true, false, \"\\\"\"], \"text\" : \"x\" }"
        + " \r")));
    assertEquals("x", text(JsonObjectLine.read(line(0xEF, 0xBB, 0xBF, "{\"text\":\"x\"}"), "text", false)));
    // The text: escapes decoded; lone surrogates and ill-formed UTF-8 as U+FFFD, counted; other fields' do not count.
    Documents.Decoded lone = object("{\"id\":2,\"text\":\"lone \\ud800 surrogate\"}");
    assertEquals("lone \uFFFD surrogate", text(lone));
    assertEquals(Documents.REPLACED, lone.status);
    assertEquals("a\tb\u00e9\uD83D\uDE00", text(object("{\"text\":\"a\\tb\\u00e9\\ud83d\\ude00\"}")));
    assertEquals(Documents.OK, object("{\"text\":\"a\\tb\"}").status);
    Documents.Decoded latin1 = JsonObjectLine.read(line("{\"text\":\"c", 0xE9, "\"}"), "text", false);
    assertEquals("c\uFFFD", text(latin1));
    assertEquals(Documents.REPLACED, latin1.status);
    assertEquals(Documents.OK, JsonObjectLine.read(line("{\"m\":\"", 0xFF, "\",\"text\":\"c\"}"), "text", false).status);
    // The key is matched exactly, escapes decoded; a key in another case is another field.
    assertEquals("y", text(object("{\"te\\u0078t\":\"y\"}")));
    assertEquals("exact", text(object("{\"TEXT\":\"upper\",\"text\":\"exact\",\"Text\":\"t\"}")));
    assertEquals("nested", text(object("{\"a\":{\"text\":\"inner\"},\"text\":\"nested\"}")));
    assertEquals("b", text(JsonObjectLine.read(utf8("{\"text\":\"a\",\"body\":\"b\"}"), "body", false)));
    // Raw control characters, NUL included, as in the one-string-per-line form.
    assertEquals("a\u0000b\u0001", text(object("{\"text\":\"a\u0000b\u0001\"}")));
    assertEquals("", text(object("{\"text\":\"\"}")));

    assertStatus(Documents.NULL, "{}", "{\"text\":null}", "{\"TEXT\":\"x\"}", "{\"a\":{\"text\":\"x\"}}");
    assertStatus(Documents.NOT_STRING, "{\"text\":123}", "{\"text\":-0.5e7}", "{\"text\":true}", "{\"text\":false}",
        "{\"text\":[\"a\"]}", "{\"text\":{\"a\":\"b\"}}");
    assertStatus(Documents.DUPLICATE_KEY, "{\"text\":\"a\",\"text\":\"b\"}", "{\"id\":1,\"text\":\"a\",\"id\":2}",
        "{\"text\":\"a\",\"m\":[{\"k\":1,\"k\":2}]}", "{\"text\":\"a\",\"te\\u0078t\":\"b\"}");
    assertStatus(Documents.BLANK, "", " \t\r");
    assertStatus(Documents.MALFORMED, "not json", "null", "\"a string\"", "[1]", "123", "{", "{\"text\":\"x\"",
        "{\"text\":\"x\"} {}", "{\"text\":\"x\"}\u0000", "{\"text\":\"x\",}", "{\"text\" \"x\"}", "{text:\"x\"}",
        "{\"text\":\"bad \\x\"}", "{\"text\":\"\\u12\"}", "{\"text\":\"x\\\"}", "{\"text\":\"open}",
        "{\"text\":\"x\",\"n\":01}", "{\"text\":\"x\",\"n\":1.}", "{\"text\":\"x\",\"n\":-}",
        "{\"text\":\"x\",\"n\":1e}", "{\"text\":\"x\",\"n\":+1}", "{\"text\":\"x\",\"n\":NaN}",
        "{\"text\":\"x\",\"n\":tru}", "{\"text\":\"x\",\"n\":nulls}", "{\"text\":'x'}", "{\"text\":\"x\"}}",
        "{\"text\":[1,]}", "{\"text\":\"x\",\"m\":[1 2]}");
    // Limits: 100 levels of nesting, numbers of 1,000 characters.
    int levels = JsonObjectLine.MAX_DEPTH - 1; // arrays inside the object
    String deep = "[".repeat(levels) + "]".repeat(levels);
    assertEquals("x", text(object("{\"m\":" + deep + ",\"text\":\"x\"}")));
    assertStatus(Documents.BEYOND_LIMITS, "{\"m\":[" + deep + "],\"text\":\"x\"}",
        "{\"text\":\"x\",\"m\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}",
        "{\"text\":\"x\",\"n\":-1" + "0".repeat(999) + "}");
    assertEquals("x", text(object("{\"text\":\"x\",\"n\":-" + "9".repeat(999) + ",\"f\":1e400,\"g\":-1e-400}")));
  }

  @Test
  void objectLinesAgreeWithJackson() throws Exception {
    // Random objects, a third of them damaged: where Jackson (duplicates detected) reads one, the text is its
    // text field's; where it does not, the line is no document.
    ObjectMapper json = new ObjectMapper()
        .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    Random r = new Random(5);
    String[] damage = {"{", "}", "[", "]", ",", ":", "\"", "\\", "1", "-", "e", "\"text\":\"d\",", "n"};
    int[] seen = new int[8];
    for (int n = 0; n < 20000; n++) {
      StringBuilder sb = new StringBuilder();
      randomObject(r, sb, 0);
      if (r.nextInt(3) == 0) {
        int at = r.nextInt(sb.length());
        if (r.nextBoolean()) {
          sb.deleteCharAt(at);
        } else {
          sb.insert(at, damage[r.nextInt(damage.length)]);
        }
      }
      String line = sb.toString();
      JsonNode node;
      try {
        node = json.readTree(utf8(line)); // the bytes JsonObjectLine reads
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        node = null;
      }
      Documents.Decoded d = object(line);
      seen[d.status]++;
      if (node == null || !node.isObject()) {
        assertTrue(d.status == Documents.MALFORMED || d.status == Documents.DUPLICATE_KEY, line + " -> " + d.status);
        continue;
      }
      JsonNode t = node.get("text");
      if (t == null || t.isNull()) {
        assertEquals(Documents.NULL, d.status, line);
      } else if (!t.isTextual()) {
        assertEquals(Documents.NOT_STRING, d.status, line);
      } else {
        // Lone surrogates (damaged escapes) as U+FFFD, as tiktoken reads them.
        assertEquals(CorpusTestSupport.withReplacement(t.asText()), text(d), line);
      }
    }
    for (int status : new int[] {Documents.OK, Documents.NULL, Documents.MALFORMED, Documents.DUPLICATE_KEY,
        Documents.NOT_STRING}) {
      assertTrue(seen[status] > 100, java.util.Arrays.toString(seen));
    }
  }

  static final String[] KEYS = {"text", "TEXT", "a", "b", "te\\u0078t", "\\u00e9"};
  static final String[] STRINGS = {"\"\"", "\"x\"", "\"a\\\"b\\\\c\\/\"", "\"\\u00e9\\ud83d\\ude00 \\n\\t\"",
      "\"é 東 😀\"", "\"a long string that spans more than eight bytes\""};
  static final String[] SCALARS = {"0", "-1", "12.5", "-0.5e-3", "1E+9", "true", "false", "null"};

  static void randomObject(Random r, StringBuilder sb, int depth) {
    sb.append(r.nextInt(4) == 0 ? " { " : "{");
    int members = r.nextInt(5);
    for (int i = 0; i < members; i++) {
      if (i > 0) sb.append(r.nextInt(4) == 0 ? " , " : ",");
      sb.append('"').append(KEYS[r.nextInt(KEYS.length)]).append('"').append(r.nextInt(4) == 0 ? " : " : ":");
      randomValue(r, sb, depth + 1);
    }
    sb.append('}');
  }

  static void randomValue(Random r, StringBuilder sb, int depth) {
    int k = r.nextInt(depth > 3 ? 2 : 4);
    if (k == 0) {
      sb.append(STRINGS[r.nextInt(STRINGS.length)]);
    } else if (k == 1) {
      sb.append(SCALARS[r.nextInt(SCALARS.length)]);
    } else if (k == 2) {
      randomObject(r, sb, depth);
    } else {
      sb.append('[');
      int items = r.nextInt(4);
      for (int i = 0; i < items; i++) {
        if (i > 0) sb.append(',');
        randomValue(r, sb, depth + 1);
      }
      sb.append(']');
    }
  }

  @Test
  void parquetKeepsFieldsThatCanBeColumns() {
    org.apache.spark.sql.types.StructType inner = new org.apache.spark.sql.types.StructType()
        .add("k", DataTypes.LongType).add("K", DataTypes.LongType).add("j", DataTypes.StringType);
    org.apache.spark.sql.types.StructType only = new org.apache.spark.sql.types.StructType()
        .add("q", DataTypes.LongType).add("Q", DataTypes.LongType);
    org.apache.spark.sql.types.StructType fields = new org.apache.spark.sql.types.StructType()
        .add("ID", DataTypes.LongType).add("Text", DataTypes.StringType).add("id", DataTypes.LongType)
        .add("list", DataTypes.createArrayType(inner)).add("meta", inner).add("empty", only)
        .add("n_Tokens", DataTypes.LongType).add("source", DataTypes.StringType).add("text", DataTypes.StringType);
    List<String> dropped = new java.util.ArrayList<>();
    org.apache.spark.sql.types.StructType kept = CorpusInput.keepable(fields, "text", dropped);
    org.apache.spark.sql.types.StructType keptInner = new org.apache.spark.sql.types.StructType()
        .add("j", DataTypes.StringType);
    assertEquals(new org.apache.spark.sql.types.StructType().add("list", DataTypes.createArrayType(keptInner))
        .add("meta", keptInner).add("source", DataTypes.StringType), kept);
    assertEquals(List.of("Text", "n_Tokens", "ID", "id", "list.k", "list.K", "meta.k", "meta.K", "empty.q", "empty.Q",
        "empty"), dropped);
  }

  /** A summary as a job on the given rows would leave it. */
  static JobSummary summary(int[] statuses, int[] bytes, int[] tokens, int files) {
    JobSummary s = new JobSummary();
    CorpusStats st = new CorpusStats();
    for (int i = 0; i < statuses.length; i++) {
      st.add(statuses[i], bytes[i] < 0 ? null : bytes[i], tokens[i] < 0 ? null : tokens[i], false);
    }
    s.stats = st;
    s.inputs.add("in");
    s.inputFormat = "jsonl";
    s.inputLayout = "objects";
    s.inputFiles = files;
    s.outputFormat = "parquet";
    s.output = "out";
    s.dataDirectory = "out/data";
    s.summaryFile = "out/summary.json";
    s.reportFile = "out/report.html";
    s.encoding = "o200k_base";
    s.started = "2025-01-01T00:00:00Z";
    s.finished = "2025-01-01T00:00:07Z";
    s.wallSeconds = 7;
    s.tokenType = "int32";
    for (int i = 0; i < files; i++) s.files.add(new JobSummary.OutputFile("part-" + i + ".parquet", 100, 1, -1));
    return s;
  }

  @Test
  void theConsoleCountsAsTheReportDoes() {
    // Five documents (two NULL, one empty, two with tokens), a blank and a malformed line, in one file.
    JobSummary s = summary(new int[] {Documents.OK, Documents.NULL, Documents.NULL, Documents.OK, Documents.OK,
        Documents.BLANK, Documents.MALFORMED}, new int[] {10, -1, -1, 0, 12, -1, -1},
        new int[] {3, -1, -1, 0, 4, -1, -1}, 1);
    String console = TokenizeCorpus.done(s);
    assertTrue(console.startsWith("Tokenized 2 of 5 documents (22 B, 7 tokens, o200k_base) in 7.0 s"), console);
    assertTrue(console.contains("not tokenized: 2 NULL documents, 1 empty document\n"), console);
    assertTrue(console.contains("skipped: 1 blank line, 1 malformed line\n"), console);
    assertTrue(console.contains("(parquet, 1 file)"), console);
    String html = HtmlReport.render(s);
    for (String row : new String[] {"documents read|5", "tokenized|2", "null text|2", "empty text|1", "blank line|1",
        "malformed line|1"}) {
      assertTrue(html.contains(row.replace("|", "</td><td class=\"num\">") + "<"), row);
    }
    assertTrue(html.contains("&middot; 1 file (jsonl"), "one file, singular");
    assertTrue(html.contains("<td>1 file, 100 B</td>"), "one output file, singular");

    JobSummary one = summary(new int[] {Documents.OK}, new int[] {5}, new int[] {1}, 2);
    assertTrue(TokenizeCorpus.done(one).startsWith("Tokenized 1 document (5 B, 1 token, o200k_base)"),
        TokenizeCorpus.done(one));
    assertTrue(TokenizeCorpus.done(one).contains("(parquet, 2 files)"));
  }

  @Test
  void statsCountEveryKindOfRowAndMerge() {
    CorpusStats a = new CorpusStats();
    a.add(Documents.OK, 10, 3, false);
    a.add(Documents.REPLACED, 5, 2, false);
    a.add(Documents.OK, 0, 0, false);
    a.add(Documents.NULL, null, null, true);
    a.add(Documents.BLANK, null, null, true);
    a.add(Documents.MALFORMED, null, null, false);
    CorpusStats b = new CorpusStats();
    b.add(Documents.OK, 1000, 700, true);
    a.merge(b);
    // Validation counts: documents only (the blank line is none), the NULL one among them.
    assertEquals(2, a.validationDocuments);
    assertEquals(1, a.validationTokenized);
    assertEquals(700, a.validationTokens);
    assertEquals(5, a.documents);
    assertEquals(3, a.tokenized);
    assertEquals(1015, a.bytes);
    assertEquals(705, a.tokens);
    assertEquals(1, a.nullDocuments);
    assertEquals(1, a.emptyDocuments);
    assertEquals(1, a.replacedDocuments);
    assertEquals(1, a.blankLines);
    assertEquals(1, a.malformedLines);
    assertEquals(2, a.minTokens);
    assertEquals(700, a.maxTokens);
    long h = 0;
    for (long c : a.histogram) h += c;
    assertEquals(3, h);
  }

  @Test
  void histogramBucketsCoverEveryCountOnce() {
    for (long n = 1; n < 1 << 20; n += 1 + n / 50) {
      int b = CorpusStats.bucket(n);
      assertTrue(CorpusStats.bucketLow(b) <= n && n < CorpusStats.bucketHigh(b), n + " in bucket " + b);
      assertTrue(CorpusStats.bucketHigh(b) / CorpusStats.bucketLow(b) <= 1.125 + 1e-12);
    }
    CorpusStats s = new CorpusStats();
    for (int i = 1; i <= 1000; i++) s.add(Documents.OK, i, i, false);
    assertEquals(500, s.quantile(0.5), 500 * 0.07);
    assertEquals(990, s.quantile(0.99), 990 * 0.07);
    assertEquals(1000, s.quantile(1.0), 1000 * 0.07);
  }

  @Test
  void megatronIndexLayout() throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    TokenShardOutputFormat.writeIndex(o, new int[] {3, 1, 2}, 3, 8, 2);
    byte[] b = o.toByteArray();
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[9];
    bb.get(magic);
    assertArrayEquals("MMIDIDX\0\0".getBytes(StandardCharsets.US_ASCII), magic);
    assertEquals(1, bb.getLong());
    assertEquals(8, bb.get());
    assertEquals(3, bb.getLong());
    assertEquals(4, bb.getLong());
    assertEquals(3, bb.getInt());
    assertEquals(1, bb.getInt());
    assertEquals(2, bb.getInt());
    assertEquals(0, bb.getLong());
    assertEquals(6, bb.getLong());
    assertEquals(8, bb.getLong());
    for (int i = 0; i <= 3; i++) assertEquals(i, bb.getLong());
    assertEquals(34 + 3 * 4 + 3 * 8 + 4 * 8, b.length);
  }

  @Test
  void tokenTypesFollowMegatronAndLlmC() {
    assertEquals(2, OutputFormat.MEGATRON.tokenBytes(50257));
    assertEquals(2, OutputFormat.MEGATRON.tokenBytes(65499));
    assertEquals(4, OutputFormat.MEGATRON.tokenBytes(65500));
    assertEquals(2, OutputFormat.NANOGPT.tokenBytes(65535));
    assertEquals(4, OutputFormat.NANOGPT.tokenBytes(65536));
    assertEquals(4, OutputFormat.NANOGPT.tokenBytes(200019));
  }

  @Test
  void jsonOutIsJson() throws Exception {
    JsonOut j = new JsonOut().beginObject().field("a", 1).field("s", "q\"\\\n\u0001\u2028é")
        .field("d", 0.1234567).field("n", 2.0).field("nan", Double.NaN).field("t", true);
    j.key("list").beginArray().value(1).beginObject().field("x", "y").endObject().beginArray().endArray().endArray();
    j.key("empty").beginObject().endObject();
    JsonNode n = new ObjectMapper().readTree(j.endObject().toString());
    assertEquals(1, n.get("a").asInt());
    assertEquals("q\"\\\n\u0001\u2028é", n.get("s").asText());
    assertEquals(0.123457, n.get("d").asDouble(), 1e-9);
    assertEquals(2, n.get("n").asInt());
    assertTrue(n.get("nan").isNull());
    assertEquals("y", n.get("list").get(1).get("x").asText());
    assertEquals(0, n.get("empty").size());
  }

  @Test
  void inputFormatsFromNames() {
    assertEquals("jsonl", CorpusInput.formatOf("a.jsonl"));
    assertEquals("jsonl", CorpusInput.formatOf("a.JSON.gz"));
    assertEquals("jsonl", CorpusInput.formatOf("a.ndjson.zst"));
    assertEquals("text", CorpusInput.formatOf("a.txt.bz2"));
    assertEquals("parquet", CorpusInput.formatOf("part-00000-1234.snappy.parquet"));
    assertNull(CorpusInput.formatOf("README.md"));
  }
}
