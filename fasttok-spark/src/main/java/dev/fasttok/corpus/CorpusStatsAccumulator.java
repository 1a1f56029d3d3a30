package dev.fasttok.corpus;

import org.apache.spark.util.AccumulatorV2;

/**
 * The job's {@link CorpusStats} as a Spark accumulator. Every task counts into its own copy;
 * Spark merges the copies of successful tasks on the driver, once per partition of the writing
 * job (a failed or duplicate attempt's counts are dropped), so the totals are exact whatever was
 * retried. Running tasks also send their copy with each executor heartbeat, which is what the
 * progress line shows.
 */
final class CorpusStatsAccumulator extends AccumulatorV2<CorpusStats, CorpusStats> {
  private static final long serialVersionUID = 1L;

  private CorpusStats stats = new CorpusStats();

  /** Notes that the task has read a row (the first starts its time: {@link CorpusStats#taskNanos}). */
  void rowRead() {
    if (stats.taskStart == 0) stats.taskStart = System.nanoTime();
  }

  /** Counts one row (see {@link CorpusStats#add}), the task's time up to now with it. */
  void addRow(int status, Integer bytes, Integer tokens, boolean validation) {
    long now = System.nanoTime();
    if (stats.taskStart == 0) stats.taskStart = now;
    // This copy is one task's: its time so far, not a sum.
    stats.taskNanos = now - stats.taskStart;
    stats.add(status, bytes, tokens, validation);
  }

  @Override
  public boolean isZero() {
    return stats.isZero();
  }

  @Override
  public AccumulatorV2<CorpusStats, CorpusStats> copy() {
    CorpusStatsAccumulator a = new CorpusStatsAccumulator();
    a.stats = stats.copy();
    return a;
  }

  @Override
  public void reset() {
    stats = new CorpusStats();
  }

  @Override
  public void add(CorpusStats v) {
    stats.merge(v);
  }

  @Override
  public void merge(AccumulatorV2<CorpusStats, CorpusStats> other) {
    stats.merge(other.value());
  }

  @Override
  public CorpusStats value() {
    return stats;
  }
}
