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
import java.util.zip.CRC32;

/**
 * Readers and writers of vocabulary files: tiktoken's rank files and fasttok's compact binary form.
 *
 * <p>Compact form, little-endian: magic {@code FTOK}, format version, name, split pattern, special
 * tokens (text, id), number of ranks, pool length, token start offsets by rank (plus the end), the
 * token bytes, the lookup tables of {@link Vocabulary} as they are in memory (so that loading is
 * a few bulk copies rather than a rebuild), and a CRC-32 of everything before it. Strings are an
 * int byte length and UTF-8; arrays an int length and their elements. Format version 2 is the
 * same with, before the CRC, a byte array holding what a Hugging Face tokenizer.json adds around
 * the vocabulary ({@link HfPipeline.Config}); tiktoken encodings keep version 1.
 */
final class VocabularyFiles {
  static final int MAGIC = 0x4B4F5446; // "FTOK" read little-endian
  static final int VERSION = 1;
  /** The version of files that carry a tokenizer.json pipeline ({@link HfPipeline.Config}) after the tables. */
  static final int VERSION_HF = 2;

  private VocabularyFiles() {}

  /** What an encoding is made of, before its tables are built. */
  static final class Definition {
    final String name;
    final String pattern;
    final Map<String, Integer> specials;
    final Vocabulary vocab;
    /** What a Hugging Face tokenizer.json adds around the vocabulary, or null for tiktoken. */
    final HfPipeline.Config hf;

    Definition(String name, String pattern, Map<String, Integer> specials, Vocabulary vocab) {
      this(name, pattern, specials, vocab, null);
    }

    Definition(String name, String pattern, Map<String, Integer> specials, Vocabulary vocab, HfPipeline.Config hf) {
      this.name = name;
      this.pattern = pattern;
      this.specials = specials;
      this.vocab = vocab;
      this.hf = hf;
    }
  }

  /**
   * Reads a tiktoken rank file: one {@code <base64 token bytes> <rank>} line per token. Errors name
   * the source and the line.
   */
  static Definition readTiktoken(InputStream in, String source, String name, String pattern,
      Map<String, Integer> specials) throws IOException {
    byte[] text = in.readAllBytes();
    Base64.Decoder base64 = Base64.getDecoder();
    byte[][] byRank = new byte[1024][];
    int maxRank = -1;
    int line = 0;
    int i = 0;
    while (i < text.length) {
      line++;
      int eol = i;
      while (eol < text.length && text[eol] != '\n') eol++;
      int end = eol > i && text[eol - 1] == '\r' ? eol - 1 : eol;
      if (end > i) {
        int sp = i;
        while (sp < end && text[sp] != ' ') sp++;
        if (sp == end || sp == i) throw bad(source, line, "expected '<base64 token> <rank>'");
        byte[] token;
        try {
          token = base64.decode(Arrays.copyOfRange(text, i, sp));
        } catch (IllegalArgumentException e) {
          throw bad(source, line, "invalid base64: " + e.getMessage());
        }
        if (token.length == 0) throw bad(source, line, "empty token");
        int rank = 0;
        for (int k = sp + 1; k < end; k++) {
          int d = text[k] - '0';
          if (d < 0 || d > 9 || rank > (Vocabulary.MAX_RANK - d) / 10) throw bad(source, line, "invalid rank");
          rank = rank * 10 + d;
        }
        if (sp + 1 == end) throw bad(source, line, "missing rank");
        if (rank >= byRank.length) byRank = Arrays.copyOf(byRank, Math.max(rank + 1, byRank.length * 2));
        if (byRank[rank] != null) throw bad(source, line, "rank " + rank + " appears twice");
        byRank[rank] = token;
        maxRank = Math.max(maxRank, rank);
      }
      i = eol + 1;
    }
    if (maxRank < 0) throw new IllegalArgumentException(source + ": no tokens");
    ByteArrayOutputStream pool = new ByteArrayOutputStream();
    int[] offsets = new int[maxRank + 2];
    for (int r = 0; r <= maxRank; r++) {
      offsets[r] = pool.size();
      if (byRank[r] != null) pool.write(byRank[r]);
    }
    offsets[maxRank + 1] = pool.size();
    return new Definition(name, pattern, specials, Vocabulary.build(pool.toByteArray(), offsets));
  }

  private static IllegalArgumentException bad(String source, int line, String what) {
    return new IllegalArgumentException(source + " line " + line + ": " + what);
  }

