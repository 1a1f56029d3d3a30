package dev.fasttok.corpus;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Writes token files for trainers, one set per task (partition), through Hadoop's
 * {@link FileOutputCommitter} as Spark drives it ({@code saveAsNewAPIHadoopDataset}): each task
 * attempt writes into its own work directory, and only the attempt Spark's commit coordinator
 * lets commit is moved into the output, so a failed, killed or speculative attempt leaves no
 * partial or duplicate file. A task with no documents writes nothing.
 *
 * <p>Rows are (token ids {@code ARRAY<INT>}, their count {@code INT}, whether the document is
 * in the validation part {@code BOOLEAN}) of one document each; rows whose count is NULL or 0 (NULL
 * or empty documents) are skipped; the end-of-text id is appended to each document if configured.
 * With {@link #SPLIT}, a task writes its files into {@code train/} and {@code validation/} (each
 * part's files as below, in the part's own directory); without, into the output directory itself.
 * Formats:
 *
 * <ul>
 *   <li>{@code megatron}: {@code part-NNNNN.bin} and {@code part-NNNNN.idx}, Megatron-LM's
 *       indexed dataset ({@code megatron/core/datasets/indexed_dataset.py}): the .bin holds the
 *       documents' ids back to back (uint16 or int32, little-endian); the .idx is the header
 *       {@code "MMIDIDX\0\0"}, version (u64) 1, dtype code (u8; 8 = uint16, 4 = int32), sequence
 *       count N (u64), document count N + 1 (u64), then the N sequence lengths (int32), the N byte
 *       offsets of the sequences in the .bin (int64), and the document index 0, 1, ..., N (int64):
 *       one sequence per document.
 *   <li>{@code nanogpt}: {@code part-NNNNN.bin}, llm.c's token shard ({@code dev/data/data_common.py}):
 *       256 int32 (magic, version, token count, then zeros), then the tokens: magic 20240520,
 *       version 1 and uint16 tokens, or magic 20240801, version 7 and uint32 tokens. A shard holds
 *       at most 2^31 - 1 tokens (the header's count is an int32); a task with more starts
 *       {@code part-NNNNN-1.bin} and so on, never splitting a document.
 * </ul>
 */
public final class TokenShardOutputFormat extends FileOutputFormat<NullWritable, InternalRow> {
  /** megatron or nanogpt. */
  static final String FORMAT = "fasttok.corpus.format";
  /** Bytes per token id in the files: 2 (unsigned) or 4. */
  static final String TOKEN_BYTES = "fasttok.corpus.token-bytes";
  /** The id appended to every document, or -1. */
  static final String EOS_ID = "fasttok.corpus.eos-id";
  /** true: write the train and validation parts apart (see the rows' third field). */
  static final String SPLIT = "fasttok.corpus.split";
  /**
   * nanogpt: the most tokens in one shard (default and maximum 2^31 - 1); read from the session's
   * Hadoop configuration ({@code spark.hadoop.} + this), which the write job's starts from.
   */
  static final String MAX_SHARD_TOKENS = "fasttok.corpus.nanogpt.max-shard-tokens";

  static final byte[] MEGATRON_MAGIC = {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0};
  static final int MEGATRON_UINT16 = 8;
  static final int MEGATRON_INT32 = 4;
  static final int NANOGPT_MAGIC_UINT16 = 20240520;
  static final int NANOGPT_VERSION_UINT16 = 1;
  static final int NANOGPT_MAGIC_UINT32 = 20240801;
  static final int NANOGPT_VERSION_UINT32 = 7;
  static final int NANOGPT_HEADER_INTS = 256;

  @Override
  public RecordWriter<NullWritable, InternalRow> getRecordWriter(TaskAttemptContext context) throws IOException {
    Configuration conf = context.getConfiguration();
    Path work = ((FileOutputCommitter) getOutputCommitter(context)).getWorkPath();
    String name = String.format(Locale.ROOT, "part-%05d", context.getTaskAttemptID().getTaskID().getId());
    int tokenBytes = conf.getInt(TOKEN_BYTES, 4);
    if (tokenBytes != 2 && tokenBytes != 4) throw new IOException(TOKEN_BYTES + " must be 2 or 4, not " + tokenBytes);
    int eos = conf.getInt(EOS_ID, -1);
    String format = conf.get(FORMAT, "");
    FileSystem fs = withoutChecksums(work.getFileSystem(conf));
    OutputFormat f = OutputFormat.named(format);
    long max = Math.min(conf.getLong(MAX_SHARD_TOKENS, Integer.MAX_VALUE), Integer.MAX_VALUE);
    if (f != OutputFormat.MEGATRON && f != OutputFormat.NANOGPT) {
      throw new IOException("unknown " + FORMAT + ": '" + format + "'");
    }
    WriterFactory writers = dir -> f == OutputFormat.MEGATRON ? new MegatronWriter(fs, dir, name, tokenBytes, eos)
        : new NanoGptWriter(fs, dir, name, tokenBytes, eos, max);
    return conf.getBoolean(SPLIT, false) ? new PartsWriter(writers, work) : writers.open(work);
  }

  /** Opens the writer of one directory's files. */
  interface WriterFactory {
    TokenWriter open(Path dir);
  }

  /** Each row to the writer of its part, {@code train/} or {@code validation/}, opened at its first document. */
  static final class PartsWriter extends RecordWriter<NullWritable, InternalRow> {
    private final WriterFactory writers;
    private final Path dir;
    private TokenWriter train;
    private TokenWriter validation;

    PartsWriter(WriterFactory writers, Path dir) {
      this.writers = writers;
      this.dir = dir;
    }

    @Override
    public void write(NullWritable key, InternalRow row) throws IOException, InterruptedException {
      if (!TokenWriter.hasTokens(row)) return;
      if (!row.isNullAt(2) && row.getBoolean(2)) {
        if (validation == null) validation = writers.open(new Path(dir, Part.VALIDATION));
        validation.write(key, row);
      } else {
        if (train == null) train = writers.open(new Path(dir, Part.TRAIN));
        train.write(key, row);
      }
    }

    @Override
    public void close(TaskAttemptContext context) throws IOException, InterruptedException {
      try {
        if (train != null) train.close(context);
      } finally {
        if (validation != null) validation.close(context);
      }
    }
  }

  /**
   * On the local file system, its raw form: no {@code .crc} side files next to the token files
   * (trainers do not read them). Other file systems as they are.
   */
  static FileSystem withoutChecksums(FileSystem fs) {
    return fs instanceof LocalFileSystem ? ((LocalFileSystem) fs).getRawFileSystem() : fs;
  }

  /** Little-endian token ids of one document into a reusable buffer. */
  abstract static class TokenWriter extends RecordWriter<NullWritable, InternalRow> {
    final int tokenBytes;
    final int eos;
    byte[] buffer = new byte[1 << 16];

    TokenWriter(int tokenBytes, int eos) {
      this.tokenBytes = tokenBytes;
      this.eos = eos;
    }

    /** Whether the row is a document with tokens (the others are not written). */
    static boolean hasTokens(InternalRow row) {
      return !row.isNullAt(0) && !row.isNullAt(1) && row.getInt(1) > 0;
    }

    /** Fills {@link #buffer} with the row's ids (and the end-of-text id); returns the token count. */
    final int encode(InternalRow row) throws IOException {
      ArrayData ids = row.getArray(0);
      int n = ids.numElements();
      int total = eos >= 0 ? n + 1 : n;
      long need = (long) total * tokenBytes;
      if (need > Integer.MAX_VALUE - 16) throw new IOException("document of " + total + " tokens is too long");
      if (buffer.length < need) buffer = new byte[(int) Math.max(need, buffer.length * 2L)];
      byte[] b = buffer;
      int o = 0;
      if (tokenBytes == 2) {
        for (int i = 0; i < total; i++) {
          int id = i < n ? ids.getInt(i) : eos;
          if ((id & 0xFFFF0000) != 0) throw new IOException("token id " + id + " does not fit in uint16");
          b[o] = (byte) id;
          b[o + 1] = (byte) (id >>> 8);
          o += 2;
        }
      } else {
        for (int i = 0; i < total; i++) {
          int id = i < n ? ids.getInt(i) : eos;
          if (id < 0) throw new IOException("negative token id " + id);
          b[o] = (byte) id;
          b[o + 1] = (byte) (id >>> 8);
          b[o + 2] = (byte) (id >>> 16);
          b[o + 3] = (byte) (id >>> 24);
          o += 4;
        }
      }
      return total;
    }
  }

  /** Megatron-LM's .bin/.idx pair. */
  static final class MegatronWriter extends TokenWriter {
    private final FileSystem fs;
    private final Path bin;
    private final Path idx;
    private OutputStream out;
    private int[] sizes = new int[1024];
    private int count;

    MegatronWriter(FileSystem fs, Path dir, String name, int tokenBytes, int eos) {
      super(tokenBytes, eos);
      this.fs = fs;
      this.bin = new Path(dir, name + ".bin");
      this.idx = new Path(dir, name + ".idx");
    }

    @Override
    public void write(NullWritable key, InternalRow row) throws IOException {
      if (!hasTokens(row)) return;
      int n = encode(row);
      if (out == null) out = new BufferedOutputStream(fs.create(bin, false), 1 << 20);
      out.write(buffer, 0, n * tokenBytes);
      if (count == sizes.length) sizes = Arrays.copyOf(sizes, count * 2);
      sizes[count++] = n;
    }

    @Override
    public void close(TaskAttemptContext context) throws IOException {
      if (out == null) return;
      out.close();
      out = null;
      try (OutputStream o = new BufferedOutputStream(fs.create(idx, false), 1 << 20)) {
        writeIndex(o, sizes, count, tokenBytes == 2 ? MEGATRON_UINT16 : MEGATRON_INT32, tokenBytes);
      }
    }
  }

  /** Writes a Megatron-LM index for {@code count} documents of one sequence each. */
  static void writeIndex(OutputStream o, int[] sizes, int count, int dtypeCode, int tokenBytes) throws IOException {
    byte[] b = new byte[8];
    o.write(MEGATRON_MAGIC);
    o.write(le64(b, 1), 0, 8);
    o.write(dtypeCode);
    o.write(le64(b, count), 0, 8);
    o.write(le64(b, count + 1L), 0, 8);
    for (int i = 0; i < count; i++) o.write(le32(b, sizes[i]), 0, 4);
    long pointer = 0;
    for (int i = 0; i < count; i++) {
      o.write(le64(b, pointer), 0, 8);
      pointer += (long) sizes[i] * tokenBytes;
    }
    for (long i = 0; i <= count; i++) o.write(le64(b, i), 0, 8);
  }

  static byte[] le32(byte[] b, int v) {
    b[0] = (byte) v;
    b[1] = (byte) (v >>> 8);
    b[2] = (byte) (v >>> 16);
    b[3] = (byte) (v >>> 24);
    return b;
  }

  static byte[] le64(byte[] b, long v) {
    for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (8 * i));
    return b;
  }

  /**
   * llm.c shards. The header holds the token count, known only at the end, so the tokens go to a
   * local spill file first (see {@link #spillFile}) and the shard is written in one pass when it is
   * complete.
   */
  static final class NanoGptWriter extends TokenWriter {
    private final FileSystem fs;
    private final Path dir;
    private final String name;
    private final long maxTokens;
    private File body;
    private OutputStream out;
    private long tokens;
    private int shard;

    NanoGptWriter(FileSystem fs, Path dir, String name, int tokenBytes, int eos, long maxTokens) {
      super(tokenBytes, eos);
      this.fs = fs;
      this.dir = dir;
      this.name = name;
      this.maxTokens = maxTokens;
    }

    @Override
    public void write(NullWritable key, InternalRow row) throws IOException {
      if (!hasTokens(row)) return;
      int n = encode(row);
      if (n > maxTokens) throw new IOException("a document of " + n + " tokens does not fit in a shard of at most "
          + maxTokens);
      if (out != null && tokens + n > maxTokens) finishShard();
      if (out == null) {
        body = spillFile(name);
        File created = body;
        TaskContext tc = TaskContext.get();
        if (tc != null) tc.addTaskCompletionListener(c -> {
          created.delete();
        });
        out = new BufferedOutputStream(new FileOutputStream(body), 1 << 20);
        tokens = 0;
      }
      out.write(buffer, 0, n * tokenBytes);
      tokens += n;
    }

    private void finishShard() throws IOException {
      out.close();
      out = null;
      Path path = new Path(dir, shard == 0 ? name + ".bin" : name + "-" + shard + ".bin");
      shard++;
      byte[] header = new byte[NANOGPT_HEADER_INTS * 4];
      byte[] b = new byte[4];
      System.arraycopy(le32(b, tokenBytes == 2 ? NANOGPT_MAGIC_UINT16 : NANOGPT_MAGIC_UINT32), 0, header, 0, 4);
      System.arraycopy(le32(b, tokenBytes == 2 ? NANOGPT_VERSION_UINT16 : NANOGPT_VERSION_UINT32), 0, header, 4, 4);
      System.arraycopy(le32(b, (int) tokens), 0, header, 8, 4);
      try (OutputStream o = fs.create(path, false); InputStream in = new BufferedInputStream(Files.newInputStream(body.toPath()), 1 << 20)) {
        o.write(header);
        in.transferTo(o);
      } finally {
        body.delete();
        body = null;
      }
    }

    @Override
    public void close(TaskAttemptContext context) throws IOException {
      if (out != null) finishShard();
    }

    /** The spill file of the shard being written, or null. */
    File spill() {
      return body;
    }
  }

  /**
   * A new spill file. In a Spark task, in Spark's local directories, as Spark's own spill files:
   * the task deletes it when it ends, and if its executor is killed first, the directories go with
   * the application (YARN, Kubernetes and standalone workers remove them). Elsewhere, in
   * java.io.tmpdir, deleted on exit.
   */
  static File spillFile(String name) throws IOException {
    SparkEnv env = SparkEnv.get();
    if (env != null) return env.blockManager().diskBlockManager().createTempLocalBlock()._2();
    File f = File.createTempFile("fasttok-" + name + "-", ".tokens");
    f.deleteOnExit();
    return f;
  }
}
