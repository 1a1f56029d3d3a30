package dev.fasttok;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32;

/**
 * Readers and writers of vocabulary files: tiktoken's rank files and fasttok's compact binary form.
 * Every error names the file and the line (rank files) or byte offset (compact form).
 *
 * <p>Compact form, little-endian: magic {@code FTOK}, format version, name, split pattern, special
 * tokens (text, id), token start offsets by rank (plus the end), the token bytes, the ids of the
 * sparse ranks ({@link Vocabulary}), whether whole pieces are tokens, the merge rules (or -1), what
 * a Hugging Face tokenizer.json adds around the vocabulary ({@link HfPipeline.Config}, or -1), and
 * a CRC-32 of everything before it. A tokenizer.json encoding that is not byte-level BPE has a
 * form of its own ({@link #MAGIC_JSON}). Strings are an int byte length and UTF-8; arrays an int length
 * and their elements. The lookup tables are not in the file: loading builds them from the tokens
 * (formats 1 and 2 carried them, and a file could make them disagree with the tokens).
 */
final class VocabularyFiles {
  static final int MAGIC = 0x4B4F5446; // "FTOK" read little-endian
  static final int VERSION = 3;
  /**
   * The compact form of a component-built tokenizer.json encoding ({@link ComponentPipeline}):
   * magic {@code FTKJ}, format version, name, the file's bytes, CRC-32. Reading it reads the
   * file again: its components are code, not data, and the file is what defines them.
   */
  static final int MAGIC_JSON = 0x4A4B5446; // "FTKJ" read little-endian
  static final int VERSION_JSON = 1;

  private VocabularyFiles() {}

  /**
   * What an encoding is made of, before its tables are built.
   *
   * @param vocab the byte-level vocabulary (tiktoken and byte-level BPE), or null for a
   *     component-built tokenizer.json (its model holds its vocabulary)
   * @param hf what a byte-level BPE tokenizer.json adds around the vocabulary, or null
   * @param components the components of any other tokenizer.json ({@link ComponentPipeline}), or null
   */
  record Definition(String name, String pattern, Map<String, Integer> specials, Vocabulary vocab,
      HfPipeline.Config hf, ComponentPipeline.Config components) {
    Definition(String name, String pattern, Map<String, Integer> specials, Vocabulary vocab) {
      this(name, pattern, specials, vocab, null, null);
    }

    Definition(String name, String pattern, Map<String, Integer> specials, Vocabulary vocab, HfPipeline.Config hf) {
      this(name, pattern, specials, vocab, hf, null);
    }
  }

