package dev.fasttok.corpus;

import static dev.fasttok.corpus.CorpusTestSupport.assertSameDocuments;
import static dev.fasttok.corpus.CorpusTestSupport.expected;
import static dev.fasttok.corpus.CorpusTestSupport.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fasttok.Encodings;
import dev.fasttok.Golden;
import dev.fasttok.spark.SharedSpark;
import dev.fasttok.spark.SparkTestSupport;
import dev.fasttok.spark.TinyVocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.NullWritable;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus job on the shared local session: each output format read back by independent readers
 * and compared, document by document, with the ids OpenAI's tiktoken wrote for the golden
 * documents; the summary's totals; every input format; and the errors that stop the job before it
 * starts.
 */
class TokenizeCorpusTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path golden;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.get();
    golden = CorpusTestSupport.writeGoldenCorpus(dir.resolve("golden"));
  }

  static JobOptions options(String... args) {
    JobOptions o = JobOptions.parse(args);
    o.progressSeconds = 0;
    return o;
  }

  static JobSummary run(String... args) {
    return CorpusTestSupport.run(spark, args);
  }

  /**
   * Reads a Parquet output with its schema given: the shared session requires Kryo registration,
   * and Spark's schema inference sends ArrayType (not registered by Spark) through Kryo.
   */
  static Dataset<Row> readParquet(Path data, StructType schema) {
    return spark.read().schema(schema).parquet(data.toString());
  }

  static final StructType TOKENS = new StructType()
      .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, true))
      .add("n_tokens", DataTypes.IntegerType);

  static StructType withTokens(StructType columns) {
    StructType s = columns;
    for (org.apache.spark.sql.types.StructField f : TOKENS.fields()) s = s.add(f);
    return s;
  }

  static Path out(String name) {
    return dir.resolve("out").resolve(name);
  }

  // ---- the formats, against tiktoken's ids ----

  @Test
  void megatronFilesHoldTiktokensIdsOfEveryDocument() throws IOException {
    // r50k_base: 50,257 ids, uint16 (dtype code 8); o200k_base: int32 (code 4).
    for (String[] c : new String[][] {{"r50k_base", "8"}, {"o200k_base", "4"}}) {
      String encoding = c[0];
      int eos = Encodings.get(encoding).specialTokens().get("<|endoftext|>");
      Path o = out("megatron-" + encoding);
      JobSummary s = run("--input", golden.toString(), "--output", o.toString(), "--output-format", "megatron",
          "--encoding", encoding);
      List<int[]> docs = TokenFiles.megatronDocuments(o.resolve("data"), Integer.parseInt(c[1]));
      assertSameDocuments(expected(encoding, eos), multiset(docs));
      assertTotals(s, encoding);
      assertEquals(s.tokenizedDocuments(), s.documentsWritten);
      assertEquals(s.tokens() + s.tokenizedDocuments(), s.tokensWritten);
      assertEquals(c[1].equals("8") ? "uint16" : "int32", s.tokenType);
    }
  }

  @Test
  void aModelNameIsAnEncoding() throws IOException {
    // gpt-3.5-turbo is cl100k_base, as tiktoken's encoding_for_model says.
    int eos = Encodings.get("cl100k_base").specialTokens().get("<|endoftext|>");
    Path o = out("model-name");
    JobSummary s = run("--input", golden.resolve("prose.jsonl").toString(), "--output", o.toString(),
        "--output-format", "megatron", "--encoding", "gpt-3.5-turbo");
    Map<String, Integer> expected = new TreeMap<>();
    for (int[] ids : Golden.ids("cl100k_base", "prose")) {
      int[] d = Arrays.copyOf(ids, ids.length + 1);
      d[ids.length] = eos;
      expected.merge(Arrays.toString(d), 1, Integer::sum);
    }
    assertSameDocuments(expected, multiset(TokenFiles.megatronDocuments(o.resolve("data"), 4)));
    assertEquals(100277, s.vocabularySize);
  }

  @Test
  void nanoGptShardsHoldTiktokensIdsOfEveryDocument() throws IOException {
    // p50k_base: uint16 (magic 20240520, version 1); cl100k_base: 100,277 ids, uint32 (20240801, version 7).
    for (String[] c : new String[][] {{"p50k_base", "20240520"}, {"cl100k_base", "20240801"}}) {
      String encoding = c[0];
      int eos = Encodings.get(encoding).specialTokens().get("<|endoftext|>");
      Path o = out("nanogpt-" + encoding);
      JobSummary s = run("--input", golden.toString(), "--output", o.toString(), "--output-format", "nanogpt",
          "--encoding", encoding);
      List<int[]> docs = new ArrayList<>();
      for (Path f : TokenFiles.files(o.resolve("data"), ".bin")) {
        TokenFiles.Shard shard = TokenFiles.readNanoGpt(f);
        assertEquals(Integer.parseInt(c[1]), shard.magic);
        docs.addAll(TokenFiles.splitAfter(shard.tokens, eos));
      }
      assertSameDocuments(expected(encoding, eos), multiset(docs));
      assertTotals(s, encoding);
    }
  }

  @Test
  void nanoGptShardsRollOverWithoutSplittingDocuments() throws IOException {
    JobOptions o = options("--input", golden.resolve("prose.jsonl").toString(), "--output", out("rollover").toString(),
        "--output-format", "nanogpt");
    // The writer's shard size, through the session's Hadoop configuration (spark.hadoop.*).
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    hadoop.setLong(TokenShardOutputFormat.MAX_SHARD_TOKENS, 3000);
    JobSummary s;
    try {
      s = CorpusJob.run(spark, o, null);
    } finally {
      hadoop.unset(TokenShardOutputFormat.MAX_SHARD_TOKENS);
    }
    int eos = Encodings.get("o200k_base").specialTokens().get("<|endoftext|>");
    List<int[]> docs = new ArrayList<>();
    List<Path> shards = TokenFiles.files(out("rollover").resolve("data"), ".bin");
    for (Path f : shards) {
      TokenFiles.Shard shard = TokenFiles.readNanoGpt(f);
      assertTrue(shard.tokens.length <= 3000 || TokenFiles.splitAfter(shard.tokens, eos).size() == 1, f.toString());
      docs.addAll(TokenFiles.splitAfter(shard.tokens, eos));
    }
    assertTrue(shards.size() > s.partitions, shards.toString());
    Map<String, Integer> expected = new HashMap<>();
    for (int[] ids : Golden.ids("o200k_base", "prose")) {
      int[] d = java.util.Arrays.copyOf(ids, ids.length + 1);
      d[ids.length] = eos;
      expected.merge(java.util.Arrays.toString(d), 1, Integer::sum);
    }
    assertSameDocuments(new java.util.TreeMap<>(expected), multiset(docs));
  }

  @Test
  void parquetRowsHoldTiktokensIdsAndTheSummaryTotalsAreCountTokens() throws IOException {
    Path o = out("parquet");
    JobSummary s = run("--input", golden.toString(), "--output", o.toString(), "--keep-text");
    assertEquals(List.of("text", "tokens", "n_tokens"), s.columns);
    Dataset<Row> rows = readParquet(o.resolve("data"), withTokens(new StructType().add("text", DataTypes.StringType)));
    Map<String, int[]> byText = new HashMap<>();
    for (String set : CorpusTestSupport.SETS) {
      List<String> docs = Golden.docs(set);
      List<int[]> ids = Golden.ids("o200k_base", set);
      for (int i = 0; i < docs.size(); i++) byText.put(CorpusTestSupport.withReplacement(docs.get(i)), ids.get(i));
    }
    List<Row> collected = rows.collectAsList();
    assertEquals(CorpusTestSupport.goldenDocuments(), collected.size());
    for (Row r : collected) {
      int[] ids = SparkTestSupport.ints(r, 1);
      int[] want = byText.get(r.getString(0));
      assertTrue(want != null, "unexpected text " + r.getString(0));
      assertEquals(SparkTestSupport.list(want), SparkTestSupport.list(ids), r.getString(0));
      assertEquals(ids.length, r.getInt(2));
    }
    assertTotals(s, "o200k_base");
    assertEquals(collected.size(), s.documentsWritten);
    // The token total is the sum of count_tokens over the documents.
    long sql = rows.selectExpr("sum(count_tokens(text))").first().getLong(0);
    assertEquals(sql, s.tokens());
    assertEquals(CorpusTestSupport.goldenTokens("o200k_base"), s.tokens());
  }

  /** The summary's counts for the golden corpus: every document read, its tokens tiktoken's. */
  static void assertTotals(JobSummary s, String encoding) {
    long docs = CorpusTestSupport.goldenDocuments();
    assertEquals(docs, s.documents());
    assertEquals(CorpusTestSupport.goldenTokens(encoding), s.tokens());
    long empty = 0;
    long surrogates = 0;
    for (String set : CorpusTestSupport.SETS) {
      for (String d : Golden.docs(set)) {
        if (d.isEmpty()) empty++;
        if (!CorpusTestSupport.withReplacement(d).equals(d)) surrogates++;
      }
    }
    assertEquals(empty, s.emptyDocuments());
    assertEquals(docs - empty, s.tokenizedDocuments());
    assertEquals(surrogates, s.invalidUtf8Documents());
    assertTrue(surrogates > 0);
    assertEquals(0, s.nullDocuments() + s.blankLines() + s.malformedLines());
    long bytes = 0;
    for (String set : CorpusTestSupport.SETS) {
      for (String d : Golden.docs(set)) bytes += CorpusTestSupport.withReplacement(d).getBytes(StandardCharsets.UTF_8).length;
    }
    assertEquals(bytes, s.bytes());
  }

  @Test
  void summaryAndReportAreWritten() throws IOException {
    Path o = out("summary");
    JobSummary s = run("--input", golden.resolve("code.jsonl").toString(), "--output", o.toString(), "--output-format",
        "megatron");
    JsonNode j = new ObjectMapper().readTree(o.resolve("summary.json").toFile());
    assertEquals(s.documents(), j.get("documents").get("total").asLong());
    assertEquals(s.tokens(), j.get("tokens").asLong());
    assertEquals(s.bytes(), j.get("bytes").asLong());
    assertEquals(s.tokensWritten, j.get("tokens_written").asLong());
    assertEquals((double) s.tokens() / s.bytes(), j.get("tokens_per_byte").asDouble(), 1e-5);
    assertEquals("megatron", j.get("output").get("format").asText());
    assertEquals("o200k_base", j.get("tokenizer").get("encoding").asText());
    assertEquals(199999, j.get("tokenizer").get("eos_id").asInt());
    assertEquals(7, j.get("skipped").size());
    assertTrue(j.get("job").get("wall_seconds").asDouble() > 0);
    assertTrue(j.get("job").get("mb_per_second").asDouble() > 0);
    // The tokenization rate, apart from the wall time: bytes over the time inside the tasks.
    double taskSeconds = j.get("job").get("task_seconds").asDouble();
    assertTrue(taskSeconds > 0 && taskSeconds < j.get("job").get("write_seconds").asDouble() * s.partitions,
        j.get("job").toString());
    assertEquals(s.bytes() / taskSeconds / 1e6, j.get("job").get("task_mb_per_second").asDouble(),
        j.get("job").get("task_mb_per_second").asDouble() * 1e-4);
    assertTrue(TokenizeCorpus.done(s).contains(String.format(java.util.Locale.ROOT, "%.1f MB/s per core",
        s.bytes() / taskSeconds / 1e6)), TokenizeCorpus.done(s));
    assertTrue(j.get("job").get("fasttok_version").asText().matches("\\d+\\.\\d+\\.\\d+.*"),
        j.get("job").toString());
    long histogram = 0;
    for (JsonNode b : j.get("tokens_per_document").get("histogram")) histogram += b.get("documents").asLong();
    assertEquals(s.tokenizedDocuments(), histogram);
    assertEquals(2 * s.partitions, j.get("output").get("files").size()); // a pair per partition
    String html = Files.readString(o.resolve("report.html"));
    assertTrue(html.contains("<svg"), "an inline SVG histogram");
    assertTrue(html.contains("class=\"bar\""));
    assertTrue(html.contains("Tokenization rate"), "the rate inside the tasks");
    // Self-contained: nothing fetched from elsewhere.
    for (String s2 : new String[] {"<script", "<link", "src=", "url(", "@import"}) assertFalse(html.contains(s2), s2);
    assertEquals(html.indexOf("http"), html.indexOf("http://www.w3.org/2000/svg"), "the only URL is SVG's namespace");
    assertFalse(Files.exists(o.resolve("data").resolve("_temporary")));
  }

  // ---- inputs ----

  @Test
  void jsonObjectsKeepTheirOtherFieldsAndCountWhatIsNotADocument() throws IOException {
    Path in = Files.createDirectories(dir.resolve("objects"));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(("{\"id\":1,\"text\":\"hello world\",\"meta\":{\"lang\":\"en\"}}\n\n   \n{\"id\":2,\"text\":null}\n{\"id\":3}\n"
        + "not json\n\"a string\"\n[1,2]\n{\"id\":4,\"text\":\"caf").getBytes(StandardCharsets.UTF_8));
    b.write(0xE9); // Latin-1 é: ill-formed UTF-8
    b.write((" au lait\"}\n{\"id\":5,\"text\":\"\"}\n{\"id\":6,\"text\":\"ok \\ud83d\\ude00\"}\n").getBytes(StandardCharsets.UTF_8));
    Files.write(in.resolve("docs.jsonl"), b.toByteArray());
    Path o = out("objects");
    JobSummary s = run("--input", in.toString(), "--output", o.toString());
    assertEquals(6, s.documents());
    assertEquals(2, s.nullDocuments());
    assertEquals(1, s.emptyDocuments());
    assertEquals(2, s.blankLines());
    assertEquals(3, s.malformedLines());
    assertEquals(1, s.invalidUtf8Documents());
    assertEquals("objects", s.inputLayout);
    assertEquals(List.of("id", "meta", "tokens", "n_tokens"), s.columns);
    StructType schema = withTokens(new StructType().add("id", DataTypes.LongType)
        .add("meta", new StructType().add("lang", DataTypes.StringType)));
    Dataset<Row> rows = readParquet(o.resolve("data"), schema).orderBy("id");
    List<Row> r = rows.collectAsList();
    assertEquals(6, r.size());
    assertEquals(SparkTestSupport.list(Encodings.get("o200k_base").encodeOrdinary("hello world")),
        SparkTestSupport.list(SparkTestSupport.ints(r.get(0), 2)));
    assertEquals("en", r.get(0).getStruct(1).getString(0));
    assertTrue(r.get(1).isNullAt(2) && r.get(1).isNullAt(3), "NULL text: NULL tokens");
    assertEquals(SparkTestSupport.list(Encodings.get("o200k_base").encodeOrdinary("caf\uFFFD au lait")),
        SparkTestSupport.list(SparkTestSupport.ints(r.get(3), 2)));
    assertEquals(0, r.get(4).getInt(3));
    assertEquals(SparkTestSupport.list(Encodings.get("o200k_base").encodeOrdinary("ok \uD83D\uDE00")),
        SparkTestSupport.list(SparkTestSupport.ints(r.get(5), 2)));
    // With end-of-text tokens: appended to documents with tokens only, counted in n_tokens.
    JobSummary e = run("--input", in.toString(), "--output", out("objects-eos").toString(), "--eos", "--overwrite");
    List<Row> re = readParquet(out("objects-eos").resolve("data"), schema).orderBy("id").collectAsList();
    int[] first = SparkTestSupport.ints(re.get(0), 2);
    assertEquals(199999, first[first.length - 1]);
    assertEquals(first.length, re.get(0).getInt(3));
    assertEquals(0, re.get(4).getInt(3));
    assertEquals(s.tokens() + 3, e.tokensWritten);
  }

  @Test
  void textInputIsALineOrAFilePerDocument() throws IOException {
    Path in = Files.createDirectories(dir.resolve("text"));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write("first line\n\nthird line\r\n".getBytes(StandardCharsets.UTF_8));
    b.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, '\n'}); // ill-formed
    Files.write(in.resolve("a.txt"), b.toByteArray());
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(in.resolve("b.txt.gz")))) {
      gz.write("gzipped line\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(in.resolve("_SUCCESS"), ""); // hidden: skipped
    JobSummary lines = run("--input", in.toString(), "--output", out("text-lines").toString(), "--output-format",
        "megatron");
    assertEquals(5, lines.documents());
    assertEquals(1, lines.emptyDocuments());
    assertEquals(1, lines.invalidUtf8Documents());
    Map<String, Integer> want = new TreeMap<>();
    for (String t : new String[] {"first line", "third line", "bad \uFFFD(", "gzipped line"}) {
      int[] ids = Encodings.get("o200k_base").encodeOrdinary(t);
      int[] d = java.util.Arrays.copyOf(ids, ids.length + 1);
      d[ids.length] = 199999;
      want.merge(java.util.Arrays.toString(d), 1, Integer::sum);
    }
    assertSameDocuments(want, multiset(TokenFiles.megatronDocuments(out("text-lines").resolve("data"), 4)));

    JobSummary files = run("--input", in.resolve("a.txt").toString(), "--output", out("text-files").toString(),
        "--text-document", "file", "--output-format", "megatron", "--no-eos");
    assertEquals(1, files.documents());
    assertEquals(1, files.invalidUtf8Documents());
    List<int[]> docs = TokenFiles.megatronDocuments(out("text-files").resolve("data"), 4);
    assertEquals(1, docs.size());
    String whole = new String(b.toByteArray(), StandardCharsets.UTF_8);
    assertEquals(SparkTestSupport.list(Encodings.get("o200k_base").encodeOrdinary(whole)), SparkTestSupport.list(docs.get(0)));
  }

  @Test
  void parquetInputKeepsItsColumns() throws IOException {
    StructType schema = new StructType().add("id", DataTypes.LongType).add("body", DataTypes.StringType)
        .add("source", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create(1L, "hello world", "a"), RowFactory.create(2L, null, "b"),
        RowFactory.create(3L, "", "c"), RowFactory.create(4L, "naïve café, 東京, 🙂", "d"));
    Path in = dir.resolve("pq-in");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(in.toString());
    JobSummary s = run("--input", in.toString(), "--output", out("pq").toString(), "--text-column", "body",
        "--encoding", "cl100k_base");
    assertEquals(4, s.documents());
    assertEquals(1, s.nullDocuments());
    assertEquals(1, s.emptyDocuments());
    assertEquals(List.of("id", "source", "tokens", "n_tokens"), s.columns);
    List<Row> r = readParquet(out("pq").resolve("data"), withTokens(new StructType().add("id", DataTypes.LongType)
        .add("source", DataTypes.StringType))).orderBy("id").collectAsList();
    assertEquals(SparkTestSupport.list(Encodings.get("cl100k_base").encodeOrdinary("naïve café, 東京, 🙂")),
        SparkTestSupport.list(SparkTestSupport.ints(r.get(3), 2)));
    assertEquals("d", r.get(3).getString(1));
  }

  @Test
  void customVocabularyIsReadOnceAndUsed() throws IOException {
    Path v = Files.createDirectories(dir.resolve("vocab"));
    Path tiktoken = TinyVocabulary.writeTiktoken(v);
    Path ftok = TinyVocabulary.writeFtokWithoutSpecials(v);
    Path in = Files.createDirectories(dir.resolve("hello"));
    Files.writeString(in.resolve("h.jsonl"), "\"hello world\"\n\"hello\"\n");
    // .tiktoken with o200k_base's special tokens: <|endoftext|> is 199999, so int32.
    run("--input", in.toString(), "--output", out("tiny").toString(), "--output-format", "megatron",
        "--vocabulary", tiktoken.toString());
    assertSameDocuments(multiset(List.of(new int[] {TinyVocabulary.HELLO, TinyVocabulary.WORLD, 199999},
        new int[] {TinyVocabulary.HELLO, 199999})), multiset(TokenFiles.megatronDocuments(out("tiny").resolve("data"), 4)));
    // .ftok without special tokens: 265 ids, uint16, and no end-of-text token to append.
    SparkTestSupport.assertFails(() -> run("--input", in.toString(), "--output", out("tiny-ftok").toString(),
        "--output-format", "megatron", "--vocabulary", ftok.toString()), "has no special token '<|endoftext|>'",
        "--no-eos");
    assertFalse(Files.exists(out("tiny-ftok")));
    JobSummary s = run("--input", in.toString(), "--output", out("tiny-ftok").toString(), "--output-format", "megatron",
        "--vocabulary", ftok.toString(), "--no-eos");
    assertEquals("uint16", s.tokenType);
    assertSameDocuments(multiset(List.of(new int[] {TinyVocabulary.HELLO, TinyVocabulary.WORLD},
        new int[] {TinyVocabulary.HELLO})), multiset(TokenFiles.megatronDocuments(out("tiny-ftok").resolve("data"), 8)));
  }

  @Test
  void huggingFaceTokenizerJsonIsAVocabulary() throws IOException {
    // Qwen3's tokenizer.json: 151,669 ids, so int32; its <|endoftext|> is appended. Against the ids
    // of Hugging Face's own tokenizers library.
    Path qwen = Golden.writeTokenizerJson("qwen3", dir.resolve("vocab-hf"));
    int eos = Encodings.readVocabulary(qwen, null).specialTokens().get("<|endoftext|>");
    Path in = Files.createDirectories(dir.resolve("qwen-in"));
    Map<String, Integer> expected = new TreeMap<>();
    for (String set : List.of("prose", "code", "multilingual", "emoji")) {
      Files.copy(golden.resolve(set + ".jsonl"), in.resolve(set + ".jsonl"));
      for (int[] ids : Golden.huggingFaceIds("qwen3", set)) {
        if (ids.length == 0) continue;
        int[] d = Arrays.copyOf(ids, ids.length + 1);
        d[ids.length] = eos;
        expected.merge(Arrays.toString(d), 1, Integer::sum);
      }
    }
    JobSummary s = run("--input", in.toString(), "--output", out("qwen3").toString(), "--output-format", "megatron",
        "--vocabulary", qwen.toString());
    assertEquals("int32", s.tokenType);
    assertSameDocuments(expected, multiset(TokenFiles.megatronDocuments(out("qwen3").resolve("data"), 4)));
  }

  @Test
  void bertTokenizerJsonIsAVocabulary() throws Exception {
    // bert-base-uncased's WordPiece tokenizer.json: 30,522 ids, so Megatron's uint16 (dtype code 8),
    // against the ids of Hugging Face's own tokenizers library. BERT has no <|endoftext|>: the job
    // refuses to guess and says what to pass.
    Path bert = Golden.writeBertTokenizerJson(dir.resolve("vocab-bert"));
    Path in = Files.createDirectories(dir.resolve("bert-in"));
    List<int[]> golden = new ArrayList<>();
    int withoutTokens = 0;
    for (String set : List.of("prose", "code", "multilingual", "emoji", "special", "whitespace")) {
      Files.copy(CorpusTestSupport.class.getResourceAsStream("/golden/docs/" + set + ".jsonl"),
          in.resolve(set + ".jsonl"));
      for (int[] ids : Golden.wordPieceIds("bert-uncased", set)) {
        if (ids.length > 0) golden.add(ids);
        else withoutTokens++;
      }
    }
    // Whitespace-only text has no WordPiece tokens: such documents are written as empty ones are.
    assertTrue(withoutTokens > 0);
    String o = out("bert-eos").toString();
    assertFailsBeforeWork(o, true, new String[] {"--input", in.toString(), "--output", o, "--output-format",
        "megatron", "--vocabulary", bert.toString()}, "has no special token '<|endoftext|>'", "[SEP]",
        "--eos-token", "--no-eos");

    // With BERT's own separator as the end of each document.
    JobSummary s = run("--input", in.toString(), "--output", o, "--output-format", "megatron",
        "--vocabulary", bert.toString(), "--eos-token", "[SEP]");
    assertEquals("uint16", s.tokenType);
    assertEquals(30522, s.vocabularySize);
    assertEquals(102, s.eosId);
    assertEquals(withoutTokens, s.emptyDocuments());
    assertEquals(golden.size(), s.documentsWritten);
    List<int[]> withSep = new ArrayList<>();
    for (int[] ids : golden) {
      int[] d = Arrays.copyOf(ids, ids.length + 1);
      d[ids.length] = 102;
      withSep.add(d);
    }
    assertSameDocuments(multiset(withSep), multiset(TokenFiles.megatronDocuments(out("bert-eos").resolve("data"), 8)));

    // Or nothing appended.
    s = run("--input", in.toString(), "--output", out("bert").toString(), "--output-format", "megatron",
        "--vocabulary", bert.toString(), "--no-eos");
    assertEquals("uint16", s.tokenType);
    assertSameDocuments(multiset(golden), multiset(TokenFiles.megatronDocuments(out("bert").resolve("data"), 8)));

    // Parquet keeps the documents without tokens, as empty lists.
    s = run("--input", in.toString(), "--output", out("bert-parquet").toString(), "--vocabulary", bert.toString());
    List<int[]> rows = new ArrayList<>();
    for (Row r : readParquet(out("bert-parquet").resolve("data"), TOKENS).collectAsList()) {
      rows.add(SparkTestSupport.ints(r, 0));
      assertEquals(rows.get(rows.size() - 1).length, r.getInt(1));
    }
    List<int[]> all = new ArrayList<>(golden);
    for (int i = 0; i < withoutTokens; i++) all.add(new int[0]);
    assertSameDocuments(multiset(all), multiset(rows));
  }

  // ---- errors: stopped before any work, with a message naming the problem ----

  /** Runs the job, which must fail naming each text, without starting a Spark job or creating the output. */
  static void assertFailsBeforeWork(String output, boolean noSparkJob, String[] args, String... texts)
      throws Exception {
    AtomicInteger jobs = new AtomicInteger();
    SparkListener l = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart e) {
        jobs.incrementAndGet();
      }
    };
    spark.sparkContext().addSparkListener(l);
    try {
      boolean existed = Files.exists(Path.of(output));
      Throwable t = SparkTestSupport.assertFails(() -> run(args), texts);
      assertTrue(t instanceof CorpusJobException, SparkTestSupport.messages(t));
      assertEquals(existed, Files.exists(Path.of(output)), "output untouched");
    } finally {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      spark.sparkContext().removeSparkListener(l);
    }
    if (noSparkJob) assertEquals(0, jobs.get(), "no Spark job ran");
  }

  @Test
  void errorsStopTheJobBeforeAnyWork() throws Exception {
    String o = out("never").toString();
    String code = golden.resolve("code.jsonl").toString();
    assertFailsBeforeWork(o, true, new String[] {"--input", code, "--output", o, "--encoding", "o300k_base"},
        "unknown encoding 'o300k_base'", "o200k_base");
    assertFailsBeforeWork(o, true, new String[] {"--input", dir.resolve("nowhere").toString(), "--output", o},
        "input", "nowhere", "does not exist");
    assertFailsBeforeWork(o, true, new String[] {"--input", dir.resolve("nothing*.jsonl").toString(), "--output", o},
        "nothing*.jsonl", "matches nothing");
    assertFailsBeforeWork(o, true, new String[] {"--input", code, "--output", o, "--vocabulary",
        dir.resolve("missing.tiktoken").toString()}, "cannot read custom vocabulary", "missing.tiktoken");

    // Unreadable files: corrupt gzip, a "Parquet" file that is not one.
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.write(bad.resolve("docs.jsonl.gz"), "this is not gzip".getBytes(StandardCharsets.UTF_8));
    assertFailsBeforeWork(o, true, new String[] {"--input", bad.resolve("docs.jsonl.gz").toString(), "--output", o},
        "cannot read input file", "docs.jsonl.gz");
    Files.write(bad.resolve("docs.parquet"), "this is not parquet".getBytes(StandardCharsets.UTF_8));
    assertFailsBeforeWork(o, false, new String[] {"--input", bad.resolve("docs.parquet").toString(), "--output", o},
        "cannot read the Parquet input", "docs.parquet");
    Files.write(bad.resolve("notes.md"), "# notes".getBytes(StandardCharsets.UTF_8));
    assertFailsBeforeWork(o, true, new String[] {"--input", bad.resolve("notes.md").toString(), "--output", o},
        "cannot tell the input format", "notes.md", "--input-format");

    // Missing columns: Parquet, JSON objects, bare strings with another column named.
    Path pq = dir.resolve("pq-nocol");
    spark.createDataFrame(List.of(RowFactory.create(1L, "x")), new StructType().add("id", DataTypes.LongType)
        .add("body", DataTypes.StringType)).write().parquet(pq.toString());
    assertFailsBeforeWork(o, false, new String[] {"--input", pq.toString(), "--output", o},
        "no column 'text'", "id, body");
    Path obj = Files.createDirectories(dir.resolve("obj-nocol"));
    Files.writeString(obj.resolve("a.jsonl"), "{\"body\":\"x\"}\n");
    assertFailsBeforeWork(o, true, new String[] {"--input", obj.toString(), "--output", o}, "no field 'text'", "body");
    assertFailsBeforeWork(o, true, new String[] {"--input", code, "--output", o, "--text-column", "body"},
        "one JSON string per line", "--text-column body");

    // An existing output directory, without --overwrite: untouched.
    Path existing = Files.createDirectories(dir.resolve("existing"));
    Files.writeString(existing.resolve("keep.txt"), "mine");
    assertFailsBeforeWork(existing.toString(), true, new String[] {"--input", code, "--output", existing.toString()},
        "output directory", "exists", "--overwrite");
    assertEquals("mine", Files.readString(existing.resolve("keep.txt")));
    // With --overwrite it is replaced; but never when the input is inside it.
    assertFailsBeforeWork(golden.toString(), true, new String[] {"--input", code, "--output", golden.toString(),
        "--overwrite"}, "inside the output directory");
    assertTrue(Files.exists(golden.resolve("code.jsonl")));
    run("--input", code, "--output", existing.toString(), "--overwrite", "--output-format", "nanogpt");
    assertFalse(Files.exists(existing.resolve("keep.txt")));
    assertTrue(Files.exists(existing.resolve("summary.json")));
  }

  @Test
  void commandLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(0, TokenizeCorpus.run(new String[] {"--help"}, o, e));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--output-format"));
    assertEquals(2, TokenizeCorpus.run(new String[] {}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--input is required"));
    assertEquals(2, TokenizeCorpus.run(new String[] {"--input", "x", "--output", "y", "--output-format", "csv"}, o, e));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("parquet, megatron, nanogpt"));
    assertEquals(2, TokenizeCorpus.run(new String[] {"--input", "x", "--output", "y", "--keep-text",
        "--output-format", "megatron"}, o, e));
    JobOptions j = JobOptions.parse("--input", "a", "--input=b", "--output", "o", "--output-format", "NanoGPT",
        "--conf", "spark.master=local[2]", "--no-eos");
    assertEquals(List.of("a", "b"), j.inputs);
    assertEquals(OutputFormat.NANOGPT, j.outputFormat);
    assertFalse(j.appendEos());
    assertEquals("local[2]", j.sparkConf.get("spark.master"));
    assertTrue(JobOptions.parse("--input", "a", "--output", "o", "--output-format", "megatron").appendEos());
    assertFalse(JobOptions.parse("--input", "a", "--output", "o").appendEos());
    assertNull(JobOptions.parse("--input", "a", "--output", "o").inputFormat);
    // Options as Spark properties; the command line wins.
    JobOptions c = JobOptions.parse(Map.of("spark.fasttok.corpus.input", "conf-in", "spark.fasttok.corpus.output", "o",
        "spark.fasttok.corpus.overwrite", "true", "spark.fasttok.corpus.output-format", "nanogpt"), "--input", "cli-in",
        "--output-format", "megatron");
    assertEquals(List.of("cli-in"), c.inputs);
    assertEquals(OutputFormat.MEGATRON, c.outputFormat);
    assertTrue(c.overwrite);
    SparkTestSupport.assertFails(() -> JobOptions.parse(Map.of("spark.fasttok.corpus.colour", "x"), "--input", "a",
        "--output", "o"), "unknown job property spark.fasttok.corpus.colour");
    // An unknown option is one, whether or not a value follows.
    for (String[] args : new String[][] {{"--bogus"}, {"--bogus", "x"}, {"--input", "a", "--bogus"},
        {"--bogus=1"}}) {
      SparkTestSupport.assertFails(() -> JobOptions.parse(args), "unknown option --bogus; see --help");
    }
  }

  @Test
  void aMissingLocalInputIsReportedBeforeSparkStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    String missing = dir.resolve("no-such-corpus.jsonl").toString();
    // A session property that TokenizeCorpus would set on the (here already running) session had it got to it.
    String marker = "spark.fasttok.test.sessionTouched";
    int status = TokenizeCorpus.run(new String[] {"--input", missing, "--output", out("never-local").toString(),
        "--conf", marker + "=yes"}, new PrintStream(new ByteArrayOutputStream()), e);
    assertEquals(2, status);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("input " + missing + " does not exist"), message);
    assertFalse(spark.conf().contains(marker), "no session was asked for");
  }

  @Test
  void overwriteKeepsThePreviousOutputUntilTheNewOneHasCommitted() throws Exception {
    Path o = out("replaced");
    String code = golden.resolve("code.jsonl").toString();
    run("--input", code, "--output", o.toString(), "--output-format", "megatron");
    String summary = Files.readString(o.resolve("summary.json"));
    List<int[]> docs = TokenFiles.megatronDocuments(o.resolve("data"), 4);

    // A rerun that fails (the shared session does not retry tasks) leaves the previous output as it was.
    JobOptions failing = options("--input", code, "--output", o.toString(), "--output-format", "nanogpt",
        "--overwrite");
    SparkTestSupport.assertFails(() -> CorpusJob.run(spark, failing, null, new CorpusTestSupport.FailOnce(-1, 0)),
        "the corpus job failed");
    assertEquals(summary, Files.readString(o.resolve("summary.json")));
    assertSameDocuments(multiset(docs), multiset(TokenFiles.megatronDocuments(o.resolve("data"), 4)));
    assertEquals(List.of("replaced"), siblings(o));

    // One that succeeds replaces it.
    JobSummary s = run("--input", code, "--output", o.toString(), "--output-format", "nanogpt", "--overwrite");
    assertTrue(Files.readString(o.resolve("summary.json")).contains("\"format\": \"nanogpt\""));
    assertEquals(List.of(), TokenFiles.files(o.resolve("data"), ".idx"));
    assertEquals(s.files.size(), TokenFiles.files(o.resolve("data"), ".bin").size());
    assertTrue(s.dataDirectory.endsWith("/replaced/data"), s.dataDirectory);
    assertEquals(List.of("replaced"), siblings(o));
  }

  /** The names beside dir that start with its own (leftovers of a replacement would). */
  static List<String> siblings(Path dir) throws IOException {
    String name = dir.getFileName().toString();
    try (Stream<Path> s = Files.list(dir.getParent())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(name)).sorted()
          .collect(java.util.stream.Collectors.toList());
    }
  }

  /** What the nanoGPT writer's task saw: its files in java.io.tmpdir, its spill file in Spark's local directories. */
  static final AtomicReference<List<List<String>>> SPILL = new AtomicReference<>();

  @Test
  void nanoGptSpillsIntoSparksLocalDirectoriesWhichAFailedTaskLeavesEmpty() throws Exception {
    String tmp = System.getProperty("java.io.tmpdir");
    String target = dir.resolve("spill-out").toUri().toString();
    String name = "part-" + System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkTestSupport.assertFails(() -> jsc.parallelize(List.of(1), 1).foreach(x -> {
      FileSystem fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
      TokenShardOutputFormat.NanoGptWriter w = new TokenShardOutputFormat.NanoGptWriter(fs,
          new org.apache.hadoop.fs.Path(target), name, 4, 199999, Integer.MAX_VALUE);
      w.write(NullWritable.get(), new GenericInternalRow(new Object[] {
          UnsafeArrayData.fromPrimitiveArray(new int[] {1, 2, 3}), 3}));
      List<String> inTmp = new ArrayList<>();
      try (Stream<Path> s = Files.list(Path.of(tmp))) {
        s.filter(p -> p.getFileName().toString().contains(name)).forEach(p -> inTmp.add(p.toString()));
      }
      List<String> local = new ArrayList<>();
      for (java.io.File d : SparkEnv.get().blockManager().diskBlockManager().localDirs()) {
        try (Stream<Path> s = Files.walk(d.toPath())) {
          s.filter(p -> p.toFile().equals(w.spill())).forEach(p -> local.add(p.toString()));
        }
      }
      SPILL.set(List.of(inTmp, local));
      throw new IllegalStateException("fasttok test: the task fails after spilling");
    }), "the task fails after spilling");
    List<List<String>> seen = SPILL.get();
    assertEquals(List.of(), seen.get(0), "no spill file in java.io.tmpdir");
    assertEquals(1, seen.get(1).size(), "the spill file is in Spark's local directories");
    assertFalse(Files.exists(Path.of(seen.get(1).get(0))), "and gone with the failed task");
  }

  @Test
  void exampleConfigurationIsValid() throws Exception {
    java.util.Properties p = new java.util.Properties();
    try (java.io.Reader r = Files.newBufferedReader(Path.of("conf/tokenize-corpus.properties"))) {
      p.load(r);
    }
    Map<String, String> conf = new HashMap<>();
    for (String k : p.stringPropertyNames()) conf.put(k, p.getProperty(k).trim());
    JobOptions o = JobOptions.parse(conf, "--input", "in", "--output", "out");
    assertEquals(OutputFormat.MEGATRON, o.outputFormat);
    assertTrue(o.appendEos());
    Class.forName(conf.get("spark.kryo.registrator"));
    Class.forName(conf.get("spark.serializer"));
    assertTrue(Encodings.names().contains(o.encoding));
  }
}
