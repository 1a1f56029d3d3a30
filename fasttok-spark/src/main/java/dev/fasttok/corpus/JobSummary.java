package dev.fasttok.corpus;

import java.util.ArrayList;
import java.util.List;

/** What a corpus job did: written as {@code summary.json} and shown by {@code report.html}. */
public final class JobSummary {
  /** One file of the output. */
  public static final class OutputFile {
    public final String name;
    public final long bytes;
    /** Documents in the file, or -1 where the format does not say (nanogpt, parquet). */
    public final long documents;
    /** Token ids in the file (end-of-text ones included), or -1 (parquet). */
    public final long tokens;

    OutputFile(String name, long bytes, long documents, long tokens) {
      this.name = name;
      this.bytes = bytes;
      this.documents = documents;
      this.tokens = tokens;
    }
  }

  /** With --val-fraction: one part of the output, train or validation. */
  public static final class Part {
    public final String name;
    public final String directory;
    /** Rows of a parquet output, documents of token files. */
    public final long documentsWritten;
    /** Documents with at least one token. */
    public final long tokenized;
    /** Token ids written (end-of-text ones included). */
    public final long tokensWritten;
    /** NULL and empty documents (rows without tokens in parquet output). */
    final long withoutTokens;
    /** --pack: the rows. */
    public final long sequences;

    Part(String name, String directory, long documentsWritten, long tokenized, long tokensWritten, long withoutTokens,
        long sequences) {
      this.name = name;
      this.directory = directory;
      this.documentsWritten = documentsWritten;
      this.tokenized = tokenized;
      this.tokensWritten = tokensWritten;
      this.withoutTokens = withoutTokens;
      this.sequences = sequences;
    }
  }

  // Job
  public String started;
  public String finished;
  public String fasttokVersion;
  public String sparkVersion;
  public String sparkMaster;
  public String applicationId;
  public int partitions;

  // Input
  public List<String> inputs = new ArrayList<>();
  public String inputFormat;
  public String inputLayout;
  public String textColumn;
  public int inputFiles;
  public long inputFileBytes;

  // Output
  public String output;
  public String dataDirectory;
  public String outputFormat;
  public String tokenType;
  /** parquet: the output's columns. */
  public List<String> columns = new ArrayList<>();
  /** parquet from JSON objects: fields not kept as columns (see README), dotted paths. */
  public List<String> droppedFields = new ArrayList<>();
  public List<OutputFile> files = new ArrayList<>();
  /** --val-fraction (0: no split, and no parts). */
  public double valFraction;
  public long seed;
  /** With --val-fraction: train, then validation. */
  public List<Part> parts = new ArrayList<>();
  /** --pack: tokens per row (0: a row per document). */
  public int packLength;
  /** --pack: whether the last, short row is padded (else dropped). */
  public boolean padLast;
  /** --pack: the rows written. */
  public long sequences;
  /** --pack: end-of-text ids padding the last row (pad), or negative: the tokens of the last, dropped row. */
  public long paddingTokens;
  public String summaryFile;
  public String reportFile;

  // Tokenizer
  public String encoding;
  public String vocabulary;
  public int vocabularySize;
  public boolean eos;
  public String eosToken;
  public int eosId = -1;

  // Counts
  CorpusStats stats;
  /** Documents written: rows of a parquet output, documents of token files, documents in packed rows. */
  public long documentsWritten;
  public long eosTokens;
  /** Token ids written (end-of-text ones included); checked against the files. */
  public long tokensWritten;

  // Time
  public double wallSeconds;
  /** Checks, listing and planning, before the first document is read. */
  public double prepareSeconds;
  /** The Spark job: reading, tokenizing, writing, committing. */
  public double writeSeconds;

  /** A kind of input row that was not tokenized, how many and what the job did with them. */
  static final class Skip {
    /** The name in summary.json and report.html. */
    final String reason;
    final long count;
    final String action;
    /** Documents (kept as rows of parquet output), or lines that are none. */
    final boolean documents;
    /** Whether the input format can have it. */
    final boolean applies;
    private final String one;
    private final String many;

    Skip(String reason, long count, String action, boolean documents, boolean applies, String one, String many) {
      this.reason = reason;
      this.count = count;
      this.action = action;
      this.documents = documents;
      this.applies = applies;
      this.one = one;
      this.many = many;
    }

    /** The count for people: "1 blank line", "3 blank lines". */
    String counted() {
      return Format.grouped(count) + " " + (count == 1 ? one : many);
    }
  }

