package dev.fasttok;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch methods of {@link Encoding}: a list of texts cut into contiguous ranges that the
 * executor's threads and the calling thread take one after another, results in the list's order.
 * The caller works too, because it would otherwise only wait: on two cores the common pool has
 * one thread. A few ranges per thread keep the threads busy when texts differ in length, without
 * a task per text.
 */
final class Batch {
  private Batch() {}

  /** Work on texts[from, to). */
  interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code range} over [0, n) and returns when every part is done. If texts fail, the
   * failure of the first one in the list's order is thrown, as a one-by-one loop would throw it.
   */
  static void run(int n, Executor executor, Range range) {
    int threads = executor instanceof ForkJoinPool ? ((ForkJoinPool) executor).getParallelism()
        : Runtime.getRuntime().availableProcessors();
    int ranges = Math.min(n, (Math.max(1, threads) + 1) * 4);
    if (ranges <= 1) {
      range.run(0, n);
      return;
    }
    Work work = new Work(n, ranges, range);
    try {
      for (int i = 0; i < Math.min(threads, ranges - 1); i++) executor.execute(work);
    } catch (RejectedExecutionException e) {
      // A saturated or shut-down executor: the calling thread does what is left.
    }
    work.run();
    work.await();
    for (Throwable t : work.failures) {
      if (t instanceof RuntimeException) throw (RuntimeException) t;
      if (t instanceof Error) throw (Error) t;
    }
  }

  /** The ranges, taken in order by whichever thread is free. */
  private static final class Work implements Runnable {
    private final int n;
    private final int ranges;
    private final Range range;
    private final AtomicInteger next = new AtomicInteger();
    private final CountDownLatch done;
    /** By range; read after {@link #done} reaches zero. */
    final Throwable[] failures;
    private volatile boolean failed;

    Work(int n, int ranges, Range range) {
      this.n = n;
      this.ranges = ranges;
      this.range = range;
      this.done = new CountDownLatch(ranges);
      this.failures = new Throwable[ranges];
    }

    @Override
    public void run() {
      // Ranges are taken in order, so once one fails, those after it are skipped (but counted).
      for (int r; (r = next.getAndIncrement()) < ranges; done.countDown()) {
        if (failed) continue;
        try {
          range.run((int) ((long) n * r / ranges), (int) ((long) n * (r + 1) / ranges));
        } catch (RuntimeException | Error e) {
          failures[r] = e;
          failed = true;
        }
      }
    }

    /** Waits for the ranges other threads took; an interrupt is kept for the caller to see. */
    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          done.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** The texts, checked: the list and every text non-null. */
  static List<String> texts(List<String> texts) {
    Encoding.nonNull(texts, "texts");
    for (int i = 0; i < texts.size(); i++) Encoding.nonNull(texts.get(i), "texts[" + i + "]");
    return texts;
  }
}
