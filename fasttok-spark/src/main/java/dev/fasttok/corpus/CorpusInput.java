package dev.fasttok.corpus;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The job's input: the files (listed and checked on the driver before anything runs), their
 * format, and the documents as a DataFrame of the input's other columns plus {@link #TEXT}
 * (STRING, well-formed UTF-8, NULL when there is none) and {@link #STATUS} (see {@link Documents}).
 */
final class CorpusInput {
  static final String TEXT = "__fasttok_text";
  static final String STATUS = "__fasttok_status";
  private static final String DECODED = "__fasttok_decoded";
  private static final String LINE = "__fasttok_line";
  private static final String CORRUPT = "__fasttok_corrupt";
  private static final String PARSED = "__fasttok_json";

  /** text, jsonl or parquet. */
  final String format;
  /** For jsonl: "objects" or "strings"; for text: "lines" or "files"; null for parquet. */
  final String layout;
  final List<FileStatus> files;
  final long fileBytes;
  /** Columns of the input other than the text column, in order (parquet output keeps them). */
  final List<String> otherColumns;
  final Dataset<Row> documents;

  private CorpusInput(String format, String layout, List<FileStatus> files, List<String> otherColumns,
      Dataset<Row> documents) {
    this.format = format;
    this.layout = layout;
    this.files = files;
    long b = 0;
    for (FileStatus f : files) b += f.getLen();
    this.fileBytes = b;
    this.otherColumns = otherColumns;
    this.documents = documents;
  }

  /** Lists and checks the input and builds the documents; every problem is a {@link CorpusJobException}. */
  static CorpusInput open(SparkSession spark, JobOptions o) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<FileStatus> files = list(conf, o.inputs);
    String format = o.inputFormat != null ? o.inputFormat : formatFromExtensions(files);
    if (!format.equals("parquet")) checkReadable(conf, files);
    String[] paths = new String[files.size()];
    for (int i = 0; i < paths.length; i++) paths[i] = files.get(i).getPath().toString();
    switch (format) {
      case "text":
        return text(spark, o, files, paths);
      case "jsonl":
        return jsonl(spark, o, conf, files, paths);
      case "parquet":
        return parquet(spark, o, files, paths);
      default:
        throw new CorpusJobException("unknown input format '" + format + "'");
    }
  }

  // ---- files ----

  /** The files the inputs name, sorted, without duplicates. */
  static List<FileStatus> list(Configuration conf, List<String> inputs) {
    TreeMap<String, FileStatus> found = new TreeMap<>();
    for (String input : inputs) {
      Path p = new Path(input);
      FileStatus[] matches;
      try {
        FileSystem fs = p.getFileSystem(conf);
        matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
          throw new CorpusJobException("input " + input + " does not exist" + (isGlob(input) ? " (the pattern matches nothing)" : ""));
        }
        int files = 0;
        for (FileStatus m : matches) {
          if (m.isDirectory()) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
            String root = m.getPath().toUri().getPath();
            while (it.hasNext()) {
              LocatedFileStatus f = it.next();
              if (!hidden(f.getPath().toUri().getPath(), root)) {
                found.put(f.getPath().toString(), f);
                files++;
              }
            }
          } else {
            found.put(m.getPath().toString(), m);
            files++;
          }
        }
        if (files == 0) throw new CorpusJobException("input " + input + " holds no files");
      } catch (IOException e) {
        throw new CorpusJobException("cannot read input " + input + ": " + e.getMessage(), e);
      }
    }
    if (found.isEmpty()) throw new CorpusJobException("no input files in " + String.join(", ", inputs));
    return new ArrayList<>(found.values());
  }

  private static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  /** Whether a file under a listed directory is hidden: a name below root starting with _ or . (as Spark skips them). */
  private static boolean hidden(String path, String root) {
    String rel = path.length() > root.length() ? path.substring(root.length()) : "";
    for (String part : rel.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) return true;
    }
    return false;
  }

  private static final List<String> COMPRESSION = List.of(".gz", ".bz2", ".zst", ".lz4", ".snappy", ".deflate", ".xz");

  static String formatOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String c : COMPRESSION) {
      if (n.endsWith(c)) {
        n = n.substring(0, n.length() - c.length());
        break;
      }
    }
    if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) return "jsonl";
    if (n.endsWith(".txt") || n.endsWith(".text")) return "text";
    if (n.endsWith(".parquet")) return "parquet";
    return null;
  }

  static String formatFromExtensions(List<FileStatus> files) {
    TreeSet<String> formats = new TreeSet<>();
    List<String> unknown = new ArrayList<>();
    for (FileStatus f : files) {
      String fmt = formatOf(f.getPath().getName());
      if (fmt == null) {
        unknown.add(f.getPath().toString());
      } else {
        formats.add(fmt);
      }
    }
    if (!unknown.isEmpty()) {
      throw new CorpusJobException("cannot tell the input format of " + unknown.get(0)
          + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " other files)" : "")
          + " from its name; pass --input-format text, jsonl or parquet");
    }
    if (formats.size() > 1) {
      throw new CorpusJobException("the input files are of several formats (" + String.join(", ", formats)
          + "); give one format's files, or pass --input-format");
    }
    return formats.first();
  }

  /** Opens every file and reads its first bytes (through its compression codec), so that an unreadable file stops the job now. */
  private static void checkReadable(Configuration conf, List<FileStatus> files) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    byte[] one = new byte[1];
    for (FileStatus f : files) {
      try (InputStream in = open(conf, codecs, f.getPath())) {
        in.read(one);
      } catch (IOException | RuntimeException e) {
        throw new CorpusJobException("cannot read input file " + f.getPath() + ": " + e, e);
      }
    }
  }

  private static InputStream open(Configuration conf, CompressionCodecFactory codecs, Path p) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    InputStream in = fs.open(p);
    CompressionCodec codec = codecs.getCodec(p);
    return codec == null ? in : codec.createInputStream(in);
  }

  // ---- formats ----

  private static UserDefinedFunction decoder(CorpusFunctions.Mode mode) {
    // Non-deterministic: evaluated once per row, whatever the optimizer would like to inline.
    return udf(new CorpusFunctions.Decode(mode), CorpusFunctions.DECODED).asNondeterministic();
  }

  /** Adds TEXT and STATUS from a decoded struct column, keeping the columns listed. */
  private static Dataset<Row> decoded(Dataset<Row> in, List<String> keep, Column value, CorpusFunctions.Mode mode) {
    List<Column> first = new ArrayList<>();
    for (String c : keep) first.add(col(quote(c)));
    first.add(decoder(mode).apply(value.cast(DataTypes.BinaryType)).as(DECODED));
    List<Column> second = new ArrayList<>();
    for (String c : keep) second.add(col(quote(c)));
    second.add(col(DECODED + ".text").cast(DataTypes.StringType).as(TEXT));
    second.add(col(DECODED + ".status").as(STATUS));
    return in.select(first.toArray(new Column[0])).select(second.toArray(new Column[0]));
  }

  static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static CorpusInput text(SparkSession spark, JobOptions o, List<FileStatus> files, String[] paths) {
    if (!o.textColumn.equals("text")) {
      throw new CorpusJobException("text input has no columns; --text-column " + o.textColumn + " does not apply");
    }
    boolean whole = o.textDocument.equals("file");
    Dataset<Row> lines = spark.read().option("wholetext", whole).text(paths);
    Dataset<Row> docs = decoded(lines, List.of(), col("value"), CorpusFunctions.Mode.RAW);
    return new CorpusInput("text", whole ? "files" : "lines", files, List.of(), docs);
  }

  private static CorpusInput parquet(SparkSession spark, JobOptions o, List<FileStatus> files, String[] paths) {
    Dataset<Row> in;
    StructType schema;
    try {
      in = spark.read().parquet(paths);
      schema = in.schema();
    } catch (Exception e) { // Spark's own exceptions are checked ones, which Scala does not declare
      throw new CorpusJobException("cannot read the Parquet input: " + rootMessage(e), e);
    }
    StructField text = field(schema, o.textColumn);
    if (text == null) throw missingColumn(o.textColumn, schema);
    if (!(text.dataType() instanceof StringType) && !(text.dataType() instanceof BinaryType)) {
      throw new CorpusJobException("column '" + o.textColumn + "' is " + text.dataType().simpleString()
          + ", not a string");
    }
    List<String> others = new ArrayList<>();
    for (StructField f : schema.fields()) if (!f.name().equals(text.name())) others.add(f.name());
    Dataset<Row> docs = decoded(in, others, col(quote(text.name())), CorpusFunctions.Mode.RAW);
    return new CorpusInput("parquet", null, files, others, docs);
  }

  private static CorpusInput jsonl(SparkSession spark, JobOptions o, Configuration conf, List<FileStatus> files,
      String[] paths) {
    String layout = jsonLayout(conf, files);
    Dataset<Row> lines = spark.read().text(paths);
    if (layout.equals("strings")) {
      if (!o.textColumn.equals("text")) {
        throw new CorpusJobException("the JSON Lines input holds one JSON string per line (no fields); --text-column "
            + o.textColumn + " does not apply");
      }
      Dataset<Row> docs = decoded(lines, List.of(), col("value"), CorpusFunctions.Mode.JSON_STRING);
      return new CorpusInput("jsonl", layout, files, List.of(), docs);
    }
    // Objects: lines repaired (ill-formed UTF-8 counted), the schema inferred from them, then parsed.
    Dataset<Row> repaired = decoded(lines, List.of(), col("value"), CorpusFunctions.Mode.JSON_OBJECT)
        .withColumnRenamed(TEXT, LINE);
    StructType inferred;
    try {
      inferred = spark.read().option("mode", "PERMISSIVE")
          .json(repaired.where(col(STATUS).notEqual(lit(Documents.BLANK))).select(LINE).as(Encoders.STRING()))
          .schema();
    } catch (Exception e) {
      throw new CorpusJobException("cannot read the JSON Lines input: " + rootMessage(e), e);
    }
    String corruptName = spark.conf().get("spark.sql.columnNameOfCorruptRecord", "_corrupt_record");
    StructType schema = new StructType();
    for (StructField f : inferred.fields()) if (!f.name().equals(corruptName)) schema = schema.add(f);
    StructField text = field(schema, o.textColumn);
    if (text == null) throw missingColumn(o.textColumn, schema);
    if (!(text.dataType() instanceof StringType)) {
      throw new CorpusJobException("field '" + o.textColumn + "' of the JSON Lines input is "
          + text.dataType().simpleString() + ", not a string");
    }
    List<String> others = new ArrayList<>();
    for (StructField f : schema.fields()) if (!f.name().equals(text.name())) others.add(f.name());
    StructType withCorrupt = schema.add(CORRUPT, DataTypes.StringType, true);
    Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
    Dataset<Row> parsed = repaired.select(from_json(col(LINE), withCorrupt, options).as(PARSED), col(STATUS));
    Column j = col(PARSED);
    Column status = when(col(STATUS).equalTo(lit(Documents.BLANK)), lit(Documents.BLANK))
        .when(j.isNull().or(j.getField(CORRUPT).isNotNull()), lit(Documents.MALFORMED))
        .when(j.getField(text.name()).isNull(), lit(Documents.NULL))
        .otherwise(col(STATUS));
    List<Column> cols = new ArrayList<>();
    for (String c : others) cols.add(j.getField(c).as(c));
    cols.add(j.getField(text.name()).as(TEXT));
    cols.add(status.as(STATUS));
    Dataset<Row> docs = parsed.select(cols.toArray(new Column[0]));
    return new CorpusInput("jsonl", layout, files, others, docs);
  }

  /** "strings" or "objects", from the first non-blank line of the first file that has one. */
  static String jsonLayout(Configuration conf, List<FileStatus> files) {
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    for (FileStatus f : files) {
      try (InputStream in = open(conf, codecs, f.getPath())) {
        int c;
        boolean lineStart = true;
        int bom = 0;
        while ((c = in.read()) >= 0) {
          if (lineStart && bom < 3 && c == new int[] {0xEF, 0xBB, 0xBF}[bom]) {
            bom++;
            continue;
          }
          if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            lineStart = c == '\n';
            continue;
          }
          if (c == '"') return "strings";
          if (c == '{') return "objects";
          if (c == 'n') {
            // A null document: look at the next line.
            while ((c = in.read()) >= 0 && c != '\n') { }
            lineStart = true;
            continue;
          }
          throw new CorpusJobException("the first line of " + f.getPath() + " starts with '" + (char) c
              + "': a JSON Lines input needs one JSON object or one JSON string literal per line");
        }
      } catch (IOException e) {
        throw new CorpusJobException("cannot read input file " + f.getPath() + ": " + e, e);
      }
    }
    // Only blank lines: nothing to tell; read as strings (every line is counted as blank).
    return "strings";
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
    return null;
  }

  private static CorpusJobException missingColumn(String name, StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    return new CorpusJobException("the input has no column '" + name + "' (--text-column); its columns: "
        + (names.isEmpty() ? "none" : String.join(", ", names)));
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    String m = c.getMessage();
    String top = t.getMessage();
    if (c == t || m == null) return String.valueOf(top);
    return top + " (" + c.getClass().getSimpleName() + ": " + m + ")";
  }
}