  /** Every kind of row not tokenized, in the order summary.json, report.html and the console list them. */
  List<Skip> skipped() {
    CorpusStats s = stats;
    boolean jsonl = "jsonl".equals(inputFormat);
    boolean objects = jsonl && "objects".equals(inputLayout);
    List<Skip> l = new ArrayList<>();
    l.add(new Skip("null text", s.nullDocuments, nullAction(), true, true, "NULL document", "NULL documents"));
    l.add(new Skip("empty text", s.emptyDocuments, emptyAction(), true, true, "empty document",
        "empty documents"));
    l.add(new Skip("blank line", s.blankLines, "not a document: skipped", false, jsonl, "blank line",
        "blank lines"));
    l.add(new Skip("malformed line", s.malformedLines, "not one JSON " + (objects ? "object" : "string")
        + ": skipped", false, jsonl, "malformed line", "malformed lines"));
    l.add(new Skip("duplicate key", s.duplicateKeyLines, "a JSON object with a key twice (at any depth): skipped",
        false, objects, "line with a duplicate key", "lines with a duplicate key"));
    l.add(new Skip("beyond limits", s.beyondLimitsLines, "nested deeper than " + JsonObjectLine.MAX_DEPTH
        + " or a number longer than " + JsonObjectLine.MAX_NUMBER_LENGTH + " characters: skipped", false, objects,
        "line beyond the limits", "lines beyond the limits"));
    l.add(new Skip("text not a string", s.notStringLines, "the text field is a number, boolean, array or object:"
        + " skipped", false, objects, "line whose text is not a string", "lines whose text is not a string"));
    return l;
  }

  public long documents() {
    return stats.documents;
  }

  public long bytes() {
    return stats.bytes;
  }

  /** Tokens of the documents' text: the sum of count_tokens over the input. */
  public long tokens() {
    return stats.tokens;
  }

  public long nullDocuments() {
    return stats.nullDocuments;
  }

  public long emptyDocuments() {
    return stats.emptyDocuments;
  }

  public long invalidUtf8Documents() {
    return stats.replacedDocuments;
  }

  public long blankLines() {
    return stats.blankLines;
  }

  public long malformedLines() {
    return stats.malformedLines;
  }

  public long tokenizedDocuments() {
    return stats.tokenized;
  }

  /** Text bytes over the wall time (which for a small corpus is mostly Spark's start-up). */
  public double mbPerSecond() {
    return wallSeconds > 0 ? stats.bytes / wallSeconds / 1e6 : 0;
  }

  /** Time inside the job's tasks, summed over tasks (see {@link CorpusStats#taskNanos}). */
  public double taskSeconds() {
    return stats.taskNanos / 1e9;
  }

  /** The tokenization rate: text bytes per second of task time, the rate of one core. */
  public double taskMbPerSecond() {
    return stats.taskNanos > 0 ? stats.bytes / (stats.taskNanos / 1e9) / 1e6 : 0;
  }

  public double tokensPerByte() {
    return stats.bytes > 0 ? (double) stats.tokens / stats.bytes : 0;
  }

  /** The histogram's quantile q of tokens per document (approximate, see {@link CorpusStats#quantile}). */
  public long tokensPerDocumentQuantile(double q) {
    return stats.quantile(q);
  }

  String nullAction() {
    return !tokenFiles() ? "kept as rows with NULL tokens and n_tokens" : "not written (no tokens)";
  }

  /** Whether the output is token files (any format but parquet). */
  private boolean tokenFiles() {
    return OutputFormat.named(outputFormat) != OutputFormat.PARQUET;
  }

  String emptyAction() {
    return !tokenFiles() ? "kept as rows with tokens [] and n_tokens 0" : "not written (no tokens)";
  }

