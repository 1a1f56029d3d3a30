package dev.fasttok.corpus;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.fasttok.Encoding;
import dev.fasttok.spark.FasttokVocabularies;
import dev.fasttok.spark.TokenFunctions;
import dev.fasttok.spark.ml.FasttokTokenizer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The corpus job: reads a corpus, tokenizes every document with the connector's
 * {@code encode_tokens}, writes Parquet or token files through Spark's commit protocol, and
 * writes {@code summary.json} and {@code report.html} next to the data. Everything that can be
 * checked (encoding, vocabulary, end-of-text token, input files and columns, output directory)
 * is checked before the first document is read.
 */
public final class CorpusJob {
  private static final String TOKENS = "__fasttok_tokens";
  private static final String COUNT = "__fasttok_count";
  /** Whether a document is in the validation part (--val-fraction). */
  static final String VALIDATION = "__fasttok_validation";
  /** Parquet with --val-fraction: the column Spark's partitioned write names its directories by. */
  private static final String PART = "fasttok_part";
  /** The name of the job's accumulator in Spark's UI. */
  static final String ACCUMULATOR_NAME = "fasttok corpus";

  private final SparkSession spark;
  private final SparkContext sc;
  private final JobOptions o;
  private final PrintStream console;
  private final CorpusFunctions.RowCheck rowCheck;
  private final JobSummary summary = new JobSummary();
  private final CorpusStatsAccumulator stats = new CorpusStatsAccumulator();

  // Set by the steps of run(), in order.
  private String encodingName;
  private Encoding encoding;
  private boolean eos;
  private int eosId = -1;
  private int tokenBytes;
  private Path out;
  private FileSystem fs;
  /** Where this run writes: out itself, or when out is replaced, a new directory beside it (see replace). */
  private Path work;
  private CorpusInput input;
  private int partitions;

  private CorpusJob(SparkSession spark, JobOptions o, PrintStream console, CorpusFunctions.RowCheck rowCheck) {
    this.spark = spark;
    this.sc = spark.sparkContext();
    this.o = o;
    this.console = console;
    this.rowCheck = rowCheck;
  }

  /**
   * Runs the job in the session.
   *
   * @param console where progress lines go (null: none)
   * @throws CorpusJobException if the job cannot run or fails, with a message naming the problem
   */
  public static JobSummary run(SparkSession spark, JobOptions o, PrintStream console) {
    return run(spark, o, console, null);
  }

  /** As {@link #run(SparkSession, JobOptions, PrintStream)}, with rowCheck called on every row in the tasks. */
  static JobSummary run(SparkSession spark, JobOptions o, PrintStream console, CorpusFunctions.RowCheck rowCheck) {
    o.validate();
    return new CorpusJob(spark, o, console, rowCheck).run();
  }

  private JobSummary run() {
    long t0 = System.nanoTime();
    summary.started = Instant.now().toString();
    resolveEncoding();
    resolveOutput();
    openInput();
    createWorkDirectory();
    Plan plan = plan();
    long w0 = System.nanoTime();
    write(plan);
    long w1 = System.nanoTime();
    summarize();
    verify();
    summary.prepareSeconds = (w0 - t0) / 1e9;
    summary.writeSeconds = (w1 - w0) / 1e9;
    summary.wallSeconds = (System.nanoTime() - t0) / 1e9;
    summary.finished = Instant.now().toString();
    publish();
    return summary;
  }

  /** The tokenizer: a built-in encoding, a session vocabulary or the --vocabulary file (read now, broadcast). */
  private void resolveEncoding() {
    encodingName = o.encoding;
    if (o.vocabulary != null) encodingName = FasttokVocabularies.register(spark, o.vocabulary, o.encoding);
    try {
      encoding = FasttokVocabularies.encoding(spark, encodingName);
    } catch (IllegalArgumentException e) {
      throw new CorpusJobException(e.getMessage(), e);
    }
    eos = o.appendEos();
    if (eos || o.packed() && o.padLast) {
      Integer id = encoding.specialTokens().get(o.eosToken);
      if (id == null) {
        throw new CorpusJobException("encoding " + encodingName + " has no special token '" + o.eosToken
            + "' to end documents with" + (encoding.specialTokens().isEmpty() ? " (it has no special tokens)"
            : " (it has " + String.join(", ", encoding.specialTokens().keySet()) + ")")
            + "; name one with --eos-token" + (eos ? ", or pass --no-eos" : ""));
      }
      eosId = id;
    }
    tokenBytes = o.outputFormat.tokenBytes(encoding.vocabularySize());
  }

