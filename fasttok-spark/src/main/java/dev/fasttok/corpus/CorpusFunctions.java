package dev.fasttok.corpus;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The job's own per-row functions (tokenization itself is the connector's encode_tokens). */
final class CorpusFunctions {
  private CorpusFunctions() {}

  /**
   * What {@link Decode} returns: the document's bytes (BINARY, null if none), its status, and the
   * line for Spark's JSON reader (JSON objects whose other fields are kept; else null).
   */
  static final StructType DECODED = new StructType()
      .add("text", DataTypes.BinaryType, true)
      .add("status", DataTypes.IntegerType, false)
      .add("line", DataTypes.BinaryType, true);

  /** How an input value is read (see {@link Documents}). */
  enum Mode {
    /** A JSON Lines line holding one JSON string literal. */
    JSON_STRING,
    /** A JSON Lines line holding a JSON object (see {@link JsonObjectLine}). */
    JSON_OBJECT,
    /** Raw text: a line or a file of a text input, a Parquet value. */
    RAW
  }

  /** Bytes in, (document bytes, status, line) out. */
  static final class Decode implements UDF1<byte[], Row> {
    private static final long serialVersionUID = 1L;
    private final Mode mode;
    private final CorpusStatsAccumulator stats;
    private final String textKey;
    private final boolean keepLine;

    /**
     * @param stats where the task's first row is noted (the start of its time), or null
     * @param textKey JSON_OBJECT: the text field's name
     * @param keepLine JSON_OBJECT: return documents' lines for Spark's JSON reader
     */
    Decode(Mode mode, CorpusStatsAccumulator stats, String textKey, boolean keepLine) {
      this.mode = mode;
      this.stats = stats;
      this.textKey = textKey;
      this.keepLine = keepLine;
    }

    @Override
    public Row call(byte[] value) {
      if (stats != null) stats.rowRead();
      Documents.Decoded d;
      switch (mode) {
        case JSON_STRING:
          d = Documents.jsonStringLine(value);
          break;
        case JSON_OBJECT:
          d = JsonObjectLine.read(value, textKey, keepLine);
          break;
        default:
          d = Documents.raw(value);
          break;
      }
      return RowFactory.create(d.text, d.status, d.line);
    }
  }

  /**
   * Counts each row into the job's accumulator and returns its token count unchanged:
   * {@code (status, octet_length(text), size(tokens), validation) -> size(tokens)}.
   * Non-deterministic, so that Spark evaluates it exactly once per row and never moves it.
   */
  static final class Count implements UDF4<Integer, Integer, Integer, Boolean, Integer> {
    private static final long serialVersionUID = 1L;
    private final CorpusStatsAccumulator stats;
    private final RowCheck check;
    private transient long rows;

    /** @param check called on every row, or null */
    Count(CorpusStatsAccumulator stats, RowCheck check) {
      this.stats = stats;
      this.check = check;
    }

    @Override
    public Integer call(Integer status, Integer bytes, Integer tokens, Boolean validation) {
      stats.addRow(status, bytes, tokens, Boolean.TRUE.equals(validation));
      if (check != null) check.check(++rows);
      return bytes == null ? null : tokens;
    }
  }

  /** Sees each row a task counts, with the task's running row count (a test fails a task midway so). */
  interface RowCheck extends Serializable {
    void check(long rows);
  }
}
