package dev.fasttok;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tokenizer.json family (byte-level BPE): what a Hugging Face tokenizer.json adds around its
 * vocabulary, and encoding through it exactly as the Rust {@code tokenizers} library does:
 *
 * <ol>
 *   <li>added tokens that are not {@code normalized} are found in the raw text
 *       ({@link AddedTokens});
 *   <li>each text between them is normalized (NFC or NFKC, {@link HfNormalizer}), and the
 *       {@code normalized} added tokens are found in it;
 *   <li>each text between those is cut by the pre-tokenizers in turn ({@code Split},
 *       {@code Digits}), then by {@code ByteLevel}, which puts a space before each piece that
 *       does not start with one ({@code add_prefix_space}) and then cuts it with GPT-2's
 *       pattern ({@code use_regex});
 *   <li>each piece is merged by the BPE model ({@link BytePairEncoder} with the merge rules);
 *   <li>with special tokens added, the post-processor's template puts its tokens around the
 *       ids.
 * </ol>
 *
 * <p>Decoding is the ByteLevel decoder's: the tokens' bytes concatenated ({@link TokenBytes}).
 */
final class HfPipeline extends Pipeline {
  // Pre-tokenizer steps before ByteLevel.
  static final int SPLIT = 0;
  static final int DIGITS = 1;
  static final int DIGITS_INDIVIDUAL = 2;
  /**
   * A Split with another behaviour or inverted: {@code SPLIT_WITH + 2 * behavior + (invert ? 1 :
   * 0)}, behavior one of {@link PreTokenizers}' constants. (Isolated, which ignores invert, is
   * {@link #SPLIT}, as in compact forms written before the other behaviours.)
   */
  static final int SPLIT_WITH = 16;

  static int splitKind(int behavior, boolean invert) {
    return behavior == PreTokenizers.ISOLATED ? SPLIT : SPLIT_WITH + 2 * behavior + (invert ? 1 : 0);
  }

  static boolean isSplit(int kind) {
    return kind == SPLIT || (kind >= SPLIT_WITH && kind < SPLIT_WITH + 2 * PreTokenizers.BEHAVIORS.length);
  }

  // Added token flags (the first three are AddedTokens').
  static final int SINGLE_WORD = AddedTokens.SINGLE_WORD;
  static final int LSTRIP = AddedTokens.LSTRIP;
  static final int RSTRIP = AddedTokens.RSTRIP;
  static final int NORMALIZED = 8;
  static final int SPECIAL = 16;

