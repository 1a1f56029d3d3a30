package dev.fasttok;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One tokenizer family behind the public {@link Encoding}: how its text becomes ids (normalize,
 * split, model per piece, post-process) and how ids become bytes again (its decoder). A new
 * family is a new subclass; {@link Encoding} does the argument checks, reads ill-formed UTF-8 as
 * U+FFFD, keeps one {@link Workspace} per thread and delegates here, so every method below gets
 * well-formed UTF-8 {@code b[start, end)}.
 *
 * <p>The families stay in {@code dev.fasttok} (no subpackage): a subpackage would force these
 * classes, and the engine classes they use, to be public.
 *
 * <p>Encoding reaches its pipeline through a final field; with one or two subclasses loaded the
 * call sites stay mono- or bimorphic, which C2 inlines, so the hot path pays no dispatch.
 */
abstract class Pipeline {
  /** What the encoding was read from; also what its compact form is written from. */
  final VocabularyFiles.Definition definition;

  Pipeline(VocabularyFiles.Definition definition) {
    this.definition = definition;
  }

  /**
   * Scratch space of one thread: the ids of the call in progress and the pieces of a split. A
   * family that needs more extends it ({@link #newWorkspace}) and casts back to its own class.
   */
  static class Workspace {
    final IntList ids = new IntList(256);
    final IntList ends = new IntList(256);
  }

  /** A thread's scratch space, made once per thread by {@link Encoding}. */
  abstract Workspace newWorkspace();

  /** The split pattern as {@link Encoding#pattern()} reports it. */
  abstract String pattern();

  /** How the text is split: "hand-written", "compiled" or "java.util.regex" (see {@link Splitter#engine}). */
  abstract String splitEngine();

  /** One more than the largest id that decodes to something. */
  abstract int vocabularySize();

  /** The special tokens, text to id, in the order {@link Encoding#specialTokens()} lists them. */
  abstract SpecialTokens specials();

  /**
   * Ids of the text with no special-token handling asked for (Encoding.encodeOrdinary): appends
   * them to {@code out} (unless null) and returns how many there are.
   */
  abstract int encodeOrdinary(byte[] b, int start, int end, IntList out, Workspace w);

  /**
   * Ids of the text into {@code out}: the text of a special token that {@link #refused} is a
   * {@link RefusedToken}; that of an allowed one is that token. The names are known to be the
   * encoding's special tokens.
   */
  abstract void encode(byte[] b, int start, int end, Set<String> allowed, Set<String> disallowed, IntList out,
      Workspace w);

  /** Ids of the text into {@code out} with every special token recognized, and the template's if asked. */
  abstract void encodeAllSpecial(byte[] b, int start, int end, boolean addTemplate, IntList out, Workspace w);

  /**
   * Whether the token ends {@link #tokenEnds} finds for this text are offsets into it; false
   * where a normalizer changes the text, whose tokens then map to {@link #normalizedText} only.
   */
  abstract boolean endsMapToText(byte[] b, int start, int end);

  /** The text as the model sees it (only asked for where {@link #endsMapToText} is false). */
  abstract byte[] normalizedText(byte[] b, int start, int end, Workspace w);

  /**
   * Byte offsets (in b) where each of the first {@code limit} ordinary tokens ends, into
   * {@code tokenEnds} (cleared first), the ids of those tokens left in {@code w.ids}; returns how
   * many tokens the text has in all, or more than limit if it stopped early. Called only where
   * {@link #endsMapToText} holds.
   */
  abstract int tokenEnds(byte[] b, int start, int end, int limit, IntList tokenEnds, Workspace w);

  /** The template entry (tokenizer.json post-processor) that stands for the text's own ids. */
  static final int SEQUENCE = -1;

  /**
   * The text's ids inside a post-processor's template (its ids around {@link #SEQUENCE}), or
   * alone when there is none: {@link #encodeAllSpecial} of the tokenizer.json families.
   */
  final void inTemplate(int[] template, byte[] b, int start, int end, IntList out, Workspace w) {
    if (template == null) {
      encodeOrdinary(b, start, end, out, w);
      return;
    }
    for (int x : template) {
      if (x == SEQUENCE) encodeOrdinary(b, start, end, out, w);
      else out.add(x);
    }
  }