  /**
   * Reads a tiktoken rank file: one {@code <base64 token bytes> <rank>} line per token, the two
   * separated (and surrounded) by any whitespace, as tiktoken's loader splits a line. Ranks need
   * not be dense. Errors name the source and the line.
   */
  static Definition readTiktoken(InputStream in, String source, String name, String pattern,
      Map<String, Integer> specials) throws IOException {
    byte[] text = in.readAllBytes();
    Base64.Decoder base64 = Base64.getDecoder();
    // The tokens in file order: their bytes one after another, their ends, ids and lines.
    ByteArrayOutputStream tokens = new ByteArrayOutputStream(text.length);
    IntList ends = new IntList(1024);
    IntList ids = new IntList(1024);
    IntList lines = new IntList(1024);
    int line = 0;
    for (int i = 0; i < text.length; ) {
      line++;
      int eol = i;
      while (eol < text.length && text[eol] != '\n') eol++;
      int end = eol > i && text[eol - 1] == '\r' ? eol - 1 : eol;
      int tokenStart = skip(text, i, end, true);
      int tokenEnd = skip(text, tokenStart, end, false);
      int rankStart = skip(text, tokenEnd, end, true);
      int rankEnd = skip(text, rankStart, end, false);
      if (end > i) {
        if (tokenStart == tokenEnd || rankStart == rankEnd || skip(text, rankEnd, end, true) != end) {
          throw bad(source, line, "expected '<base64 token> <rank>'");
        }
        byte[] token;
        try {
          token = base64.decode(Arrays.copyOfRange(text, tokenStart, tokenEnd));
        } catch (IllegalArgumentException e) {
          throw bad(source, line, "invalid base64: " + e.getMessage());
        }
        if (token.length == 0) throw bad(source, line, "empty token");
        long rank = 0;
        for (int k = rankStart; k < rankEnd && rank >= 0; k++) {
          int d = text[k] - '0';
          rank = d < 0 || d > 9 ? -1 : Math.min(rank * 10 + d, Vocabulary.MAX_RANK + 1L);
        }
        if (rank < 0 || rank > Vocabulary.MAX_RANK) {
          String rankText = new String(text, rankStart, rankEnd - rankStart, StandardCharsets.ISO_8859_1);
          throw bad(source, line, rank < 0 ? "invalid rank '" + rankText + "'"
              : "rank " + rankText + " is above " + Vocabulary.MAX_RANK + ", the largest fasttok accepts");
        }
        tokens.write(token, 0, token.length);
        ends.add(tokens.size());
        ids.add((int) rank);
        lines.add(line);
      }
      i = eol + 1;
    }
    int n = ids.size;
    if (n == 0) throw new IllegalArgumentException(source + ": no tokens");

    // File positions in id order (files are nearly always in id order already).
    int[] order = new int[n];
    boolean ascending = true;
    for (int k = 1; k < n && ascending; k++) ascending = ids.a[k] > ids.a[k - 1];
    if (ascending) {
      for (int k = 0; k < n; k++) order[k] = k;
    } else {
      long[] keys = new long[n];
      for (int k = 0; k < n; k++) keys[k] = (long) ids.a[k] << 32 | k;
      Arrays.sort(keys);
      for (int k = 0; k < n; k++) order[k] = (int) keys[k];
    }
    int[] sortedIds = new int[n];
    for (int k = 0; k < n; k++) sortedIds[k] = ids.a[order[k]];
    for (int k = 1; k < n; k++) {
      if (sortedIds[k] == sortedIds[k - 1]) {
        throw bad(source, lines.a[order[k]], "rank " + sortedIds[k] + " appears twice (also on line "
            + lines.a[order[k - 1]] + ")");
      }
    }

    // Ids below 2n + 256 are ranks as they are; the others, if any, take the ranks after them
    // (Vocabulary's sparse ids), so that memory follows the number of tokens, not the largest id.
    long limit = 2L * n + 256;
    int dense = 0;
    while (dense < n && sortedIds[dense] < limit) dense++;
    int denseEnd = dense == 0 ? 0 : sortedIds[dense - 1] + 1;
    int ranks = denseEnd + n - dense;
    byte[] all = tokens.toByteArray();
    byte[] pool = new byte[all.length];
    int[] offsets = new int[ranks + 1];
    int at = 0;
    for (int r = 0, k = 0; r < ranks; r++) {
      offsets[r] = at;
      if (r >= denseEnd || sortedIds[k] == r) {
        int f = order[k++];
        int from = f == 0 ? 0 : ends.a[f - 1];
        System.arraycopy(all, from, pool, at, ends.a[f] - from);
        at += ends.a[f] - from;
      }
    }
    offsets[ranks] = at;
    int[] sparseIds = dense == n ? null : Arrays.copyOfRange(sortedIds, dense, n);
    IntUnaryOperator lineOfId = id -> lines.a[order[Arrays.binarySearch(sortedIds, id)]];

    Vocabulary vocab;
    try {
      vocab = Vocabulary.build(pool, offsets, sparseIds);
    } catch (Vocabulary.BadToken e) {
      int id = e.rank < denseEnd ? e.rank : sparseIds[e.rank - denseEnd];
      int earlier = e.earlier < denseEnd ? e.earlier : sparseIds[e.earlier - denseEnd];
      throw bad(source, lineOfId.applyAsInt(id), "the token of rank " + id + " has the same bytes as the token of rank "
          + earlier + " on line " + lineOfId.applyAsInt(earlier));
    }
    int missing = missingByte(vocab);
    if (missing >= 0) throw new IllegalArgumentException(source + ": " + noByteToken(missing));
    for (Map.Entry<String, Integer> s : specials.entrySet()) {
      int id = s.getValue();
      if (id < 0 || id > Vocabulary.MAX_RANK) {
        throw new IllegalArgumentException(source + ": special token " + s.getKey() + " has id " + id
            + "; ids must be from 0 to " + Vocabulary.MAX_RANK);
      }
      if (vocab.rankOfId(id) != Vocabulary.ABSENT) {
        throw bad(source, lineOfId.applyAsInt(id), "rank " + id + " is also the id of the special token " + s.getKey());
      }
    }
    return new Definition(name, pattern, specials, vocab);
  }

