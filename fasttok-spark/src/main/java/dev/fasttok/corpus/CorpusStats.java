package dev.fasttok.corpus;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the job counted: lines that were not documents, documents by kind, bytes, tokens, and the
 * distribution of tokens per document (a log-scale histogram: 8 buckets per power of two, so a
 * bucket is at most 12.5% wide). Mutable; one per task, merged on the driver by
 * {@link CorpusStatsAccumulator}.
 */
final class CorpusStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Buckets per power of two. */
  static final int SUB = 8;
  static final int BUCKETS = 32 * SUB;

  /** Blank lines of JSON Lines files (not documents). */
  long blankLines;
  /** Lines that are not a JSON string literal or object, as the format requires (not documents). */
  long malformedLines;
  /** JSON object lines with a key twice in one object (not documents). */
  long duplicateKeyLines;
  /** JSON object lines nested too deep or with too long a number (not documents). */
  long beyondLimitsLines;
  /** JSON object lines whose text field is not a string (not documents). */
  long notStringLines;
  /** Documents: every row or line that is one, NULL and empty ones included. */
  long documents;
  long nullDocuments;
  /** Documents without a token: empty text, or text the tokenizer drops entirely. */
  long emptyDocuments;
  /** Documents with ill-formed UTF-8 or escaped lone surrogates, read with U+FFFD in their place. */
  long replacedDocuments;
  /** UTF-8 bytes of the documents (after replacement). */
  long bytes;
  /** Tokens of the documents' text (without end-of-text tokens): the sum of count_tokens. */
  long tokens;
  /** Documents with at least one token. */
  long tokenized;
  long minTokens = Long.MAX_VALUE;
  long maxTokens;
  long maxBytes;
  final long[] histogram = new long[BUCKETS];
  /** With --val-fraction: the documents of the validation part (NULL and empty ones included). */
  long validationDocuments;
  /** The validation part's documents with at least one token. */
  long validationTokenized;
  /** The validation part's tokens (without end-of-text tokens). */
  long validationTokens;
  /**
   * Nanoseconds inside the job's tasks, from each task's first input row to its last row counted
   * (reading, tokenizing, writing; not Spark's start-up or scheduling), summed over tasks.
   */
  long taskNanos;
  /** In a task's own copy: when the task read its first row (0: not yet). Not merged. */
  transient long taskStart;

  /**
   * Counts one row of the input (status from {@link Documents}; bytes and tokens null when there
   * is no text), into the validation part's counts too if {@code validation}.
   */
  void add(int status, Integer bytes, Integer tokens, boolean validation) {
    if (status == Documents.BLANK) {
      blankLines++;
      return;
    }
    switch (status) {
      case Documents.MALFORMED:
        malformedLines++;
        return;
      case Documents.DUPLICATE_KEY:
        duplicateKeyLines++;
        return;
      case Documents.BEYOND_LIMITS:
        beyondLimitsLines++;
        return;
      case Documents.NOT_STRING:
        notStringLines++;
        return;
      default:
        break;
    }
    documents++;
    if (validation) validationDocuments++;
    if (bytes == null || status == Documents.NULL) {
      nullDocuments++;
      return;
    }
    if (status == Documents.REPLACED) replacedDocuments++;
    int b = bytes;
    if (b == 0) {
      emptyDocuments++;
      return;
    }
    int t = tokens == null ? 0 : tokens;
    this.bytes += b;
    if (t == 0) {
      // Text can have no tokens: a WordPiece tokenizer drops whitespace and control characters.
      // Such a document is written as an empty one is (no sequence in a token file, an empty
      // list in Parquet), so it is counted as one.
      emptyDocuments++;
      return;
    }
    this.tokens += t;
    tokenized++;
    if (validation) {
      validationTokenized++;
      validationTokens += t;
    }
    if (t < minTokens) minTokens = t;
    if (t > maxTokens) maxTokens = t;
    if (b > maxBytes) maxBytes = b;
    histogram[bucket(t)]++;
  }

  /** The histogram bucket of a token count (at least 1). */
  static int bucket(long n) {
    if (n < 1) return 0;
    int octave = 63 - Long.numberOfLeadingZeros(n);
    int sub = octave >= 3 ? (int) (n >> (octave - 3)) & (SUB - 1) : (int) (n << (3 - octave)) & (SUB - 1);
    return Math.min(BUCKETS - 1, octave * SUB + sub);
  }

  /** The smallest token count in a bucket (as a real number: the bucket's left edge). */
  static double bucketLow(int bucket) {
    int octave = bucket / SUB;
    int sub = bucket % SUB;
    return Math.scalb(1.0 + sub / (double) SUB, octave);
  }

  /** The right edge of a bucket. */
  static double bucketHigh(int bucket) {
    return bucketLow(bucket + 1);
  }

  void merge(CorpusStats o) {
    blankLines += o.blankLines;
    malformedLines += o.malformedLines;
    duplicateKeyLines += o.duplicateKeyLines;
    beyondLimitsLines += o.beyondLimitsLines;
    notStringLines += o.notStringLines;
    documents += o.documents;
    nullDocuments += o.nullDocuments;
    emptyDocuments += o.emptyDocuments;
    replacedDocuments += o.replacedDocuments;
    bytes += o.bytes;
    tokens += o.tokens;
    tokenized += o.tokenized;
    minTokens = Math.min(minTokens, o.minTokens);
    maxTokens = Math.max(maxTokens, o.maxTokens);
    maxBytes = Math.max(maxBytes, o.maxBytes);
    for (int i = 0; i < BUCKETS; i++) histogram[i] += o.histogram[i];
    taskNanos += o.taskNanos;
    validationDocuments += o.validationDocuments;
    validationTokenized += o.validationTokenized;
    validationTokens += o.validationTokens;
  }

  /** Lines that were not documents. */
  long skippedLines() {
    return blankLines + malformedLines + duplicateKeyLines + beyondLimitsLines + notStringLines;
  }

  boolean isZero() {
    return skippedLines() == 0 && documents == 0 && taskNanos == 0;
  }

  CorpusStats copy() {
    CorpusStats c = new CorpusStats();
    c.merge(this);
    return c;
  }

  /**
   * The token count below which a fraction q of the tokenized documents fall, from the histogram
   * (the bucket's geometric middle, clamped to the exact minimum and maximum): within 6%.
   */
  long quantile(double q) {
    if (tokenized == 0) return 0;
    long rank = (long) Math.ceil(q * tokenized);
    if (rank < 1) rank = 1;
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += histogram[i];
      if (seen >= rank) {
        double mid = Math.sqrt(bucketLow(i) * bucketHigh(i));
        long v = Math.round(mid);
        return Math.max(minTokens, Math.min(maxTokens, v));
      }
    }
    return maxTokens;
  }

  @Override
  public String toString() {
    // Shown by Spark's UI for the named accumulator: keep it short.
    return documents + " docs, " + bytes + " bytes, " + tokens + " tokens";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CorpusStats)) return false;
    CorpusStats s = (CorpusStats) o;
    return blankLines == s.blankLines && malformedLines == s.malformedLines && documents == s.documents
        && duplicateKeyLines == s.duplicateKeyLines && beyondLimitsLines == s.beyondLimitsLines
        && notStringLines == s.notStringLines
        && nullDocuments == s.nullDocuments && emptyDocuments == s.emptyDocuments
        && replacedDocuments == s.replacedDocuments && bytes == s.bytes && tokens == s.tokens
        && tokenized == s.tokenized && Arrays.equals(histogram, s.histogram)
        && validationDocuments == s.validationDocuments && validationTokenized == s.validationTokenized
        && validationTokens == s.validationTokens;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(documents * 31 + tokens);
  }
}
