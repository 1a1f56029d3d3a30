package dev.fasttok.spark;

import static dev.fasttok.spark.SparkTestSupport.assertAnalysisError;
import static dev.fasttok.spark.SparkTestSupport.assertFails;
import static dev.fasttok.spark.SparkTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom vocabularies configured in the session (spark.fasttok.vocabulary.<name>), in local mode. */
class CustomVocabularyTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path tiktoken;
  static Path ftok;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SharedSpark.get();
    tiktoken = TinyVocabulary.writeTiktoken(dir);
    ftok = TinyVocabulary.writeFtokWithoutSpecials(dir);
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "tiny", tiktoken.toUri().toString());
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "tiny.base", "cl100k_base");
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "tiny_ftok", ftok.toString());
  }

  @AfterAll
  static void tearDown() {
    for (String k : new String[] {"tiny", "tiny.base", "tiny_ftok", "missing", "o200k_base"}) {
      spark.conf().unset(FasttokConf.VOCABULARY_PREFIX + k);
    }
    spark.conf().unset(FasttokConf.ENCODING);
  }

  @Test
  void eachFileIsReadOncePerSession() {
    SparkSession other = spark.newSession();
    other.conf().set(FasttokConf.VOCABULARY_PREFIX + "tiny", tiktoken.toString());
    SparkSession.setActiveSession(other);
    try {
      for (int i = 0; i < 3; i++) {
        assertEquals(2, other.sql("SELECT count_tokens('hello world', 'tiny')").collectAsList().get(0).getInt(0));
        assertEquals(2, other.range(1).selectExpr("fasttok.count_tokens('hello world', if(id < 0, '', 'tiny'))")
            .collectAsList().get(0).getInt(0));
      }
      assertEquals(1, SessionVocabularies.of(other).reads());
    } finally {
      SparkSession.setActiveSession(spark);
    }
  }

  @Test
  void customVocabulariesWorkEverywhereAnEncodingNameDoes() {
    spark.sql("SELECT count_tokens('x', 'tiny'), count_tokens('x', 'tiny_ftok')").collectAsList();
    int reads = SessionVocabularies.of(spark).reads();
    for (String v : new String[] {"tiny", "tiny_ftok"}) {
      for (String p : new String[] {"", "fasttok."}) {
        Row r = spark.sql("SELECT " + p + "count_tokens('hello world', '" + v + "'), " + p + "encode_tokens(t, '" + v
            + "'), " + p + "decode_tokens(array(259, 264), '" + v + "'), " + p + "truncate_tokens(t, 1, '" + v
            + "'), " + p + "chunk_tokens(t, 1, 0, '" + v + "') FROM VALUES ('hello world') AS x(t)").collectAsList().get(0);
        assertEquals(2, r.getInt(0));
        assertArrayEquals(new int[] {TinyVocabulary.HELLO, TinyVocabulary.WORLD}, ints(r, 1));
        assertEquals("hello world", r.getString(2));
        assertEquals("hello", r.getString(3));
        assertEquals(2, r.getList(4).size());
      }
    }
    // From a column too (every configured vocabulary travels), over the executors.
    List<Row> rows = spark.range(0, 8, 1, 4).selectExpr("count_tokens('hello world hello', if(id % 2 = 0, 'tiny',"
        + " 'tiny_ftok'))").collectAsList();
    for (Row r : rows) assertEquals(4, r.getInt(0)); // hello, " world", " ", hello
    // .tiktoken takes its base's special tokens; .ftok has none here.
    assertArrayEquals(new int[] {TinyVocabulary.HELLO, 100257},
        ints(spark.sql("SELECT encode_tokens('hello<|endoftext|>', 'tiny', 'all')").collectAsList().get(0), 0));
    assertAnalysisError(() -> spark.sql("SELECT encode_tokens('x', 'tiny_ftok', '<|endoftext|>')"), "tiny");
    // Each file was read once in this session, whatever the number of queries.
    assertEquals(reads, SessionVocabularies.of(spark).reads());
    assertSame(SessionVocabularies.of(spark).broadcastOf("tiny"), SessionVocabularies.of(spark).broadcastOf("tiny"));
  }

  @Test
  void huggingFaceTokenizerJsonIsAVocabulary() throws Exception {
    // Qwen3's tokenizer.json, against the ids of Hugging Face's own tokenizers library.
    Path qwen = dev.fasttok.Golden.writeTokenizerJson("qwen3", dir);
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "qwen3", qwen.toString());
    try {
      List<String> docs = dev.fasttok.Golden.docs("multilingual");
      List<int[]> want = dev.fasttok.Golden.huggingFaceIds("qwen3", "multilingual");
      List<Row> rows = spark.createDataset(docs, org.apache.spark.sql.Encoders.STRING()).toDF("t").repartition(3)
          .selectExpr("t", "encode_tokens(t, 'qwen3')", "count_tokens(t, 'qwen3')").collectAsList();
      assertEquals(docs.size(), rows.size());
      java.util.Map<String, Integer> index = new java.util.HashMap<>();
      for (int i = 0; i < docs.size(); i++) index.putIfAbsent(docs.get(i), i);
      for (Row r : rows) {
        int[] ids = want.get(index.get(r.getString(0)));
        assertArrayEquals(ids, ints(r, 1), r.getString(0));
        assertEquals(ids.length, r.getInt(2), r.getString(0));
      }
      // Qwen3 normalizes with NFC: the chunks are pieces of the normalized text (e + U+0301 is é).
      List<Row> chunks = spark.sql("SELECT chunk_tokens('cafe\u0301 cafe\u0301 au lait', 2, 0, 'qwen3')")
          .collectAsList().get(0).getList(0);
      StringBuilder joined = new StringBuilder();
      for (Row c : chunks) joined.append(c.getString(0));
      assertEquals("caf\u00E9 caf\u00E9 au lait", joined.toString());
    } finally {
      spark.conf().unset(FasttokConf.VOCABULARY_PREFIX + "qwen3");
    }
  }

  @Test
  void defaultEncodingCanBeACustomVocabulary() {
    spark.conf().set(FasttokConf.ENCODING, "tiny");
    try {
      assertEquals(2, spark.sql("SELECT count_tokens('hello world')").collectAsList().get(0).getInt(0));
      assertEquals(2, spark.range(1).selectExpr("fasttok.count_tokens(concat('hello', ' world'))").collectAsList()
          .get(0).getInt(0));
    } finally {
      spark.conf().unset(FasttokConf.ENCODING);
    }
  }

  @Test
  void vocabularyThatCannotBeReadIsAnErrorWhereItIsUsed() {
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "missing", dir.resolve("nowhere.tiktoken").toString());
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "o200k_base", tiktoken.toString());
    try {
      assertAnalysisError(() -> spark.sql("SELECT count_tokens('x', 'missing')"), "cannot read custom vocabulary 'missing'",
          "nowhere.tiktoken");
      assertFails(() -> spark.range(1).selectExpr("count_tokens('x', if(id < 0, 'tiny', 'missing'))").collectAsList(),
          "nowhere.tiktoken");
      // Other queries are not affected, and a built-in name cannot be taken.
      assertEquals(2, spark.sql("SELECT count_tokens('hello world', 'tiny')").collectAsList().get(0).getInt(0));
      assertAnalysisError(() -> spark.sql("SELECT count_tokens('x', 'o200k_base')"), "name of a built-in encoding");
    } finally {
      spark.conf().unset(FasttokConf.VOCABULARY_PREFIX + "missing");
      spark.conf().unset(FasttokConf.VOCABULARY_PREFIX + "o200k_base");
    }
    assertEquals(1, spark.sql("SELECT count_tokens('x', 'o200k_base')").collectAsList().get(0).getInt(0));
  }

  @Test
  void unknownVocabularyListsTheConfiguredOnes() {
    assertAnalysisError(() -> spark.sql("SELECT count_tokens('x', 'tinny')"), "unknown encoding 'tinny'", "tiny",
        "tiny_ftok");
    assertEquals(true, Files.exists(tiktoken));
  }
}