  /** The end of the run of whitespace (as Python's bytes.split sees it) or of non-whitespace at i. */
  private static int skip(byte[] b, int i, int end, boolean whitespace) {
    while (i < end && isSpace(b[i]) == whitespace) i++;
    return i;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
  }

  private static IllegalArgumentException bad(String source, int line, String what) {
    return new IllegalArgumentException(source + " line " + line + ": " + what);
  }

  /** The first byte value that is not a token, or -1. */
  private static int missingByte(Vocabulary v) {
    for (int b = 0; b < 256; b++) if (v.byteRank[b] < 0) return b;
    return -1;
  }

  private static String noByteToken(int b) {
    return String.format("no token for the single byte 0x%02X; every byte must be a token", b);
  }

  static byte[] writeCompact(Definition d) {
    if (d.components() != null) return writeCompactJson(d);
    Vocabulary v = d.vocab();
    byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
    byte[] pattern = d.pattern().getBytes(StandardCharsets.UTF_8);
    byte[][] specialBytes = new byte[d.specials().size()][];
    long size = 4 + 4 + 4 + name.length + 4 + pattern.length + 4;
    int k = 0;
    for (String s : d.specials().keySet()) {
      specialBytes[k] = s.getBytes(StandardCharsets.UTF_8);
      size += 4 + specialBytes[k++].length + 4;
    }
    int[] sparseIds = v.sparseIds == null ? new int[0] : v.sparseIds;
    int[][] rules = v.rules == null ? null : v.rules.lists();
    byte[] hf = d.hf() == null ? null : d.hf().toBytes();
    size += 4 + 4L * v.offsets.length + 4 + v.pool.length + 4 + 4L * sparseIds.length + 1;
    size += 4 + (rules == null ? 0 : 3 * 4L * rules[0].length) + 4 + (hf == null ? 0 : hf.length) + 8;
    if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("vocabulary too large for the compact form");
    ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(VERSION);
    buf.putInt(name.length).put(name);
    buf.putInt(pattern.length).put(pattern);
    buf.putInt(d.specials().size());
    k = 0;
    for (int id : d.specials().values()) buf.putInt(specialBytes[k].length).put(specialBytes[k++]).putInt(id);
    buf.putInt(v.offsets.length);
    putInts(buf, v.offsets);
    buf.putInt(v.pool.length).put(v.pool);
    buf.putInt(sparseIds.length);
    putInts(buf, sparseIds);
    buf.put((byte) (v.wholePieces ? 1 : 0));
    buf.putInt(rules == null ? -1 : rules[0].length);
    if (rules != null) for (int[] list : rules) putInts(buf, list);
    buf.putInt(hf == null ? -1 : hf.length);
    if (hf != null) buf.put(hf);
    CRC32 crc = new CRC32();
    crc.update(buf.array(), 0, buf.position());
    buf.putLong(crc.getValue());
    return buf.array();
  }

