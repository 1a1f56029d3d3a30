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
import org.apache.hadoop.fs.LocalFileSystem;
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
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
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
  /** Lines read on the driver to check that the text field exists (and at most this many bytes). */
  static final int SAMPLE_LINES = 1000;
  private static final long SAMPLE_BYTES = 16 << 20;
  /**
   * Spark's JSON reader, for the lines {@link JsonObjectLine} accepted: it allows what that does
   * (raw control characters in strings) and needs no limits of its own (nesting and numbers are
   * checked there; strings, such as a long text, have none).
   */
  private static final Map<String, String> SPARK_JSON = Map.of("allowUnquotedControlChars", "true",
      "maxNestingDepth", String.valueOf(Integer.MAX_VALUE), "maxNumLen", String.valueOf(Integer.MAX_VALUE),
      "maxStringLen", String.valueOf(Integer.MAX_VALUE));

  /** text, jsonl or parquet. */
  final String format;
  /** For jsonl: "objects" or "strings"; for text: "lines" or "files"; null for parquet. */
  final String layout;
  final List<FileStatus> files;
  final long fileBytes;
  /** Columns of the input other than the text column, in order (parquet output keeps them). */
  final List<String> otherColumns;
  /** JSON fields that parquet output does not keep (see {@link #keepable}), as dotted paths. */
  final List<String> droppedFields;
  final Dataset<Row> documents;

  private CorpusInput(String format, String layout, List<FileStatus> files, List<String> otherColumns,
      List<String> droppedFields, Dataset<Row> documents) {
    this.format = format;
    this.layout = layout;
    this.files = files;
    long b = 0;
    for (FileStatus f : files) b += f.getLen();
    this.fileBytes = b;
    this.otherColumns = otherColumns;
    this.droppedFields = droppedFields;
    this.documents = documents;
  }

  /**
   * Lists and checks the input and builds the documents; every problem is a {@link CorpusJobException}.
   *
   * @param stats where each task notes its first row (see {@link CorpusStats#taskNanos}), or null
   */
  static CorpusInput open(SparkSession spark, JobOptions o, CorpusStatsAccumulator stats) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<FileStatus> files = list(conf, o.inputs);
    String format = o.inputFormat != null ? o.inputFormat : formatFromExtensions(files);
    if (!format.equals("parquet")) checkReadable(conf, files);
    String[] paths = new String[files.size()];
    for (int i = 0; i < paths.length; i++) paths[i] = files.get(i).getPath().toString();
    switch (format) {
      case "text":
        return text(spark, o, files, paths, stats);
      case "jsonl":
        return jsonl(spark, o, conf, files, paths, stats);
      case "parquet":
        return parquet(spark, o, files, paths, stats);
      default:
        throw new CorpusJobException("unknown input format '" + format + "'");
    }
  }

  /**
   * Checks, before Spark starts, that the inputs on the local file system exist (others are
   * listed once Spark runs). conf: the Hadoop configuration of the session to be.
   */
  static void checkLocalInputs(Configuration conf, List<String> inputs) {
    List<String> local = new ArrayList<>();
    for (String input : inputs) {
      try {
        if (new Path(input).getFileSystem(conf) instanceof LocalFileSystem) local.add(input);
      } catch (IOException | RuntimeException e) {
        // A file system this process cannot reach yet (its classes come with Spark): listed later.
      }
    }
    if (!local.isEmpty()) list(conf, local);
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

  /** Adds TEXT, STATUS and LINE (JSON objects) from a decoded struct column, keeping the columns listed. */
  private static Dataset<Row> decoded(Dataset<Row> in, List<String> keep, Column value,
      CorpusFunctions.Decode decode) {
    List<Column> first = new ArrayList<>();
    for (String c : keep) first.add(col(quote(c)));
    // Non-deterministic: evaluated once per row, whatever the optimizer would like to inline.
    UserDefinedFunction decoder = udf(decode, CorpusFunctions.DECODED).asNondeterministic();
    first.add(decoder.apply(value.cast(DataTypes.BinaryType)).as(DECODED));
    List<Column> second = new ArrayList<>();
    for (String c : keep) second.add(col(quote(c)));
    second.add(col(DECODED + ".text").cast(DataTypes.StringType).as(TEXT));
    second.add(col(DECODED + ".status").as(STATUS));
    second.add(col(DECODED + ".line").cast(DataTypes.StringType).as(LINE));
    return in.select(first.toArray(new Column[0])).select(second.toArray(new Column[0]));
  }

  private static Dataset<Row> withoutLine(Dataset<Row> docs) {
    return docs.drop(LINE);
  }

  static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static CorpusInput text(SparkSession spark, JobOptions o, List<FileStatus> files, String[] paths,
      CorpusStatsAccumulator stats) {
    if (!o.textColumn.equals("text")) {
      throw new CorpusJobException("text input has no columns; --text-column " + o.textColumn + " does not apply");
    }
    boolean whole = o.textDocument.equals("file");
    Dataset<Row> lines = spark.read().option("wholetext", whole).text(paths);
    Dataset<Row> docs = decoded(lines, List.of(), col("value"), raw(stats));
    return new CorpusInput("text", whole ? "files" : "lines", files, List.of(), List.of(), withoutLine(docs));
  }

  private static CorpusInput parquet(SparkSession spark, JobOptions o, List<FileStatus> files, String[] paths,
      CorpusStatsAccumulator stats) {
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
    Dataset<Row> docs = decoded(in, others, col(quote(text.name())), raw(stats));
    return new CorpusInput("parquet", null, files, others, List.of(), withoutLine(docs));
  }

  private static CorpusFunctions.Decode raw(CorpusStatsAccumulator stats) {
    return new CorpusFunctions.Decode(CorpusFunctions.Mode.RAW, stats, null, false);
  }

  private static CorpusInput jsonl(SparkSession spark, JobOptions o, Configuration conf, List<FileStatus> files,
      String[] paths, CorpusStatsAccumulator stats) {
    String layout = jsonLayout(conf, files);
    Dataset<Row> lines = spark.read().text(paths);
    if (layout.equals("strings")) {
      if (!o.textColumn.equals("text")) {
        throw new CorpusJobException("the JSON Lines input holds one JSON string per line (no fields); --text-column "
            + o.textColumn + " does not apply");
      }
      Dataset<Row> docs = decoded(lines, List.of(), col("value"),
          new CorpusFunctions.Decode(CorpusFunctions.Mode.JSON_STRING, stats, null, false));
      return new CorpusInput("jsonl", layout, files, List.of(), List.of(), withoutLine(docs));
    }
    // Objects: every line judged on its own by JsonObjectLine, so that no line can stop the job.
    checkTextField(conf, files, o.textColumn);
    boolean keepFields = o.outputFormat == OutputFormat.PARQUET;
    Dataset<Row> read = decoded(lines, List.of(), col("value"),
        new CorpusFunctions.Decode(CorpusFunctions.Mode.JSON_OBJECT, stats, o.textColumn, keepFields));
    if (!keepFields) return new CorpusInput("jsonl", layout, files, List.of(), List.of(), withoutLine(read));

    // Parquet output keeps the other fields, typed as Spark infers them from the documents' lines.
    StructType inferred;
    try {
      inferred = spark.read().options(SPARK_JSON)
          .json(read.where(col(LINE).isNotNull()).select(LINE).as(Encoders.STRING())).schema();
    } catch (Exception e) { // Spark's own exceptions are checked ones, which Scala does not declare
      throw new CorpusJobException("cannot read the JSON Lines input: " + rootMessage(e), e);
    }
    String corruptName = spark.conf().get("spark.sql.columnNameOfCorruptRecord", "_corrupt_record");
    StructType fields = new StructType();
    for (StructField f : inferred.fields()) if (!f.name().equals(corruptName)) fields = fields.add(f);
    List<String> dropped = new ArrayList<>();
    StructType schema = keepable(fields, o.textColumn, dropped);
    List<String> others = Arrays.asList(schema.fieldNames());
    Map<String, String> options = new java.util.HashMap<>(SPARK_JSON);
    options.put("mode", "PERMISSIVE");
    options.put("columnNameOfCorruptRecord", CORRUPT);
    StructType withCorrupt = schema.add(CORRUPT, DataTypes.StringType, true);
    Dataset<Row> parsed = read.select(from_json(col(LINE), withCorrupt, options).as(PARSED), col(TEXT), col(STATUS),
        col(LINE));
    Column j = col(PARSED);
    // Spark's reader takes what JsonObjectLine accepts; should it not, the line is malformed, not fatal.
    Column status = when(col(LINE).isNotNull().and(j.isNull().or(j.getField(CORRUPT).isNotNull())),
        lit(Documents.MALFORMED)).otherwise(col(STATUS));
    List<Column> cols = new ArrayList<>();
    for (String c : others) cols.add(j.getField(c).as(c));
    cols.add(col(TEXT));
    cols.add(status.as(STATUS));
    Dataset<Row> docs = parsed.select(cols.toArray(new Column[0]));
    return new CorpusInput("jsonl", layout, files, others, dropped, docs);
  }

  /**
   * The fields parquet output keeps: those inferred, less (listed in dropped) the text field's name
   * in another case and the output's own columns ({@code tokens}, {@code n_tokens}, in any case) at
   * the top, and at any depth the names that differ only in case from another in the same object
   * (Spark matches names ignoring case: such columns would be ambiguous) and the objects left empty.
   * The text field itself is not kept.
   */
  static StructType keepable(StructType fields, String textColumn, List<String> dropped) {
    java.util.Set<String> reserved = java.util.Set.of(lower(textColumn), "tokens", "n_tokens");
    StructType top = new StructType();
    for (StructField f : fields.fields()) {
      if (f.name().equals(textColumn)) continue;
      if (reserved.contains(lower(f.name()))) {
        dropped.add(f.name());
      } else {
        top = top.add(f);
      }
    }
    return (StructType) keepableType(top, "", dropped);
  }

  private static DataType keepableType(DataType type, String path, List<String> dropped) {
    if (type instanceof ArrayType) {
      ArrayType a = (ArrayType) type;
      DataType e = keepableType(a.elementType(), path, dropped);
      return e == null ? null : DataTypes.createArrayType(e, a.containsNull());
    }
    if (!(type instanceof StructType)) return type;
    StructType s = (StructType) type;
    Map<String, Integer> spellings = new java.util.HashMap<>();
    for (StructField f : s.fields()) spellings.merge(lower(f.name()), 1, Integer::sum);
    StructType kept = new StructType();
    for (StructField f : s.fields()) {
      String name = path + f.name();
      boolean ambiguous = spellings.get(lower(f.name())) > 1;
      DataType t = ambiguous ? null : keepableType(f.dataType(), name + ".", dropped);
      if (t == null) {
        dropped.add(name);
      } else {
        kept = kept.add(f.name(), t, f.nullable());
      }
    }
    return kept.fields().length == 0 && s.fields().length > 0 ? null : kept;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * Stops the job now when the text field is in none of the input's first JSON objects (a wrong
   * --text-column), naming the fields they have. Lines that are not JSON objects do not count.
   */
  private static void checkTextField(Configuration conf, List<FileStatus> files, String textColumn) {
    int objects = 0;
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    for (byte[] line : firstLines(conf, files)) {
      JsonObjectLine p = new JsonObjectLine(line, textColumn);
      int status = p.parse();
      if (status != Documents.OK && status != Documents.NULL && status != Documents.NOT_STRING) continue;
      if (p.hasTextField()) return;
      objects++;
      seen.addAll(p.keys);
    }
    if (objects == 0) return;
    throw new CorpusJobException("the input has no field '" + textColumn + "' (--text-column) in its first "
        + Format.plural(objects, "JSON object") + "; " + (objects == 1 ? "its" : "their") + " fields: "
        + (seen.isEmpty() ? "none" : String.join(", ", seen)));
  }

  /** The first {@link #SAMPLE_LINES} lines of the files, in order, within {@link #SAMPLE_BYTES}. */
  private static List<byte[]> firstLines(Configuration conf, List<FileStatus> files) {
    List<byte[]> lines = new ArrayList<>();
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    long budget = SAMPLE_BYTES;
    for (FileStatus f : files) {
      try (InputStream in = new java.io.BufferedInputStream(open(conf, codecs, f.getPath()), 1 << 16)) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
          if (--budget < 0) return lines;
          if (c != '\n') {
            line.write(c);
            continue;
          }
          lines.add(line.toByteArray());
          line.reset();
          if (lines.size() == SAMPLE_LINES) return lines;
        }
        if (line.size() > 0) lines.add(line.toByteArray());
      } catch (IOException e) {
        throw new CorpusJobException("cannot read input file " + f.getPath() + ": " + e, e);
      }
    }
    return lines;
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
