package dev.fasttok;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code Precompiled} normalizer of a tokenizer.json (T5, XLM-R, mBART, bge-m3): SentencePiece's
 * {@code precompiled_charsmap}, applied exactly as Hugging Face tokenizers applies it.
 *
 * <p>The charsmap is a little-endian u32 byte count of a darts-clone double-array trie, the trie
 * (u32 units), then a blob of NUL-terminated UTF-8 replacement strings. A trie key is the UTF-8
 * of the text to replace; its value is the offset of the replacement in the blob.
 *
 * <p>tokenizers splits the text into extended grapheme clusters (with the Rust crate
 * unicode-segmentation, Unicode 17.0: {@link GraphemeClusters}). A cluster of fewer than 6 UTF-8
 * bytes is looked up whole; a lookup returns the replacement of the <em>shortest</em> key that is
 * a prefix of what is looked up (a NUL byte ends the search), so the rest of such a cluster is
 * dropped when its first characters are a key. A cluster that is longer, or that has no key as a
 * prefix, is looked up character by character, and a character with no key stays as it is.
 *
 * <p>Offsets follow tokenizers' alignment rules too, including its quirks: for a replacement of
 * k characters by m, the first min(k, m) new characters take the places of old ones in order and
 * the last one of them also takes the places of any old ones left; new characters beyond k are
 * insertions, aligned with the character before them (or with nothing, at the start). A
 * replacement by nothing is charged to the previous new character, so that character then also
 * stands for the removed ones; with no previous character (at the start), the removed
 * characters shift the alignment of everything after them by that many characters, as in
 * tokenizers.
 */
final class PrecompiledNormalizer {
  private final int[] units;
  private final byte[] blob;
  /** The replacement string at each offset of the blob that a key points to (else null). */
  private final String[] replacements;

  /** The result of {@link #normalize}: the text and, per UTF-16 unit of it, where it came from. */
  static final class Normalized {
    /** The normalized text. */
    final String text;
    /**
     * For each UTF-16 unit of {@link #text}, the UTF-16 index in the input of the character it is
     * aligned with (both units of a pair have the same), or -1 for a character that tokenizers
     * aligns with the empty range (0, 0) of the input: one inserted before any input character.
     */
    final int[] sources;

    /**
     * Whether characters removed at the very start (with no character before them to charge
     * them to) left the alignment of everything after them shifted, as in tokenizers.
     */
    final boolean shifted;

    Normalized(String text, int[] sources, boolean shifted) {
      this.text = text;
      this.sources = sources;
      this.shifted = shifted;
    }
  }

  /**
   * Per BMP character, set if {@link #normalize} keeps it as it is whatever its neighbours, given
   * that every other character of the text is such a character too: it is a grapheme cluster of
   * its own next to any of them (no CR, Extend, ZWJ, SpacingMark, Prepend, Hangul jamo or
   * syllable, regional indicator, conjunct linker) and no key starts with it. Filled by {@link
   * #check}.
   */
  private final long[] kept = new long[0x10000 / 64];

  private PrecompiledNormalizer(int[] units, byte[] blob) {
    this.units = units;
    this.blob = blob;
    this.replacements = new String[blob.length + 1];
  }

  /** Whether {@link #normalize} gives text[from, to) back unchanged, each unit aligned with itself. */
  boolean keeps(char[] text, int from, int to) {
    for (int i = from; i < to; i++) if (!kept(text[i])) return false;
    return true;
  }

  /** Whether the unit is a character that {@link #normalize} keeps as it is among others such. */
  boolean kept(char c) {
    return (kept[c >>> 6] & 1L << c) != 0;
  }

