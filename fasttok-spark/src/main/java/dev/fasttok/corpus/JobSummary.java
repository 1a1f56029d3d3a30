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
  public List<OutputFile> files = new ArrayList<>();
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
  /** Documents written: rows of a parquet output, documents of token files. */
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

  public double mbPerSecond() {
    return wallSeconds > 0 ? stats.bytes / wallSeconds / 1e6 : 0;
  }

  public double tokensPerByte() {
    return stats.bytes > 0 ? (double) stats.tokens / stats.bytes : 0;
  }

  /** The histogram's quantile q of tokens per document (approximate, see {@link CorpusStats#quantile}). */
  public long tokensPerDocumentQuantile(double q) {
    return stats.quantile(q);
  }

  String nullAction() {
    return outputFormat.equals("parquet") ? "kept as rows with NULL tokens and n_tokens" : "not written (no tokens)";
  }

  String emptyAction() {
    return outputFormat.equals("parquet") ? "kept as rows with tokens [] and n_tokens 0" : "not written (no tokens)";
  }

  String toJson() {
    CorpusStats s = stats;
    JsonOut j = new JsonOut().beginObject();
    j.key("job").beginObject()
        .field("started", started).field("finished", finished)
        .field("wall_seconds", wallSeconds).field("prepare_seconds", prepareSeconds)
        .field("write_seconds", writeSeconds)
        .field("mb_per_second", mbPerSecond())
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
    skipped(j, "null text", s.nullDocuments, nullAction());
    skipped(j, "empty text", s.emptyDocuments, emptyAction());
    skipped(j, "blank line", s.blankLines, "not a document: skipped");
    skipped(j, "malformed line", s.malformedLines, "not one JSON " + ("objects".equals(inputLayout) ? "object" : "string")
        + ": skipped");
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

  private static void skipped(JsonOut j, String reason, long count, String action) {
    j.beginObject().field("reason", reason).field("count", count).field("action", action).endObject();
  }
}