  private static byte[] writeCompactJson(Definition d) {
    byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
    byte[] json = d.components().json();
    ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 4 + name.length + 4 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC_JSON).putInt(VERSION_JSON);
    buf.putInt(name.length).put(name);
    buf.putInt(json.length).put(json);
    CRC32 crc = new CRC32();
    crc.update(buf.array(), 0, buf.position());
    buf.putLong(crc.getValue());
    return buf.array();
  }

  /** Reads {@link #writeCompactJson}'s form: the tokenizer.json file, read again under its name. */
  private static Definition readCompactJson(byte[] bytes, ByteBuffer buf, String source) {
    int version = buf.getInt();
    if (version != VERSION_JSON) throw corrupt(source, 4, "format version " + version + ", expected " + VERSION_JSON);
    if (bytes.length < 8 + 8) throw corrupt(source, bytes.length, "truncated");
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (crc.getValue() != stored) throw corrupt(source, bytes.length - 8, "checksum mismatch (the file is corrupt or truncated)");
    String name = string(buf, source);
    int jsonAt = buf.position();
    byte[] json = bytes(buf, source);
    if (buf.remaining() != 8) throw corrupt(source, buf.position(), "unexpected bytes after the tokenizer.json file");
    try {
      return TokenizerJson.read(json, source + " (its tokenizer.json at byte offset " + jsonAt + ")", name);
    } catch (IllegalArgumentException e) {
      throw corrupt(source, jsonAt, "bad tokenizer.json: " + e.getMessage());
    }
  }

  private static void putInts(ByteBuffer buf, int[] a) {
    buf.asIntBuffer().put(a);
    buf.position(buf.position() + 4 * a.length);
  }

  /**
   * Reads the compact form, building the lookup tables from the tokens and checking everything
   * else against them; errors name the source and the byte offset of what is wrong.
   */
  static Definition readCompact(byte[] bytes, String source) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int magic = bytes.length < 8 ? 0 : buf.getInt();
      if (magic == MAGIC_JSON) return readCompactJson(bytes, buf, source);
      if (magic != MAGIC) throw corrupt(source, 0, "not a fasttok vocabulary");
      int version = buf.getInt();
      if (version != VERSION) {
        throw corrupt(source, 4, "format version " + version + ", expected " + VERSION
            + (version < VERSION ? " (written by an earlier fasttok: write it again with Encoding.toBytes())" : ""));
      }
      if (bytes.length < 8 + 8) throw corrupt(source, bytes.length, "truncated");
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - 8);
      long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (crc.getValue() != stored) {
        throw corrupt(source, bytes.length - 8, "checksum mismatch (the file is corrupt or truncated)");
      }
      String name = string(buf, source);
      int patternAt = buf.position();
      String pattern = string(buf, source);
      int nSpecial = count(buf, source, 8);
      Map<String, Integer> specials = new LinkedHashMap<>();
      int[] specialAt = new int[nSpecial];
      for (int i = 0; i < nSpecial; i++) {
        specialAt[i] = buf.position();
        String s = string(buf, source);
        if (s.isEmpty()) throw corrupt(source, specialAt[i], "a special token's text is empty");
        if (specials.put(s, buf.getInt()) != null) {
          throw corrupt(source, specialAt[i], "special token " + s + " appears twice");
        }
      }
      int offsetsAt = buf.position();
      int[] offsets = ints(buf, source);
      int poolLength = count(buf, source, 1);
      int poolAt = buf.position();
      if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != poolLength) {
        throw corrupt(source, offsetsAt, "token offsets do not span the token bytes");
      }
      byte[] pool = new byte[poolLength];
      buf.get(pool);
      int sparseAt = buf.position();
      int[] sparseIds = ints(buf, source);
      int denseEnd = offsets.length - 1 - sparseIds.length;
      if (denseEnd < 0) throw corrupt(source, sparseAt, "more sparse ids than tokens");
      for (int j = 0; j < sparseIds.length; j++) {
        int id = sparseIds[j];
        if (id <= (j == 0 ? denseEnd - 1 : sparseIds[j - 1]) || id > Vocabulary.MAX_RANK) {
          throw corrupt(source, sparseAt + 4 + 4 * j, "sparse id " + id + " out of order or out of range");
        }
        if (offsets[denseEnd + j] >= offsets[denseEnd + j + 1]) {
          throw corrupt(source, sparseAt + 4 + 4 * j, "the token of sparse id " + id + " is empty");
        }
      }
      boolean wholePieces = buf.get() != 0;
      int rulesAt = buf.position();
      int ruleCount = buf.getInt();
      if (ruleCount < -1 || 12L * ruleCount > buf.remaining()) {
        throw corrupt(source, rulesAt, "invalid count " + ruleCount);
      }
      int[][] rules = new int[3][];
      if (ruleCount >= 0) {
        for (int i = 0; i < 3; i++) {
          rules[i] = new int[ruleCount];
          buf.asIntBuffer().get(rules[i]);
          buf.position(buf.position() + 4 * ruleCount);
        }
      }
      int hfAt = buf.position();
      int hfLength = buf.getInt();
      HfPipeline.Config hf = null;
      if (hfLength != -1) {
        buf.position(hfAt);
        try {
          hf = HfPipeline.Config.fromBytes(bytes(buf, source));
        } catch (java.io.IOException | RuntimeException e) {
          throw corrupt(source, hfAt, "bad tokenizer.json section: " + e.getMessage());
        }
      }
      if (buf.remaining() != 8) throw corrupt(source, buf.position(), "unexpected bytes after the tokens");
      if ((ruleCount >= 0) != (hf != null) || (hf == null && !wholePieces) || (hf != null && sparseIds.length > 0)) {
        throw corrupt(source, rulesAt, "merge rules and tokenizer.json section do not go together");
      }

      Vocabulary vocab;
      try {
        vocab = Vocabulary.build(pool, offsets, sparseIds);
      } catch (Vocabulary.BadToken e) {
        if (e.earlier < 0) throw corrupt(source, offsetsAt + 4 + 4 * e.rank, "token offsets out of order");
        throw corrupt(source, poolAt + offsets[e.rank], "the token of rank " + e.rank + " has the same bytes as the"
            + " token of rank " + e.earlier + " (at byte offset " + (poolAt + offsets[e.earlier]) + ")");
      }
      int missing = missingByte(vocab);
      if (missing >= 0) throw corrupt(source, offsetsAt, noByteToken(missing));
      if (hf == null) {
        try {
          Splitters.forPattern(pattern);
        } catch (IllegalArgumentException e) {
          throw corrupt(source, patternAt, e.getMessage());
        }
        int i = 0;
        for (Map.Entry<String, Integer> s : specials.entrySet()) {
          int id = s.getValue();
          int at = specialAt[i++];
          if (id < 0 || id > Vocabulary.MAX_RANK) {
            throw corrupt(source, at, "special token " + s.getKey() + " has id " + id + "; ids must be from 0 to "
                + Vocabulary.MAX_RANK);
          }
          int r = vocab.rankOfId(id);
          if (r != Vocabulary.ABSENT) {
            throw corrupt(source, at, "special token " + s.getKey() + " has id " + id + ", which is the id of the"
                + " ordinary token at byte offset " + (poolAt + offsets[r]));
          }
        }
        return new Definition(name, pattern, specials, vocab);
      }
      for (int i = 0; i < ruleCount; i++) {
        if (!isConcatenation(vocab, rules[0][i], rules[1][i], rules[2][i])) {
          throw corrupt(source, rulesAt + 4 + 4 * i, "merge rule " + i + " does not make the token of its two"
              + " tokens' bytes");
        }
      }
      String problem = hfProblem(hf, vocab);
      if (problem != null) throw corrupt(source, hfAt, "bad tokenizer.json section: " + problem);
      vocab = vocab.withRules(new MergeRules(rules[0], rules[1], rules[2]), wholePieces);
      return new Definition(name, pattern, specials, vocab, hf);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw corrupt(source, buf.position(), "truncated");
    }
  }

  /** Whether {@code left}, {@code right} and {@code result} are tokens and result's bytes are theirs joined. */
  private static boolean isConcatenation(Vocabulary v, int left, int right, int result) {
    if (!v.hasRank(left) || !v.hasRank(right) || !v.hasRank(result)) return false;
    int[] o = v.offsets;
    int l = o[left + 1] - o[left];
    int r = o[right + 1] - o[right];
    return o[result + 1] - o[result] == l + r
        && Arrays.equals(v.pool, o[result], o[result] + l, v.pool, o[left], o[left] + l)
        && Arrays.equals(v.pool, o[result] + l, o[result + 1], v.pool, o[right], o[right] + r);
  }

  /**
   * What is wrong with a tokenizer.json section read from the compact form, or null: anything
   * {@link TokenizerJson} would never write, so that the pipeline built from it can neither
   * fail nor give ids whose text differs from what TokenizerJson's would.
   */
  private static String hfProblem(HfPipeline.Config c, Vocabulary v) {
    if (c.normalizer() != HfNormalizer.NONE && c.normalizer() != HfNormalizer.NFC && c.normalizer() != HfNormalizer.NFKC) {
      return "unknown normalizer " + c.normalizer();
    }
    for (int i = 0; i < c.stepKinds().length; i++) {
      int kind = c.stepKinds()[i];
      if (HfPipeline.isSplit(kind)) {
        try {
          HfSplitters.forRegex(c.stepPatterns()[i]);
        } catch (IllegalArgumentException e) {
          return e.getMessage();
        }
      } else if (kind != HfPipeline.DIGITS && kind != HfPipeline.DIGITS_INDIVIDUAL) {
        return "unknown pre-tokenizer step " + kind;
      }
    }
    int[] extra = c.extraIds();
    for (int i = 0; i < extra.length; i++) {
      if (extra[i] < 0 || extra[i] > Vocabulary.MAX_RANK || (i > 0 && extra[i] <= extra[i - 1])) {
        return "extra ids out of order or out of range";
      }
    }
    java.util.Set<Integer> added = new java.util.HashSet<>();
    java.util.Set<String> raw = new java.util.HashSet<>();
    java.util.Set<String> normalized = new java.util.HashSet<>();
    for (int k = 0; k < c.addedIds().length; k++) {
      String p = c.addedPatterns()[k];
      if (p.isEmpty() || !((c.addedFlags()[k] & HfPipeline.NORMALIZED) != 0 ? normalized : raw).add(p)) {
        return "added token " + k + " has an empty or repeated text";
      }
      int id = c.addedIds()[k];
      if (id < 0 || id > Vocabulary.MAX_RANK || Arrays.binarySearch(extra, id) < 0) return "added token id " + id;
      added.add(id);
    }
    // Only an added token decodes otherwise than the BPE token of its id (as in Hugging Face).
    for (int id : extra) {
      if (v.hasRank(id) && !added.contains(id)) return "id " + id + " decodes to other bytes than its token's";
    }
    if (c.template() != null) {
      for (int t : c.template()) if (t < HfPipeline.SEQUENCE || t > Vocabulary.MAX_RANK) return "template id " + t;
    }
    return null;
  }

  private static int[] ints(ByteBuffer buf, String source) {
    int[] a = new int[count(buf, source, 4)];
    buf.asIntBuffer().get(a);
    buf.position(buf.position() + 4 * a.length);
    return a;
  }

  private static byte[] bytes(ByteBuffer buf, String source) {
    byte[] a = new byte[count(buf, source, 1)];
    buf.get(a);
    return a;
  }

  /** A count that must fit in the remaining bytes at {@code minBytesEach} bytes per item. */
  private static int count(ByteBuffer buf, String source, int minBytesEach) {
    int at = buf.position();
    int n = buf.getInt();
    if (n < 0 || (long) n * minBytesEach > buf.remaining()) throw corrupt(source, at, "invalid count " + n);
    return n;
  }

  private static String string(ByteBuffer buf, String source) {
    int n = count(buf, source, 1);
    String s = new String(buf.array(), buf.position(), n, StandardCharsets.UTF_8);
    buf.position(buf.position() + n);
    return s;
  }

  private static IllegalArgumentException corrupt(String source, int offset, String what) {
    return new IllegalArgumentException(source + " at byte offset " + offset + ": " + what);
  }
}
