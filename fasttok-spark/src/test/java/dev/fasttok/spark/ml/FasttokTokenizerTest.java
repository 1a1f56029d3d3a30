package dev.fasttok.spark.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Golden;
import dev.fasttok.spark.SharedSpark;
import dev.fasttok.spark.SparkTestSupport;
import dev.fasttok.spark.TinyVocabulary;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FasttokTokenizerTest {
  static SparkSession spark;
  static Dataset<Row> docs;
  @TempDir
  static Path dir;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
    docs = SparkTestSupport.goldenDocs(spark).cache();
  }

  static int[] golden(String enc, Row r) {
    return Golden.ids(enc, r.getString(0)).get(r.getInt(1));
  }

  @Test
  void idsAndCountsMatchTiktoken() {
    FasttokTokenizer tok = new FasttokTokenizer();
    List<Row> rows = tok.transform(docs).collectAsList();
    assertEquals(Arrays.asList("doc_set", "i", "text", "tokens"), Arrays.asList(tok.transform(docs).columns()));
    for (Row r : rows) assertArrayEquals(golden("o200k_base", r), SparkTestSupport.ints(r, 3));
    rows = new FasttokTokenizer().setEncoding("cl100k_base").setOutput("count").setOutputCol("n").transform(docs)
        .collectAsList();
    for (Row r : rows) assertEquals(golden("cl100k_base", r).length, r.getInt(3));
  }

  @Test
  void appendEosAndMaxTokens() {
    int eos = 100257;
    FasttokTokenizer ids = new FasttokTokenizer().setEncoding("cl100k_base").setAppendEos(true).setMaxTokens(5);
    FasttokTokenizer count = new FasttokTokenizer().setEncoding("cl100k_base").setAppendEos(true).setMaxTokens(5)
        .setOutput("count").setOutputCol("n");
    FasttokTokenizer cut = new FasttokTokenizer().setEncoding("cl100k_base").setMaxTokens(3).setOutputCol("cut");
    for (Row r : count.transform(cut.transform(ids.transform(docs))).collectAsList()) {
      int[] g = golden("cl100k_base", r);
      int keep = Math.min(g.length, 4);
      int[] expected = Arrays.copyOf(g, keep + 1);
      expected[keep] = eos;
      assertArrayEquals(expected, SparkTestSupport.ints(r, r.fieldIndex("tokens")));
      assertArrayEquals(Arrays.copyOf(g, Math.min(g.length, 3)), SparkTestSupport.ints(r, r.fieldIndex("cut")));
      assertEquals(Math.min(g.length + 1, 5), r.getInt(r.fieldIndex("n")));
    }
  }

  @Test
  void allowedSpecial() {
    Dataset<Row> special = docs.where("doc_set = 'special'");
    List<int[]> all = Golden.idsAllSpecial("cl100k_base");
    for (Row r : new FasttokTokenizer().setEncoding("cl100k_base").setAllowedSpecial("all").transform(special)
        .collectAsList()) {
      assertArrayEquals(all.get(r.getInt(1)), SparkTestSupport.ints(r, 3));
    }
    for (Row r : new FasttokTokenizer().setEncoding("cl100k_base").setAllowedSpecial("all").setOutput("count")
        .transform(special).collectAsList()) {
      assertEquals(all.get(r.getInt(1)).length, r.getInt(3));
    }
  }

  @Test
  void customVocabularyFile() throws Exception {
    Path tiktoken = TinyVocabulary.writeTiktoken(dir);
    Dataset<Row> hello = spark.sql("SELECT 'hello world' AS text");
    Row r = new FasttokTokenizer().setVocabulary(tiktoken.toString()).setAppendEos(true).transform(hello)
        .collectAsList().get(0);
    assertArrayEquals(new int[] {TinyVocabulary.HELLO, TinyVocabulary.WORLD, 199999}, SparkTestSupport.ints(r, 1));
    Path ftok = TinyVocabulary.writeFtokWithoutSpecials(dir);
    r = new FasttokTokenizer().setVocabulary(ftok.toUri().toString()).setOutput("count").transform(hello)
        .collectAsList().get(0);
    assertEquals(2, r.getInt(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FasttokTokenizer().setVocabulary(ftok.toString()).setAppendEos(true).transform(hello));
    assertTrue(e.getMessage().contains("<|endoftext|>"), e.getMessage());
  }

  @Test
  void transformSchemaChecksColumns() {
    StructType schema = new StructType().add("text", DataTypes.StringType).add("n", DataTypes.IntegerType);
    StructType out = new FasttokTokenizer().transformSchema(schema);
    assertEquals(DataTypes.createArrayType(DataTypes.IntegerType, false), out.apply("tokens").dataType());
    assertEquals(DataTypes.IntegerType, new FasttokTokenizer().setOutput("count").transformSchema(schema)
        .apply("tokens").dataType());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FasttokTokenizer().setInputCol("n").transformSchema(schema));
    assertEquals("FasttokTokenizer: input column 'n' must be STRING, got INT", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new FasttokTokenizer().setOutputCol("n").transformSchema(schema));
    assertTrue(e.getMessage().contains("output column 'n' already exists"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new FasttokTokenizer().setInputCol("body").transformSchema(schema));
    assertTrue(e.getMessage().contains("'body' does not exist"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FasttokTokenizer().setOutput("words"));
    assertThrows(IllegalArgumentException.class, () -> new FasttokTokenizer().setMaxTokens(-1));
    // The schema it announces is the one it produces.
    assertEquals(new FasttokTokenizer().transformSchema(docs.schema()).apply("tokens").dataType(),
        new FasttokTokenizer().transform(docs).schema().apply("tokens").dataType());
  }

  @Test
  void savesAndLoadsInsideAPipeline() throws Exception {
    FasttokTokenizer tok = new FasttokTokenizer().setInputCol("text").setOutputCol("ids").setEncoding("cl100k_base")
        .setAllowedSpecial("<|endoftext|>").setAppendEos(true).setMaxTokens(64);
    SQLTransformer len = new SQLTransformer().setStatement("SELECT *, size(ids) AS n FROM __THIS__");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {tok, len});
    PipelineModel model = pipeline.fit(docs);
    String path = dir.resolve("model").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    FasttokTokenizer back = (FasttokTokenizer) loaded.stages()[0];
    assertEquals(tok.uid(), back.uid());
    assertEquals("cl100k_base", back.getEncoding());
    assertEquals("<|endoftext|>", back.getAllowedSpecial());
    assertEquals(64, back.getMaxTokens());
    assertTrue(back.getAppendEos());
    SparkTestSupport.assertDataFrameEquals(model.transform(docs).orderBy("doc_set", "i"),
        loaded.transform(docs).orderBy("doc_set", "i"));
    // The unfitted pipeline and the Transformer alone save and load too.
    pipeline.write().overwrite().save(dir.resolve("pipeline").toString());
    assertEquals(tok.uid(), Pipeline.load(dir.resolve("pipeline").toString()).getStages()[0].uid());
    tok.write().overwrite().save(dir.resolve("tok").toString());
    FasttokTokenizer alone = FasttokTokenizer.load(dir.resolve("tok").toString());
    assertEquals(tok.extractParamMap().toString(), alone.extractParamMap().toString());
    FasttokTokenizer copy = tok.copy(new org.apache.spark.ml.param.ParamMap().put(tok.encoding(), "o200k_base"));
    assertEquals("o200k_base", copy.getEncoding());
    assertEquals(tok.uid(), copy.uid());
    assertTrue(model.transform(docs).where(col("n").gt(64)).isEmpty());
  }

  @Test
  void listedForSparkConnectMl() throws Exception {
    try (java.io.InputStream in = getClass().getResourceAsStream("/META-INF/services/org.apache.spark.ml.Transformer")) {
      String listed = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(listed.lines().anyMatch(l -> l.trim().equals(FasttokTokenizer.class.getName())), listed);
    }
    // As Spark Connect ML finds it (by type; Spark's own listed models have no public constructor).
    assertTrue(java.util.ServiceLoader.load(org.apache.spark.ml.Transformer.class).stream()
        .anyMatch(p -> p.type() == FasttokTokenizer.class));
    assertTrue(FasttokTokenizer.class.getConstructor().newInstance().uid().startsWith("fasttokTokenizer_"));
  }
}