  String toJson() {
    CorpusStats s = stats;
    JsonOut j = new JsonOut().beginObject();
    j.key("job").beginObject()
        .field("started", started).field("finished", finished)
        .field("wall_seconds", wallSeconds).field("prepare_seconds", prepareSeconds)
        .field("write_seconds", writeSeconds)
        .field("mb_per_second", mbPerSecond())
        .field("task_seconds", taskSeconds())
        .field("task_mb_per_second", taskMbPerSecond())
        .field("task_note", "time inside the tasks, from each task's first row to its last (reading, tokenizing,"
            + " writing; no start-up), summed over tasks: task_mb_per_second is the rate of one core")
        .field("documents_per_second", wallSeconds > 0 ? s.documents / wallSeconds : 0)
        .field("tokens_per_second", wallSeconds > 0 ? s.tokens / wallSeconds : 0)
        .field("fasttok_version", fasttokVersion).field("spark_version", sparkVersion)
        .field("spark_master", sparkMaster).field("application_id", applicationId).field("partitions", partitions)
        .endObject();
    j.key("input").beginObject();
    j.key("paths").beginArray();
    for (String p : inputs) j.value(p);
    j.endArray();
    j.field("format", inputFormat).field("layout", inputLayout).field("text_column", textColumn)
        .field("files", inputFiles).field("file_bytes", inputFileBytes).endObject();
    j.key("tokenizer").beginObject().field("encoding", encoding).field("vocabulary", vocabulary)
        .field("vocabulary_size", vocabularySize).field("eos", eos).field("eos_token", eos ? eosToken : null);
    j.key("eos_id");
    if (eos) {
      j.value(eosId);
    } else {
      j.value((String) null);
    }
    j.endObject();
    j.key("documents").beginObject()
        .field("total", s.documents)
        .field("tokenized", s.tokenized)
        .field("written", documentsWritten)
        .field("null", s.nullDocuments)
        .field("empty", s.emptyDocuments)
        .field("invalid_utf8", s.replacedDocuments)
        .endObject();
    j.field("bytes", s.bytes);
    j.field("tokens", s.tokens);
    j.field("eos_tokens", eosTokens);
    j.field("tokens_written", tokensWritten);
    j.field("tokens_per_byte", tokensPerByte());
    j.field("bytes_per_token", s.tokens > 0 ? (double) s.bytes / s.tokens : 0);
    j.key("skipped").beginArray();
    for (Skip k : skipped()) {
      j.beginObject().field("reason", k.reason).field("count", k.count).field("action", k.action).endObject();
    }
    j.endArray();
    j.key("invalid_utf8").beginObject().field("documents", s.replacedDocuments)
        .field("action", "tokenized with U+FFFD in place of each ill-formed UTF-8 sequence or escaped lone surrogate")
        .endObject();
    j.key("tokens_per_document").beginObject()
        .field("documents", s.tokenized)
        .field("min", s.tokenized > 0 ? s.minTokens : 0)
        .field("max", s.maxTokens)
        .field("mean", s.tokenized > 0 ? (double) s.tokens / s.tokenized : 0)
        .field("p50", s.quantile(0.5)).field("p90", s.quantile(0.9)).field("p99", s.quantile(0.99))
        .field("note", "tokens of the text (no end-of-text token); quantiles from a log-scale histogram, within 6%");
    j.key("histogram").beginArray();
    for (int b = 0; b < CorpusStats.BUCKETS; b++) {
      if (s.histogram[b] == 0) continue;
      j.beginObject().field("from", CorpusStats.bucketLow(b)).field("to", CorpusStats.bucketHigh(b))
          .field("documents", s.histogram[b]).endObject();
    }
    j.endArray().endObject();
    j.key("output").beginObject().field("directory", output).field("data", dataDirectory)
        .field("format", outputFormat).field("token_type", tokenType)
        .field("summary", summaryFile).field("report", reportFile);
    if (!columns.isEmpty()) {
      j.key("columns").beginArray();
      for (String c : columns) j.value(c);
      j.endArray();
    }
    if (!droppedFields.isEmpty()) {
      j.key("dropped_fields").beginArray();
      for (String c : droppedFields) j.value(c);
      j.endArray();
    }
    if (packLength > 0) {
      j.key("pack").beginObject().field("sequence_length", packLength).field("sequences", sequences)
          .field("last", padLast ? "pad" : "drop")
          .field("padding_tokens", Math.max(0, paddingTokens)).field("dropped_tokens", Math.max(0, -paddingTokens))
          .field("order", "documents sorted by xxhash64(seed, text), then text").field("seed", seed).endObject();
    }
    if (!parts.isEmpty()) {
      j.key("split").beginObject().field("validation_fraction", valFraction).field("seed", seed)
          .field("rule", "a document is in validation when the top 53 bits of xxhash64(seed, text), as a fraction"
              + " of 2^53, are below validation_fraction");
      j.key("parts").beginArray();
      for (Part p : parts) {
        j.beginObject().field("name", p.name).field("directory", p.directory)
            .field("documents_written", p.documentsWritten).field("tokenized", p.tokenized)
            .field("tokens_written", p.tokensWritten);
        if (packLength > 0) j.field("sequences", p.sequences);
        j.endObject();
      }
      j.endArray().endObject();
    }
    long total = 0;
    for (OutputFile f : files) total += f.bytes;
    j.field("bytes", total);
    j.key("files").beginArray();
    for (OutputFile f : files) {
      j.beginObject().field("name", f.name).field("bytes", f.bytes);
      if (f.documents >= 0) j.field("documents", f.documents);
      if (f.tokens >= 0) j.field("tokens", f.tokens);
      j.endObject();
    }
    j.endArray().endObject();
    return j.endObject().toString();
  }
}