  private void fillKept() {
    byte[] b = new byte[4];
    for (int c = 0; c < 0x10000; c++) {
      if (Character.isSurrogate((char) c)) continue;
      byte cat = GraphemeClusters.category(c);
      boolean alone = cat == GraphemeClusters.ANY || cat == GraphemeClusters.LF || cat == GraphemeClusters.CONTROL
          || cat == GraphemeClusters.PICTOGRAPHIC || cat == GraphemeClusters.CONSONANT;
      if (!alone || GraphemeClusters.isIncbLinker(c)) continue;
      if (lookup(b, 0, putUtf8(b, 0, c)) >= 0) continue;
      kept[c >>> 6] |= 1L << c;
    }
  }

  /** The normalizer of a tokenizer.json's {@code precompiled_charsmap} (standard base64). */
  static PrecompiledNormalizer fromBase64(String charsmap) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(charsmap);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("precompiled_charsmap is not valid base64: " + e.getMessage(), e);
    }
    return of(bytes);
  }

  /**
   * The normalizer of a charsmap.
   *
   * @throws IllegalArgumentException naming the byte offset, when the charsmap is shorter than
   *     the trie it announces, when the replacement blob is not UTF-8 (tokenizers refuses both at
   *     load), or when the trie reaches outside itself or points a key into the blob at an
   *     offset outside it or inside a character (tokenizers would panic on the first text that
   *     reaches such a key or unit, so it is refused here at load)
   */
  static PrecompiledNormalizer of(byte[] charsmap) {
    if (charsmap.length < 4) {
      throw new IllegalArgumentException("precompiled_charsmap: " + charsmap.length
          + " bytes, too short for the trie size at offset 0");
    }
    long trieBytes = ByteBuffer.wrap(charsmap, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    // As spm_precompiled reads it: size / 4 units; any remainder bytes belong to the blob.
    long unitCount = trieBytes / 4;
    if (4 + 4 * unitCount > charsmap.length) {
      throw new IllegalArgumentException("precompiled_charsmap: the trie size at offset 0 is " + trieBytes
          + " bytes but only " + (charsmap.length - 4) + " follow it (offset 4)");
    }
    int[] units = new int[(int) unitCount];
    ByteBuffer b = ByteBuffer.wrap(charsmap, 4, 4 * units.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < units.length; i++) units[i] = b.getInt();
    int blobStart = 4 + 4 * units.length;
    byte[] blob = java.util.Arrays.copyOfRange(charsmap, blobStart, charsmap.length);
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(blob));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("precompiled_charsmap: the replacement strings at offset " + blobStart
          + " are not UTF-8 (from offset " + (blobStart + firstMalformed(blob)) + ")", e);
    }
    PrecompiledNormalizer p = new PrecompiledNormalizer(units, blob);
    p.check(blobStart);
    p.fillKept();
    return p;
  }

  /** The offset in b of its first byte that is not part of a well-formed UTF-8 sequence. */
  private static int firstMalformed(byte[] b) {
    for (int i = 0; i < b.length; ) {
      int c = b[i] & 0xFF;
      int n = c < 0x80 ? 1 : c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
      if (n == 0 || i + n > b.length) return i;
      try {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b, i, n));
      } catch (CharacterCodingException e) {
        return i;
      }
      i += n;
    }
    return b.length;
  }

  // darts-clone units, as spm_precompiled reads them.
  private static boolean hasLeaf(int unit) {
    return (unit >>> 8 & 1) == 1;
  }

  private static int value(int unit) {
    return unit & 0x7FFFFFFF;
  }

  /** The label; a unit with bit 31 set matches no byte. */
  private static int label(int unit) {
    return unit & 0x800000FF;
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  /**
   * Walks every node reachable from the root by bytes 1..255 and checks that each unit the
   * search reads is inside the trie and each value inside the blob at a character start.
   */
  private void check(int blobStart) {
    if (units.length == 0) throw new IllegalArgumentException("precompiled_charsmap: the trie at offset 4 is empty");
    java.util.BitSet seen = new java.util.BitSet(units.length);
    int[] stack = new int[64];
    int top = 0;
    stack[top++] = offset(units[0]);
    while (top > 0) {
      int node = stack[--top];
      for (int c = 1; c < 256; c++) {
        int pos = node ^ c;
        if (pos >= units.length) {
          throw new IllegalArgumentException("precompiled_charsmap: the trie (offset 4, " + units.length
              + " units) has node " + node + ", whose child for byte " + c + " would be unit " + pos
              + ", outside it");
        }
        int unit = units[pos];
        if (label(unit) != c) continue;
        int next = pos ^ offset(unit);
        if (next >= units.length) {
          throw new IllegalArgumentException("precompiled_charsmap: the trie unit at offset " + (4 + 4L * pos)
              + " points to unit " + next + ", outside the trie of " + units.length + " units");
        }
        if (hasLeaf(unit)) {
          int v = value(units[next]);
          if (v > blob.length || (v < blob.length && (blob[v] & 0xC0) == 0x80)) {
            throw new IllegalArgumentException("precompiled_charsmap: the trie unit at offset " + (4 + 4L * next)
                + " points to offset " + v + " of the replacement strings (offset " + blobStart + ", "
                + blob.length + " bytes), not to the start of a character");
          }
          if (replacements[v] == null) replacements[v] = replacement(v);
        }
        if (!seen.get(next)) {
          seen.set(next);
          if (top == stack.length) stack = java.util.Arrays.copyOf(stack, 2 * top);
          stack[top++] = next;
        }
      }
    }
  }

  /**
   * The replacement of the shortest key that is a prefix of bytes[from, to), as an offset into
   * the blob, or -1 when no key is; a NUL byte ends the search, as in spm_precompiled.
   */
  private int lookup(byte[] bytes, int from, int to) {
    int node = offset(units[0]);
    for (int i = from; i < to; i++) {
      int c = bytes[i] & 0xFF;
      if (c == 0) return -1;
      node ^= c;
      int unit = units[node];
      if (label(unit) != c) return -1;
      node ^= offset(unit);
      if (hasLeaf(unit)) return value(units[node]);
    }
    return -1;
  }

  /** The replacement string at offset v of the blob: up to the next NUL or the end. */
  private String replacement(int v) {
    int end = v;
    while (end < blob.length && blob[end] != 0) end++;
    return new String(blob, v, end - v, StandardCharsets.UTF_8);
  }

  /**
   * Normalizes text as tokenizers' Precompiled normalizer does, with the alignment of every
   * output unit to the input. A lone surrogate is read as U+FFFD (what it is in UTF-8), and is
   * written out as U+FFFD if it is kept.
   */
  Normalized normalize(CharSequence text) {
    int len = text.length();
    // Code points, their UTF-16 starts, and their UTF-8 bytes.
    int[] cps = new int[len];
    int[] starts = new int[len + 1];
    byte[] utf8 = new byte[4 * len];
    int[] byteStarts = new int[len + 1];
    int n = 0;
    int nb = 0;
    for (int i = 0; i < len; ) {
      char ch = text.charAt(i);
      int cp;
      int w = 1;
      if (Character.isHighSurrogate(ch) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
        cp = Character.toCodePoint(ch, text.charAt(i + 1));
        w = 2;
      } else {
        cp = Character.isSurrogate(ch) ? 0xFFFD : ch;
      }
      starts[n] = i;
      byteStarts[n] = nb;
      cps[n++] = cp;
      nb = putUtf8(utf8, nb, cp);
      i += w;
    }
    starts[n] = len;
    byteStarts[n] = nb;

    IntList clusterEnds = new IntList(16);
    GraphemeClusters.clusterEnds(cps, n, clusterEnds);

    // tokenizers' list of (new character, change): 0 replaces the next old character, 1 inserts,
    // -k replaces the next old character and removes the k after it.
    IntList newChars = new IntList(n + 16);
    IntList changes = new IntList(n + 16);
    boolean modified = false;
    int clusterStart = 0;
    for (int k = 0; k < clusterEnds.size; k++) {
      int clusterEnd = clusterEnds.a[k];
      int bytes = byteStarts[clusterEnd] - byteStarts[clusterStart];
      int v = bytes < 6 ? lookup(utf8, byteStarts[clusterStart], byteStarts[clusterEnd]) : -1;
      if (v >= 0) {
        modified = true;
        replace(newChars, changes, clusterEnd - clusterStart, replacements[v]);
      } else if (clusterEnd - clusterStart == 1 && bytes < 6) {
        // The lookup of a one-character cluster was that character's own.
        newChars.add(cps[clusterStart]);
        changes.add(0);
      } else {
        for (int c = clusterStart; c < clusterEnd; c++) {
          v = lookup(utf8, byteStarts[c], byteStarts[c + 1]);
          if (v >= 0) {
            modified = true;
            replace(newChars, changes, 1, replacements[v]);
          } else {
            newChars.add(cps[c]);
            changes.add(0);
          }
        }
      }
      clusterStart = clusterEnd;
    }

    StringBuilder out = new StringBuilder(len + 16);
    IntList sources = new IntList(len + 16);
    if (!modified) {
      for (int c = 0; c < n; c++) {
        out.appendCodePoint(cps[c]);
        sources.add(starts[c]);
        if (cps[c] > 0xFFFF) sources.add(starts[c]);
      }
      return new Normalized(out.toString(), sources.toArray(), false);
    }
    // tokenizers' NormalizedString::transform_range over the whole text: `next` counts the old
    // characters consumed so far.
    int next = 0;
    for (int t = 0; t < newChars.size; t++) {
      int cp = newChars.a[t];
      int change = changes.a[t];
      int source;
      if (change > 0) {
        source = next < 1 ? -1 : starts[next - 1];
      } else {
        if (next >= n) {
          // tokenizers indexes past its alignments here and panics; no charsmap leads here.
          throw new IllegalStateException("Precompiled: alignment past the end of the text");
        }
        source = starts[next];
        next = Math.min(n, next + 1 - change);
      }
      out.appendCodePoint(cp);
      sources.add(source);
      if (cp > 0xFFFF) sources.add(source);
    }
    return new Normalized(out.toString(), sources.toArray(), next < n);
  }

  /**
   * tokenizers' replace(): appends the characters of the new text as replacements (change 0);
   * if there are more new characters than old, the last surplus ones become insertions (1); if
   * fewer, the last entry so far (possibly one before this replacement) also removes the
   * surplus old ones.
   */
  private static void replace(IntList newChars, IntList changes, int oldCount, String replacement) {
    int newCount = 0;
    for (int i = 0; i < replacement.length(); ) {
      int cp = replacement.codePointAt(i);
      newChars.add(cp);
      changes.add(0);
      newCount++;
      i += Character.charCount(cp);
    }
    int diff = newCount - oldCount;
    if (diff > 0) {
      for (int i = changes.size - diff; i < changes.size; i++) changes.a[i] = 1;
    } else if (diff < 0 && changes.size > 0) {
      changes.a[changes.size - 1] += diff;
    }
  }

  private static int putUtf8(byte[] b, int i, int cp) {
    if (cp < 0x80) {
      b[i++] = (byte) cp;
    } else if (cp < 0x800) {
      b[i++] = (byte) (0xC0 | cp >> 6);
      b[i++] = (byte) (0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      b[i++] = (byte) (0xE0 | cp >> 12);
      b[i++] = (byte) (0x80 | cp >> 6 & 0x3F);
      b[i++] = (byte) (0x80 | cp & 0x3F);
    } else {
      b[i++] = (byte) (0xF0 | cp >> 18);
      b[i++] = (byte) (0x80 | cp >> 12 & 0x3F);
      b[i++] = (byte) (0x80 | cp >> 6 & 0x3F);
      b[i++] = (byte) (0x80 | cp & 0x3F);
    }
    return i;
  }
}
