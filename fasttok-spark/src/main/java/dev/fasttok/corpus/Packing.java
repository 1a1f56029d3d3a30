package dev.fasttok.corpus;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code --pack}: documents' ids back to back, cut into rows of exactly {@code length} tokens.
 *
 * <p>The documents come sorted (by a key that does not depend on the partitioning), each row of
 * the input carrying the index of its sorted partition. One pass adds up each partition's tokens,
 * so every partition knows where its first token falls in the whole stream; a second cuts each
 * partition's tokens into rows. A row that lies within one partition is written as it is; the few
 * that straddle partitions are assembled from their pieces, in order. The rows are therefore the
 * same however many partitions there are.
 */
final class Packing {
  private Packing() {}

  /** Input columns: the sorted partition's index, whether the document is in validation, its ids. */
  static final String PARTITION = "__fasttok_partition";
  static final String VALIDATION = CorpusJob.VALIDATION;
  static final String IDS = "__fasttok_ids";

  /** Output columns besides the part. */
  static final String SEQUENCE = "sequence";
  static final String TOKENS = "tokens";
  static final String N_TOKENS = "n_tokens";
  static final String STARTS = "document_starts";

  private static final String PART = "__fasttok_pack_part";
  private static final String OFFSET = "__fasttok_offset";
  private static final String WHOLE = "__fasttok_whole";