  /** The output directory; one that is replaced stays until the new output is complete (see replace). */
  private void resolveOutput() {
    try {
      out = new Path(o.output);
      fs = out.getFileSystem(sc.hadoopConfiguration());
      out = fs.makeQualified(out);
      boolean exists = fs.exists(out);
      if (exists && !o.overwrite) {
        throw new CorpusJobException("output directory " + out + " exists; pass --overwrite to replace it");
      }
      if (exists && out.getParent() == null) throw new CorpusJobException("cannot replace " + out);
      work = exists ? sibling(out, "new") : out;
    } catch (IOException | IllegalArgumentException e) {
      throw new CorpusJobException("cannot use output directory " + o.output + ": " + e.getMessage(), e);
    }
  }

  /** The input, listed and checked against the output. */
  private void openInput() {
    sc.register(stats, ACCUMULATOR_NAME);
    input = CorpusInput.open(spark, o, stats);
    String outPrefix = out.toString().endsWith("/") ? out.toString() : out + "/";
    for (FileStatus f : input.files) {
      String p = f.getPath().toString();
      if (p.startsWith(outPrefix) || p.equals(out.toString())) {
        throw new CorpusJobException("input file " + p + " is inside the output directory " + out);
      }
    }
    if (o.outputFormat == OutputFormat.PARQUET) {
      // Spark matches column names ignoring case. (JSON fields that would clash are not kept: see CorpusInput.)
      List<String> ours = new ArrayList<>(List.of("tokens", "n_tokens"));
      if (o.keepText) ours.add(o.textColumn);
      if (o.split()) ours.add(PART);
      for (String c : input.otherColumns) {
        for (String added : ours) {
          if (c.equalsIgnoreCase(added)) {
            throw new CorpusJobException("the input already has a column '" + c
                + "', which the parquet output adds");
          }
        }
      }
    }
  }

  /** From here on the output (or, when one is replaced, the new one beside it) is ours. */
  private void createWorkDirectory() {
    try {
      if (!fs.mkdirs(work)) throw new IOException("cannot create " + work);
    } catch (IOException e) {
      throw new CorpusJobException("cannot prepare output directory " + work + ": " + e.getMessage(), e);
    }
  }

  /** The columns every format selects from the documents. */
  private static final class Plan {
    /** The input's other columns. */
    final List<Column> others;
    /** Step 1: the other columns, text, status and the tokens (the connector's encode_tokens, as in SQL). */
    final List<Column> tokenized;
    /** Step 2: the token count, each row counted into the job's accumulator on the way. */
    final Column counted;

    Plan(List<Column> others, List<Column> tokenized, Column counted) {
      this.others = others;
      this.tokenized = tokenized;
      this.counted = counted;
    }
  }

  private Plan plan() {
    UserDefinedFunction count = udf(new CorpusFunctions.Count(stats, rowCheck), DataTypes.IntegerType)
        .asNondeterministic();
    Column text = col(CorpusInput.TEXT);
    Column status = col(CorpusInput.STATUS);
    List<Column> others = new ArrayList<>();
    for (String c : input.otherColumns) others.add(col(CorpusInput.quote(c)));
    List<Column> tokenized = new ArrayList<>(others);
    tokenized.add(text);
    tokenized.add(status);
    tokenized.add(TokenFunctions.encodeTokens(text, encodingName).as(TOKENS));
    tokenized.add(validation(text, o).as(VALIDATION));
    Column counted = count.apply(status, call_function("octet_length", text), size(col(TOKENS)), col(VALIDATION))
        .as(COUNT);
    return new Plan(others, tokenized, counted);
  }

  /**
   * Whether a document goes to the validation part: the top 53 bits of Spark's {@code xxhash64}
   * of the seed and the text, as a fraction of 2^53, below --val-fraction. It depends on nothing
   * but the seed and the text, so it is the same however the input is partitioned or ordered, and
   * equal texts never straddle the split.
   */
  static Column validation(Column text, JobOptions o) {
    if (!o.split()) return lit(false);
    long threshold = (long) (o.valFraction * (double) (1L << 53));
    return shiftrightunsigned(xxhash64(lit(o.seed), text), 11).lt(lit(threshold));
  }

