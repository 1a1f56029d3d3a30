package dev.fasttok.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
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

  @Test
  void objectLines() {
    assertEquals(Documents.BLANK, Documents.objectLine(utf8(" ")).status);
    assertEquals(Documents.OK, Documents.objectLine(utf8("{\"text\":\"x\"}")).status);
    Documents.Decoded d = Documents.objectLine(new byte[] {'{', (byte) 0xFF, '}'});
    assertEquals(Documents.REPLACED, d.status);
    assertEquals("{\uFFFD}", text(d));
  }

  @Test
  void statsCountEveryKindOfRowAndMerge() {
    CorpusStats a = new CorpusStats();
    a.add(Documents.OK, 10, 3);
    a.add(Documents.REPLACED, 5, 2);
    a.add(Documents.OK, 0, 0);
    a.add(Documents.NULL, null, null);
    a.add(Documents.BLANK, null, null);
    a.add(Documents.MALFORMED, null, null);
    CorpusStats b = new CorpusStats();
    b.add(Documents.OK, 1000, 700);
    a.merge(b);
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
    for (int i = 1; i <= 1000; i++) s.add(Documents.OK, i, i);
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
    assertEquals(2, CorpusJob.tokenBytes("megatron", 50257));
    assertEquals(2, CorpusJob.tokenBytes("megatron", 65499));
    assertEquals(4, CorpusJob.tokenBytes("megatron", 65500));
    assertEquals(2, CorpusJob.tokenBytes("nanogpt", 65535));
    assertEquals(4, CorpusJob.tokenBytes("nanogpt", 65536));
    assertEquals(4, CorpusJob.tokenBytes("nanogpt", 200019));
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