  /**
   * Per added token of a tokenizer.json (texts and {@code HfPipeline} flags): whether it is
   * special and {@link #refused}; null if none is.
   */
  static boolean[] refusedAdded(String[] contents, int[] flags, Set<String> allowed, Set<String> disallowed) {
    boolean[] refused = new boolean[contents.length];
    boolean any = false;
    for (int i = 0; i < refused.length; i++) {
      refused[i] = (flags[i] & HfPipeline.SPECIAL) != 0 && refused(contents[i], allowed, disallowed);
      any |= refused[i];
    }
    return any ? refused : null;
  }

  /**
   * Whether finding a special token refused by {@link #encode} is a mistake that
   * {@code encodeOrdinary} avoids by reading it as plain text (tiktoken); a tokenizer.json
   * encoding finds its added tokens in every call.
   */
  abstract boolean ordinaryReadsSpecialsAsText();

  /** The bytes of the tokens, concatenated, through the family's decoder. */
  abstract byte[] decodeBytes(int[] ids);

  /**
   * The ids that decoding without special tokens leaves out, sorted: tiktoken's special tokens;
   * for a tokenizer.json, those whose token, as decoding finds it, is the text of an added
   * token marked special (tokenizers' {@code decode(ids, skip_special_tokens=True)} compares
   * the token's text, not its id).
   */
  abstract int[] skippedSpecialIds();

  /** The ids less those of {@link #skippedSpecialIds}, in order (the same array if none is). */
  final int[] withoutSpecial(int[] ids) {
    int[] skipped = skippedSpecialIds();
    if (skipped.length == 0) return ids;
    IntList kept = new IntList(ids.length);
    for (int id : ids) if (Arrays.binarySearch(skipped, id) < 0) kept.add(id);
    return kept.size == ids.length ? ids : kept.toArray();
  }

  /**
   * The ids of tokenizers' skipped tokens (see {@link #skippedSpecialIds}), sorted: the added
   * tokens whose decoded text (its normalized text if it has one) is a special token's text,
   * plus {@code modelIds}, the ids of the model's tokens with such a text that are not added
   * tokens.
   *
   * @param contents the added tokens' texts (with {@code flags}, {@code HfPipeline}'s, and
   *     {@code ids})
   * @param decoded the text each added token decodes from (its normalized text if it has one)
   * @param modelIds the model's tokens to skip as well
   */
  static int[] skippedAdded(String[] contents, int[] flags, int[] ids, String[] decoded, IntList modelIds) {
    Set<String> special = specialTexts(contents, flags);
    IntList out = new IntList(8);
    for (int i = 0; i < ids.length; i++) if (special.contains(decoded[i])) out.add(ids[i]);
    for (int i = 0; i < modelIds.size; i++) out.add(modelIds.a[i]);
    int[] a = out.toArray();
    Arrays.sort(a);
    return a;
  }

  /** The texts of the added tokens marked special. */
  static Set<String> specialTexts(String[] contents, int[] flags) {
    Set<String> special = new HashSet<>();
    for (int i = 0; i < contents.length; i++) if ((flags[i] & HfPipeline.SPECIAL) != 0) special.add(contents[i]);
    return special;
  }

  /**
   * Whether the text of the special token {@code name} is an error. tiktoken looks for the
   * disallowed tokens first, so one that is also allowed is refused; {@code disallowed} null
   * stands for every token that is not allowed (tiktoken's "all").
   */
  static boolean refused(String name, Set<String> allowed, Set<String> disallowed) {
    return disallowed == null ? !allowed.contains(name) : disallowed.contains(name);
  }

  /** A special token in the text that the caller does not allow. */
  static final class RefusedToken extends RuntimeException {
    final String token;
    /** Byte offset from the text's start, or -1 if it was found in the text's normalized form. */
    final int offset;

    RefusedToken(String token, int offset) {
      super(token, null, false, false);
      this.token = token;
      this.offset = offset;
    }
  }

  /** The pipeline of a definition's family. */
  static Pipeline of(VocabularyFiles.Definition d) {
    if (d.components() != null) return new ComponentPipeline(d);
    return d.hf() != null ? new HfPipeline(d) : new TiktokenPipeline(d);
  }
}
