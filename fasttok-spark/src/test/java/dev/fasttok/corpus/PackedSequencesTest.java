package dev.fasttok.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fasttok.Encodings;
import dev.fasttok.Golden;
import dev.fasttok.spark.SharedSpark;
import dev.fasttok.spark.SparkTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --pack: the rows read back and laid end to end are tiktoken's ids of the documents, each ending
 * with the end-of-text id, in the documented order, with every document start where the rows say;
 * the same rows however the input is partitioned.
 */
class PackedSequencesTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path golden;
  static final StructType ROWS = new StructType().add("sequence", DataTypes.LongType)
      .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, true)).add("n_tokens", DataTypes.IntegerType)
      .add("document_starts", DataTypes.createArrayType(DataTypes.IntegerType, true));

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.get();
    golden = CorpusTestSupport.writeGoldenCorpus(dir.resolve("golden"));
  }

  static JobSummary run(String... args) {
    return CorpusTestSupport.run(spark, args);
  }

  /** One part's rows, by sequence number. */
  static List<Row> rows(Path data) {
    List<Row> rows = new ArrayList<>(spark.read().schema(ROWS).parquet(data.toString()).collectAsList());
    rows.sort(Comparator.comparingLong(r -> r.getLong(0)));
    for (int i = 0; i < rows.size(); i++) assertEquals(i, rows.get(i).getLong(0), "sequence numbers 0, 1, ...");
    return rows;
  }

  /**
   * The documents with tokens as README orders them, computed here in Spark SQL from the golden
   * texts: by xxhash64(seed, text), then text; only those of one part when fraction > 0.
   */
  static List<int[]> documentsInOrder(String encoding, long seed, double fraction, boolean validation) {
    Map<String, int[]> byText = new HashMap<>();
    List<Row> texts = new ArrayList<>();
    for (String set : CorpusTestSupport.SETS) {
      List<String> docs = Golden.docs(set);
      List<int[]> ids = Golden.ids(encoding, set);
      for (int i = 0; i < docs.size(); i++) {
        if (ids.get(i).length == 0) continue;
        String text = CorpusTestSupport.withReplacement(docs.get(i));
        byText.put(text, ids.get(i));
        texts.add(RowFactory.create(text));
      }
    }
    spark.createDataFrame(texts, new StructType().add("text", DataTypes.StringType)).createOrReplaceTempView("docs");
    String where = fraction > 0 ? " WHERE (shiftrightunsigned(xxhash64(CAST(" + seed + " AS BIGINT), text), 11)"
        + " / 9007199254740992.0 < " + fraction + ") = " + validation : "";
    List<int[]> ordered = new ArrayList<>();
    for (Row r : spark.sql("SELECT text FROM docs" + where + " ORDER BY xxhash64(CAST(" + seed
        + " AS BIGINT), text), text").collectAsList()) {
      ordered.add(byText.get(r.getString(0)));
    }
    return ordered;
  }

  /**
   * Checks one part's rows against its documents: the stream the rows hold is the documents' ids
   * with end-of-text ids (cut after the last whole row, or padded with end-of-text ids), and the
   * document starts are where each document begins.
   */
  static void assertPacked(List<Row> rows, List<int[]> docs, int length, int eos, boolean pad) {
    List<Integer> expected = new ArrayList<>();
    TreeSet<Long> starts = new TreeSet<>();
    for (int[] d : docs) {
      starts.add((long) expected.size());
      for (int id : d) expected.add(id);
      expected.add(eos);
    }
    int whole = expected.size() / length;
    int rest = expected.size() % length;
    assertEquals(whole + (pad && rest > 0 ? 1 : 0), rows.size(), "rows");
    List<Integer> stream = new ArrayList<>();
    TreeSet<Long> seen = new TreeSet<>();
    for (Row r : rows) {
      int[] tokens = SparkTestSupport.ints(r, 1);
      assertEquals(length, tokens.length, "row " + r.getLong(0) + " has exactly the sequence length");
      int n = r.getInt(2);
      for (int i = 0; i < tokens.length; i++) {
        if (i < n) {
          stream.add(tokens[i]);
        } else {
          assertEquals(eos, tokens[i], "padding");
        }
      }
      for (int s : SparkTestSupport.ints(r, 3)) seen.add(r.getLong(0) * length + s);
    }
    assertEquals(pad ? expected.size() : whole * length, stream.size());
    assertSameList(expected.subList(0, stream.size()), stream, "the rows' tokens, end to end");
    assertSameList(new ArrayList<>(starts.headSet((long) stream.size())), new ArrayList<>(seen), "document starts");
  }

  /** assertEquals on lists, naming the first difference rather than printing both. */
  static <T> void assertSameList(List<T> expected, List<T> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        throw new AssertionError(what + ": at " + i + " expected " + expected.get(i) + " but was " + actual.get(i));
      }
    }
    assertEquals(expected.size(), actual.size(), what + ": size");
  }

  @Test
  void rowsHoldEveryDocumentInOrderWithItsStartAndDoNotDependOnThePartitioning() throws IOException {
    int eos = Encodings.get("cl100k_base").specialTokens().get("<|endoftext|>");
    Path a = dir.resolve("packed-a");
    JobSummary s = run("--input", golden.toString(), "--output", a.toString(), "--encoding", "cl100k_base",
        "--pack", "64", "--seed", "5");
    List<Row> rows = rows(a.resolve("data"));
    List<int[]> docs = documentsInOrder("cl100k_base", 5, 0, false);
    assertPacked(rows, docs, 64, eos, false);
    assertEquals(List.of("sequence", "tokens", "n_tokens", "document_starts"), s.columns);
    assertEquals(rows.size(), s.sequences);
    assertEquals(rows.size() * 64L, s.tokensWritten);
    assertEquals(docs.size(), s.documentsWritten);
    assertTrue(s.paddingTokens <= 0 && s.paddingTokens > -64, "dropped " + -s.paddingTokens);
    JsonNode pack = new ObjectMapper().readTree(Files.readString(a.resolve("summary.json"))).path("output").path("pack");
    assertEquals(64, pack.path("sequence_length").asInt());
    assertEquals(rows.size(), pack.path("sequences").asLong());
    assertEquals("drop", pack.path("last").asText());

    // Many small input partitions and more sorted ones: the same rows.
    Path b = dir.resolve("packed-b");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
    spark.conf().set("spark.sql.shuffle.partitions", "7");
    try {
      run("--input", golden.toString(), "--output", b.toString(), "--encoding", "cl100k_base", "--pack", "64",
          "--seed", "5");
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().set("spark.sql.shuffle.partitions", "2");
    }
    List<Row> again = rows(b.resolve("data"));
    assertEquals(rows.size(), again.size());
    for (int i = 0; i < rows.size(); i++) {
      assertArrayEquals(SparkTestSupport.ints(rows.get(i), 1), SparkTestSupport.ints(again.get(i), 1), "row " + i);
      assertArrayEquals(SparkTestSupport.ints(rows.get(i), 3), SparkTestSupport.ints(again.get(i), 3), "row " + i);
    }
  }

  @Test
  void longSequencesSpanManyPartitionsAndTheLastRowIsPadded() {
    // 100,000 tokens a row: more than a sorted partition holds, so rows are assembled from many pieces.
    int eos = Encodings.get("o200k_base").specialTokens().get("<|endoftext|>");
    Path o = dir.resolve("packed-long");
    spark.conf().set("spark.sql.shuffle.partitions", "5");
    JobSummary s;
    try {
      s = run("--input", golden.toString(), "--output", o.toString(), "--pack", "100000", "--pack-last", "pad");
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", "2");
    }
    List<Row> rows = rows(o.resolve("data"));
    assertPacked(rows, documentsInOrder("o200k_base", 0, 0, false), 100000, eos, true);
    assertEquals(rows.size(), s.sequences);
    assertTrue(s.paddingTokens > 0);
  }

  @Test
  void packedPartsWithAValidationSplit() {
    int eos = Encodings.get("o200k_base").specialTokens().get("<|endoftext|>");
    Path o = dir.resolve("packed-split");
    JobSummary s = run("--input", golden.toString(), "--output", o.toString(), "--pack", "128",
        "--val-fraction", "0.25", "--seed", "11", "--pack-last", "pad");
    long sequences = 0;
    long padding = 0;
    for (JobSummary.Part p : s.parts) {
      List<Row> rows = rows(o.resolve("data").resolve(p.name));
      assertPacked(rows, documentsInOrder("o200k_base", 11, 0.25, p.name.equals("validation")), 128, eos, true);
      assertEquals(rows.size(), p.sequences, p.name);
      assertTrue(rows.size() > 0, p.name);
      sequences += rows.size();
      padding += 128 - rows.get(rows.size() - 1).getInt(2);
    }
    assertEquals(sequences, s.sequences);
    assertEquals(padding, s.paddingTokens);
  }

  @Test
  void packingIsCheckedBeforeTheJob() {
    String[][] bad = {
        {"--pack", "0"}, {"--pack", "x"}, {"--pack", "8", "--output-format", "megatron"},
        {"--pack", "8", "--keep-text"}, {"--pack", "8", "--pack-last", "keep"}};
    String[] messages = {"--pack must be a number of tokens >= 1", "--pack must be a number of tokens >= 1",
        "--pack writes parquet rows", "--keep-text does not apply to packed rows", "--pack-last must be one of drop, pad"};
    for (int i = 0; i < bad.length; i++) {
      List<String> args = new ArrayList<>(List.of("--input", "a", "--output", "b"));
      args.addAll(List.of(bad[i]));
      Exception e = assertThrows(JobOptions.UsageException.class, () -> JobOptions.parse(args.toArray(new String[0])));
      assertTrue(e.getMessage().startsWith(messages[i]), e.getMessage());
    }
    assertTrue(JobOptions.parse("--input", "a", "--output", "b", "--pack", "8").appendEos());
    assertTrue(!JobOptions.parse("--input", "a", "--output", "b", "--pack", "8", "--no-eos").appendEos());
  }
}