  /**
   * What a tokenizer.json defines beyond the BPE vocabulary; travels in the compact form.
   *
   * @param stepPatterns per pre-tokenizer step, the regex of a SPLIT step, else ""
   * @param addedContents the added tokens (with {@code addedIds}, {@code addedFlags} and
   *     {@code addedPatterns}): each one's text, id, flags and the text it is found by in text
   * @param template the post-processor's template for one sequence, or null for none
   * @param extraIds the ids that are not BPE tokens, or that decode otherwise (added tokens),
   *     with their bytes in {@code extraBytes}
   */
  record Config(int normalizer, int[] stepKinds, String[] stepPatterns, boolean prefixSpace, boolean byteLevelRegex,
      String[] addedContents, int[] addedIds, int[] addedFlags, String[] addedPatterns, int[] template,
      int[] extraIds, byte[][] extraBytes) {

    /** The special added tokens, text to id, in id order. */
    Map<String, Integer> specialTokens() {
      Map<String, Integer> m = new LinkedHashMap<>();
      for (int i = 0; i < addedIds.length; i++) {
        if ((addedFlags[i] & SPECIAL) != 0) m.put(addedContents[i], addedIds[i]);
      }
      return m;
    }

    /** A readable account of the pre-tokenizers, e.g. {@code Split(<regex>) then ByteLevel}. */
    String describePreTokenizer() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < stepKinds.length; i++) {
        if (sb.length() > 0) sb.append(" then ");
        if (stepKinds[i] == SPLIT) {
          sb.append("Split(").append(stepPatterns[i]).append(')');
        } else if (isSplit(stepKinds[i])) {
          int k = stepKinds[i] - SPLIT_WITH;
          sb.append("Split(").append(stepPatterns[i]).append(", ").append(PreTokenizers.BEHAVIORS[k / 2])
              .append(k % 2 == 1 ? ", invert" : "").append(')');
        }
        else sb.append(stepKinds[i] == DIGITS_INDIVIDUAL ? "Digits(individual_digits)" : "Digits");
      }
      if (sb.length() > 0) sb.append(" then ");
      sb.append("ByteLevel(");
      if (prefixSpace) sb.append("add_prefix_space");
      if (byteLevelRegex) sb.append(prefixSpace ? ", " : "").append(R50kSplitter.PATTERN);
      return sb.append(')').toString();
    }

    /**
     * The split pattern, as {@link Encoding#pattern()} reports it: the regex of a lone
     * {@code Split} (or GPT-2's for a lone {@code ByteLevel} with its regex), else the
     * pre-tokenizer described.
     */
    String pattern() {
      if (stepKinds.length == 1 && stepKinds[0] == SPLIT && !byteLevelRegex && !prefixSpace) return stepPatterns[0];
      if (stepKinds.length == 0 && byteLevelRegex && !prefixSpace) return R50kSplitter.PATTERN;
      return describePreTokenizer();
    }

    byte[] toBytes() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(normalizer);
        out.writeInt(stepKinds.length);
        for (int i = 0; i < stepKinds.length; i++) {
          out.writeInt(stepKinds[i]);
          writeString(out, stepPatterns[i]);
        }
        out.writeBoolean(prefixSpace);
        out.writeBoolean(byteLevelRegex);
        out.writeInt(addedIds.length);
        for (int i = 0; i < addedIds.length; i++) {
          writeString(out, addedContents[i]);
          out.writeInt(addedIds[i]);
          out.writeInt(addedFlags[i]);
          writeString(out, addedPatterns[i]);
        }
        out.writeInt(template == null ? -1 : template.length);
        if (template != null) for (int t : template) out.writeInt(t);
        out.writeInt(extraIds.length);
        for (int i = 0; i < extraIds.length; i++) {
          out.writeInt(extraIds[i]);
          out.writeInt(extraBytes[i].length);
          out.write(extraBytes[i]);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    static Config fromBytes(byte[] b) throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
      int normalizer = in.readInt();
      int steps = count(in, b.length);
      int[] kinds = new int[steps];
      String[] patterns = new String[steps];
      for (int i = 0; i < steps; i++) {
        kinds[i] = in.readInt();
        patterns[i] = readString(in, b.length);
      }
      boolean prefixSpace = in.readBoolean();
      boolean regex = in.readBoolean();
      int added = count(in, b.length);
      String[] contents = new String[added];
      int[] ids = new int[added];
      int[] flags = new int[added];
      String[] addedPatterns = new String[added];
      for (int i = 0; i < added; i++) {
        contents[i] = readString(in, b.length);
        ids[i] = in.readInt();
        flags[i] = in.readInt();
        addedPatterns[i] = readString(in, b.length);
      }
      int templateLength = in.readInt();
      int[] template = null;
      if (templateLength >= 0) {
        if (templateLength > b.length) throw new IOException("bad template length " + templateLength);
        template = new int[templateLength];
        for (int i = 0; i < templateLength; i++) template[i] = in.readInt();
      }
      int extra = count(in, b.length);
      int[] extraIds = new int[extra];
      byte[][] extraBytes = new byte[extra][];
      for (int i = 0; i < extra; i++) {
        extraIds[i] = in.readInt();
        extraBytes[i] = new byte[count(in, b.length)];
        in.readFully(extraBytes[i]);
      }
      if (in.available() != 0) throw new IOException("unexpected bytes after the tokenizer.json section");
      return new Config(normalizer, kinds, patterns, prefixSpace, regex, contents, ids, flags, addedPatterns,
          template, extraIds, extraBytes);
    }

    private static int count(DataInputStream in, int limit) throws IOException {
      int n = in.readInt();
      if (n < 0 || n > limit) throw new IOException("bad count " + n);
      return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }

    private static String readString(DataInputStream in, int limit) throws IOException {
      byte[] b = new byte[count(in, limit)];
      in.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /** Per-thread scratch space. */
  private static final class Scratch extends Workspace {
    final BytePairEncoder.Workspace merge;
    final IntList rawParts = new IntList(48);
    final IntList normalizedParts = new IntList(48);
    final IntList pieces = new IntList(256);
    final IntList byteLevelPieces = new IntList(64);
    byte[] prefixed = new byte[256];

    Scratch(int maxTokenLength) {
      merge = new BytePairEncoder.Workspace(maxTokenLength);
    }
  }

  private final Config config;
  private final Vocabulary vocab;
  private final BytePairEncoder bpe;
  /** The pre-tokenizers up to ByteLevel's prefix space: all of them if it adds none; null if none. */
  private final Splitter splitter;
  /** GPT-2's pattern after the prefix space, or null. */
  private final Splitter afterPrefix;
  private final AddedTokens raw;
  private final AddedTokens normalized;
  private final int[] addedIds;
  /**
   * Without ignore_merges, per token: whether merging its own bytes gives back that token
   * (1 yes, 2 no, 0 not known yet). Then a piece that is such a token is that token without
   * merging: the shortcut tiktoken (and ignore_merges) always takes, here only where it gives
   * the merge loop's own result. Filled on first use; racing threads compute the same value.
   */
  private final byte[] selfMerging;

  private final SpecialTokens specials;
  private final TokenBytes tokenBytes;
  private final int vocabularySize;
  private final int[] skippedSpecialIds;

  HfPipeline(VocabularyFiles.Definition d) {
    super(d);
    Config c = d.hf();
    this.config = c;
    this.vocab = d.vocab();
    this.bpe = new BytePairEncoder(vocab);
    this.specials = new SpecialTokens(d.specials());
    // Special (added) tokens can share an id with a vocabulary token; decoding prefers the
    // added token, as Hugging Face does.
    this.tokenBytes = new TokenBytes(d.name(), vocab, c.extraIds.clone(), c.extraBytes.clone(), 0, new byte[0][]);
    int hi = vocab.idLimit() - 1;
    for (int id : c.extraIds) hi = Math.max(hi, id);
    if (c.template != null) for (int t : c.template) hi = Math.max(hi, t);
    this.vocabularySize = hi + 1;
    this.selfMerging = vocab.wholePieces ? null : new byte[vocab.size()];
    this.skippedSpecialIds = findSkippedSpecialIds();
    List<Splitter> steps = new ArrayList<>();
    for (int i = 0; i < c.stepKinds.length; i++) {
      switch (c.stepKinds[i]) {
        case SPLIT: steps.add(HfSplitters.forRegex(c.stepPatterns[i])); break;
        case DIGITS: steps.add(new HfSplitters.Digits(false)); break;
        case DIGITS_INDIVIDUAL: steps.add(new HfSplitters.Digits(true)); break;
        default:
          if (!isSplit(c.stepKinds[i])) throw new IllegalArgumentException("unknown pre-tokenizer step " + c.stepKinds[i]);
          int k = c.stepKinds[i] - SPLIT_WITH;
          steps.add(new HfSplitters.Split(c.stepPatterns[i], k / 2, k % 2 == 1));
      }
    }
    if (c.byteLevelRegex && !c.prefixSpace) steps.add(new R50kSplitter());
    this.afterPrefix = c.byteLevelRegex && c.prefixSpace ? new R50kSplitter() : null;
    this.splitter = steps.isEmpty() ? null
        : steps.size() == 1 ? steps.get(0) : new HfSplitters.Sequence(steps.toArray(new Splitter[0]));
    int n = c.addedIds.length;
    this.addedIds = c.addedIds.clone();
    List<String> rawPatterns = new ArrayList<>();
    List<String> normalizedPatterns = new ArrayList<>();
    IntList rawIndex = new IntList(16);
    IntList rawFlags = new IntList(16);
    IntList normalizedIndex = new IntList(16);
    IntList normalizedFlags = new IntList(16);
    for (int i = 0; i < n; i++) {
      if ((c.addedFlags[i] & NORMALIZED) != 0) {
        normalizedPatterns.add(c.addedPatterns[i]);
        normalizedIndex.add(i);
        normalizedFlags.add(c.addedFlags[i]);
      } else {
        rawPatterns.add(c.addedPatterns[i]);
        rawIndex.add(i);
        rawFlags.add(c.addedFlags[i]);
      }
    }
    this.raw = rawPatterns.isEmpty() ? null : new AddedTokens(rawPatterns, rawIndex.toArray(), rawFlags.toArray());
    this.normalized = normalizedPatterns.isEmpty() ? null
        : new AddedTokens(normalizedPatterns, normalizedIndex.toArray(), normalizedFlags.toArray());
  }

  @Override
  Workspace newWorkspace() {
    return new Scratch(vocab.maxTokenLength);
  }

  @Override
  String pattern() {
    return definition.pattern();
  }

  @Override
  String splitEngine() {
    return HfSplitters.engine(config);
  }

  @Override
  int vocabularySize() {
    return vocabularySize;
  }

  /** The added tokens marked special. */
  @Override
  SpecialTokens specials() {
    return specials;
  }

  @Override
  int encodeOrdinary(byte[] b, int start, int end, IntList out, Workspace w) {
    Scratch s = (Scratch) w;
    return run(b, start, end, isNormalized(b, start, end), out, null, Integer.MAX_VALUE, null, s, s.merge);
  }

  /** The ids of {@link #encodeOrdinary}: Hugging Face finds its added tokens whatever is allowed. */
  @Override
  void encode(byte[] b, int start, int end, Set<String> allowed, Set<String> disallowed, IntList out, Workspace w) {
    Scratch s = (Scratch) w;
    boolean[] refused = refusedAdded(config.addedContents, config.addedFlags, allowed, disallowed);
    run(b, start, end, isNormalized(b, start, end), out, null, Integer.MAX_VALUE, refused, s, s.merge);
  }

  @Override
  void encodeAllSpecial(byte[] b, int start, int end, boolean addTemplate, IntList out, Workspace w) {
    inTemplate(addTemplate ? config.template : null, b, start, end, out, w);
  }

  @Override
  boolean endsMapToText(byte[] b, int start, int end) {
    return isNormalized(b, start, end);
  }

  @Override
  int tokenEnds(byte[] b, int start, int end, int limit, IntList tokenEnds, Workspace w) {
    tokenEnds.clear();
    w.ids.clear();
    if (start == end) return 0;
    Scratch s = (Scratch) w;
    // The caller has made sure that the text is normalized.
    run(b, start, end, true, s.ids, tokenEnds, limit, null, s, s.merge);
    return tokenEnds.size;
  }

  @Override
  boolean ordinaryReadsSpecialsAsText() {
    return false;
  }

  /**
   * Hugging Face's ByteLevel decoder: an added token decodes to its text (its normalized text if
   * it is {@code normalized}); an id outside the vocabulary is an error, as in tiktoken.
   */
  @Override
  byte[] decodeBytes(int[] ids) {
    return tokenBytes.decode(ids);
  }

  @Override
  int[] skippedSpecialIds() {
    return skippedSpecialIds;
  }

  /**
   * {@link Pipeline#skippedAdded} of this file: a model token's text is its bytes spelled in the
   * byte-level alphabet, or, for a token outside the alphabet, its UTF-8 (kept with the extra
   * ids).
   */
  private int[] findSkippedSpecialIds() {
    Config c = config;
    Set<String> special = specialTexts(c.addedContents, c.addedFlags);
    Set<Integer> added = new java.util.HashSet<>();
    for (int id : c.addedIds) added.add(id);
    IntList model = new IntList(4);
    for (String text : special) {
      byte[] b = ByteLevel.bytesOf(text);
      if (b != null) {
        int r = b.length == 0 ? Vocabulary.ABSENT : vocab.rank(b, 0, b.length);
        if (r != Vocabulary.ABSENT && !added.contains(vocab.id(r))) model.add(vocab.id(r));
      } else {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < c.extraIds.length; i++) {
          if (!added.contains(c.extraIds[i]) && Arrays.equals(c.extraBytes[i], utf8)) model.add(c.extraIds[i]);
        }
      }
    }
    return skippedAdded(c.addedContents, c.addedFlags, c.addedIds, c.addedPatterns, model);
  }

  /** Whether UTF-8 text is already normalized (so that the normalizer can be skipped). */
  private boolean isNormalized(byte[] b, int from, int to) {
    return HfNormalizer.isNormalized(b, from, to, config.normalizer);
  }

  /**
   * The text as the model sees it: each text between non-normalized added tokens normalized,
   * the tokens themselves kept (Hugging Face's normalized string, as UTF-8).
   */
  @Override
  byte[] normalizedText(byte[] b, int start, int end, Workspace w) {
    Scratch s = (Scratch) w;
    IntList parts = s.rawParts;
    parts.clear();
    if (raw == null) {
      parts.add(-1);
      parts.add(start);
      parts.add(end);
    } else {
      raw.split(b, start, end, parts);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(end - start + 16);
    int done = start;
    for (int i = 0; i < parts.size; i += 3) {
      int ps = Math.max(parts.a[i + 1], done);
      int pe = parts.a[i + 2];
      if (parts.a[i] >= 0) {
        out.write(b, ps, pe - ps);
      } else {
        String seg = new String(b, ps, pe - ps, StandardCharsets.UTF_8);
        byte[] n = HfNormalizer.normalize(seg, config.normalizer).getBytes(StandardCharsets.UTF_8);
        out.write(n, 0, n.length);
      }
      done = pe;
    }
    return out.toByteArray();
  }

  /**
   * Encodes b[start, end) (well-formed UTF-8) without the template: appends the ids to
   * {@code out} (unless null) and, if {@code tokenEnds} is not null, where each token ends in b;
   * returns the number of tokens, stopping once it exceeds {@code limit}.
   *
   * @param isNormalized whether the text is known to be normalized already (required when
   *     {@code tokenEnds} is wanted: offsets into a normalized copy would mean nothing)
   * @param refused per added token, whether finding it is an error (null: none is)
   */
  private int run(byte[] b, int start, int end, boolean isNormalized, IntList out, IntList tokenEnds, int limit,
      boolean[] refused, Scratch s, BytePairEncoder.Workspace w) {
    if (tokenEnds != null && (out == null || !isNormalized)) throw new IllegalArgumentException();
    if (raw == null) return segment(b, start, end, start, isNormalized, out, tokenEnds, limit, refused, s, w);
    IntList parts = s.rawParts;
    parts.clear();
    raw.split(b, start, end, parts);
    int count = 0;
    for (int i = 0; i < parts.size && count <= limit; i += 3) {
      int k = parts.a[i];
      if (k >= 0) {
        count += added(k, start, parts.a[i + 1], parts.a[i + 2], out, tokenEnds, refused);
      } else {
        count += segment(b, parts.a[i + 1], parts.a[i + 2], start, isNormalized, out, tokenEnds, limit - count, refused,
            s, w);
      }
    }
    return count;
  }

  /** An added token found at b[s, e); textStart is where the text starts in b, or -1 if b is a normalized copy. */
  private int added(int k, int textStart, int s, int e, IntList out, IntList tokenEnds, boolean[] refused) {
    if (refused != null && refused[k]) throw new RefusedToken(config.addedContents[k], textStart < 0 ? -1 : s - textStart);
    if (out != null) out.add(addedIds[k]);
    if (tokenEnds != null) tokenEnds.add(e);
    return 1;
  }

  /** A text between non-normalized added tokens: normalize, find the normalized added tokens, pre-tokenize. */
  private int segment(byte[] b, int start, int end, int textStart, boolean isNormalized, IntList out, IntList tokenEnds,
      int limit, boolean[] refused, Scratch s, BytePairEncoder.Workspace w) {
    if (start == end) return 0;
    if (!isNormalized && config.normalizer != HfNormalizer.NONE && !HfNormalizer.isPlain(b, start, end, config.normalizer)) {
      String text = new String(b, start, end - start, StandardCharsets.UTF_8);
      String n = HfNormalizer.normalize(text, config.normalizer);
      if (!n.equals(text)) {
        b = n.getBytes(StandardCharsets.UTF_8);
        start = 0;
        end = b.length;
        textStart = -1;
      }
    }
    if (normalized == null) return preTokenized(b, start, end, out, tokenEnds, limit, s, w);
    IntList parts = s.normalizedParts;
    parts.clear();
    normalized.split(b, start, end, parts);
    int count = 0;
    for (int i = 0; i < parts.size && count <= limit; i += 3) {
      int k = parts.a[i];
      if (k >= 0) {
        count += added(k, textStart, parts.a[i + 1], parts.a[i + 2], out, tokenEnds, refused);
      } else {
        count += preTokenized(b, parts.a[i + 1], parts.a[i + 2], out, tokenEnds, limit - count, s, w);
      }
    }
    return count;
  }

  /** Pre-tokenizes b[start, end) and merges each piece. */
  private int preTokenized(byte[] b, int start, int end, IntList out, IntList tokenEnds, int limit, Scratch s,
      BytePairEncoder.Workspace w) {
    if (start == end) return 0;
    if (splitter == null) return piece(b, start, end, out, tokenEnds, s, w);
    IntList ends = s.pieces;
    ends.clear();
    splitter.split(b, start, end, ends);
    int count = 0;
    int p = start;
    // A negative end -e-1 is text a Split removed: it makes no token.
    if (!config.prefixSpace && selfMerging == null && tokenEnds == null) {
      // The common case, as tiktoken's: each piece straight to the merges.
      for (int i = 0, n = ends.size; i < n; i++) {
        int e = ends.a[i];
        if (e < 0) {
          p = -e - 1;
          continue;
        }
        count += bpe.encode(b, p, e, out, w);
        p = e;
      }
      return count;
    }
    for (int i = 0, n = ends.size; i < n && count <= limit; i++) {
      int e = ends.a[i];
      if (e < 0) {
        p = -e - 1;
        continue;
      }
      count += piece(b, p, e, out, tokenEnds, s, w);
      p = e;
    }
    return count;
  }

  /** One piece of the pre-tokenizers before ByteLevel: ByteLevel's prefix space and pattern, then BPE. */
  private int piece(byte[] b, int start, int end, IntList out, IntList tokenEnds, Scratch s,
      BytePairEncoder.Workspace w) {
    if (!config.prefixSpace || b[start] == ' ') {
      if (afterPrefix == null) return merge(b, start, end, out, tokenEnds, start, w);
      return afterPrefix(b, start, end, out, tokenEnds, start, s, w);
    }
    int n = end - start + 1;
    if (s.prefixed.length < n) s.prefixed = new byte[Math.max(n, 2 * s.prefixed.length)];
    byte[] p = s.prefixed;
    p[0] = ' ';
    System.arraycopy(b, start, p, 1, n - 1);
    // Token ends in the prefixed copy map back to b shifted by the added space.
    int shift = start - 1;
    if (afterPrefix == null) return merge(p, 0, n, out, tokenEnds, shift, w);
    return afterPrefix(p, 0, n, out, tokenEnds, shift, s, w);
  }

  private int afterPrefix(byte[] b, int start, int end, IntList out, IntList tokenEnds, int shift, Scratch s,
      BytePairEncoder.Workspace w) {
    IntList ends = s.byteLevelPieces;
    ends.clear();
    afterPrefix.split(b, start, end, ends);
    int count = 0;
    int p = start;
    for (int i = 0, n = ends.size; i < n; i++) {
      int e = ends.a[i];
      count += merge(b, p, e, out, tokenEnds, shift + (p - start), w);
      p = e;
    }
    return count;
  }

  /**
   * BPE of one piece b[start, end); token ends go to {@code tokenEnds} as offsets
   * {@code origin + (end of the token - start)} (in a prefixed copy, origin is one less than
   * the piece's start in the caller's text, so that the added space counts for nothing).
   */
  private int merge(byte[] b, int start, int end, IntList out, IntList tokenEnds, int origin, BytePairEncoder.Workspace w) {
    if (selfMerging != null && end - start > 1) {
      int r = vocab.rank(b, start, end - start);
      if (r >= 0 && isSelfMerging(r, w)) {
        if (out != null) out.add(r);
        if (tokenEnds != null) tokenEnds.add(origin + (end - start));
        return 1;
      }
    }
    int before = out == null ? 0 : out.size;
    int n = bpe.encode(b, start, end, out, w);
    if (tokenEnds != null) {
      int at = origin;
      for (int i = before; i < out.size; i++) {
        at += vocab.tokenLength(out.a[i]);
        tokenEnds.add(at);
      }
    }
    return n;
  }

  private final ThreadLocal<IntList> selfMergeIds = ThreadLocal.withInitial(() -> new IntList(16));

  private boolean isSelfMerging(int r, BytePairEncoder.Workspace w) {
    byte known = selfMerging[r];
    if (known != 0) return known == 1;
    IntList ids = selfMergeIds.get();
    ids.clear();
    int off = vocab.offsets[r];
    boolean self = bpe.encode(vocab.pool, off, off + vocab.tokenLength(r), ids, w) == 1 && ids.a[0] == r;
    selfMerging[r] = (byte) (self ? 1 : 2);
    return self;
  }
}