  /** Runs the Spark job that writes data/; on failure, removes what this run wrote. */
  private void write(Plan plan) {
    sc.setJobDescription("fasttok: tokenize " + String.join(", ", o.inputs) + " -> " + o.outputFormat);
    ProgressReporter progress = console != null && o.progressSeconds > 0
        ? new ProgressReporter(sc, stats.id(), console, o.progressSeconds) : null;
    try {
      partitions = o.outputFormat.tokenFiles() ? writeTokenFiles(plan) : o.packed() ? writePacked(plan) : writeParquet(plan);
    } catch (Exception e) { // Spark's own exceptions are checked ones, which Scala does not declare
      if (progress != null) progress.close();
      deleteQuietly(fs, work);
      throw new CorpusJobException("the corpus job failed: " + CorpusInput.rootMessage(e)
          + (work.equals(out) ? "" : "; " + out + " is as it was"), e);
    } finally {
      sc.setJobDescription(null);
    }
    if (progress != null) progress.close();
  }

  /** Rows of the other columns (and the text, with --keep-text), tokens and n_tokens; returns the partitions. */
  private int writeParquet(Plan plan) throws IOException {
    Column status = col(CorpusInput.STATUS);
    List<Column> s2 = new ArrayList<>(plan.others);
    if (o.keepText) s2.add(col(CorpusInput.TEXT).as(o.textColumn));
    s2.add(status);
    s2.add(col(TOKENS));
    s2.add(plan.counted);
    Column tokens = col(TOKENS);
    Column n = col(COUNT);
    if (eos) {
      // NULL and empty documents stay as they are: no end-of-text token without a document.
      tokens = when(size(tokens).gt(0), FasttokTokenizer.appendEndOfText(tokens, eosId)).otherwise(tokens);
      n = when(n.gt(0), n.plus(1)).otherwise(n);
    }
    s2.add(col(VALIDATION));
    List<Column> s3 = new ArrayList<>(plan.others);
    if (o.keepText) s3.add(col(CorpusInput.quote(o.textColumn)));
    s3.add(tokens.as("tokens"));
    s3.add(n.as("n_tokens"));
    s3.add(col(VALIDATION));
    Dataset<Row> result = input.documents.select(plan.tokenized.toArray(new Column[0]))
        .select(s2.toArray(new Column[0]))
        .where(status.lt(lit(Documents.MALFORMED))).select(s3.toArray(new Column[0]));
    writeRows(result);
    return result.rdd().getNumPartitions();
  }

