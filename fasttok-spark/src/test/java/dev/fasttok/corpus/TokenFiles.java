package dev.fasttok.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Independent readers of the token files, written from the formats' descriptions (not from the
 * writer): Megatron-LM's indexed dataset as {@code megatron/core/datasets/indexed_dataset.py}
 * reads it ({@code _IndexReader}, {@code IndexedDataset.__getitem__}), and llm.c's shards as
 * {@code dev/data/data_common.py} writes them.
 */
final class TokenFiles {
  private TokenFiles() {}

  /** One Megatron-LM .bin/.idx pair, read back. */
  static final class Megatron {
    int dtypeCode;
    int itemSize;
    long sequenceCount;
    long documentCount;
    int[] sizes;
    long[] pointers;
    long[] documentIndex;
    List<int[]> documents = new ArrayList<>();
  }

  static Megatron readMegatron(Path prefix) throws IOException {
    ByteBuffer idx = ByteBuffer.wrap(Files.readAllBytes(Path.of(prefix + ".idx"))).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[9];
    idx.get(magic);
    assertArrayEquals(new byte[] {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0}, magic, "index header");
    assertEquals(1L, idx.getLong(), "index version");
    Megatron m = new Megatron();
    m.dtypeCode = idx.get() & 0xFF;
    // DType: uint8 1, int8 2, int16 3, int32 4, int64 5, float64 6, float32 7, uint16 8.
    assertTrue(m.dtypeCode == 8 || m.dtypeCode == 4, "token dtype code " + m.dtypeCode);
    m.itemSize = m.dtypeCode == 8 ? 2 : 4;
    m.sequenceCount = idx.getLong();
    m.documentCount = idx.getLong();
    assertEquals(34, idx.position());
    int n = Math.toIntExact(m.sequenceCount);
    m.sizes = new int[n];
    for (int i = 0; i < n; i++) m.sizes[i] = idx.getInt();
    m.pointers = new long[n];
    for (int i = 0; i < n; i++) m.pointers[i] = idx.getLong();
    m.documentIndex = new long[Math.toIntExact(m.documentCount)];
    for (int i = 0; i < m.documentIndex.length; i++) m.documentIndex[i] = idx.getLong();
    assertEquals(0, idx.remaining(), "nothing after the document index (no sequence modes)");
    // One sequence per document: document index 0, 1, ..., N.
    assertEquals(m.sequenceCount + 1, m.documentCount);
    for (int i = 0; i < m.documentIndex.length; i++) assertEquals(i, m.documentIndex[i]);

    byte[] bin = Files.readAllBytes(Path.of(prefix + ".bin"));
    ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
    long expectedPointer = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(expectedPointer, m.pointers[i], "pointer of sequence " + i);
      assertTrue(m.sizes[i] > 0, "sequence " + i + " is empty");
      int[] ids = new int[m.sizes[i]];
      for (int k = 0; k < ids.length; k++) {
        int at = Math.toIntExact(m.pointers[i] + (long) k * m.itemSize);
        ids[k] = m.itemSize == 2 ? b.getShort(at) & 0xFFFF : b.getInt(at);
      }
      m.documents.add(ids);
      expectedPointer += (long) m.sizes[i] * m.itemSize;
    }
    assertEquals(expectedPointer, bin.length, ".bin holds exactly the sequences");
    return m;
  }

  /** One llm.c shard, read back. */
  static final class Shard {
    int magic;
    int version;
    int[] tokens;
  }

  static Shard readNanoGpt(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    Shard s = new Shard();
    s.magic = b.getInt(0);
    s.version = b.getInt(4);
    int count = b.getInt(8);
    for (int i = 3; i < 256; i++) assertEquals(0, b.getInt(4 * i), "header int " + i);
    int size;
    if (s.magic == 20240520) {
      assertEquals(1, s.version);
      size = 2;
    } else {
      assertEquals(20240801, s.magic, "magic");
      assertEquals(7, s.version);
      size = 4;
    }
    assertEquals(1024L + (long) count * size, all.length, "header count and file size agree");
    s.tokens = new int[count];
    for (int i = 0; i < count; i++) {
      s.tokens[i] = size == 2 ? b.getShort(1024 + 2 * i) & 0xFFFF : b.getInt(1024 + 4 * i);
    }
    return s;
  }

  /** Splits a token stream after each end-of-text id (which ordinary text never produces). */
  static List<int[]> splitAfter(int[] tokens, int eos) {
    List<int[]> docs = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == eos) {
        docs.add(java.util.Arrays.copyOfRange(tokens, start, i + 1));
        start = i + 1;
      }
    }
    assertEquals(tokens.length, start, "the stream ends with an end-of-text token");
    return docs;
  }

  /** The data files of an output directory with a suffix, sorted. */
  static List<Path> files(Path data, String suffix) throws IOException {
    try (Stream<Path> s = Files.list(data)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().collect(Collectors.toList());
    }
  }

  /** Every document of a Megatron-LM output (all pairs). */
  static List<int[]> megatronDocuments(Path data, int expectedDtypeCode) throws IOException {
    List<int[]> docs = new ArrayList<>();
    for (Path idx : files(data, ".idx")) {
      String name = idx.getFileName().toString();
      Megatron m = readMegatron(data.resolve(name.substring(0, name.length() - 4)));
      assertEquals(expectedDtypeCode, m.dtypeCode, "dtype of " + name);
      docs.addAll(m.documents);
    }
    assertEquals(files(data, ".idx").size(), files(data, ".bin").size(), "pairs");
    return docs;
  }
}
