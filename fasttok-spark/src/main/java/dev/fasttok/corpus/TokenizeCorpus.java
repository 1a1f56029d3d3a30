package dev.fasttok.corpus;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The corpus job's command line: {@code TokenizeCorpus --input PATH --output DIR [options]} (see
 * {@link JobOptions#HELP}). Without a configured master (spark-submit sets one; so does
 * {@code --conf spark.master=...}) it runs Spark in this process, {@code local[*]}, quietly
 * (warnings only); under spark-submit, Spark's own configuration and logging apply.
 */
public final class TokenizeCorpus {
  private TokenizeCorpus() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status (0 done, 1 failed, 2 bad arguments). */
  static int run(String[] args, PrintStream out, PrintStream err) {
    JobOptions o;
    try {
      // Job options may come as Spark properties (spark-submit --properties-file / --conf), which
      // spark-submit passes as system properties; --conf on this command line too.
      Map<String, String> conf = new java.util.HashMap<>();
      for (String k : System.getProperties().stringPropertyNames()) {
        if (k.startsWith(JobOptions.CONF_PREFIX)) conf.put(k, System.getProperty(k));
      }
      conf.putAll(confArguments(args));
      o = JobOptions.parse(conf, args);
    } catch (JobOptions.UsageException e) {
      err.println("error: " + e.getMessage());
      if (args.length == 0) err.print("\n" + JobOptions.HELP);
      return 2;
    }
    if (o.help) {
      out.print(JobOptions.HELP);
      return 0;
    }
    try {
      // A mistyped local path is reported now, not after Spark's start-up.
      CorpusInput.checkLocalInputs(hadoopConfiguration(o), o.inputs);
    } catch (CorpusJobException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    if (Runtime.version().feature() >= 23) {
      // Hadoop, inside Spark 3.5 and 4.0, calls Subject.getSubject, which Java 23 and newer refuse.
      err.println("error: the corpus job runs Spark, which needs Java 17 to 22; this is Java "
          + Runtime.version().feature() + ". Set JAVA_HOME to a Java 17 or 21 JDK.");
      return 1;
    }
    boolean inProcess = System.getProperty("spark.master") == null && !o.sparkConf.containsKey("spark.master");
    if (inProcess && System.getProperty("log4j2.configurationFile") == null) {
      // Before anything touches Spark: warnings only, instead of Spark's INFO default.
      System.setProperty("log4j2.configurationFile", "dev/fasttok/corpus/log4j2-local.properties");
    }
    SparkSession spark;
    boolean ours = SparkSession.getDefaultSession().isEmpty();
    try {
      spark = session(o, inProcess);
    } catch (RuntimeException e) {
      err.println("error: cannot start Spark: " + e);
      return 1;
    }
    try {
      JobSummary s = CorpusJob.run(spark, o, err);
      out.println(done(s));
      return 0;
    } catch (CorpusJobException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } finally {
      if (inProcess && ours) spark.stop();
    }
  }

  /** The spark.fasttok.corpus.* values of --conf arguments (before the command line is otherwise read). */
  private static Map<String, String> confArguments(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String v = args[i].startsWith("--conf=") ? args[i].substring(7)
          : args[i].equals("--conf") && i + 1 < args.length ? args[++i] : null;
      if (v != null && v.startsWith(JobOptions.CONF_PREFIX) && v.indexOf('=') > 0) {
        m.put(v.substring(0, v.indexOf('=')).trim(), v.substring(v.indexOf('=') + 1).trim());
      }
    }
    return m;
  }

  /** Hadoop's configuration as the session will have it: Hadoop's files plus spark.hadoop.* properties. */
  private static org.apache.hadoop.conf.Configuration hadoopConfiguration(JobOptions o) {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    Map<String, String> props = new java.util.HashMap<>();
    for (String k : System.getProperties().stringPropertyNames()) props.put(k, System.getProperty(k));
    props.putAll(o.sparkConf);
    for (Map.Entry<String, String> e : props.entrySet()) {
      if (e.getKey().startsWith("spark.hadoop.")) conf.set(e.getKey().substring(13), e.getValue());
    }
    return conf;
  }

