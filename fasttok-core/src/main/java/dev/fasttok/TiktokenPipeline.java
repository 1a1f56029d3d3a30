package dev.fasttok;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeMap;

/**
 * tiktoken's family: the split pattern cuts the text into pieces, each piece is merged by rank
 * ({@link BytePairEncoder}), and special tokens are found in the text only where the caller
 * allows (or refuses) them. Decoding concatenates the tokens' bytes.
 */
final class TiktokenPipeline extends Pipeline {
  private final Splitter splitter;
  private final Vocabulary vocab;
  private final BytePairEncoder bpe;
  private final SpecialTokens specials;
  /** Every special token accepted, as {@link #encodeAllSpecial} finds them; null if there are none. */
  private final boolean[] acceptAll;
  private final TokenBytes tokenBytes;
  private final int vocabularySize;

  private static final class Scratch extends Workspace {
    final BytePairEncoder.Workspace merge;

    Scratch(int maxTokenLength) {
      merge = new BytePairEncoder.Workspace(maxTokenLength);
    }
  }

  TiktokenPipeline(VocabularyFiles.Definition d) {
    super(d);
    this.vocab = d.vocab();
    this.bpe = new BytePairEncoder(vocab);
    this.specials = new SpecialTokens(d.specials());
    this.splitter = Splitters.forPattern(d.pattern());
    if (specials.size() == 0) {
      this.acceptAll = null;
    } else {
      this.acceptAll = new boolean[specials.size()];
      Arrays.fill(acceptAll, true);
    }
    int lo = Integer.MAX_VALUE;
    int hi = -1;
    for (int id : specials.ids) {
      lo = Math.min(lo, id);
      hi = Math.max(hi, id);
    }
    this.vocabularySize = Math.max(hi, vocab.idLimit() - 1) + 1;
    // Sparse ids, and special ids too far apart for an array by id, decode by binary search.
    boolean spread = hi - (long) lo + 1 > 2L * specials.size() + 1024;
    TreeMap<Integer, byte[]> extra = new TreeMap<>();
    for (int r = vocab.denseEnd; r < vocab.size(); r++) {
      extra.put(vocab.id(r), Arrays.copyOfRange(vocab.pool, vocab.offsets[r], vocab.offsets[r + 1]));
    }
    int base = spread || lo == Integer.MAX_VALUE ? 0 : lo;
    byte[][] byId = new byte[spread || hi < 0 ? 0 : hi - base + 1][];
    for (int i = 0; i < specials.size(); i++) {
      // With two names for one id, decoding gives the first one listed.
      if (spread) {
        extra.putIfAbsent(specials.ids[i], specials.bytes[i]);
      } else if (byId[specials.ids[i] - base] == null) {
        byId[specials.ids[i] - base] = specials.bytes[i];
      }
    }
    int[] extraIds = extra.isEmpty() ? null : extra.keySet().stream().mapToInt(Integer::intValue).toArray();
    byte[][] extraBytes = extra.isEmpty() ? null : extra.values().toArray(new byte[0][]);
    this.tokenBytes = new TokenBytes(d.name(), vocab, extraIds, extraBytes, base, byId);
  }

  @Override
  Workspace newWorkspace() {
    return new Scratch(vocab.maxTokenLength);
  }

  @Override
  String pattern() {
    return splitter.pattern();
  }

  @Override
  String splitEngine() {
    return splitter.engine();
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
    return segment(b, start, end, out, (Scratch) w);
  }

  @Override
  void encode(byte[] b, int start, int end, Set<String> allowed, Set<String> disallowed, IntList out, Workspace w) {
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
    // As tiktoken: a refused token anywhere in the text is an error before anything is encoded.
    if (anyRefused) {
      long hit = specials.find(b, start, end, refuse);
      if (hit >= 0) throw new RefusedToken(specials.names[(int) hit], (int) (hit >>> 32) - start);
    }
    encodeAccepting(b, start, end, anyAllowed ? accept : null, out, (Scratch) w);
  }

  @Override
  void encodeAllSpecial(byte[] b, int start, int end, boolean addTemplate, IntList out, Workspace w) {
    encodeAccepting(b, start, end, acceptAll, out, (Scratch) w); // no template in tiktoken
  }

  /** Encodes b[start, end), each accepted special token (none if null) as its id. */
  private void encodeAccepting(byte[] b, int start, int end, boolean[] accept, IntList out, Scratch w) {
    while (true) {
      long hit = accept != null ? specials.find(b, start, end, accept) : -1;
      int segmentEnd = hit < 0 ? end : (int) (hit >>> 32);
      segment(b, start, segmentEnd, out, w);
      if (hit < 0) return;
      int i = (int) hit;
      out.add(specials.ids[i]);
      start = segmentEnd + specials.bytes[i].length;
    }
  }

  /**
   * Texts longer than this are split and merged part by part, each part at least this long: a
   * whole megabyte split before merging leaves both the text and its piece ends out of cache by
   * the time the merging reads them, and grows the list of ends to the text's size.
   */
  static final int PART = 1 << 15;

  /** Splits and merges b[start, end) as ordinary text; appends ids (unless null), returns the count. */
  private int segment(byte[] b, int start, int end, IntList out, Scratch w) {
    int count = 0;
    while (end - start > 2 * PART) {
      int cut = splitter.cut(b, start + PART, end - PART);
      if (cut < 0) break;
      count += part(b, start, cut, out, w);
      start = cut;
    }
    return count + part(b, start, end, out, w);
  }

  /** {@link #segment} of a part that is split at once. */
  private int part(byte[] b, int start, int end, IntList out, Scratch w) {
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

  @Override
  boolean endsMapToText(byte[] b, int start, int end) {
    return true;
  }

  @Override
  byte[] normalizedText(byte[] b, int start, int end, Workspace w) {
    return Arrays.copyOfRange(b, start, end); // no normalizer
  }

  @Override
  int tokenEnds(byte[] b, int start, int end, int limit, IntList tokenEnds, Workspace workspace) {
    tokenEnds.clear();
    IntList ids = workspace.ids;
    ids.clear();
    if (start == end) return 0;
    Scratch w = (Scratch) workspace;
    IntList ends = w.ends;
    ends.clear();
    splitter.split(b, start, end, ends);
    int p = start;
    for (int i = 0, n = ends.size; i < n && tokenEnds.size <= limit; i++) {
      int pieceEnd = ends.a[i];
      if (pieceEnd < 0) {
        p = -pieceEnd - 1;
        continue;
      }
      int first = ids.size;
      bpe.encode(b, p, pieceEnd, ids, w.merge);
      for (int k = first; k < ids.size; k++) {
        p += vocab.tokenLength(ids.a[k]);
        tokenEnds.add(p);
      }
    }
    return tokenEnds.size;
  }

  @Override
  boolean ordinaryReadsSpecialsAsText() {
    return true;
  }

  @Override
  byte[] decodeBytes(int[] ids) {
    return tokenBytes.decode(ids);
  }

  /** The special tokens' ids. */
  @Override
  int[] skippedSpecialIds() {
    int[] ids = specials.ids.clone();
    Arrays.sort(ids);
    return ids;
  }
}
