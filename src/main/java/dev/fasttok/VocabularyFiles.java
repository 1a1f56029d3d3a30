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
import java.util.zip.CRC32C;

/**
 * Readers and writers of vocabulary files: tiktoken's rank files and fasttok's compact binary form.
 *
 * <p>Compact form, little-endian: magic {@code FTOK}, format version, name, split pattern, special
 * tokens (text, id), number of ranks, pool length, token end offsets by rank, the token bytes, and
 * a CRC-32C of everything before it. Strings are an int byte length and UTF-8.
 */
final class VocabularyFiles {
  static final int MAGIC = 0x4B4F5446; // "FTOK" read little-endian
  static final int VERSION = 1;

  private VocabularyFiles() {}

  /** What an encoding is made of, before its tables are built. */
  static final class Definition {
    final String name;
    final String pattern;
    final Map<String, Integer> specials;
    final byte[] pool;
    final int[] offsets; // ranks + 1 entries; rank r is pool[offsets[r], offsets[r + 1])

    Definition(String name, String pattern, Map<String, Integer> specials, byte[] pool, int[] offsets) {
      this.name = name;
      this.pattern = pattern;
      this.specials = specials;
      this.pool = pool;
      this.offsets = offsets;
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
    return new Definition(name, pattern, specials, pool.toByteArray(), offsets);
  }

  private static IllegalArgumentException bad(String source, int line, String what) {
    return new IllegalArgumentException(source + " line " + line + ": " + what);
  }

  static byte[] writeCompact(Definition d) {
    byte[] name = d.name.getBytes(StandardCharsets.UTF_8);
    byte[] pattern = d.pattern.getBytes(StandardCharsets.UTF_8);
    int size = 4 + 4 + 4 + name.length + 4 + pattern.length + 4;
    byte[][] specialBytes = new byte[d.specials.size()][];
    int k = 0;
    for (String s : d.specials.keySet()) {
      specialBytes[k] = s.getBytes(StandardCharsets.UTF_8);
      size += 4 + specialBytes[k++].length + 4;
    }
    size += 4 + 4 + 4 * d.offsets.length + d.pool.length + 8;
    ByteBuffer buf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(MAGIC).putInt(VERSION);
    buf.putInt(name.length).put(name);
    buf.putInt(pattern.length).put(pattern);
    buf.putInt(d.specials.size());
    k = 0;
    for (int id : d.specials.values()) {
      buf.putInt(specialBytes[k].length).put(specialBytes[k++]).putInt(id);
    }
    buf.putInt(d.offsets.length - 1).putInt(d.pool.length);
    buf.asIntBuffer().put(d.offsets);
    buf.position(buf.position() + 4 * d.offsets.length);
    buf.put(d.pool);
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putLong(crc.getValue());
    return buf.array();
  }

  /** Reads the compact form; errors name the source and the byte offset where reading failed. */
  static Definition readCompact(byte[] bytes, String source) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      if (bytes.length < 8 || buf.getInt() != MAGIC) throw corrupt(source, 0, "not a fasttok vocabulary");
      int version = buf.getInt();
      if (version != VERSION) throw corrupt(source, 4, "format version " + version + ", expected " + VERSION);
      if (bytes.length < 8 + 8) throw corrupt(source, bytes.length, "truncated");
      CRC32C crc = new CRC32C();
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
      int nRanks = count(buf, source, 4);
      int poolLength = count(buf, source, 1);
      int at = buf.position();
      int[] offsets = new int[nRanks + 1];
      buf.asIntBuffer().get(offsets);
      buf.position(at + 4 * offsets.length);
      for (int r = 0; r < nRanks; r++) {
        if (offsets[r] > offsets[r + 1] || offsets[r] < 0) throw corrupt(source, at + 4 * r, "token offsets out of order");
      }
      if (offsets[nRanks] != poolLength) throw corrupt(source, at + 4 * nRanks, "token offsets do not end at the pool length");
      byte[] pool = new byte[poolLength];
      buf.get(pool);
      if (buf.remaining() != 8) throw corrupt(source, buf.position(), "unexpected bytes after the tokens");
      return new Definition(name, pattern, specials, pool, offsets);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw corrupt(source, buf.position(), "truncated");
    }
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