  static byte[] writeCompact(Definition d) {
    Vocabulary v = d.vocab;
    byte[] name = d.name.getBytes(StandardCharsets.UTF_8);
    byte[] pattern = d.pattern.getBytes(StandardCharsets.UTF_8);
    byte[][] specialBytes = new byte[d.specials.size()][];
    long size = 4 + 4 + 4 + name.length + 4 + pattern.length + 4;
    int k = 0;
    for (String s : d.specials.keySet()) {
      specialBytes[k] = s.getBytes(StandardCharsets.UTF_8);
      size += 4 + specialBytes[k++].length + 4;
    }
    size += 4 + 4 * (long) v.offsets.length + 4 + v.pool.length;
    size += 4 + 8L * v.shortSlots().length + 4 + v.shortTags().length + 4 + 8L * v.longSlots().length
        + 4 + v.longTags().length + 4 + 1 + 4 + 8;
    // With merge rules the two-byte table is derived from them on load, so it is not written.
    int[] pairRank = v.rules == null ? v.pairRank : new int[0];
    size += 4L * pairRank.length;
    if (v.rules != null) size += 4 + 8L * v.rules.slots().length + 4 + v.rules.tags().length;
    byte[] hf = d.hf == null ? null : d.hf.toBytes();
    if (hf != null) size += 4 + hf.length;
    if (size > Integer.MAX_VALUE) throw new IllegalArgumentException("vocabulary too large for the compact form");
    ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(hf == null ? VERSION : VERSION_HF);
    buf.putInt(name.length).put(name);
    buf.putInt(pattern.length).put(pattern);
    buf.putInt(d.specials.size());
    k = 0;
    for (int id : d.specials.values()) buf.putInt(specialBytes[k].length).put(specialBytes[k++]).putInt(id);
    buf.putInt(v.offsets.length);
    buf.asIntBuffer().put(v.offsets);
    buf.position(buf.position() + 4 * v.offsets.length);
    buf.putInt(v.pool.length).put(v.pool);
    putLongs(buf, v.shortSlots());
    buf.putInt(v.shortTags().length).put(v.shortTags());
    putLongs(buf, v.longSlots());
    buf.putInt(v.longTags().length).put(v.longTags());
    buf.putInt(pairRank.length);
    buf.asIntBuffer().put(pairRank);
    buf.position(buf.position() + 4 * pairRank.length);
    buf.put((byte) (v.wholePieces ? 1 : 0));
    buf.putInt(v.rules == null ? -1 : v.rules.size);
    if (v.rules != null) {
      putLongs(buf, v.rules.slots());
      buf.putInt(v.rules.tags().length).put(v.rules.tags());
    }
    if (hf != null) buf.putInt(hf.length).put(hf);
    CRC32 crc = new CRC32();
    crc.update(buf.array(), 0, buf.position());
    buf.putLong(crc.getValue());
    return buf.array();
  }

  private static void putLongs(ByteBuffer buf, long[] a) {
    buf.putInt(a.length);
    buf.asLongBuffer().put(a);
    buf.position(buf.position() + 8 * a.length);
  }

  /** Reads the compact form; errors name the source and the byte offset where reading failed. */
  static Definition readCompact(byte[] bytes, String source) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (bytes.length < 8 || buf.getInt() != MAGIC) throw corrupt(source, 0, "not a fasttok vocabulary");
      int version = buf.getInt();
      if (version != VERSION && version != VERSION_HF) {
        throw corrupt(source, 4, "format version " + version + ", expected " + VERSION + " or " + VERSION_HF);
      }
      if (bytes.length < 8 + 8) throw corrupt(source, bytes.length, "truncated");
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - 8);
      long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (crc.getValue() != stored) {
        throw corrupt(source, bytes.length - 8, "checksum mismatch (the file is corrupt or truncated)");
      }
      String name = string(buf, source);
      String pattern = string(buf, source);
      int nSpecial = count(buf, source, 8);
      Map<String, Integer> specials = new LinkedHashMap<>();
      for (int i = 0; i < nSpecial; i++) specials.put(string(buf, source), buf.getInt());
      int offsetsAt = buf.position();
      int[] offsets = ints(buf, source);
      int poolLength = count(buf, source, 1);
      if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != poolLength) {
        throw corrupt(source, offsetsAt, "token offsets do not span the token bytes");
      }
      for (int r = 0; r + 1 < offsets.length; r++) {
        if (offsets[r] > offsets[r + 1]) throw corrupt(source, offsetsAt + 4 + 4 * r, "token offsets out of order");
      }
      byte[] pool = new byte[poolLength];
      buf.get(pool);
      int tablesAt = buf.position();
      long[] shortSlots = longs(buf, source);
      byte[] shortTags = bytes(buf, source);
      long[] longSlots = longs(buf, source);
      byte[] longTags = bytes(buf, source);
      int[] pairRank = ints(buf, source);
      boolean wholePieces = buf.get() != 0;
      int ruleCount = buf.getInt();
      long[] ruleSlots = ruleCount < 0 ? null : longs(buf, source);
      byte[] ruleTags = ruleCount < 0 ? null : bytes(buf, source);
      HfPipeline.Config hf = null;
      if (version == VERSION_HF) {
        int hfAt = buf.position();
        try {
          hf = HfPipeline.Config.fromBytes(bytes(buf, source));
        } catch (java.io.IOException | RuntimeException e) {
          throw corrupt(source, hfAt, "bad tokenizer.json section: " + e.getMessage());
        }
      }
      if (buf.remaining() != 8) throw corrupt(source, buf.position(), "unexpected bytes after the tables");
      if (ruleCount < 0 && pairRank.length != 1 << 16) throw corrupt(source, tablesAt, "two-byte table missing");
      Vocabulary vocab;
      try {
        MergeRules rules = ruleCount < 0 ? null : new MergeRules(ruleSlots, ruleTags, ruleCount);
        vocab = new Vocabulary(pool, offsets, shortSlots, shortTags, longSlots, longTags, pairRank, rules, wholePieces);
      } catch (IllegalArgumentException e) {
        throw corrupt(source, tablesAt, e.getMessage());
      }
      return new Definition(name, pattern, specials, vocab, hf);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw corrupt(source, buf.position(), "truncated");
    }
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

  private static long[] longs(ByteBuffer buf, String source) {
    long[] a = new long[count(buf, source, 8)];
    buf.asLongBuffer().get(a);
    buf.position(buf.position() + 8 * a.length);
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
