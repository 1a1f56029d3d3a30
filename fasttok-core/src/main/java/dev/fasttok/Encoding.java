package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A tokenizer: a vocabulary of byte strings with their ranks (token ids), a split pattern and
 * special tokens, encoding and decoding exactly as OpenAI's tiktoken does.
 *
 * <p>Immutable and thread-safe; get one from {@link Encodings}. Text can be given as a
 * {@link String} or as UTF-8 bytes. A lone surrogate in a String is encoded as U+FFFD, as tiktoken
 * does. Ill-formed UTF-8 in byte input never throws: each maximal ill-formed subsequence is read
 * as U+FFFD, exactly as {@code new String(bytes, UTF_8)} reads it, so byte input and the String
 * it decodes to always give the same tokens (and {@link #truncatedLength} keeps the bytes that
 * decode to what {@link #truncate} keeps). A null argument is a {@link NullPointerException}
 * naming it.
 *
 * <h2>Hugging Face tokenizer.json encodings</h2>
 *
 * <p>An encoding from {@link Encodings#fromTokenizerJson} gives exactly the ids of the Rust
 * {@code tokenizers} library. Hugging Face always recognizes its added tokens (special or not)
 * in the text, with their {@code single_word}, {@code lstrip}, {@code rstrip} and
 * {@code normalized} rules; {@code add_special_tokens} only decides whether the post-processor's
 * template tokens (e.g. a beginning-of-text token) are added. So:
 *
 * <ul>
 *   <li>{@link #encodeOrdinary(String)} and {@link #countTokens(String)} are Hugging Face's
 *       {@code encode(text, add_special_tokens=False)}: what a corpus is tokenized with;
 *   <li>{@link #encode(String, boolean)} is {@code encode(text, add_special_tokens)};
 *   <li>{@link #encode(String, Set)} (and {@link #encode(String)}) give the ids of
 *       {@code encodeOrdinary}, but keep tiktoken's rule for untrusted text: a special added
 *       token found in the text and not in {@code allowedSpecial} is an error;
 *   <li>{@link #specialTokens()} lists the added tokens marked {@code special};
 *   <li>{@link #decode(int[])} is {@code decode(ids, skip_special_tokens=False)} and
 *       {@link #decode(int[], boolean)} is {@code decode(ids, skip_special_tokens)}, with the file's decoder
 *       (ByteLevel: an added token decodes to its text, or its normalized text if it is
 *       {@code normalized}; WordPiece; CTC; BPEDecoder; the SentencePiece decoders; or, with
 *       none, the tokens joined with spaces), except that
 *       an id outside the vocabulary is an error, as in tiktoken (Hugging Face leaves it out);
 *   <li>{@link #truncate} and {@link #chunk} cut at the tokens' ends in the text. A tokenizer.json
 *       encoding that is not byte-level BPE (WordPiece, WordLevel, Unigram, SentencePiece-style
 *       BPE) keeps, for each normalized character, where it came from, so its tokens always map
 *       back to the text. For a byte-level BPE text that the normalizer (NFC,
 *       NFKC) changes, whose tokens do not map back to it, {@code chunk} cuts its normalized
 *       form and {@code truncate} keeps the longest prefix it finds (by binary search) whose
 *       token count fits.
 * </ul>
 *
 * <p>Text is normalized with Unicode 9.0's tables, as Hugging Face does (see
 * {@code HfNormalizer}); split patterns use Unicode 16.0's classes, as its Oniguruma does; the
 * WordPiece and WordLevel components use the classes tokenizers itself has (see
 * {@code BertUnicode}).
 */
public final class Encoding {
  private final String name;
  /** The family's pipeline (tiktoken's or tokenizer.json's) that this facade delegates to. */
  private final Pipeline pipeline;
  private final ThreadLocal<Pipeline.Workspace> workspaces;

  Encoding(VocabularyFiles.Definition d) {
    // The loaders (VocabularyFiles, TokenizerJson) have checked the definition, naming the file.
    this.name = d.name();
    this.pipeline = Pipeline.of(d);
    Pipeline p = pipeline;
    this.workspaces = new ThreadLocal<>() {
      @Override
      protected Pipeline.Workspace initialValue() {
        return p.newWorkspace();
      }
    };
  }

  /** The encoding's name, e.g. {@code cl100k_base}. */
  public String name() {
    return name;
  }

  /**
   * The split pattern (a regular expression, as tiktoken spells it). For a tokenizer.json
   * encoding: the regex of its one {@code Split} pre-tokenizer (or GPT-2's for a lone
   * {@code ByteLevel} with its regex), else a description of its pre-tokenizers.
   */
  public String pattern() {
    return pipeline.pattern();
  }

  /**
   * One more than the largest token id, ordinary or special ({@code n_vocab} in tiktoken; for a
   * tokenizer.json encoding, over the vocabulary, the added tokens and the template's tokens).
   */
  public int vocabularySize() {
    return pipeline.vocabularySize();
  }

  /**
   * The special tokens, text to id, in definition order (for a tokenizer.json encoding, its
   * added tokens marked {@code special}, in id order).
   */
  public Map<String, Integer> specialTokens() {
    return pipeline.specials().asMap();
  }

  /**
   * Token ids of the text, with special-token text encoded as plain text. For a tokenizer.json
   * encoding: Hugging Face's {@code encode(text, add_special_tokens=false)}, in which added
   * tokens (special or not) are recognized in the text, as Hugging Face always does.
   */
  public int[] encodeOrdinary(String text) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    return ordinary(b, 0, b.length);
  }

  /** Token ids of UTF-8 text, as {@link #encodeOrdinary(String)}. */
  public int[] encodeOrdinary(byte[] utf8, int offset, int length) {
    Text t = utf8(utf8, offset, length);
    return ordinary(t.bytes, t.start, t.end);
  }

  /** Number of tokens {@link #encodeOrdinary(String)} returns, without building them. */
  public int countTokens(String text) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    return count(b, 0, b.length);
  }

  /** Number of tokens {@link #encodeOrdinary(byte[], int, int)} returns, without building them. */
  public int countTokens(byte[] utf8, int offset, int length) {
    Text t = utf8(utf8, offset, length);
    return count(t.bytes, t.start, t.end);
  }

  /**
   * {@link #encodeOrdinary(String)} of each text, in the list's order, on the common fork-join
   * pool and the calling thread: tiktoken's {@code encode_ordinary_batch}.
   */
  public List<int[]> encodeOrdinaryBatch(List<String> texts) {
    return encodeOrdinaryBatch(texts, ForkJoinPool.commonPool());
  }

  /**
   * {@link #encodeOrdinaryBatch(List)} on the caller's executor; the calling thread takes part of
   * the work too, and the call returns when every text is done.
   */
  public List<int[]> encodeOrdinaryBatch(List<String> texts, Executor executor) {
    List<String> t = Batch.texts(texts);
    int[][] out = new int[t.size()][];
    Batch.run(t.size(), nonNull(executor, "executor"), (from, to) -> {
      for (int i = from; i < to; i++) out[i] = encodeOrdinary(t.get(i));
    });
    return Collections.unmodifiableList(Arrays.asList(out));
  }

  /**
   * {@link #encode(String)} of each text, on the common fork-join pool: tiktoken's
   * {@code encode_batch} with its defaults. A text with special-token text fails the call, with
   * the error of the first such text in the list.
   */
  public List<int[]> encodeBatch(List<String> texts) {
    return encodeBatch(texts, Collections.emptySet(), ForkJoinPool.commonPool());
  }

  /** {@link #encode(String, Set)} of each text, on the caller's executor and the calling thread. */
  public List<int[]> encodeBatch(List<String> texts, Set<String> allowedSpecial, Executor executor) {
    List<String> t = Batch.texts(texts);
    nonNull(allowedSpecial, "allowedSpecial");
    int[][] out = new int[t.size()][];
    Batch.run(t.size(), nonNull(executor, "executor"), (from, to) -> {
      for (int i = from; i < to; i++) out[i] = encode(t.get(i), allowedSpecial);
    });
    return Collections.unmodifiableList(Arrays.asList(out));
  }

  /** {@link #countTokens(String)} of each text, in the list's order, on the common fork-join pool. */
  public int[] countTokensBatch(List<String> texts) {
    return countTokensBatch(texts, ForkJoinPool.commonPool());
  }

  /** {@link #countTokensBatch(List)} on the caller's executor and the calling thread. */
  public int[] countTokensBatch(List<String> texts, Executor executor) {
    List<String> t = Batch.texts(texts);
    int[] out = new int[t.size()];
    Batch.run(t.size(), nonNull(executor, "executor"), (from, to) -> {
      for (int i = from; i < to; i++) out[i] = countTokens(t.get(i));
    });
    return out;
  }

  /**
   * The prompt tokens a chat request with these messages costs, counted with this encoding by
   * OpenAI's current per-message rule, or in the harmony format if this encoding has harmony's
   * {@code <|start|>}, {@code <|message|>} and {@code <|end|>} special tokens (o200k_harmony, a
   * gpt-oss tokenizer.json). See {@link Encodings#countChatTokens}, which also knows the rule of
   * gpt-3.5-turbo-0301 by its model name.
   *
   * @throws NullPointerException for a null list or message
   */
  public int countChatTokens(List<ChatMessage> messages) {
    return ChatFormat.of(this).count(this, nonNull(messages, "messages"));
  }

  /** Like {@link #encode(String, Set)} with no special token allowed (tiktoken's default). */
  public int[] encode(String text) {
    return encode(text, Collections.emptySet());
  }

  /**
   * Token ids of the text as Hugging Face's {@code encode(text, add_special_tokens)} gives them,
   * for both families: the text of every special token is that special token, and
   * {@code addSpecialTokens} adds the post-processor's template tokens (e.g. a beginning-of-text
   * token) around the ids. For a tokenizer.json encoding the ids are those of
   * {@link #encodeOrdinary(String)}, in which Hugging Face always finds its added tokens; a
   * tiktoken encoding has no template, so this is tiktoken's {@code encode(text,
   * allowed_special="all")} whatever the flag. Use {@link #encodeOrdinary(String)} to read
   * special-token text as plain text, or {@link #encode(String, Set)} to refuse it.
   */
  public int[] encode(String text, boolean addSpecialTokens) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    return allSpecial(b, 0, b.length, addSpecialTokens);
  }

  /** {@link #encode(String, boolean)} on UTF-8 text. */
  public int[] encode(byte[] utf8, int offset, int length, boolean addSpecialTokens) {
    Text t = utf8(utf8, offset, length);
    return allSpecial(t.bytes, t.start, t.end, addSpecialTokens);
  }

  /**
   * Token ids of the text, where the text of each special token in {@code allowedSpecial} is
   * encoded as that special token. As in tiktoken, the text of any other special token is an
   * error ({@link IllegalArgumentException} naming the token and its index in the text); use
   * {@link #encodeOrdinary(String)} to encode it as plain text. Pass
   * {@code specialTokens().keySet()} to allow all.
   *
   * <p>For a tokenizer.json encoding, the ids are those of {@link #encodeOrdinary(String)} (in
   * which Hugging Face finds every added token), but finding a special token that is not in
   * {@code allowedSpecial} is the same error.
   */
  public int[] encode(String text, Set<String> allowedSpecial) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    return withSpecials(b, 0, b.length, nonNull(allowedSpecial, "allowedSpecial"), null, true);
  }

  /** {@link #encode(String, Set)} on UTF-8 text; an error gives the byte offset of the token. */
  public int[] encode(byte[] utf8, int offset, int length, Set<String> allowedSpecial) {
    Text t = utf8(utf8, offset, length);
    return withSpecials(t.bytes, t.start, t.end, nonNull(allowedSpecial, "allowedSpecial"), null, false);
  }

  /**
   * tiktoken's {@code encode(text, allowed_special, disallowed_special)}: the text of a special
   * token in {@code disallowedSpecial} is an error (also if it is in {@code allowedSpecial}, as
   * in tiktoken), the text of one in {@code allowedSpecial} is that special token, and the text
   * of any other special token is plain text. {@code encode(text, allowed, Set.of())} never fails
   * on special-token text.
   */
  public int[] encode(String text, Set<String> allowedSpecial, Set<String> disallowedSpecial) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    return withSpecials(b, 0, b.length, nonNull(allowedSpecial, "allowedSpecial"),
        nonNull(disallowedSpecial, "disallowedSpecial"), true);
  }

  /** {@link #encode(String, Set, Set)} on UTF-8 text; an error gives the byte offset of the token. */
  public int[] encode(byte[] utf8, int offset, int length, Set<String> allowedSpecial, Set<String> disallowedSpecial) {
    Text t = utf8(utf8, offset, length);
    return withSpecials(t.bytes, t.start, t.end, nonNull(allowedSpecial, "allowedSpecial"),
        nonNull(disallowedSpecial, "disallowedSpecial"), false);
  }

  /** The bytes of the tokens, concatenated. */
  public byte[] decodeBytes(int[] ids) {
    return pipeline.decodeBytes(nonNull(ids, "ids"));
  }

  /**
   * The text of the tokens; bytes that are not well-formed UTF-8 (a token sequence can end inside
   * a character) become U+FFFD, as tiktoken's {@code decode} does with {@code errors="replace"}.
   */
  public String decode(int[] ids) {
    return new String(decodeBytes(ids), StandardCharsets.UTF_8);
  }

  /**
   * The text of the tokens, without the special tokens if {@code skipSpecialTokens}: for a
   * tokenizer.json encoding, exactly Hugging Face's {@code decode(ids, skip_special_tokens)},
   * which leaves out every token whose text is that of an added token marked {@code special}
   * (such as {@code [CLS]}, {@code <s>}, {@code <|endoftext|>}) before the decoder runs, so the
   * decoder sees the remaining tokens only; for a tiktoken encoding, tiktoken's {@code decode}
   * of the ids without those of {@link #specialTokens()}. {@code decode(ids, false)} is
   * {@link #decode(int[])}. An id outside the vocabulary is an error either way.
   */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    return new String(decodeBytes(ids, skipSpecialTokens), StandardCharsets.UTF_8);
  }

  /** The UTF-8 bytes {@link #decode(int[], boolean)} decodes to text, before any U+FFFD. */
  public byte[] decodeBytes(int[] ids, boolean skipSpecialTokens) {
    nonNull(ids, "ids");
    return pipeline.decodeBytes(skipSpecialTokens ? pipeline.withoutSpecial(ids) : ids);
  }

  /**
   * This encoding in fasttok's compact binary form, which {@link Encodings#fromBytes} reads back
   * quickly; the form a vocabulary travels in (e.g. a Spark broadcast).
   */
  public byte[] toBytes() {
    return VocabularyFiles.writeCompact(pipeline.definition);
  }

  @Override
  public String toString() {
    return "Encoding[" + name + ", split " + pipeline.splitEngine() + "]";
  }

  /**
   * The argument, if it is not null; else a NullPointerException naming it. For the arguments of
   * the public methods (here and in {@link Encodings}), checked before anything else is done.
   */
  static <T> T nonNull(T value, String argument) {
    if (value == null) throw new NullPointerException(argument + " must not be null");
    return value;
  }

  /** Well-formed UTF-8 text b[start, end), as every method below takes it. */
  private record Text(byte[] bytes, int start, int end) {}

  /**
   * The prologue of every method on UTF-8 bytes: the range checked, and ill-formed input read as
   * {@code new String(bytes, UTF_8)} reads it (each maximal ill-formed subsequence as U+FFFD).
   * One allocation site, used where it is made, so that C2 leaves the record out.
   */
  private static Text utf8(byte[] utf8, int offset, int length) {
    nonNull(utf8, "utf8");
    if (offset < 0 || length < 0 || offset > utf8.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array length " + utf8.length);
    }
    byte[] b = utf8;
    int start = offset;
    int end = offset + length;
    if (!Utf8.isWellFormed(utf8, start, end)) {
      b = new String(utf8, offset, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      start = 0;
      end = b.length;
    }
    return new Text(b, start, end);
  }

  private int[] ordinary(byte[] b, int start, int end) {
    Pipeline.Workspace w = workspaces.get();
    w.ids.clear();
    pipeline.encodeOrdinary(b, start, end, w.ids, w);
    return finish(w);
  }

  private int count(byte[] b, int start, int end) {
    Pipeline.Workspace w = workspaces.get();
    int n = pipeline.encodeOrdinary(b, start, end, null, w);
    release(w);
    return n;
  }

  /** {@link #encode(String, boolean)}: every special token found, then the template if asked for. */
  private int[] allSpecial(byte[] b, int start, int end, boolean addTemplate) {
    Pipeline.Workspace w = workspaces.get();
    w.ids.clear();
    pipeline.encodeAllSpecial(b, start, end, addTemplate, w.ids, w);
    return finish(w);
  }

  /**
   * {@code disallowed}: null for every special token that is not allowed (tiktoken's "all");
   * {@code charIndex}: whether an error gives the token's char index (String input) rather
   * than its byte offset.
   */
  private int[] withSpecials(byte[] b, int start, int end, Set<String> allowed, Set<String> disallowed,
      boolean charIndex) {
    checkSpecialNames(allowed);
    if (disallowed != null) checkSpecialNames(disallowed);
    Pipeline.Workspace w = workspaces.get();
    w.ids.clear();
    try {
      pipeline.encode(b, start, end, allowed, disallowed, w.ids, w);
    } catch (Pipeline.RefusedToken e) {
      release(w);
      String where = e.offset < 0 ? "in its normalized form"
          : "at " + (charIndex ? "index " + Utf8.charCount(b, start, start + e.offset) : "byte offset " + e.offset);
      throw new IllegalArgumentException("the text contains the special token " + e.token + " " + where
          + ", which is not allowed; list it in allowedSpecial to encode it as the special token"
          + (pipeline.ordinaryReadsSpecialsAsText() ? ", or use encodeOrdinary to encode it as plain text" : ""));
    }
    return finish(w);
  }

  private void checkSpecialNames(Set<String> names) {
    SpecialTokens specials = pipeline.specials();
    for (String s : names) {
      if (specials.indexOf(s) < 0) {
        throw new IllegalArgumentException("'" + s + "' is not a special token of " + name
            + "; its special tokens are " + specials.asMap().keySet());
      }
    }
  }

  /** The start of the character containing byte i of well-formed UTF-8 (i itself if it starts one). */
  private static int characterStart(byte[] b, int from, int i) {
    while (i > from && i < b.length && (b[i] & 0xC0) == 0x80) i--;
    return i;
  }

  /**
   * The longest prefix of the text made of its first {@code maxTokens} ordinary tokens (the whole
   * text if it has no more). A token can end inside a character; the partial character is then
   * left out. Fewer tokens are kept where needed so that {@code countTokens} of the result is
   * never more than {@code maxTokens}: a prefix on its own can tokenize differently at its end.
   */
  public String truncate(String text, int maxTokens) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    int n = truncatedLength(b, 0, b.length, maxTokens);
    // Text that is kept whole comes back as it was (with any lone surrogates it had).
    return n == b.length ? text : new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** {@link #truncate(String, int)} on UTF-8 text: the length in bytes of the prefix to keep. */
  public int truncatedLength(byte[] utf8, int offset, int length, int maxTokens) {
    Text t = utf8(utf8, offset, length);
    if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must not be negative: " + maxTokens);
    if (t.bytes != utf8) {
      // Ill-formed input reads as its U+FFFD decoding; map the kept characters back to input bytes.
      String decoded = new String(utf8, offset, length, StandardCharsets.UTF_8);
      String kept = truncate(decoded, maxTokens);
      if (kept.length() == decoded.length()) return length;
      return Utf8.prefixLength(utf8, offset, offset + length, kept.length());
    }
    if (!pipeline.endsMapToText(utf8, offset, offset + length)) {
      return truncatedByCount(utf8, offset, length, maxTokens);
    }
    Pipeline.Workspace w = workspaces.get();
    IntList ends = new IntList(Math.min(maxTokens, 1 << 16) + 1);
    int cut = offset + length;
    if (pipeline.tokenEnds(utf8, offset, offset + length, maxTokens, ends, w) > maxTokens) {
      int keep = maxTokens;
      cut = keep == 0 ? offset : characterStart(utf8, offset, ends.a[keep - 1]);
      // The prefix alone can split into more tokens than it had inside the text (its last
      // piece loses what followed, e.g. "I'" of "I'LL", or a cut moved back into a character
      // keeps part of a token); keep fewer tokens until it fits.
      while (keep > 0 && count(utf8, offset, cut) > maxTokens) {
        keep--;
        cut = keep == 0 ? offset : characterStart(utf8, offset, ends.a[keep - 1]);
      }
    }
    release(w);
    return cut - offset;
  }

  /**
   * For text that a tokenizer.json normalizer changes (its tokens do not map back to it): the
   * longest prefix, ending at a character boundary, whose token count a binary search finds to
   * be at most maxTokens.
   */
  private int truncatedByCount(byte[] b, int offset, int length, int maxTokens) {
    if (count(b, offset, offset + length) <= maxTokens) return length;
    IntList cuts = new IntList(64); // character starts
    for (int i = offset; i < offset + length; i++) if ((b[i] & 0xC0) != 0x80) cuts.add(i - offset);
    int lo = 0; // cuts.a[0] = 0 always fits
    int hi = cuts.size - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (count(b, offset, offset + cuts.a[mid]) <= maxTokens) lo = mid;
      else hi = mid - 1;
    }
    return cuts.a[lo];
  }

  /**
   * A run of consecutive tokens of a text, from {@link #chunk}.
   *
   * @param text the chunk's text
   * @param start where the chunk starts in the text as it was tokenized: a char index for String
   *     input, a byte offset for UTF-8. That text is the input, unless the input is ill-formed
   *     UTF-8 (then its reading with U+FFFD) or a tokenizer.json normalizer changes it (then its
   *     normalized form); {@link #text()} is the chunk's text in every case.
   * @param end where the chunk ends (exclusive), in the same unit as {@link #start()}
   * @param tokenStart index of the chunk's first token among the text's tokens
   * @param tokenCount number of the text's tokens the chunk holds
   * @param ids the chunk's tokens: ids[tokenStart, tokenStart + tokenCount) of the whole text's
   *     {@link #encodeOrdinary(String)}, which an embedding or training step consumes as they are
   *     (encoding the chunk's text on its own can give other tokens at its edges)
   */
  public record Chunk(String text, int start, int end, int tokenStart, int tokenCount, int[] ids) {
    /** The ids are a copy: a chunk is a value. */
    public Chunk {
      ids = ids.clone();
    }

    /** A copy of the chunk's ids. */
    @Override
    public int[] ids() {
      return ids.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk c && c.text.equals(text) && c.start == start && c.end == end
          && c.tokenStart == tokenStart && c.tokenCount == tokenCount && Arrays.equals(c.ids, ids);
    }

    @Override
    public int hashCode() {
      return ((text.hashCode() * 31 + start) * 31 + tokenStart) * 31 + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return "Chunk[tokens " + tokenStart + "+" + tokenCount + ", " + start + ".." + end + "]";
    }
  }

  /**
   * Cuts the text into chunks of {@code size} ordinary tokens, each starting {@code size - overlap}
   * tokens after the previous one (the last may be shorter); an empty text has no chunks. Chunk
   * edges fall on token boundaries, moved back to the start of a character where a token ends
   * inside one, so that with no overlap the chunks' texts concatenate to the text.
   */
  public List<Chunk> chunk(String text, int size, int overlap) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    return chunk(b, 0, b.length, size, overlap, true);
  }

  /**
   * {@link #chunk(String, int, int)} on UTF-8 text; chunk offsets are byte offsets. Ill-formed
   * UTF-8 reads as U+FFFD, as in every other method on bytes.
   */
  public List<Chunk> chunk(byte[] utf8, int offset, int length, int size, int overlap) {
    Text t = utf8(utf8, offset, length);
    return chunk(t.bytes, t.start, t.end - t.start, size, overlap, false);
  }

  private List<Chunk> chunk(byte[] b, int offset, int length, int size, int overlap, boolean charOffsets) {
    if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
    if (overlap < 0 || overlap >= size) {
      throw new IllegalArgumentException("overlap must be at least 0 and less than the chunk size " + size + ": " + overlap);
    }
    Pipeline.Workspace w = workspaces.get();
    if (!pipeline.endsMapToText(b, offset, offset + length)) {
      // Tokens of a text the normalizer changes map to its normalized form only.
      b = pipeline.normalizedText(b, offset, offset + length, w);
      offset = 0;
      length = b.length;
    }
    IntList ends = new IntList(256);
    int n = pipeline.tokenEnds(b, offset, offset + length, Integer.MAX_VALUE - 1, ends, w);
    // The same pass leaves the tokens' ids: a chunk's ids are their slice.
    int[] ids = w.ids.toArray();
    release(w);
    if (n != ids.length) throw new IllegalStateException(name + ": " + n + " token ends for " + ids.length + " ids");
    List<Chunk> chunks = new ArrayList<>();
    for (int first = 0; first < n; first += size - overlap) {
      int last = Math.min(first + size, n);
      int from = first == 0 ? offset : characterStart(b, offset, ends.a[first - 1]);
      int to = last == n ? offset + length : characterStart(b, offset, ends.a[last - 1]);
      String t = new String(b, from, to - from, StandardCharsets.UTF_8);
      int s = charOffsets ? Utf8.charCount(b, offset, from) : from - offset;
      int e = charOffsets ? s + t.length() : to - offset;
      chunks.add(new Chunk(t, s, e, first, last - first, Arrays.copyOfRange(ids, first, last)));
      if (last == n) break;
    }
    return chunks;
  }

  private int[] finish(Pipeline.Workspace w) {
    int[] result = w.ids.toArray();
    release(w);
    return result;
  }

  /** Drops scratch arrays grown by one huge input, so that a thread does not keep them. */
  private void release(Pipeline.Workspace w) {
    if (w.ids.a.length > (1 << 20) || w.ends.a.length > (1 << 20)) workspaces.remove();
  }
}
