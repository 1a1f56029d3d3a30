package dev.fasttok.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The corpus job's settings, from the command line ({@link #parse}) or set by code. */
public final class JobOptions {
  /** Input paths: files, directories or globs, any Hadoop FileSystem URI. */
  public final List<String> inputs = new ArrayList<>();
  /** text, jsonl or parquet; null: from the files' extensions. */
  public String inputFormat;
  public String textColumn = "text";
  /** For text input: line (one document per line) or file (one document per file). */
  public String textDocument = "line";
  public String output;
  public OutputFormat outputFormat = OutputFormat.PARQUET;
  public String encoding = "o200k_base";
  /** A custom vocabulary file; {@link #encoding} is then its base (split pattern and special tokens of a .tiktoken file). */
  public String vocabulary;
  /** Append the end-of-text token to each document; null: yes for megatron and nanogpt, no for parquet. */
  public Boolean eos;
  public String eosToken = "<|endoftext|>";
  /** parquet: keep the text column in the output. */
  public boolean keepText;
  public boolean overwrite;
  /** The share of documents written to {@code data/validation/} (the rest to {@code data/train/}); 0: no split. */
  public double valFraction;
  /** Picks the validation documents with {@link #valFraction}: the same seed and text, the same split. */
  public long seed;
  /** parquet: rows of exactly this many tokens, documents packed back to back; 0: a row per document. */
  public int pack;
  /** With {@link #pack}: pad the last, short row with the end-of-text id (else it is dropped). */
  public boolean padLast;
  /** Seconds between progress lines; 0: none. */
  public double progressSeconds = 5;
  /** Spark properties for a session this program creates (--conf KEY=VALUE). */
  public final Map<String, String> sparkConf = new LinkedHashMap<>();
  /** --help was given. */
  public boolean help;

  static final List<String> INPUT_FORMATS = List.of("text", "jsonl", "parquet");

  /** A command line that cannot be understood; the message says why. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Whether end-of-text tokens are appended, with the format's default. */
  public boolean appendEos() {
    return eos != null ? eos : pack > 0 || outputFormat.eosByDefault();
  }

  /** Prefix of Spark properties that set job options: {@code spark.fasttok.corpus.output-format=megatron}. */
  public static final String CONF_PREFIX = "spark.fasttok.corpus.";

  public static JobOptions parse(String... args) {
    return parse(java.util.Collections.emptyMap(), args);
  }