  /**
   * Packed rows (--pack): the documents sorted by the hash of their text (then the text, so that
   * only equal texts tie): an order that no partitioning of the input changes, which also mixes
   * the sources. Tokenized once, cached for the two passes of {@link Packing}.
   */
  private int writePacked(Plan plan) throws IOException {
    Column text = col(CorpusInput.TEXT);
    Column ids = col(TOKENS);
    if (eos) ids = FasttokTokenizer.appendEndOfText(ids, eosId);
    // As many sorted partitions as the input has (spark.sql.shuffle.partitions is no measure of the input's size).
    int partitions = Math.max(1, input.documents.rdd().getNumPartitions());
    Column hash = xxhash64(lit(o.seed), text);
    Dataset<Row> docs = input.documents.repartitionByRange(partitions, hash, text).sortWithinPartitions(hash, text)
        .select(plan.tokenized.toArray(new Column[0]))
        .select(col(TOKENS), col(VALIDATION), plan.counted)
        .where(col(COUNT).gt(0))
        .select(spark_partition_id().as(Packing.PARTITION), col(VALIDATION), ids.as(Packing.IDS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long[][] firsts = Packing.firstTokens(docs);
      writeRows(Packing.rows(docs, firsts, o.pack, o.padLast ? eosId : -1));
      return firsts.length;
    } finally {
      docs.unpersist();
    }
  }

  /**
   * Writes rows as Parquet into data/, or with --val-fraction into data/train/ and
   * data/validation/ by their VALIDATION column (which is not written).
   */
  private void writeRows(Dataset<Row> rows) throws IOException {
    for (String c : rows.columns()) if (!c.equals(VALIDATION)) summary.columns.add(c);
    Path data = new Path(work, "data");
    // With a split, Spark's partitioned write puts each part in a directory PART=name, renamed to name below.
    Dataset<Row> written = o.split()
        ? rows.withColumn(PART, when(col(VALIDATION), lit(Part.VALIDATION)).otherwise(lit(Part.TRAIN))).drop(VALIDATION)
        : rows.drop(VALIDATION);
    DataFrameWriter<Row> writer = written.write().mode(SaveMode.ErrorIfExists)
        .option("mapreduce.fileoutputcommitter.algorithm.version", "1");
    if (o.split()) writer = writer.partitionBy(PART);
    writer.parquet(data.toString());
    if (!o.split()) return;
    for (String part : Part.NAMES) {
      Path from = new Path(data, PART + "=" + part);
      Path named = new Path(data, part);
      if (fs.exists(from) ? !fs.rename(from, named) : !fs.mkdirs(named)) {
        throw new IOException("cannot make " + named);
      }
    }
  }

  /** Token files through {@link TokenShardOutputFormat}; returns the partitions. */
  private int writeTokenFiles(Plan plan) throws IOException {
    // Rows (tokens, count): the count keeps the counting function alive; the writer skips rows without tokens.
    Dataset<Row> result = input.documents.select(plan.tokenized.toArray(new Column[0]))
        .select(col(TOKENS), plan.counted, col(VALIDATION));
    JavaRDD<InternalRow> rows = result.queryExecution().toRdd().toJavaRDD();
    Job job = Job.getInstance(new Configuration(sc.hadoopConfiguration()));
    job.setOutputFormatClass(TokenShardOutputFormat.class);
    job.setOutputKeyClass(NullWritable.class);
    job.setOutputValueClass(InternalRow.class);
    FileOutputFormat.setOutputPath(job, new Path(work, "data"));
    Configuration c = job.getConfiguration();
    c.set(TokenShardOutputFormat.FORMAT, o.outputFormat.toString());
    c.setInt(TokenShardOutputFormat.TOKEN_BYTES, tokenBytes);
    c.setInt(TokenShardOutputFormat.EOS_ID, eosId);
    c.setBoolean(TokenShardOutputFormat.SPLIT, o.split());
    c.set("mapreduce.fileoutputcommitter.algorithm.version", "1");
    rows.mapToPair(r -> new Tuple2<>(NullWritable.get(), r)).saveAsNewAPIHadoopDataset(c);
    return rows.getNumPartitions();
  }

  /** The summary's counts and settings, from the accumulator and the resolved options. */
  private void summarize() {
    CorpusStats counts = stats.value().copy();
    summary.stats = counts;
    summary.inputs.addAll(o.inputs);
    summary.inputFormat = input.format;
    summary.inputLayout = input.layout;
    summary.textColumn = input.layout == null || input.layout.equals("objects") ? o.textColumn : null;
    summary.inputFiles = input.files.size();
    summary.inputFileBytes = input.fileBytes;
    summary.droppedFields.addAll(input.droppedFields);
    summary.output = out.toString();
    summary.dataDirectory = new Path(out, "data").toString();
    summary.outputFormat = o.outputFormat.toString();
    summary.encoding = o.vocabulary != null ? "custom (" + o.vocabulary + ")" : encodingName;
    summary.vocabulary = o.vocabulary;
    summary.vocabularySize = encoding.vocabularySize();
    summary.eos = eos;
    summary.eosToken = o.eosToken;
    summary.eosId = eosId;
    summary.partitions = partitions;
    summary.sparkVersion = spark.version();
    summary.sparkMaster = sc.master();
    summary.applicationId = sc.applicationId();
    summary.fasttokVersion = version();
    summary.documentsWritten = o.outputFormat.tokenFiles() ? counts.tokenized : counts.documents;
    summary.eosTokens = eos ? counts.tokenized : 0;
    summary.tokensWritten = counts.tokens + summary.eosTokens;
    summary.tokenType = o.outputFormat.tokenType(tokenBytes);
    summary.seed = o.seed;
    if (o.split()) {
      summary.valFraction = o.valFraction;
      for (String name : Part.NAMES) {
        boolean v = name.equals(Part.VALIDATION);
        long docs = v ? counts.validationDocuments : counts.documents - counts.validationDocuments;
        long tokenized = v ? counts.validationTokenized : counts.tokenized - counts.validationTokenized;
        long tokens = (v ? counts.validationTokens : counts.tokens - counts.validationTokens) + (eos ? tokenized : 0);
        long sequences = o.packed() ? sequences(tokens) : 0;
        summary.parts.add(new JobSummary.Part(name, new Path(summary.dataDirectory, name).toString(),
            o.outputFormat.tokenFiles() || o.packed() ? tokenized : docs, tokenized,
            o.packed() ? sequences * o.pack : tokens, docs - tokenized, sequences));
      }
    }
    if (o.packed()) {
      summary.packLength = o.pack;
      summary.padLast = o.padLast;
      summary.documentsWritten = counts.tokenized;
      // Each part is packed on its own, with its own last row.
      long stream = summary.tokensWritten;
      long rows = 0;
      for (JobSummary.Part p : summary.parts) rows += p.sequences;
      summary.sequences = o.split() ? rows : sequences(stream);
      summary.tokensWritten = summary.sequences * o.pack;
      summary.paddingTokens = summary.tokensWritten - stream;
    }
  }

  /** --pack: the rows a stream of this many tokens fills (the last, short one padded or dropped). */
  private long sequences(long tokens) {
    return tokens / o.pack + (o.padLast && tokens % o.pack != 0 ? 1 : 0);
  }

  /** What was written, checked against what was counted. */
  private void verify() {
    Path data = new Path(work, "data");
    String problem = null;
    CorpusStats s = summary.stats;
    try {
      if (!o.split()) {
        problem = o.packed() ? checkOutput(data, "", summary.sequences, summary.tokensWritten, summary.tokensWritten)
            : checkOutput(data, "", summary.documentsWritten, summary.tokensWritten,
                summary.tokensWritten + s.nullDocuments + s.emptyDocuments);
      }
      for (JobSummary.Part p : summary.parts) {
        if (problem != null) break;
        problem = o.packed()
            ? checkOutput(new Path(data, p.name), p.name + "/", p.sequences, p.tokensWritten, p.tokensWritten)
            : checkOutput(new Path(data, p.name), p.name + "/", p.documentsWritten, p.tokensWritten,
                p.tokensWritten + p.withoutTokens);
        if (problem != null) problem = p.name + ": " + problem;
      }
    } catch (IOException e) {
      throw new CorpusJobException("cannot list the output in " + data + ": " + e.getMessage(), e);
    }
    if (problem != null) {
      if (!work.equals(out)) deleteQuietly(fs, work);
      throw new CorpusJobException(problem + (work.equals(out)
          ? "; the output in " + data + " is not to be trusted" : "; " + out + " is as it was"));
    }
  }

  /** summary.json and report.html beside data/, then the new output in the old one's place. */
  private void publish() {
    summary.summaryFile = new Path(out, "summary.json").toString();
    summary.reportFile = new Path(out, "report.html").toString();
    try {
      write(fs, new Path(work, "summary.json"), summary.toJson());
      write(fs, new Path(work, "report.html"), HtmlReport.render(summary));
    } catch (IOException e) {
      if (!work.equals(out)) deleteQuietly(fs, work);
      throw new CorpusJobException("cannot write the summary into " + work + ": " + e.getMessage(), e);
    }
    if (!work.equals(out)) replace(fs, out, work);
  }

  /** A hidden directory beside dir (Spark and Hadoop skip names starting with a dot), unique to this run. */
  private static Path sibling(Path dir, String what) {
    String name = "." + dir.getName() + ".fasttok-" + what + "-" + java.util.UUID.randomUUID();
    return new Path(dir.getParent(), name);
  }

  /**
   * Puts the complete new output in place of the old one: the old moved aside, the new renamed to
   * its name, the old deleted. If the new cannot take its place, the old is put back.
   */
  private static void replace(FileSystem fs, Path out, Path work) {
    Path old = sibling(out, "old");
    try {
      if (!fs.rename(out, old)) throw new IOException("cannot rename " + out + " to " + old);
      if (!fs.rename(work, out)) {
        fs.rename(old, out);
        throw new IOException("cannot rename " + work + " to " + out);
      }
    } catch (IOException e) {
      deleteQuietly(fs, work);
      throw new CorpusJobException("cannot replace " + out + " with the new output: " + e.getMessage(), e);
    }
    deleteQuietly(fs, old);
  }

  /**
   * Lists the data files of one directory into the summary (their names after {@code prefix}) and
   * checks them against the counts (for parquet, documentsWritten is the rows expected): the documents and token ids in token files (from their headers
   * and sizes), the rows and list values of Parquet files (from their footers; Parquet counts a
   * value for each id, and one for each NULL or empty list). Returns what does not add up, or null.
   */
  private String checkOutput(Path data, String prefix, long documentsWritten, long tokensWritten,
      long parquetValues) throws IOException {
    OutputFormat format = o.outputFormat;
    FileStatus[] listed = fs.listStatus(data);
    Arrays.sort(listed, Comparator.comparing(f -> f.getPath().getName()));
    long tokens = 0;
    long documents = 0;
    long rows = 0;
    long values = 0;
    Configuration conf = sc.hadoopConfiguration();
    for (FileStatus f : listed) {
      String name = f.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".") || f.isDirectory()) continue;
      long docs = -1;
      long n = -1;
      if (format == OutputFormat.MEGATRON && name.endsWith(".idx")) {
        docs = readLong(fs, f.getPath(), 18); // after the magic (9), the version (8) and the dtype code (1)
        documents += docs;
      } else if (format == OutputFormat.MEGATRON && name.endsWith(".bin")) {
        n = f.getLen() / tokenBytes;
        tokens += n;
      } else if (format == OutputFormat.NANOGPT) {
        n = readInt(fs, f.getPath(), 8);
        tokens += n;
      } else if (format == OutputFormat.PARQUET && name.endsWith(".parquet")) {
        // Parquet counts a value for each id of the tokens column, and one for each NULL or empty list.
        long fileRows = 0;
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
          for (BlockMetaData block : r.getFooter().getBlocks()) {
            fileRows += block.getRowCount();
            for (ColumnChunkMetaData c : block.getColumns()) {
              if (c.getPath().toArray()[0].equals("tokens")) values += c.getValueCount();
            }
          }
        }
        docs = fileRows;
        rows += fileRows;
      }
      summary.files.add(new JobSummary.OutputFile(prefix + name, f.getLen(), docs, n));
    }
    switch (format) {
      case PARQUET:
        if (rows != documentsWritten) {
          return "the output holds " + rows + " rows, but " + documentsWritten + " were expected";
        }
        if (values != parquetValues) {
          return "the output's tokens column holds " + values + " values, but " + parquetValues + " were expected";
        }
        return null;
      case MEGATRON:
        if (documents != documentsWritten) {
          return "the output holds " + documents + " documents, but " + documentsWritten + " were counted";
        }
        return tokens != tokensWritten
            ? "the output holds " + tokens + " tokens, but " + tokensWritten + " were counted" : null;
      default:
        return tokens != tokensWritten
            ? "the output holds " + tokens + " tokens, but " + tokensWritten + " were counted" : null;
    }
  }

  private static long readLong(FileSystem fs, Path p, int offset) throws IOException {
    byte[] b = readBytes(fs, p, offset + 8);
    return ByteBuffer.wrap(b, offset, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static int readInt(FileSystem fs, Path p, int offset) throws IOException {
    byte[] b = readBytes(fs, p, offset + 4);
    return ByteBuffer.wrap(b, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private static byte[] readBytes(FileSystem fs, Path p, int n) throws IOException {
    byte[] b = new byte[n];
    try (InputStream in = fs.open(p)) {
      new DataInputStream(in).readFully(b);
    }
    return b;
  }

  private static void write(FileSystem fs, Path p, String content) throws IOException {
    try (OutputStream o = TokenShardOutputFormat.withoutChecksums(fs).create(p, true)) {
      o.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void deleteQuietly(FileSystem fs, Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException | RuntimeException e) {
      // The original failure matters more.
    }
  }

  /** fasttok's version, from the properties file the build writes; null if absent. */
  static String version() {
    try (java.io.InputStream in = CorpusJob.class.getResourceAsStream("version.properties")) {
      if (in == null) return null;
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
