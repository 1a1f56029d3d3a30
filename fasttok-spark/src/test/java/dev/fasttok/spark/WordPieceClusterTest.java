package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Encoding;
import dev.fasttok.Golden;
import dev.fasttok.spark.ml.FasttokTokenizer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BERT tokenizer.json (WordPiece, golden/wordpiece's bert-base-uncased file) as a custom
 * vocabulary on executors in their own JVMs: every SQL function and the Transformer, against the
 * ids, decodes and token offsets Hugging Face tokenizers wrote. The file is deleted before the
 * queries run, so the executors can only rebuild the encoding from the broadcast compact form
 * (which for this family carries the tokenizer.json itself).
 */
class WordPieceClusterTest {
  /** Golden sets; not lone surrogates, which a Spark string cannot hold (they become '?'). */
  private static final List<String> SETS = List.of("prose", "multilingual", "special", "scripts", "contractions",
      "emoji", "code", "whitespace", "digits", "long");

  @TempDir
  Path dir;

  @Test
  void bertVocabularyWorksOnExecutorJvms() throws Exception {
    Path json = Golden.writeBertTokenizerJson(dir.resolve("driver-only"));
    // The Transformer takes a path of its own: a second copy, read on the driver too.
    Path forTransformer = Golden.writeBertTokenizerJson(dir.resolve("transformer"));

    List<String> docs = new ArrayList<>();
    List<int[]> want = new ArrayList<>();
    for (String set : SETS) {
      docs.addAll(Golden.docs(set));
      want.addAll(Golden.wordPieceIds("bert-uncased", set));
      assertEquals(docs.size(), want.size(), set);
    }
    Map<String, int[]> idsOf = new HashMap<>();
    List<String> allSets = new ArrayList<>(Golden.SETS);
    allSets.add("added");
    for (String set : allSets) {
      List<String> d = Golden.wordPieceDocs(set);
      List<int[]> w = Golden.wordPieceIds("bert-uncased", set);
      for (int i = 0; i < d.size(); i++) idsOf.putIfAbsent(d.get(i), w.get(i));
    }

    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> new File(p).getAbsolutePath()).collect(Collectors.joining(File.pathSeparator));
    long driverPid = ProcessHandle.current().pid();
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[2,1,1024]")
        .appName("fasttok-wordpiece-executor-jvms")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.extraClassPath", classPath)
        .config("spark.executor.extraJavaOptions", System.getProperty("fasttok.test.jvmFlags", ""))
        .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "180s")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.extensions", FasttokExtensions.class.getName())
        .config("spark.sql.catalog.fasttok", FasttokCatalog.class.getName())
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrationRequired", "true")
        .config("spark.kryo.registrator", FasttokKryoRegistrator.class.getName())
        .config("spark.kryo.classesToRegister", String.join(",", SharedSpark.SPARK_CLASSES))
        .config(FasttokConf.VOCABULARY_PREFIX + "bert", json.toUri().toString())
        .getOrCreate();
    try {
      Encoding onDriver = FasttokVocabularies.encoding(spark, "bert");
      assertEquals(30522, onDriver.vocabularySize());
      Broadcast<VocabularyBytes> broadcast = SessionVocabularies.of(spark).broadcastOf("bert");
      assertNotNull(broadcast);
      Files.delete(json);
      Files.delete(json.getParent());
      assertFalse(Files.exists(json));

      // ---- encode_tokens and count_tokens: every document, over 6 partitions on two JVMs ----
      List<Row> input = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) input.add(RowFactory.create(i, docs.get(i)));
      StructType schema = new StructType().add("i", DataTypes.IntegerType).add("t", DataTypes.StringType);
      Dataset<Row> df = spark.createDataFrame(input, schema).repartition(6);
      List<Row> rows = df.selectExpr("i", "encode_tokens(t, 'bert')", "fasttok.encode_tokens(t, 'bert', 'all')",
          "count_tokens(t, 'bert')", "fasttok.count_tokens(t, 'bert')").collectAsList();
      assertEquals(docs.size(), rows.size());
      List<String> failures = new ArrayList<>();
      for (Row r : rows) {
        int i = r.getInt(0);
        int[] w = want.get(i);
        // Hugging Face's encode(add_special_tokens=False) reads [CLS], [SEP], ... in the text as
        // special tokens; so does a tokenizer.json encoding whatever allowed_special says.
        if (!Arrays.equals(w, SparkTestSupport.ints(r, 1))) failures.add(i + " none: " + docs.get(i));
        if (!Arrays.equals(w, SparkTestSupport.ints(r, 2))) failures.add(i + " 'all': " + docs.get(i));
        if (r.getInt(3) != w.length || r.getInt(4) != w.length) failures.add(i + " count: " + docs.get(i));
      }
      java.util.Collections.sort(failures);
      assertTrue(failures.isEmpty(), failures.size() + " of " + rows.size() + " differ, e.g. "
          + failures.subList(0, Math.min(5, failures.size())));
      // [CLS] and [SEP] around a document are its golden ids between the template's
      // (golden/wordpiece/manifest.json: before [101], after [102]).
      String plainDoc = Golden.docs("prose").get(3);
      int[] plainIds = Golden.wordPieceIds("bert-uncased", "prose").get(3);
      Row special = spark.sql("SELECT encode_tokens(t, 'bert', '[CLS],[SEP]') FROM VALUES"
          + " (concat('[CLS]', " + sqlString(plainDoc) + ", '[SEP]')) AS x(t)").collectAsList().get(0);
      int[] framed = new int[plainIds.length + 2];
      framed[0] = 101;
      System.arraycopy(plainIds, 0, framed, 1, plainIds.length);
      framed[framed.length - 1] = 102;
      assertArrayEquals(framed, SparkTestSupport.ints(special, 0));

      // ---- decode_tokens: tokenizers' decode(ids, skip_special_tokens=False) ----
      List<Golden.DecodeCase> cases = Golden.wordPieceDecodeCases("bert-uncased");
      List<Row> decodeInput = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        List<Integer> ids = SparkTestSupport.list(cases.get(i).ids);
        decodeInput.add(RowFactory.create(i, ids));
      }
      StructType decodeSchema = new StructType().add("i", DataTypes.IntegerType)
          .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false));
      List<Row> decoded = spark.createDataFrame(decodeInput, decodeSchema).repartition(4)
          .selectExpr("i", "decode_tokens(ids, 'bert')").collectAsList();
      assertEquals(cases.size(), decoded.size());
      failures.clear();
      for (Row r : decoded) {
        if (!cases.get(r.getInt(0)).text.equals(r.getString(1))) failures.add(r.getInt(0) + ": " + r.getString(1));
      }
      assertTrue(failures.isEmpty(), failures.size() + " decodes differ, e.g. " + failures.subList(0,
          Math.min(5, failures.size())));

      // ---- truncate_tokens and chunk_tokens: cut the caller's text where tokenizers' offsets end ----
      List<Golden.TokenEnds> offsets = Golden.wordPieceTokenEnds("bert-uncased");
      List<Row> cutInput = new ArrayList<>();
      for (int i = 0; i < offsets.size(); i++) {
        String doc = offsets.get(i).doc();
        // A Spark string cannot hold a lone surrogate (it becomes '?').
        if (doc.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)) cutInput.add(RowFactory.create(i, doc));
      }
      List<Row> cuts = spark.createDataFrame(cutInput, schema).repartition(4)
          .selectExpr("i", "truncate_tokens(t, 7, 'bert')", "chunk_tokens(t, 16, 4, 'bert')").collectAsList();
      assertEquals(cutInput.size(), cuts.size());
      assertTrue(cutInput.size() > 250, "documents cut: " + cutInput.size());
      failures.clear();
      int chunked = 0;
      for (Row r : cuts) {
        Golden.TokenEnds e = offsets.get(r.getInt(0));
        String doc = e.doc();
        int[] ends = e.ends();
        int[] ids = idsOf.get(doc);
        assertNotNull(ids, doc);
        assertEquals(ends.length, ids.length, doc);
        String truncated = doc.substring(0, truncatedEnd(ends, doc.length(), 7));
        if (!truncated.equals(r.getString(1))) failures.add("truncate " + r.getInt(0) + ": " + r.getString(1));
        List<Row> chunks = r.getList(2);
        int next = 0;
        for (int k = 0; k < chunks.size(); k++) {
          Row c = chunks.get(k);
          int start = c.getInt(1);
          int count = c.getInt(2);
          int[] slice = Arrays.copyOfRange(ids, start, start + count);
          if (!Arrays.equals(slice, SparkTestSupport.ints(c, 3))) failures.add("chunk ids " + r.getInt(0) + "/" + k);
          if (k > 0 && start != next - 4) failures.add("chunk start " + r.getInt(0) + "/" + k);
          next = start + count;
          // The chunk's text is the user's text from the end of the token before it to the end of
          // its last token (the last chunk runs to the end of the text).
          int from = start == 0 ? 0 : ends[start - 1];
          int to = k == chunks.size() - 1 ? doc.length() : ends[start + count - 1];
          if (!doc.substring(from, to).equals(c.getString(0))) {
            failures.add("chunk text " + r.getInt(0) + "/" + k + ": " + c.getString(0));
          }
        }
        if (ids.length > 0 && next != ids.length) failures.add("chunks end " + r.getInt(0));
        if (chunks.size() > 1) chunked++;
      }
      assertTrue(failures.isEmpty(), failures.size() + " differ, e.g. " + failures.subList(0,
          Math.min(5, failures.size())));
      assertTrue(chunked > 20, "documents with several chunks: " + chunked);

      // ---- the executors rebuilt the encoding from the broadcast compact form ----
      List<String> perPartition = df.mapPartitions((MapPartitionsFunction<Row, String>) it -> {
        Encoding used = broadcast.value().encoding();
        StringBuilder ok = new StringBuilder();
        while (it.hasNext()) {
          Row r = it.next();
          ok.append(Arrays.toString(used.encode(r.getString(1), false))).append('\n');
        }
        return List.of(ProcessHandle.current().pid() + " " + VocabularyBytes.encodingsBuilt() + "\n" + ok).iterator();
      }, Encoders.STRING()).collectAsList();
      Set<Long> pids = new HashSet<>();
      for (String p : perPartition) {
        String[] head = p.substring(0, p.indexOf('\n')).split(" ");
        long pid = Long.parseLong(head[0]);
        assertNotEquals(driverPid, pid, "tasks run in executor JVMs");
        assertEquals("1", head[1], "executor " + pid + " built the encoding once");
        pids.add(pid);
      }
      assertEquals(2, pids.size(), "two executor JVMs ran tasks: " + pids);

      // ---- the Transformer, with the tokenizer.json's path as its vocabulary ----
      FasttokTokenizer tokenizer = new FasttokTokenizer().setInputCol("t").setOutputCol("ids")
          .setVocabulary(forTransformer.toString()).setAllowedSpecial("all");
      List<Row> transformed = tokenizer.transform(df).select("i", "ids").collectAsList();
      assertEquals(docs.size(), transformed.size());
      for (Row r : transformed) assertArrayEquals(want.get(r.getInt(0)), SparkTestSupport.ints(r, 1), docs.get(r.getInt(0)));
      List<Row> counted = tokenizer.copy(new org.apache.spark.ml.param.ParamMap()).setOutput("count").setMaxTokens(5)
          .transform(df).select("i", "ids").collectAsList();
      for (Row r : counted) assertEquals(Math.min(5, want.get(r.getInt(0)).length), r.getInt(1));
      // BERT has no <|endoftext|>: appendEos says so, naming the tokens it has.
      SparkTestSupport.assertFails(() -> tokenizer.copy(new org.apache.spark.ml.param.ParamMap()).setAppendEos(true)
          .transform(df), "<|endoftext|>", "[SEP]");
    } finally {
      spark.stop();
    }
  }

  private static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * The end of what truncation to {@code n} tokens keeps, from tokenizers' token ends: the end of
   * the n-th token, or, where the next token ends at the same place (tokens of one character, as
   * the jamo of a Hangul syllable under uncased BERT), the last end before it; all the text when
   * it has no more than n tokens.
   */
  static int truncatedEnd(int[] ends, int textLength, int n) {
    if (ends.length <= n) return textLength;
    for (int j = n - 1; j >= 0; j--) {
      if (ends[j + 1] > ends[j]) return ends[j];
    }
    return 0;
  }
}