  /**
   * Options from Spark properties ({@link #CONF_PREFIX} + an option's name without its dashes,
   * e.g. {@code spark.fasttok.corpus.output-format}; flags take true or false), then from the
   * command line, which wins: an {@code --input} there replaces the configured input.
   */
  public static JobOptions parse(Map<String, String> conf, String... args) {
    JobOptions o = new JobOptions();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(conf).entrySet()) {
      if (!e.getKey().startsWith(CONF_PREFIX)) continue;
      String name = e.getKey().substring(CONF_PREFIX.length());
      String value = e.getValue().trim();
      switch (name) {
        case "eos":
          o.eos = bool(e.getKey(), value);
          break;
        case "overwrite":
          o.overwrite = bool(e.getKey(), value);
          break;
        case "keep-text":
          o.keepText = bool(e.getKey(), value);
          break;
        case "conf":
        case "help":
          throw new UsageException("unknown job property " + e.getKey());
        default:
          try {
            o.set("--" + name, value);
          } catch (UsageException x) {
            throw new UsageException(x.getMessage().replace("--" + name, e.getKey()).replace("unknown option",
                "unknown job property"));
          }
      }
    }
    boolean cliInput = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "--help":
        case "-h":
          o.help = true;
          break;
        case "--overwrite":
          o.overwrite = true;
          break;
        case "--eos":
          o.eos = Boolean.TRUE;
          break;
        case "--no-eos":
          o.eos = Boolean.FALSE;
          break;
        case "--keep-text":
          o.keepText = true;
          break;
        default: {
          if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
          if (!VALUE_OPTIONS.contains(a)) throw unknownOption(a);
          if (value == null) {
            if (i + 1 >= args.length) throw new UsageException(a + " needs a value");
            value = args[++i];
          }
          if (a.equals("--input") && !cliInput) {
            o.inputs.clear();
            cliInput = true;
          }
          o.set(a, value);
        }
      }
    }
    if (!o.help) o.validate();
    return o;
  }

  private static boolean bool(String key, String value) {
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw new UsageException(key + " must be true or false, not '" + value + "'");
  }

  private void set(String flag, String value) {
    switch (flag) {
      case "--input":
        inputs.add(value);
        break;
      case "--input-format":
        inputFormat = oneOf(flag, value, INPUT_FORMATS);
        break;
      case "--text-column":
        textColumn = value;
        break;
      case "--text-document":
        textDocument = oneOf(flag, value, List.of("line", "file"));
        break;
      case "--output":
        output = value;
        break;
      case "--output-format":
        outputFormat = OutputFormat.named(value.toLowerCase(Locale.ROOT));
        if (outputFormat == null) throw notOneOf(flag, value, OutputFormat.names());
        break;
      case "--encoding":
        encoding = value;
        break;
      case "--vocabulary":
        vocabulary = value;
        break;
      case "--eos-token":
        eosToken = value;
        break;
      case "--progress-interval":
        try {
          progressSeconds = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          progressSeconds = -1;
        }
        if (!(progressSeconds >= 0)) throw new UsageException("--progress-interval must be a number of seconds >= 0");
        break;
      case "--val-fraction":
        try {
          valFraction = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          valFraction = -1;
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
          throw new UsageException("--val-fraction must be a number from 0 (no split) up to but not including 1, not '"
              + value + "'");
        }
        break;
      case "--pack":
        try {
          pack = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          pack = -1;
        }
        if (pack < 1) throw new UsageException("--pack must be a number of tokens >= 1, not '" + value + "'");
        break;
      case "--pack-last":
        padLast = oneOf(flag, value, List.of("drop", "pad")).equals("pad");
        break;
      case "--seed":
        try {
          seed = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new UsageException("--seed must be a whole number, not '" + value + "'");
        }
        break;
      case "--conf": {
        int eq = value.indexOf('=');
        if (eq <= 0) throw new UsageException("--conf needs KEY=VALUE, not '" + value + "'");
        sparkConf.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
        break;
      }
      default:
        throw unknownOption(flag);
    }
  }

  /** The options that take a value. */
  private static final List<String> VALUE_OPTIONS = List.of("--input", "--input-format", "--text-column",
      "--text-document", "--output", "--output-format", "--encoding", "--vocabulary", "--eos-token",
      "--progress-interval", "--val-fraction", "--seed", "--pack", "--pack-last", "--conf");

  private static UsageException unknownOption(String flag) {
    return new UsageException("unknown option " + flag + "; see --help");
  }

  private static String oneOf(String flag, String value, List<String> allowed) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) throw notOneOf(flag, value, allowed);
    return v;
  }

  private static UsageException notOneOf(String flag, String value, List<String> allowed) {
    return new UsageException(flag + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
  }

  /** Checks what can be checked without Spark. */
  public void validate() {
    if (inputs.isEmpty()) throw new UsageException("--input is required (see --help)");
    if (output == null || output.isBlank()) throw new UsageException("--output is required (see --help)");
    if (textColumn == null || textColumn.isBlank()) throw new UsageException("--text-column must not be empty");
    if (outputFormat == null) throw new UsageException("unknown output format 'null'");
    if (inputFormat != null && !INPUT_FORMATS.contains(inputFormat)) {
      throw new UsageException("unknown input format '" + inputFormat + "'");
    }
    if (keepText && outputFormat != OutputFormat.PARQUET) {
      throw new UsageException("--keep-text applies to parquet output only");
    }
    if (eosToken == null || eosToken.isEmpty()) throw new UsageException("--eos-token must not be empty");
    if (!(valFraction >= 0 && valFraction < 1)) {
      throw new UsageException("--val-fraction must be a number from 0 (no split) up to but not including 1");
    }
    if (pack < 0) throw new UsageException("--pack must be a number of tokens >= 1");
    if (pack > 0 && outputFormat != OutputFormat.PARQUET) {
      throw new UsageException("--pack writes parquet rows; megatron and nanogpt token files are streams already");
    }
    if (pack > 0 && keepText) throw new UsageException("--keep-text does not apply to packed rows (--pack)");
  }

  /** Whether documents are packed into rows of {@link #pack} tokens. */
  boolean packed() {
    return pack > 0;
  }

  /** Whether documents are split into train and validation parts. */
  boolean split() {
    return valFraction > 0;
  }

  public static final String HELP = String.join("\n",
      "Usage: TokenizeCorpus --input PATH --output DIR [options]",
      "",
      "Tokenizes a corpus with fasttok on Spark and writes files a trainer reads directly, with a",
      "summary (DIR/summary.json) and a report (DIR/report.html). Runs Spark in this process",
      "(local[*]) unless a master is configured (spark-submit, --conf spark.master=...).",
      "",
      "Input",
      "  --input PATH            file, directory or glob (any Hadoop FileSystem URI); repeatable.",
      "                          Directories are read recursively, skipping names starting with _ or .",
      "  --input-format F        text | jsonl | parquet (default: from the files' extensions:",
      "                          .jsonl/.json/.ndjson, .txt/.text, .parquet; .gz/.bz2/.zst... allowed)",
      "  --text-column NAME      column or JSON field holding the document (default: text)",
      "  --text-document D       text input: line (one document per line, the default) or file",
      "                          (one document per file)",
      "",
      "  JSON Lines files hold one document per line: either a JSON object with the text column",
      "  (matched case included; other fields are kept for parquet output), or one JSON string",
      "  literal (the document itself); the first line of the first file tells which.",
      "",
      "Output",
      "  --output DIR            output directory: DIR/data/ (the token files), DIR/summary.json,",
      "                          DIR/report.html. It must not exist, unless --overwrite",
      "  --output-format F       parquet (default): the input's other columns plus tokens ARRAY<INT>",
      "                          and n_tokens INT, one row per document (NULL/empty ones included);",
      "                          megatron: Megatron-LM indexed dataset, part-NNNNN.bin/.idx per partition;",
      "                          nanogpt: llm.c token shards, part-NNNNN.bin per partition",
      "  --keep-text             parquet: keep the text column too",
      "  --overwrite             replace DIR if it exists (once the new output is complete)",
      "  --val-fraction F        write about this share of the documents (0 <= F < 1) to DIR/data/validation/",
      "                          and the rest to DIR/data/train/, in any output format; a document's",
      "                          part depends only on its text and --seed, so equal texts share a part",
      "                          and the split is the same however the input is partitioned (default 0:",
      "                          no split, everything in DIR/data/)",
      "  --seed N                the split's seed (default 0)",
      "  --pack N                parquet: rows of exactly N tokens instead of a row per document:",
      "                          documents (each ending with the end-of-text token) back to back, cut",
      "                          across rows, in the order of xxhash64(seed, text), columns sequence,",
      "                          tokens, n_tokens and document_starts (where each document starts in",
      "                          the row); the same rows however the input is partitioned",
      "  --pack-last L           drop (default) or pad the last, shorter row (padded with the end-of-",
      "                          text id; n_tokens counts the tokens before the padding)",
      "",
      "Tokenization",
      "  --encoding NAME         r50k_base, gpt2, p50k_base, p50k_edit, cl100k_base, o200k_base (default),",
      "                          o200k_harmony, an OpenAI model name (gpt-4o, gpt-4, ...: tiktoken's",
      "                          encoding_for_model), or a vocabulary configured as spark.fasttok.vocabulary.NAME",
      "  --vocabulary PATH       custom vocabulary (.tiktoken with the split pattern and special tokens",
      "                          of --encoding, .ftok, or tokenizer.json); read once, broadcast",
      "  --eos, --no-eos         append the end-of-text token to each document (default: on for",
      "                          megatron and nanogpt, off for parquet)",
      "  --eos-token TEXT        the special token appended (default <|endoftext|>)",
      "",
      "Spark",
      "  --conf KEY=VALUE        a Spark property for the session this program starts; repeatable.",
      "                          (Under spark-submit, use spark-submit's own --conf.)",
      "  Any option can also be a Spark property, spark.fasttok.corpus.<option> (flags: true/false),",
      "  e.g. in a --properties-file (see conf/tokenize-corpus.properties); the command line wins.",
      "  --progress-interval S   seconds between progress lines (default 5; 0: none)",
      "  --help                  this text",
      "",
      "NULL and empty documents are counted; token files skip them, parquet keeps their rows (tokens",
      "NULL or []). JSON lines that are blank or malformed, have a key twice, nest over 100 levels,",
      "hold a number of over 1,000 characters, or whose text is not a string are counted and",
      "skipped. Ill-formed UTF-8 is read as U+FFFD and counted. Exit status: 0 done, 1 the job",
      "failed, 2 bad arguments.",
      "");
}
