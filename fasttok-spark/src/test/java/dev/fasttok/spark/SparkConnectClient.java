package dev.fasttok.spark;

import dev.fasttok.Golden;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark Connect side of {@link SparkConnectClusterTest}: a program run in a JVM of its own
 * whose class path starts with the Spark Connect JVM client, as a Connect user's would. It
 * connects to the server named by its first argument, runs fasttok's SQL functions and a
 * DataFrame {@code selectExpr} there (and, on 4.0, the Transformer through Connect ML: {@link
 * ConnectMl}), and writes what came back (plain Java values, serialized) to the file named by its
 * second argument; the test compares them with the golden ids.
 *
 * <p>Compiled against classic Spark (the module's class path) but run against the Connect
 * client: it uses only the API the two share (the Connect client was made source compatible), and
 * reflection for the one call classic Spark 3.5 lacks, {@code SparkSession.Builder.remote}. It must
 * not refer to classes that exist only in classic Spark or the server.
 */
public final class SparkConnectClient {
  private SparkConnectClient() {}

  /** A golden document: its set and line. */
  static final class Doc {
    final String set;
    final int index;

    Doc(String set, int index) {
      this.set = set;
      this.index = index;
    }

    String text() {
      return Golden.docs(set).get(index);
    }
  }

  /**
   * The documents sent through Connect: English prose, code, other scripts, emoji and
   * special-token text (plain text unless allowed). No lone surrogates: a Connect string literal
   * travels as UTF-8, which cannot carry them.
   */
  static final List<Doc> DOCS = List.of(new Doc("prose", 0), new Doc("code", 3), new Doc("multilingual", 2),
      new Doc("multilingual", 40), new Doc("emoji", 60), new Doc("special", 10));

  /** The chunk_tokens call's size and overlap, in tokens. */
  static final int CHUNK_SIZE = 16;
  static final int CHUNK_OVERLAP = 4;
  /** The decode cases (lines of golden/decode/ENCODING.jsonl) sent to decode_tokens. */
  static final List<Integer> DECODE_CASES = List.of(1, 2, 3);

  public static void main(String[] args) throws Throwable {
    String url = args[0];
    Path out = Path.of(args[1]);
    long t0 = System.nanoTime();
    SparkSession spark = connect(url);
    log("connecting", t0);
    Map<String, Object> results = new LinkedHashMap<>();
    try {
      // Where the session's class came from: the Connect client's jar, not classic Spark's.
      results.put("session", spark.getClass().getName() + " from "
          + spark.getClass().getProtectionDomain().getCodeSource().getLocation());
      run(spark, results);
    } finally {
      spark.close();
    }
    try (OutputStream file = Files.newOutputStream(out); ObjectOutputStream objects = new ObjectOutputStream(file)) {
      objects.writeObject(new HashMap<>(results));
    }
  }

  /**
   * {@code SparkSession.builder().remote(url).getOrCreate()} through method handles: classic
   * Spark 3.5's {@code Builder}, which this class is compiled against, has no {@code remote}.
   */
  private static SparkSession connect(String url) throws Throwable {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Class<?> builderType = Class.forName(SparkSession.class.getName() + "$Builder");
    Object builder = lookup.findStatic(SparkSession.class, "builder", MethodType.methodType(builderType)).invoke();
    builder = lookup.findVirtual(builderType, "remote", MethodType.methodType(builderType, String.class))
        .invoke(builder, url);
    return (SparkSession) lookup.findVirtual(builderType, "getOrCreate", MethodType.methodType(SparkSession.class))
        .invoke(builder);
  }

  private static void run(SparkSession spark, Map<String, Object> results) {
    long t0 = System.nanoTime();
    // SQL over every document at once (a round trip per query is most of the time), the texts
    // as named parameters: the extension's plain names, the catalog's qualified ones, encoding and
    // model names, the default encoding.
    Map<String, Object> params = new HashMap<>();
    List<String> markers = new ArrayList<>();
    for (int i = 0; i < DOCS.size(); i++) {
      params.put("d" + i, DOCS.get(i).text());
      markers.add(":d" + i);
    }
    List<Row> perDoc = spark.sql("SELECT i, count_tokens(doc) AS n_default, count_tokens(doc, 'cl100k_base') AS n_cl100k,"
        + " encode_tokens(doc, 'o200k_base') AS o200k, encode_tokens(doc, 'gpt-4o') AS gpt4o,"
        + " fasttok.encode_tokens(doc, 'gpt-4') AS gpt4, fasttok.count_tokens(doc, 'gpt-4o-mini') AS n_mini"
        + " FROM (SELECT posexplode(array(" + String.join(", ", markers) + ")) AS (i, doc)) ORDER BY i",
        params).collectAsList();
    results.put("sql.rows", perDoc.size());
    for (Row r : perDoc) {
      int i = r.getInt(0);
      results.put("sql." + i + ".n_default", r.getInt(1));
      results.put("sql." + i + ".n_cl100k", r.getInt(2));
      results.put("sql." + i + ".o200k", ints(r.getList(3)));
      results.put("sql." + i + ".gpt-4o", ints(r.getList(4)));
      results.put("sql." + i + ".gpt-4", ints(r.getList(5)));
      results.put("sql." + i + ".n_gpt-4o-mini", r.getInt(6));
    }
    log("per-document SQL", t0);

    // One row: special tokens allowed (the special set's document, every special token of
    // cl100k_base), decode_tokens on golden slices (some cut a character: U+FFFD in the text),
    // chunk_tokens on the first document.
    t0 = System.nanoTime();
    List<String> columns = new ArrayList<>();
    columns.add("encode_tokens(:special, 'cl100k_base', 'all')");
    columns.add("chunk_tokens(:chunked, " + CHUNK_SIZE + ", " + CHUNK_OVERLAP + ", 'cl100k_base')");
    List<String> decodeKeys = new ArrayList<>();
    for (String encoding : List.of("cl100k_base", "o200k_base")) {
      List<Golden.DecodeCase> cases = Golden.decodeCases(encoding);
      for (int c : DECODE_CASES) {
        String ids = Arrays.stream(cases.get(c).ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
        columns.add("decode_tokens(array(" + ids + "), '" + encoding + "')");
        decodeKeys.add("decode." + encoding + "." + c);
        columns.add("fasttok.decode_tokens(array(" + ids + "), '" + encoding + "')");
        decodeKeys.add("decode.catalog." + encoding + "." + c);
      }
    }
    // Named columns: Spark 3.5 names a function's column after its implementation
    // (decode_tokens.invoke), the same for each call, which its client refuses as ambiguous.
    for (int k = 0; k < columns.size(); k++) {
      columns.set(k, columns.get(k) + " AS c" + k);
    }
    Row one = spark.sql("SELECT " + String.join(", ", columns),
        Map.<String, Object>of("special", DOCS.get(DOCS.size() - 1).text(), "chunked", DOCS.get(0).text()))
        .collectAsList().get(0);
    results.put("special.all", ints(one.getList(0)));
    List<Object[]> chunks = new ArrayList<>();
    for (Object o : one.getList(1)) {
      Row chunk = (Row) o;
      chunks.add(new Object[] {chunk.<String>getAs("text"), chunk.<Integer>getAs("token_start"),
          chunk.<Integer>getAs("token_count"), ints(chunk.getList(chunk.fieldIndex("ids")))});
    }
    results.put("chunks", chunks);
    for (int k = 0; k < decodeKeys.size(); k++) {
      results.put(decodeKeys.get(k), one.getString(2 + k));
    }
    log("special, chunk and decode SQL", t0);

    // A DataFrame made on the client (its rows travel to the server as Arrow), then selectExpr,
    // with the encoding also taken from a column.
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
        .add("encoding", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < DOCS.size(); i++) {
      rows.add(RowFactory.create(i, DOCS.get(i).text(), i % 2 == 0 ? "cl100k_base" : "gpt-4o"));
    }
    t0 = System.nanoTime();
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    List<Row> selected = df.selectExpr("id", "count_tokens(text, 'cl100k_base') AS n",
            "encode_tokens(text) AS ids", "fasttok.encode_tokens(text, encoding) AS by_column", "encoding")
        .orderBy("id").collectAsList();
    results.put("df.rows", selected.size());
    for (Row r : selected) {
      int id = r.getInt(0);
      results.put("df." + id + ".n_cl100k", r.getInt(1));
      results.put("df." + id + ".o200k", ints(r.getList(2)));
      results.put("df." + id + ".by_column", ints(r.getList(3)));
      results.put("df." + id + ".encoding", r.getString(4));
    }
    log("DataFrame selectExpr", t0);

    t0 = System.nanoTime();
    ConnectMl.transform(spark, df, results);
    log("Connect ML", t0);
  }

  private static void log(String step, long startNanos) {
    System.err.printf("fasttok connect client: %s took %d ms%n", step, (System.nanoTime() - startNanos) / 1_000_000);
  }

  static int[] ints(List<Object> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) list.get(i)).intValue();
    }
    return out;
  }
}
