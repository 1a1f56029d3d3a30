package dev.fasttok.corpus;

import static dev.fasttok.corpus.CorpusTestSupport.assertSameDocuments;
import static dev.fasttok.corpus.CorpusTestSupport.expected;
import static dev.fasttok.corpus.CorpusTestSupport.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fasttok.Encodings;
import dev.fasttok.spark.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --val-fraction: every document in exactly one of data/train/ and data/validation/, read back by
 * the independent readers and compared with tiktoken's ids; the part follows the documented rule
 * and does not change with the partitioning.
 */
class ValidationSplitTest {
  static SparkSession spark;
  @TempDir
  static Path dir;
  static Path golden;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SharedSpark.get();
    golden = CorpusTestSupport.writeGoldenCorpus(dir.resolve("golden"));
  }

  static JobSummary run(String... args) {
    return CorpusTestSupport.run(spark, args);
  }

  /** The documents of each part of a Megatron-LM output, by part name. */
  static Map<String, List<int[]>> megatronParts(Path out) throws IOException {
    Map<String, List<int[]>> parts = new TreeMap<>();
    for (String p : List.of("train", "validation")) {
      parts.put(p, TokenFiles.megatronDocuments(out.resolve("data").resolve(p), 4));
    }
    return parts;
  }

  @Test
  void megatronPartsHoldEveryDocumentOnceAndDoNotDependOnThePartitioning() throws IOException {
    int eos = Encodings.get("o200k_base").specialTokens().get("<|endoftext|>");
    Path a = dir.resolve("megatron-a");
    JobSummary s = run("--input", golden.toString(), "--output", a.toString(), "--output-format", "megatron",
        "--val-fraction", "0.2", "--seed", "7");
    Map<String, List<int[]>> parts = megatronParts(a);
    List<int[]> all = new ArrayList<>(parts.get("train"));
    all.addAll(parts.get("validation"));
    assertSameDocuments(expected("o200k_base", eos), multiset(all));
    // About a fifth (the golden corpus has hundreds of documents).
    double share = parts.get("validation").size() / (double) all.size();
    assertTrue(share > 0.12 && share < 0.28, "validation share " + share);

    // The summary's parts are what the files hold.
    assertEquals(2, s.parts.size());
    long tokens = 0;
    for (JobSummary.Part p : s.parts) {
      List<int[]> docs = parts.get(p.name);
      assertEquals(docs.size(), p.documentsWritten, p.name);
      long n = 0;
      for (int[] d : docs) n += d.length;
      assertEquals(n, p.tokensWritten, p.name);
      tokens += n;
      assertTrue(p.directory.endsWith("data/" + p.name), p.directory);
    }
    assertEquals(s.tokensWritten, tokens);
    for (JobSummary.OutputFile f : s.files) {
      assertTrue(f.name.startsWith("train/part-") || f.name.startsWith("validation/part-"), f.name);
    }
    JsonNode json = new ObjectMapper().readTree(Files.readString(a.resolve("summary.json")));
    assertEquals(0.2, json.path("output").path("split").path("validation_fraction").asDouble());
    assertEquals(7, json.path("output").path("split").path("seed").asLong());
    assertEquals(parts.get("validation").size(),
        json.path("output").path("split").path("parts").path(1).path("documents_written").asLong());
    assertTrue(Files.readString(a.resolve("report.html")).contains("validation"));

    // Many more, smaller input partitions: the same parts.
    Path b = dir.resolve("megatron-b");
    JobSummary s2;
    spark.conf().set("spark.sql.files.maxPartitionBytes", "4096");
    try {
      s2 = run("--input", golden.toString(), "--output", b.toString(), "--output-format", "megatron",
          "--val-fraction", "0.2", "--seed", "7");
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
    assertTrue(s2.partitions > s.partitions, s2.partitions + " vs " + s.partitions);
    Map<String, List<int[]>> parts2 = megatronParts(b);
    for (String p : parts.keySet()) assertEquals(multiset(parts.get(p)), multiset(parts2.get(p)), p);

    // Another seed, another split.
    Path c = dir.resolve("megatron-c");
    run("--input", golden.toString(), "--output", c.toString(), "--output-format", "megatron",
        "--val-fraction", "0.2", "--seed", "8");
    assertNotEquals(multiset(parts.get("validation")), multiset(megatronParts(c).get("validation")));
  }

  @Test
  void nanoGptPartsHoldEveryDocumentOnce() throws IOException {
    int eos = Encodings.get("cl100k_base").specialTokens().get("<|endoftext|>");
    Path o = dir.resolve("nanogpt");
    JobSummary s = run("--input", golden.toString(), "--output", o.toString(), "--output-format", "nanogpt",
        "--encoding", "cl100k_base", "--val-fraction", "0.5");
    List<int[]> all = new ArrayList<>();
    for (JobSummary.Part p : s.parts) {
      List<int[]> docs = new ArrayList<>();
      for (Path f : TokenFiles.files(o.resolve("data").resolve(p.name), ".bin")) {
        docs.addAll(TokenFiles.splitAfter(TokenFiles.readNanoGpt(f).tokens, eos));
      }
      assertEquals(docs.size(), p.documentsWritten, p.name);
      assertTrue(docs.size() > 0, p.name);
      all.addAll(docs);
    }
    assertSameDocuments(expected("cl100k_base", eos), multiset(all));
  }

  @Test
  void parquetPartsFollowTheDocumentedRule() throws IOException {
    Path o = dir.resolve("parquet");
    JobSummary s = run("--input", golden.toString(), "--output", o.toString(), "--keep-text",
        "--val-fraction", "0.3", "--seed", "-12345");
    assertEquals(List.of("text", "tokens", "n_tokens"), s.columns);
    StructType schema = new StructType().add("text", DataTypes.StringType)
        .add("tokens", DataTypes.createArrayType(DataTypes.IntegerType, true)).add("n_tokens", DataTypes.IntegerType);
    Map<String, Integer> seen = new HashMap<>();
    long rows = 0;
    for (JobSummary.Part p : s.parts) {
      Path data = o.resolve("data").resolve(p.name);
      // The rule as README states it, in Spark SQL: xxhash64(seed, text)'s top 53 bits / 2^53 < fraction.
      spark.read().schema(schema).parquet(data.toString()).createOrReplaceTempView("part");
      List<Row> r = spark.sql("SELECT text, shiftrightunsigned(xxhash64(CAST(-12345 AS BIGINT), text), 11)"
          + " / 9007199254740992.0 < 0.3 FROM part").collectAsList();
      assertEquals(r.size(), p.documentsWritten, p.name);
      for (Row row : r) {
        assertEquals(p.name.equals("validation"), row.getBoolean(1), row.getString(0));
        seen.merge(row.getString(0), 1, Integer::sum);
      }
      rows += r.size();
    }
    assertEquals(CorpusTestSupport.goldenDocuments(), rows);
    assertEquals(s.documentsWritten, rows);
    // Equal texts are in one part: each distinct text is in one part only (counted once per copy).
    Map<String, Integer> expected = new HashMap<>();
    for (String set : CorpusTestSupport.SETS) {
      for (String d : dev.fasttok.Golden.docs(set)) expected.merge(CorpusTestSupport.withReplacement(d), 1, Integer::sum);
    }
    assertEquals(expected, seen);
  }

  @Test
  void theFractionIsChecked() {
    for (String bad : new String[] {"1", "-0.1", "1.5", "x", "NaN"}) {
      Exception e = assertThrows(JobOptions.UsageException.class,
          () -> JobOptions.parse("--input", "a", "--output", "b", "--val-fraction", bad));
      assertTrue(e.getMessage().contains("--val-fraction must be a number from 0"), e.getMessage());
    }
    Exception e = assertThrows(JobOptions.UsageException.class,
        () -> JobOptions.parse("--input", "a", "--output", "b", "--seed", "1.5"));
    assertEquals("--seed must be a whole number, not '1.5'", e.getMessage());
    JobOptions o = JobOptions.parse(Map.of("spark.fasttok.corpus.val-fraction", "0.05",
        "spark.fasttok.corpus.seed", "3"), "--input", "a", "--output", "b");
    assertEquals(0.05, o.valFraction);
    assertEquals(3, o.seed);
    assertTrue(JobOptions.HELP.contains("--val-fraction F"));
  }
}
