package dev.fasttok.corpus;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.Option;
import scala.Product;

/**
 * A line of progress every few seconds while the job runs: documents, bytes and tokens so far and
 * the rate. Counts of finished tasks come with their task-end events; counts of running tasks with
 * the executors' heartbeats ({@code spark.executor.heartbeatInterval}), which carry each running
 * task's copy of the job's accumulator. (Spark's console progress bar shows tasks alongside.)
 */
final class ProgressReporter extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final long accumulatorId;
  private final PrintStream out;
  private final long intervalMillis;
  private final long start = System.nanoTime();
  private final Map<Long, long[]> running = new ConcurrentHashMap<>();
  private final long[] finished = new long[3];
  private volatile int tasksRunning;
  private volatile int tasksDone;
  private final Thread thread;
  private volatile boolean closed;

  ProgressReporter(SparkContext sc, long accumulatorId, PrintStream out, double intervalSeconds) {
    this.sc = sc;
    this.accumulatorId = accumulatorId;
    this.out = out;
    this.intervalMillis = Math.max(100L, (long) (intervalSeconds * 1000));
    sc.addSparkListener(this);
    thread = new Thread(this::loop, "fasttok-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (!closed) {
        Thread.sleep(intervalMillis);
        if (!closed) print();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Documents, bytes, tokens so far. */
  long[] totals() {
    long[] t;
    synchronized (finished) {
      t = finished.clone();
    }
    for (long[] r : running.values()) {
      for (int i = 0; i < 3; i++) t[i] += r[i];
    }
    return t;
  }

  private void print() {
    long[] t = totals();
    double seconds = (System.nanoTime() - start) / 1e9;
    String line = String.format(Locale.ROOT, "[fasttok] %,d docs | %s | %s tokens | %.1f MB/s | %d tasks done, %d running | %.0f s",
        t[0], Format.bytes(t[1]), Format.count(t[2]), seconds > 0 ? t[1] / seconds / 1e6 : 0.0, tasksDone,
        tasksRunning, seconds);
    // Spark's progress bar draws on the same stream with carriage returns: clear its line first.
    out.print('\r' + " ".repeat(Math.max(0, Format.consoleWidth() - 1)) + '\r' + line + '\n');
    out.flush();
  }

  private static long[] numbers(Object stats) {
    CorpusStats s = (CorpusStats) stats;
    return new long[] {s.documents, s.bytes, s.tokens};
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart e) {
    tasksRunning++;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    scala.collection.Iterator<?> it = e.accumUpdates().iterator();
    while (it.hasNext()) {
      Product p = (Product) it.next(); // (taskId, stageId, stageAttemptId, accumulator updates)
      long taskId = ((Number) p.productElement(0)).longValue();
      scala.collection.Iterator<?> infos = ((scala.collection.Iterable<?>) p.productElement(3)).iterator();
      while (infos.hasNext()) {
        AccumulableInfo info = (AccumulableInfo) infos.next();
        if (info.id() != accumulatorId) continue;
        Option<Object> update = info.update();
        if (update.isDefined() && update.get() instanceof CorpusStats) running.put(taskId, numbers(update.get()));
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    tasksRunning = Math.max(0, tasksRunning - 1);
    long taskId = e.taskInfo().taskId();
    if (e.reason() instanceof Success$) {
      tasksDone++;
      scala.collection.Iterator<AccumulableInfo> infos = e.taskInfo().accumulables().iterator();
      while (infos.hasNext()) {
        AccumulableInfo info = infos.next();
        if (info.id() == accumulatorId && info.update().isDefined() && info.update().get() instanceof CorpusStats) {
          long[] n = numbers(info.update().get());
          synchronized (finished) {
            for (int i = 0; i < 3; i++) finished[i] += n[i];
          }
        }
      }
    }
    running.remove(taskId);
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    sc.removeSparkListener(this);
  }
}