  private static final StructType PIECES = new StructType()
      .add(PART, DataTypes.IntegerType, false)
      .add(SEQUENCE, DataTypes.LongType, false)
      .add(OFFSET, DataTypes.IntegerType, false)
      .add(WHOLE, DataTypes.BooleanType, false)
      .add(TOKENS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add(STARTS, DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  /**
   * The rows: {@code validation BOOLEAN} (the part), {@code sequence BIGINT} (the row's index in
   * its part, from 0), {@code tokens ARRAY<INT>}, {@code n_tokens INT} (tokens before any padding),
   * {@code document_starts ARRAY<INT>} (offsets in the row where documents start). docs must be
   * cached: it is read twice.
   *
   * @param firsts {@link #firstTokens} of docs
   * @param padId the id the last row is padded with, or -1 to drop it
   */
  static Dataset<Row> rows(Dataset<Row> docs, long[][] firsts, int length, int padId) {
    Dataset<Row> pieces = docs.select(col(PARTITION), col(VALIDATION), col(IDS))
        .mapPartitions(new Cut(firsts, length), Encoders.row(PIECES));
    Dataset<Row> whole = pieces.where(col(WHOLE)).select(col(PART), col(SEQUENCE), col(TOKENS), col(STARTS));
    // array_sort orders the pieces by their offset in the row, the structs' first field.
    Dataset<Row> joined = pieces.where(col(WHOLE).unary_$bang())
        .groupBy(col(PART), col(SEQUENCE))
        .agg(expr("array_sort(collect_list(struct(" + OFFSET + ", " + TOKENS + ", " + STARTS + ")))").as("p"))
        .select(col(PART), col(SEQUENCE), expr("flatten(transform(p, x -> x." + TOKENS + "))").as(TOKENS),
            expr("flatten(transform(p, x -> transform(x." + STARTS + ", s -> s + x." + OFFSET + ")))").as(STARTS));
    Dataset<Row> all = whole.unionByName(joined);
    Dataset<Row> kept = padId < 0 ? all.where(size(col(TOKENS)).equalTo(length)) : all;
    return kept.select(col(PART).equalTo(1).as(VALIDATION), col(SEQUENCE),
        (padId < 0 ? col(TOKENS) : when(size(col(TOKENS)).lt(length), concat(col(TOKENS),
            array_repeat(lit(padId), lit(length).minus(size(col(TOKENS)))))).otherwise(col(TOKENS))).as(TOKENS),
        size(col(TOKENS)).as(N_TOKENS), col(STARTS));
  }

  /**
   * Where each sorted partition's first token falls in its part's stream: [partition][part], part
   * 0 train (or everything), 1 validation.
   */
  static long[][] firstTokens(Dataset<Row> docs) {
    List<Row> sums = docs.groupBy(col(PARTITION), col(VALIDATION)).agg(sum(size(col(IDS)))).collectAsList();
    int partitions = 0;
    for (Row r : sums) partitions = Math.max(partitions, r.getInt(0) + 1);
    long[][] totals = new long[partitions][2];
    for (Row r : sums) totals[r.getInt(0)][r.getBoolean(1) ? 1 : 0] += r.getLong(2);
    long[][] firsts = new long[partitions][2];
    long[] running = new long[2];
    for (int p = 0; p < partitions; p++) {
      for (int part = 0; part < 2; part++) {
        firsts[p][part] = running[part];
        running[part] += totals[p][part];
      }
    }
    return firsts;
  }

  /** The rows (whole) and pieces of rows (not whole) of each sorted partition's tokens. */
  static final class Cut implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final long[][] firsts;
    private final int length;

    Cut(long[][] firsts, int length) {
      this.firsts = firsts;
      this.length = length;
    }

    /** Rows as the documents are read: a task holds one row per part, never its whole partition. */
    @Override
    public Iterator<Row> call(Iterator<Row> docs) {
      return new Iterator<Row>() {
        private final Queue<Row> ready = new ArrayDeque<>();
        private OpenRow[] rows;
        private int partition = -1;
        private boolean done;

        @Override
        public boolean hasNext() {
          while (ready.isEmpty() && !done) {
            if (!docs.hasNext()) {
              finish();
              done = true;
              break;
            }
            Row d = docs.next();
            int p = d.getInt(0);
            if (p != partition) { // a task may read more than one sorted partition, one after another
              finish();
              partition = p;
              rows = new OpenRow[] {new OpenRow(0, firsts[p][0], length), new OpenRow(1, firsts[p][1], length)};
            }
            rows[d.getBoolean(1) ? 1 : 0].add(d.getList(2), ready);
          }
          return !ready.isEmpty();
        }

        private void finish() {
          if (rows != null) for (OpenRow row : rows) row.finish(ready);
        }

        @Override
        public Row next() {
          if (!hasNext()) throw new NoSuchElementException();
          return ready.poll();
        }
      };
    }
  }

  /** The row one part (train or validation) is filling in one sorted partition. */
  private static final class OpenRow {
    final int part;
    final int length;
    /** The stream offset of the next token. */
    long next;
    /** The offset in the current row where this partition's tokens start (0 unless the row began elsewhere). */
    int from;
    int[] row;
    int filled;
    int[] starts = new int[16];
    int startCount;

    OpenRow(int part, long first, int length) {
      this.part = part;
      this.next = first;
      this.length = length;
      this.from = (int) (first % length);
      this.filled = from;
      this.row = new int[length];
    }

    void add(List<Integer> ids, Queue<Row> out) {
      if (startCount == starts.length) starts = Arrays.copyOf(starts, startCount * 2);
      starts[startCount++] = filled;
      for (Integer id : ids) {
        row[filled++] = id;
        next++;
        if (filled == length) emit(out);
      }
    }

    /** The current row, whole (it began in this partition) or a piece, and a new one. */
    private void emit(Queue<Row> out) {
      out.add(piece());
      from = 0;
      filled = 0;
      startCount = 0;
    }

    /** What is left at the end of the partition: a piece of a row. */
    void finish(Queue<Row> out) {
      if (filled > from) out.add(piece());
    }

    /** The tokens this partition put in the current row, with their document starts, relative to from. */
    private Row piece() {
      int[] relative = Arrays.copyOf(starts, startCount);
      for (int i = 0; i < relative.length; i++) relative[i] -= from;
      return RowFactory.create(part, (next - 1) / length, from, from == 0 && filled == length,
          Arrays.copyOfRange(row, from, filled), relative);
    }
  }
}
