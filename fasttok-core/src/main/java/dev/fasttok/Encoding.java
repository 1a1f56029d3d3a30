package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *   <li>{@link #decode} is {@code decode(ids, skip_special_tokens=False)} with the ByteLevel
 *       decoder (an added token decodes to its text, or its normalized text if it is
 *       {@code normalized}), except that an id outside the vocabulary is an error, as in
 *       tiktoken (Hugging Face leaves it out);
 *   <li>{@link #truncate} and {@link #chunk} cut at the tokens' ends in the text; for a text that
 *       the normalizer (NFC, NFKC) changes, whose tokens do not map back to it, {@code chunk}
 *       cuts its normalized form and {@code truncate} keeps the longest prefix it finds (by
 *       binary search) whose token count fits.
 * </ul>
 *
 * <p>Text is normalized with Unicode 9.0's tables, as Hugging Face does (see
 * {@code HfNormalizer}); split patterns use Unicode 16.0's classes, as its Oniguruma does.
 */
public final class Encoding {
  private final String name;
  private final Splitter splitter;
  private final Vocabulary vocab;
  private final BytePairEncoder bpe;
  private final SpecialTokens specials;
  private final byte[][] specialBytesById; // indexed by id - specialBase
  private final int specialBase;
  private final int vocabularySize;
  private final VocabularyFiles.Definition definition;
  /** The tokenizer.json pipeline around the vocabulary, or null for a tiktoken encoding. */
  private final HfPipeline hf;
  /**
   * Ids that decode to bytes other than offsets[id] in the vocabulary (sorted), and those bytes, or
   * null: a tokenizer.json encoding's added and non-BPE tokens; a tiktoken encoding's sparse ids
   * and special tokens whose ids are far apart.
   */
  private final int[] extraIds;
  private final byte[][] extraBytes;
  private final ThreadLocal<Workspace> workspaces;

  /** Scratch space of one thread. */
  private static final class Workspace {
    final BytePairEncoder.Workspace merge;
    final IntList ends = new IntList(256);
    final IntList ids = new IntList(256);
    final HfPipeline.Scratch hf;

    Workspace(int maxTokenLength, boolean hf) {
      merge = new BytePairEncoder.Workspace(maxTokenLength);
      this.hf = hf ? new HfPipeline.Scratch() : null;
    }
  }

  Encoding(VocabularyFiles.Definition d) {
    // The loaders (VocabularyFiles, TokenizerJson) have checked the definition, naming the file.
    this.name = d.name;
    this.definition = d;
    this.vocab = d.vocab;
    this.bpe = new BytePairEncoder(vocab);
    this.specials = new SpecialTokens(d.specials);
    if (d.hf != null) {
      // Special (added) tokens can share an id with a vocabulary token; decoding prefers the
      // added token, as Hugging Face does.
      this.splitter = null;
      this.hf = new HfPipeline(d.hf, vocab, bpe);
      this.extraIds = d.hf.extraIds.clone();
      this.extraBytes = d.hf.extraBytes.clone();
      int hi = vocab.idLimit() - 1;
      for (int id : extraIds) hi = Math.max(hi, id);
      if (d.hf.template != null) for (int t : d.hf.template) hi = Math.max(hi, t);
      this.vocabularySize = hi + 1;
      this.specialBase = 0;
      this.specialBytesById = new byte[0][];
    } else {
      this.splitter = Splitters.forPattern(d.pattern);
      this.hf = null;
      int lo = Integer.MAX_VALUE;
      int hi = -1;
      for (int id : specials.ids) {
        lo = Math.min(lo, id);
        hi = Math.max(hi, id);
      }
      this.vocabularySize = Math.max(hi, vocab.idLimit() - 1) + 1;
      // Sparse ids, and special ids too far apart for an array by id, decode by binary search.
      boolean spread = hi - (long) lo + 1 > 2L * specials.size() + 1024;
      java.util.TreeMap<Integer, byte[]> extra = new java.util.TreeMap<>();
      for (int r = vocab.denseEnd; r < vocab.size(); r++) {
        extra.put(vocab.id(r), java.util.Arrays.copyOfRange(vocab.pool, vocab.offsets[r], vocab.offsets[r + 1]));
      }
      this.specialBase = spread || lo == Integer.MAX_VALUE ? 0 : lo;
      this.specialBytesById = new byte[spread || hi < 0 ? 0 : hi - specialBase + 1][];
      for (int i = 0; i < specials.size(); i++) {
        // With two names for one id, decoding gives the first one listed.
        if (spread) {
          extra.putIfAbsent(specials.ids[i], specials.bytes[i]);
        } else if (specialBytesById[specials.ids[i] - specialBase] == null) {
          specialBytesById[specials.ids[i] - specialBase] = specials.bytes[i];
        }
      }
      this.extraIds = extra.isEmpty() ? null : extra.keySet().stream().mapToInt(Integer::intValue).toArray();
      this.extraBytes = extra.isEmpty() ? null : extra.values().toArray(new byte[0][]);
    }
    boolean isHf = hf != null;
    this.workspaces = new ThreadLocal<>() {
      @Override
      protected Workspace initialValue() {
        return new Workspace(vocab.maxTokenLength, isHf);
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
    return hf != null ? definition.pattern : splitter.pattern();
  }

  /**
   * One more than the largest token id, ordinary or special ({@code n_vocab} in tiktoken; for a
   * tokenizer.json encoding, over the vocabulary, the added tokens and the template's tokens).
   */
  public int vocabularySize() {
    return vocabularySize;
  }

  /**
   * The special tokens, text to id, in definition order (for a tokenizer.json encoding, its
   * added tokens marked {@code special}, in id order).
   */
  public Map<String, Integer> specialTokens() {
    return specials.asMap();
  }

  /**
   * Token ids of the text, with special-token text encoded as plain text. For a tokenizer.json
   * encoding: Hugging Face's {@code encode(text, add_special_tokens=false)}, in which added
   * tokens (special or not) are recognized in the text, as Hugging Face always does.
   */
  public int[] encodeOrdinary(String text) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    if (hf != null) {
      Workspace w = workspaces.get();
      w.ids.clear();
      hfEncode(b, 0, b.length, hf.isNormalized(b, 0, b.length), w.ids, null, w);
      return finish(w);
    }
    return encodeOrdinaryUtf8(b, 0, b.length);
  }

  /** Token ids of UTF-8 text, as {@link #encodeOrdinary(String)}. */
  public int[] encodeOrdinary(byte[] utf8, int offset, int length) {
    checkRange(utf8, offset, length);
    if (!Utf8.isWellFormed(utf8, offset, offset + length)) {
      byte[] b = wellFormed(utf8, offset, length);
      return encodeOrdinaryUtf8(b, 0, b.length);
    }
    return encodeOrdinaryUtf8(utf8, offset, length);
  }

  /** Number of tokens {@link #encodeOrdinary(String)} returns, without building them. */
  public int countTokens(String text) {
    byte[] b = Utf8.encode(nonNull(text, "text"));
    if (hf != null) {
      Workspace w = workspaces.get();
      int n = hfEncode(b, 0, b.length, hf.isNormalized(b, 0, b.length), null, null, w);
      release(w);
      return n;
    }
    return countUtf8(b, 0, b.length);
  }

  /** Number of tokens {@link #encodeOrdinary(byte[], int, int)} returns, without building them. */
  public int countTokens(byte[] utf8, int offset, int length) {
    checkRange(utf8, offset, length);
    if (!Utf8.isWellFormed(utf8, offset, offset + length)) {
      byte[] b = wellFormed(utf8, offset, length);
      return countUtf8(b, 0, b.length);
    }
    return countUtf8(utf8, offset, length);
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
    return encodeAllSpecial(b, 0, b.length, addSpecialTokens);
  }

  /** {@link #encode(String, boolean)} on UTF-8 text. */
  public int[] encode(byte[] utf8, int offset, int length, boolean addSpecialTokens) {
    checkRange(utf8, offset, length);
    if (!Utf8.isWellFormed(utf8, offset, offset + length)) {
      byte[] b = wellFormed(utf8, offset, length);
      return encodeAllSpecial(b, 0, b.length, addSpecialTokens);
    }
    return encodeAllSpecial(utf8, offset, length, addSpecialTokens);
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
    return encodeWithSpecials(b, 0, b.length, nonNull(allowedSpecial, "allowedSpecial"), null, true);
  }

  /** {@link #encode(String, Set)} on UTF-8 text; an error gives the byte offset of the token. */
  public int[] encode(byte[] utf8, int offset, int length, Set<String> allowedSpecial) {
    checkRange(utf8, offset, length);
    return encodeUtf8WithSpecials(utf8, offset, length, nonNull(allowedSpecial, "allowedSpecial"), null);
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
    return encodeWithSpecials(b, 0, b.length, nonNull(allowedSpecial, "allowedSpecial"),
        nonNull(disallowedSpecial, "disallowedSpecial"), true);
  }

  /** {@link #encode(String, Set, Set)} on UTF-8 text; an error gives the byte offset of the token. */
  public int[] encode(byte[] utf8, int offset, int length, Set<String> allowedSpecial, Set<String> disallowedSpecial) {
    checkRange(utf8, offset, length);
    return encodeUtf8WithSpecials(utf8, offset, length, nonNull(allowedSpecial, "allowedSpecial"),
        nonNull(disallowedSpecial, "disallowedSpecial"));
  }

  /** The bytes of the tokens, concatenated. */
  public byte[] decodeBytes(int[] ids) {
    nonNull(ids, "ids");
    int n = 0;
    for (int id : ids) n += tokenBytesLength(id);
    byte[] out = new byte[n];
    int at = 0;
    for (int id : ids) {
      int extra = extraIds == null ? -1 : java.util.Arrays.binarySearch(extraIds, id);
      if (extra >= 0) {
        byte[] e = extraBytes[extra];
        System.arraycopy(e, 0, out, at, e.length);
        at += e.length;
      } else if (vocab.hasRank(id)) {
        int off = vocab.offsets[id];
        int len = vocab.offsets[id + 1] - off;
        System.arraycopy(vocab.pool, off, out, at, len);
        at += len;
      } else {
        byte[] s = specialBytesById[id - specialBase];
        System.arraycopy(s, 0, out, at, s.length);
        at += s.length;
      }
    }
    return out;
  }

  /**
   * The text of the tokens; bytes that are not well-formed UTF-8 (a token sequence can end inside
   * a character) become U+FFFD, as tiktoken's {@code decode} does with {@code errors="replace"}.
   */
  public String decode(int[] ids) {
    return new String(decodeBytes(ids), StandardCharsets.UTF_8);
  }

  /**
   * This encoding in fasttok's compact binary form, which {@link Encodings#fromBytes} reads back
   * quickly; the form a vocabulary travels in (e.g. a Spark broadcast).
   */
  public byte[] toBytes() {
    return VocabularyFiles.writeCompact(definition);
  }

  @Override
  public String toString() {
    return "Encoding[" + name + ", split " + (hf != null ? HfSplitters.engine(definition.hf) : splitter.engine()) + "]";
  }

  private int tokenBytesLength(int id) {
    if (extraIds != null) {
      int extra = java.util.Arrays.binarySearch(extraIds, id);
      if (extra >= 0) return extraBytes[extra].length;
    }
    if (vocab.hasRank(id)) return vocab.tokenLength(id);
    int slot = id - specialBase;
    if (slot >= 0 && slot < specialBytesById.length && specialBytesById[slot] != null) {
      return specialBytesById[slot].length;
    }
    throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + name);
  }

  /**
   * The argument, if it is not null; else a NullPointerException naming it. For the arguments of
   * the public methods (here and in {@link Encodings}), checked before anything else is done.
   */
  static <T> T nonNull(T value, String argument) {
    if (value == null) throw new NullPointerException(argument + " must not be null");
    return value;
  }

  private static void checkRange(byte[] b, int offset, int length) {
    nonNull(b, "utf8");
    if (offset < 0 || length < 0 || offset > b.length - length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array length " + b.length);
    }
  }

  private static byte[] wellFormed(byte[] utf8, int offset, int length) {
    return new String(utf8, offset, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
  }

  private int[] encodeOrdinaryUtf8(byte[] b, int offset, int length) {
    Workspace w = workspaces.get();
    w.ids.clear();
    if (hf != null) hfEncode(b, offset, offset + length, hf.isNormalized(b, offset, offset + length), w.ids, null, w);
    else encodeSegment(b, offset, offset + length, w.ids, w);
    return finish(w);
  }

  private int countUtf8(byte[] b, int offset, int length) {
    Workspace w = workspaces.get();
    int n = hf != null ? hfEncode(b, offset, offset + length, hf.isNormalized(b, offset, offset + length), null, null, w)
        : encodeSegment(b, offset, offset + length, null, w);
    release(w);
    return n;
  }

  /**
   * The tokenizer.json pipeline on well-formed UTF-8, without the template; {@code isNormalized}:
   * whether the text is known to be normalized already.
   */
  private int hfEncode(byte[] b, int start, int end, boolean isNormalized, IntList out, boolean[] refused, Workspace w) {
    return hf.encode(b, start, end, isNormalized, out, null, Integer.MAX_VALUE, refused, w.hf, w.merge);
  }

  /**
   * Whether the text of the special token {@code name} is an error. tiktoken looks for the
   * disallowed tokens first, so one that is also allowed is refused; {@code disallowed} null
   * stands for every token that is not allowed (tiktoken's "all").
   */
  static boolean refused(String name, Set<String> allowed, Set<String> disallowed) {
    return disallowed == null ? !allowed.contains(name) : disallowed.contains(name);
  }

  /** {@link #encodeWithSpecials} on UTF-8 text that may be ill-formed; errors give byte offsets. */
  private int[] encodeUtf8WithSpecials(byte[] utf8, int offset, int length, Set<String> allowed,
      Set<String> disallowed) {
    if (!Utf8.isWellFormed(utf8, offset, offset + length)) {
      byte[] b = wellFormed(utf8, offset, length);
      return encodeWithSpecials(b, 0, b.length, allowed, disallowed, false);
    }
    return encodeWithSpecials(utf8, offset, length, allowed, disallowed, false);
  }

  /** {@code disallowed}: null for every special token that is not allowed (tiktoken's "all"). */
  private int[] encodeWithSpecials(byte[] b, int offset, int length, Set<String> allowed, Set<String> disallowed,
      boolean charIndex) {
    int end = offset + length;
    checkSpecialNames(allowed);
    if (disallowed != null) checkSpecialNames(disallowed);
    if (hf != null) {
      Workspace w = workspaces.get();
      w.ids.clear();
      try {
        hfEncode(b, offset, end, hf.isNormalized(b, offset, end), w.ids, hf.refusedSpecials(allowed, disallowed), w);
      } catch (HfPipeline.RefusedToken e) {
        release(w);
        String where = e.offset < 0 ? "in its normalized form"
            : "at " + (charIndex ? "index " + Utf8.charCount(b, offset, offset + e.offset) : "byte offset " + e.offset);
        throw new IllegalArgumentException("the text contains the special token " + e.token + " " + where
            + ", which is not allowed; list it in allowedSpecial to encode it as the special token");
      }
      return finish(w);
    }
    boolean[] accept = new boolean[specials.size()];
    boolean[] refuse = new boolean[specials.size()];
    boolean anyAllowed = false;
    boolean anyRefused = false;
    for (int i = 0; i < specials.size(); i++) {
      refuse[i] = refused(specials.names[i], allowed, disallowed);
      accept[i] = !refuse[i] && allowed.contains(specials.names[i]);
      anyAllowed |= accept[i];
      anyRefused |= refuse[i];
    }
    if (anyRefused) {
      long hit = specials.find(b, offset, end, refuse);
      if (hit >= 0) {
        int at = (int) (hit >>> 32);
        String where = charIndex ? "index " + Utf8.charCount(b, offset, at) : "byte offset " + (at - offset);
        throw new IllegalArgumentException("the text contains the special token " + specials.names[(int) hit]
            + " at " + where + ", which is not allowed; list it in allowedSpecial to encode it as the special"
            + " token, or use encodeOrdinary to encode it as plain text");
      }
    }
    return encodeAccepting(b, offset, end, anyAllowed ? accept : null);
  }

  /**
   * {@link #encode(String, boolean)} on well-formed UTF-8: every special token found (Hugging
   * Face finds its added tokens itself), then the template if asked for.
   */
  private int[] encodeAllSpecial(byte[] b, int offset, int length, boolean addTemplate) {
    if (hf != null) {
      int[] ids = encodeOrdinaryUtf8(b, offset, length);
      return addTemplate ? hf.applyTemplate(ids) : ids;
    }
    boolean[] all = new boolean[specials.size()];
    java.util.Arrays.fill(all, true);
    return encodeAccepting(b, offset, offset + length, all.length == 0 ? null : all);
  }

  /** Encodes b[offset, end) (tiktoken), each accepted special token (none if null) as its id. */
  private int[] encodeAccepting(byte[] b, int offset, int end, boolean[] accept) {
    Workspace w = workspaces.get();
    w.ids.clear();
    int start = offset;
    while (true) {
      long hit = accept != null ? specials.find(b, start, end, accept) : -1;
      int segmentEnd = hit < 0 ? end : (int) (hit >>> 32);
      encodeSegment(b, start, segmentEnd, w.ids, w);
      if (hit < 0) break;
      int i = (int) hit;
      w.ids.add(specials.ids[i]);
      start = segmentEnd + specials.bytes[i].length;
    }
    return finish(w);
  }

  private void checkSpecialNames(Set<String> names) {
    for (String s : names) {
      if (specials.indexOf(s) < 0) {
        throw new IllegalArgumentException("'" + s + "' is not a special token of " + name
            + "; its special tokens are " + specials.asMap().keySet());
      }
    }
  }

  /** Splits and merges b[start, end) as ordinary text; appends ids (unless null), returns the count. */
  private int encodeSegment(byte[] b, int start, int end, IntList out, Workspace w) {
    if (start == end) return 0;
    IntList ends = w.ends;
    ends.clear();
    splitter.split(b, start, end, ends);
    int[] e = ends.a;
    int count = 0;
    int p = start;
    for (int i = 0, n = ends.size; i < n; i++) {
      int pieceEnd = e[i];
      if (pieceEnd < 0) { // text the pattern skips
        p = -pieceEnd - 1;
        continue;
      }
      count += bpe.encode(b, p, pieceEnd, out, w.merge);
      p = pieceEnd;
    }
    return count;
  }

  /**
   * Byte offsets (in b) where each of the first {@code limit} ordinary tokens of b[start, end)
   * ends, into w.ends' sibling list; returns how many tokens the text has in all, or more than
   * limit if it stopped early.
   */
  private int tokenEnds(byte[] b, int start, int end, int limit, IntList tokenEnds, Workspace w) {
    tokenEnds.clear();
    if (start == end) return 0;
    if (hf != null) {
      // The caller has made sure that the text is normalized.
      w.ids.clear();
      hf.encode(b, start, end, true, w.ids, tokenEnds, limit, null, w.hf, w.merge);
      return tokenEnds.size;
    }
    IntList ends = w.ends;
    ends.clear();
    splitter.split(b, start, end, ends);
    IntList ids = w.ids;
    int p = start;
    for (int i = 0, n = ends.size; i < n && tokenEnds.size <= limit; i++) {
      int pieceEnd = ends.a[i];
      if (pieceEnd < 0) {
        p = -pieceEnd - 1;
        continue;
      }
      ids.clear();
      bpe.encode(b, p, pieceEnd, ids, w.merge);
      for (int k = 0; k < ids.size; k++) {
        p += vocab.tokenLength(ids.a[k]);
        tokenEnds.add(p);
      }
    }
    return tokenEnds.size;
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
    checkRange(utf8, offset, length);
    if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must not be negative: " + maxTokens);
    if (!Utf8.isWellFormed(utf8, offset, offset + length)) {
      // Ill-formed input reads as its U+FFFD decoding; map the kept characters back to input bytes.
      String decoded = new String(utf8, offset, length, StandardCharsets.UTF_8);
      String kept = truncate(decoded, maxTokens);
      if (kept.length() == decoded.length()) return length;
      return Utf8.prefixLength(utf8, offset, offset + length, kept.length());
    }
    if (hf != null && !hf.isNormalized(utf8, offset, offset + length)) {
      return truncatedByCount(utf8, offset, length, maxTokens);
    }
    Workspace w = workspaces.get();
    IntList ends = new IntList(Math.min(maxTokens, 1 << 16) + 1);
    int cut = offset + length;
    if (tokenEnds(utf8, offset, offset + length, maxTokens, ends, w) > maxTokens) {
      int keep = maxTokens;
      cut = keep == 0 ? offset : characterStart(utf8, offset, ends.a[keep - 1]);
      // The prefix alone can split into more tokens than it had inside the text (its last
      // piece loses what followed, e.g. "I'" of "I'LL", or a cut moved back into a character
      // keeps part of a token); keep fewer tokens until it fits.
      while (keep > 0 && countUtf8(utf8, offset, cut - offset) > maxTokens) {
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
    if (countUtf8(b, offset, length) <= maxTokens) return length;
    IntList cuts = new IntList(64); // character starts
    for (int i = offset; i < offset + length; i++) if ((b[i] & 0xC0) != 0x80) cuts.add(i - offset);
    int lo = 0; // cuts.a[0] = 0 always fits
    int hi = cuts.size - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (countUtf8(b, offset, cuts.a[mid]) <= maxTokens) lo = mid;
      else hi = mid - 1;
    }
    return cuts.a[lo];
  }

  /** A run of consecutive tokens of a text, from {@link #chunk}. */
  public static final class Chunk {
    private final String text;
    private final int start;
    private final int end;
    private final int tokenStart;
    private final int tokenCount;

    Chunk(String text, int start, int end, int tokenStart, int tokenCount) {
      this.text = text;
      this.start = start;
      this.end = end;
      this.tokenStart = tokenStart;
      this.tokenCount = tokenCount;
    }

    /** The chunk's text. */
    public String text() {
      return text;
    }

    /**
     * Where the chunk starts in the text as it was tokenized: a char index for String input, a
     * byte offset for UTF-8. That text is the input, unless the input is ill-formed UTF-8 (then
     * its reading with U+FFFD) or a tokenizer.json normalizer changes it (then its normalized
     * form); {@link #text()} is the chunk's text in every case.
     */
    public int start() {
      return start;
    }

    /** Where the chunk ends (exclusive), in the same unit as {@link #start()}. */
    public int end() {
      return end;
    }

    /** Index of the chunk's first token among the text's tokens. */
    public int tokenStart() {
      return tokenStart;
    }

    /** Number of the text's tokens the chunk holds. */
    public int tokenCount() {
      return tokenCount;
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
    checkRange(utf8, offset, length);
    if (!Utf8.isWellFormed(utf8, offset, offset + length)) {
      byte[] b = wellFormed(utf8, offset, length);
      return chunk(b, 0, b.length, size, overlap, false);
    }
    return chunk(utf8, offset, length, size, overlap, false);
  }

  private List<Chunk> chunk(byte[] b, int offset, int length, int size, int overlap, boolean charOffsets) {
    if (size <= 0) throw new IllegalArgumentException("chunk size must be positive: " + size);
    if (overlap < 0 || overlap >= size) {
      throw new IllegalArgumentException("overlap must be at least 0 and less than the chunk size " + size + ": " + overlap);
    }
    Workspace w = workspaces.get();
    if (hf != null && !hf.isNormalized(b, offset, offset + length)) {
      // Tokens of a text the normalizer changes map to its normalized form only.
      b = hf.normalizedText(b, offset, offset + length, w.hf);
      offset = 0;
      length = b.length;
    }
    IntList ends = new IntList(256);
    int n = tokenEnds(b, offset, offset + length, Integer.MAX_VALUE - 1, ends, w);
    release(w);
    List<Chunk> chunks = new ArrayList<>();
    for (int first = 0; first < n; first += size - overlap) {
      int last = Math.min(first + size, n);
      int from = first == 0 ? offset : characterStart(b, offset, ends.a[first - 1]);
      int to = last == n ? offset + length : characterStart(b, offset, ends.a[last - 1]);
      String t = new String(b, from, to - from, StandardCharsets.UTF_8);
      int s = charOffsets ? Utf8.charCount(b, offset, from) : from - offset;
      int e = charOffsets ? s + t.length() : to - offset;
      chunks.add(new Chunk(t, s, e, first, last - first));
      if (last == n) break;
    }
    return chunks;
  }

  private int[] finish(Workspace w) {
    int[] result = w.ids.toArray();
    release(w);
    return result;
  }

  /** Drops scratch arrays grown by one huge input, so that a thread does not keep them. */
  private void release(Workspace w) {
    if (w.ids.a.length > (1 << 20) || w.ends.a.length > (1 << 20)) workspaces.remove();
  }
}