  static SparkSession session(JobOptions o, boolean inProcess) {
    SparkConf defaults = new SparkConf(); // spark.* system properties, as spark-submit passes them
    SparkSession.Builder b = SparkSession.builder().appName("fasttok TokenizeCorpus");
    if (inProcess) {
      b.master("local[*]");
      setIfMissing(b, defaults, o, "spark.driver.host", "127.0.0.1");
      setIfMissing(b, defaults, o, "spark.driver.bindAddress", "127.0.0.1");
      setIfMissing(b, defaults, o, "spark.ui.enabled", "false");
      // Running tasks report their counts with each heartbeat: a fresh progress line every few seconds.
      setIfMissing(b, defaults, o, "spark.executor.heartbeatInterval", "2s");
    }
    setIfMissing(b, defaults, o, "spark.ui.showConsoleProgress", "true");
    for (Map.Entry<String, String> e : o.sparkConf.entrySet()) b.config(e.getKey(), e.getValue());
    return b.getOrCreate();
  }

  private static void setIfMissing(SparkSession.Builder b, SparkConf defaults, JobOptions o, String key, String value) {
    if (!defaults.contains(key) && !o.sparkConf.containsKey(key)) b.config(key, value);
  }

  /** The console's account of a finished job: the same counts as summary.json and report.html. */
  static String done(JobSummary s) {
    StringBuilder sb = new StringBuilder();
    String docs = s.tokenizedDocuments() == s.documents() ? Format.plural(s.documents(), "document")
        : Format.grouped(s.tokenizedDocuments()) + " of " + Format.plural(s.documents(), "document");
    sb.append(String.format(Locale.ROOT, "Tokenized %s (%s, %s, %s) in %s%n", docs, Format.bytes(s.bytes()),
        Format.plural(s.tokens(), "token"), s.encoding, Format.seconds(s.wallSeconds)));
    List<String> documents = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (JobSummary.Skip k : s.skipped()) {
      if (k.count > 0) (k.documents ? documents : lines).add(k.counted());
    }
    if (!documents.isEmpty()) sb.append("  not tokenized: ").append(String.join(", ", documents)).append('\n');
    if (!lines.isEmpty()) sb.append("  skipped: ").append(String.join(", ", lines)).append('\n');
    if (s.invalidUtf8Documents() > 0) {
      sb.append("  ").append(Format.plural(s.invalidUtf8Documents(), "document"))
          .append(" with ill-formed UTF-8 (read as U+FFFD)\n");
    }
    sb.append(String.format(Locale.ROOT, "  rate:    %.1f MB/s per core inside the tasks (%s); %.1f MB/s over the"
        + " wall time%n", s.taskMbPerSecond(), Format.seconds(s.taskSeconds()), s.mbPerSecond()));
    if (!s.droppedFields.isEmpty()) {
      sb.append("  fields not kept: ").append(String.join(", ", s.droppedFields)).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "  output:  %s (%s, %s)%n", s.dataDirectory, s.outputFormat,
        Format.plural(s.files.size(), "file")));
    if (s.packLength > 0) sb.append("  packed:  ").append(packed(s)).append('\n');
    for (JobSummary.Part p : s.parts) {
      sb.append(String.format(Locale.ROOT, "  %-8s %s (%s, %s)%n", p.name + ":", p.directory,
          Format.plural(p.documentsWritten, "document"), Format.plural(p.tokensWritten, "token")));
    }
    sb.append(String.format(Locale.ROOT, "  summary: %s%n", s.summaryFile));
    sb.append(String.format(Locale.ROOT, "  report:  %s", s.reportFile));
    return sb.toString();
  }

  /** --pack's rows for people: "1,234 rows of 2,048 tokens, the last padded with 17 end-of-text ids". */
  static String packed(JobSummary s) {
    String last = s.paddingTokens > 0 ? ", the last padded with " + Format.plural(s.paddingTokens, "end-of-text id")
        : s.paddingTokens < 0 ? ", the last " + Format.plural(-s.paddingTokens, "token") + " dropped" : "";
    return Format.plural(s.sequences, "row") + " of " + Format.grouped(s.packLength) + " tokens" + last;
  }
}
