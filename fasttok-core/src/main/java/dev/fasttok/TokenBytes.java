package dev.fasttok;

import java.util.Arrays;

/**
 * The bytes of each id, for a decoder that concatenates them (tiktoken's, and tokenizer.json's
 * ByteLevel): the vocabulary's token bytes, except for the ids listed apart (sorted, found by
 * binary search) and those in a dense array from {@code base} (special tokens close together).
 */
final class TokenBytes {
  private final String encodingName;
  private final Vocabulary vocab;
  /** Ids that decode to bytes other than the vocabulary's (sorted), and those bytes; or null. */
  private final int[] extraIds;
  private final byte[][] extraBytes;
  /** Indexed by id - base; null where no id. */
  private final byte[][] byId;
  private final int base;

  TokenBytes(String encodingName, Vocabulary vocab, int[] extraIds, byte[][] extraBytes, int base, byte[][] byId) {
    this.encodingName = encodingName;
    this.vocab = vocab;
    this.extraIds = extraIds;
    this.extraBytes = extraBytes;
    this.base = base;
    this.byId = byId;
  }

  /** The bytes of the tokens, concatenated; an id that decodes to nothing is an error naming it. */
  byte[] decode(int[] ids) {
    int n = 0;
    for (int id : ids) n += length(id);
    byte[] out = new byte[n];
    int at = 0;
    for (int id : ids) {
      int extra = extraIds == null ? -1 : Arrays.binarySearch(extraIds, id);
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
        byte[] s = byId[id - base];
        System.arraycopy(s, 0, out, at, s.length);
        at += s.length;
      }
    }
    return out;
  }

  private int length(int id) {
    if (extraIds != null) {
      int extra = Arrays.binarySearch(extraIds, id);
      if (extra >= 0) return extraBytes[extra].length;
    }
    if (vocab.hasRank(id)) return vocab.tokenLength(id);
    int slot = id - base;
    if (slot >= 0 && slot < byId.length && byId[slot] != null) return byId[slot].length;
    throw new IllegalArgumentException("token id " + id + " is not in the vocabulary of " + encodingName);
  }
}
