package dev.fasttok;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokenizer.json family built from components, for every file that {@link HfPipeline} (which
 * encodes byte-level BPE faster) does not read: encoding as the Rust {@code tokenizers} library does,
 *
 * <ol>
 *   <li>the added tokens that are not {@code normalized} are found in the raw text
 *       ({@link AddedTokens});
 *   <li>each text between them runs through the normalizers ({@link TextNormalizer}) as a
 *       {@link NormalizedText}, which keeps, for each character, the bytes of the caller's text
 *       it came from; the {@code normalized} added tokens are found in the result;
 *   <li>each text between those is cut by the pre-tokenizer ({@link PreTokenizer});
 *   <li>the model ({@link PieceModel}) gives the ids of each piece;
 *   <li>with special tokens added, the post-processor's template puts its tokens around them.
 * </ol>
 *
 * <p>Every token's end maps back to a byte offset in the caller's text through the alignments,
 * so {@link Encoding#chunk} and {@link Encoding#truncate} cut the text itself even where a
 * normalizer changes it. Decoding maps ids to tokens (added tokens first, as tokenizers does)
 * and runs the decoders ({@link TokenDecoder}).
 *
 * <p>A new family plugs in as components: a {@link PieceModel} (and its case in
 * {@link ComponentJson#model}), and any normalizer, pre-tokenizer or decoder it needs. The
 * compact form of such an encoding is the tokenizer.json file itself ({@link Config#json}).
 */
final class ComponentPipeline extends Pipeline {
  /**
   * What a tokenizer.json file defines, read by {@link ComponentJson}.
   *
   * @param json the file's bytes, which the compact form carries (and reads again)
   * @param normalizers the normalizer steps, in order (a Sequence flattened)
   * @param preTokenizer the pre-tokenizer, or null for none (the whole text is one piece)
   * @param model the model
   * @param tokens the model's tokens by id (null where an id has none), for decoding
   * @param addedContents the added tokens (with {@code addedIds}, {@code addedFlags}, as
   *     {@link HfPipeline}'s flags, and {@code addedPatterns}): each one's text, id, flags and
   *     the text it is found by
   * @param template the post-processor's template for one sequence ({@link #SEQUENCE} for the
   *     text's ids), or null for none
   * @param decoders the decoders in order, or null for none (tokens joined with spaces)
   * @param description the pre-tokenizer described, as {@link Encoding#pattern()} reports it
   */
  record Config(byte[] json, TextNormalizer[] normalizers, PreTokenizer preTokenizer, PieceModel model,
      String[] tokens, String[] addedContents, int[] addedIds, int[] addedFlags, String[] addedPatterns,
      int[] template, TokenDecoder[] decoders, String description) {

    /** The special added tokens, text to id, in id order. */
    Map<String, Integer> specialTokens() {
      Map<String, Integer> m = new LinkedHashMap<>();
      for (int i = 0; i < addedIds.length; i++) {
        if ((addedFlags[i] & HfPipeline.SPECIAL) != 0) m.put(addedContents[i], addedIds[i]);
      }
      return m;
    }
  }

  /** Per-thread scratch space. */
  private static final class Scratch extends Workspace {
    NormalizedText text = new NormalizedText();
    NormalizedText spare = new NormalizedText();
    /** The texts a pre-tokenizer rewrote (Metaspace, ByteLevel), used in turn. */
    final NormalizedText rewritten = new NormalizedText();
    final NormalizedText rewritten2 = new NormalizedText();
    final IntList rawParts = new IntList(48);
    final IntList normalizedParts = new IntList(48);
    IntList pieces = new IntList(256);
    IntList pieces2 = new IntList(256);
    final IntList unitEnds = new IntList(256);
    /** Where countTokens' ids go: the model appends ids, and no caller wants them. */
    final IntList counted = new IntList(256);
  }

  private final Config config;
  private final SpecialTokens specials;
  private final AddedTokens raw;
  private final AddedTokens normalized;
  /** Decoding: the added token of an id first, else the model's token. */
  private final Map<Integer, String> addedById = new LinkedHashMap<>();
  private final int vocabularySize;
  private final int[] skippedSpecialIds;
  /** The pre-tokenizer member by member if it rewrites the text (see {@link #rewrite}), else null. */
  private final PreTokenizer[] stages;

  ComponentPipeline(VocabularyFiles.Definition d) {
    super(d);
    Config c = d.components();
    this.config = c;
    this.specials = new SpecialTokens(d.specials());
    int hi = c.tokens.length - 1;
    List<String> rawPatterns = new ArrayList<>();
    List<String> normalizedPatterns = new ArrayList<>();
    IntList rawIndex = new IntList(16);
    IntList rawFlags = new IntList(16);
    IntList normalizedIndex = new IntList(16);
    IntList normalizedFlags = new IntList(16);
    for (int i = 0; i < c.addedIds.length; i++) {
      // A normalized added token decodes to its normalized text, as in tokenizers.
      addedById.put(c.addedIds[i], c.addedPatterns[i]);
      hi = Math.max(hi, c.addedIds[i]);
      boolean isNormalized = (c.addedFlags[i] & HfPipeline.NORMALIZED) != 0;
      (isNormalized ? normalizedPatterns : rawPatterns).add(c.addedPatterns[i]);
      (isNormalized ? normalizedIndex : rawIndex).add(i);
      (isNormalized ? normalizedFlags : rawFlags).add(c.addedFlags[i]);
    }
    if (c.template != null) for (int t : c.template) hi = Math.max(hi, t);
    this.vocabularySize = hi + 1;
    // The model's tokens with a special token's text (that are not added tokens) are skipped too.
    Set<String> special = specialTexts(c.addedContents, c.addedFlags);
    IntList model = new IntList(4);
    for (int id = 0; !special.isEmpty() && id < c.tokens.length; id++) {
      if (c.tokens[id] != null && !addedById.containsKey(id) && special.contains(c.tokens[id])) model.add(id);
    }
    this.skippedSpecialIds = skippedAdded(c.addedContents, c.addedFlags, c.addedIds, c.addedPatterns, model);
    PreTokenizer pre = c.preTokenizer;
    if (pre instanceof PreTokenizer.Rewriting) this.stages = new PreTokenizer[] {pre};
    else if (pre instanceof PreTokenizers.Sequence && ((PreTokenizers.Sequence) pre).rewrites()) {
      this.stages = ((PreTokenizers.Sequence) pre).members;
    } else this.stages = null;
    this.raw = rawPatterns.isEmpty() ? null : new AddedTokens(rawPatterns, rawIndex.toArray(), rawFlags.toArray());
    this.normalized = normalizedPatterns.isEmpty() ? null
        : new AddedTokens(normalizedPatterns, normalizedIndex.toArray(), normalizedFlags.toArray());
  }

  @Override
  Workspace newWorkspace() {
    return new Scratch();
  }

  @Override
  String pattern() {
    return definition.pattern();
  }

  @Override
  String splitEngine() {
    return "hand-written";
  }

  @Override
  int vocabularySize() {
    return vocabularySize;
  }

  @Override
  SpecialTokens specials() {
    return specials;
  }

  @Override
  int encodeOrdinary(byte[] b, int start, int end, IntList out, Workspace w) {
    Scratch s = (Scratch) w;
    IntList ids = out;
    if (ids == null) {
      ids = s.counted;
      ids.clear();
    }
    return run(b, start, end, ids, null, Integer.MAX_VALUE, null, s);
  }

  /** The ids of {@link #encodeOrdinary}: tokenizers finds its added tokens whatever is allowed. */
  @Override
  void encode(byte[] b, int start, int end, Set<String> allowed, Set<String> disallowed, IntList out, Workspace w) {
    boolean[] refused = refusedAdded(config.addedContents, config.addedFlags, allowed, disallowed);
    run(b, start, end, out, null, Integer.MAX_VALUE, refused, (Scratch) w);
  }

  @Override
  void encodeAllSpecial(byte[] b, int start, int end, boolean addTemplate, IntList out, Workspace w) {
    inTemplate(addTemplate ? config.template : null, b, start, end, out, w);
  }

  /** Always: the alignments map every token's end back to the caller's text. */
  @Override
  boolean endsMapToText(byte[] b, int start, int end) {
    return true;
  }

  @Override
  byte[] normalizedText(byte[] b, int start, int end, Workspace w) {
    return Arrays.copyOfRange(b, start, end);
  }

  @Override
  int tokenEnds(byte[] b, int start, int end, int limit, IntList tokenEnds, Workspace w) {
    tokenEnds.clear();
    w.ids.clear();
    if (start == end) return 0;
    return run(b, start, end, w.ids, tokenEnds, limit, null, (Scratch) w);
  }

  @Override
  boolean ordinaryReadsSpecialsAsText() {
    return false;
  }

  /**
   * tokenizers' {@code decode(ids, skip_special_tokens=false)}: each id's token (an added
   * token's text first, its normalized text if it is normalized, else the model's token),
   * through the decoders, concatenated; with no
   * decoder, the tokens joined with spaces. An id that is neither is an error, as in tiktoken.
   */
  @Override
  byte[] decodeBytes(int[] ids) {
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      String t = addedById.get(id);
      if (t == null && id >= 0 && id < config.tokens.length) t = config.tokens[id];
      if (t == null) {
        throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + definition.name());
      }
      tokens.add(t);
    }
    if (config.decoders == null) return String.join(" ", tokens).getBytes(StandardCharsets.UTF_8);
    for (TokenDecoder d : config.decoders) tokens = d.decodeChain(tokens);
    return String.join("", tokens).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  int[] skippedSpecialIds() {
    return skippedSpecialIds;
  }

  /**
   * Encodes b[start, end) (well-formed UTF-8) without the template: appends the ids to
   * {@code out} and, if {@code tokenEnds} is not null, where each token ends in b; returns the
   * number of tokens, stopping once it exceeds {@code limit}.
   *
   * @param refused per added token, whether finding it is an error (null: none is)
   */
  private int run(byte[] b, int start, int end, IntList out, IntList tokenEnds, int limit, boolean[] refused,
      Scratch s) {
    if (raw == null) return segment(b, start, end, start, out, tokenEnds, limit, refused, s);
    IntList parts = s.rawParts;
    parts.clear();
    raw.split(b, start, end, parts);
    int count = 0;
    for (int i = 0; i < parts.size && count <= limit; i += 3) {
      int k = parts.a[i];
      if (k >= 0) {
        count += added(k, start, parts.a[i + 1], parts.a[i + 2], out, tokenEnds, refused);
      } else {
        count += segment(b, parts.a[i + 1], parts.a[i + 2], start, out, tokenEnds, limit - count, refused, s);
      }
    }
    return count;
  }

  /** An added token found at bytes [from, to) of b (its index k among the tokens). */
  private int added(int k, int textStart, int from, int to, IntList out, IntList tokenEnds, boolean[] refused) {
    if (refused != null && refused[k]) throw new RefusedToken(config.addedContents[k], from - textStart);
    out.add(config.addedIds[k]);
    if (tokenEnds != null) tokenEnds.add(to);
    return 1;
  }

  /** A text between non-normalized added tokens: normalize, find the normalized added tokens, pre-tokenize, encode. */
  private int segment(byte[] b, int from, int to, int textStart, IntList out, IntList tokenEnds, int limit,
      boolean[] refused, Scratch s) {
    if (from == to) return 0;
    s.text.setUtf8(b, from, to);
    for (TextNormalizer n : config.normalizers) {
      s.spare.clear();
      n.normalize(s.text, s.spare);
      NormalizedText t = s.text;
      s.text = s.spare;
      s.spare = t;
    }
    NormalizedText text = s.text;
    boolean first = from == textStart;
    if (normalized == null) return pieces(text, 0, text.length, first, textStart, out, tokenEnds, limit, s);
    // The normalized added tokens are found in the normalized text's UTF-8.
    byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
    IntList parts = s.normalizedParts;
    parts.clear();
    normalized.split(utf8, 0, utf8.length, parts);
    int count = 0;
    for (int i = 0; i < parts.size && count <= limit; i += 3) {
      int k = parts.a[i];
      int u0 = Utf8.charCount(utf8, 0, parts.a[i + 1]);
      int u1 = Utf8.charCount(utf8, 0, parts.a[i + 2]);
      if (k >= 0) {
        if (refused != null && refused[k]) {
          throw new RefusedToken(config.addedContents[k], u0 < text.length ? text.starts[u0] - textStart : -1);
        }
        out.add(config.addedIds[k]);
        if (tokenEnds != null) tokenEnds.add(u1 > 0 ? text.ends[u1 - 1] : from);
        count++;
      } else {
        count += pieces(text, u0, u1, first && u0 == 0, textStart, out, tokenEnds, limit - count, s);
      }
    }
    return count;
  }

  /**
   * Pre-tokenizes text[from, to) and encodes each piece; token ends map back through the
   * alignments.
   *
   * @param first whether the text starts at the start of the caller's text (Metaspace's "first")
   * @param origin where the caller's text starts in its bytes
   */
  private int pieces(NormalizedText text, int from, int to, boolean first, int origin, IntList out, IntList tokenEnds,
      int limit, Scratch s) {
    if (from == to) return 0;
    IntList pieces = s.pieces;
    pieces.clear();
    if (stages != null) {
      text = rewrite(text, from, to, first, origin, s);
      pieces = s.pieces;
    } else if (config.preTokenizer == null) {
      pieces.add(from);
      pieces.add(to);
    } else {
      config.preTokenizer.split(text, from, to, pieces);
    }
    IntList ends = tokenEnds == null ? null : s.unitEnds;
    int count = 0;
    for (int i = 0; i < pieces.size && count <= limit; i += 2) {
      if (ends != null) ends.clear();
      count += config.model.encode(text, pieces.a[i], pieces.a[i + 1], out, ends);
      if (ends != null) {
        int last = tokenEnds.size == 0 ? 0 : tokenEnds.a[tokenEnds.size - 1];
        for (int k = 0; k < ends.size; k++) {
          int u = ends.a[k];
          // A token ends where the last character it holds came from (never before an earlier end).
          // A token that ends before the first character (a fallback byte of it, see CharBpe) ends where it starts.
          last = Math.max(last, u > 0 ? text.ends[u - 1] : text.starts[0]);
          tokenEnds.add(last);
        }
      }
    }
    return count;
  }

  /**
   * Runs a pre-tokenizer that rewrites the text (Metaspace, ByteLevel, or a Sequence holding
   * one) member by member over text[from, to): each member cuts (or rewrites and cuts) every
   * piece of the one before. Leaves the pieces in {@code s.pieces} and returns the text they
   * index, which shares its alignments with the caller's text.
   */
  private NormalizedText rewrite(NormalizedText text, int from, int to, boolean first, int origin, Scratch s) {
    IntList current = s.pieces;
    IntList next = s.pieces2;
    current.clear();
    current.add(from);
    current.add(to);
    boolean cut = false; // whether the pieces are slices of the text, as tokenizers' splits are
    for (PreTokenizer p : stages) {
      next.clear();
      if (p instanceof PreTokenizer.Rewriting) {
        NormalizedText out = text == s.rewritten ? s.rewritten2 : s.rewritten;
        out.clear();
        for (int i = 0; i < current.size; i += 2) {
          int a = current.a[i];
          // tokenizers' first: the piece's offset in the caller's text is 0; a slice's offset is
          // where its first character came from.
          boolean isFirst = first && (!cut || text.starts[a] == origin);
          ((PreTokenizer.Rewriting) p).rewrite(text, a, current.a[i + 1], isFirst, out, next);
        }
        text = out;
      } else {
        for (int i = 0; i < current.size; i += 2) p.split(text, current.a[i], current.a[i + 1], next);
      }
      cut = true;
      IntList t = current;
      current = next;
      next = t;
    }
    s.pieces = current;
    s.pieces2 = next;
    return text;
  }
}
