package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast paths of the merge agree with tiktoken's plain merge loop ({@link
 * BytePairEncoder#mergeSmall}), which the golden files check against tiktoken itself: the pair
 * validity shortcut, and the linear search for long pieces.
 */
class BytePairEncoderTest {
  /** The long-token hash read eight bytes at a time is the byte-at-a-time one that walks extend. */
  @Test
  void hashOfABlockEqualsHashByteByByte() {
    Random random = new Random(7);
    for (int t = 0; t < 2000; t++) {
      byte[] b = new byte[80];
      random.nextBytes(b);
      int i = random.nextInt(20);
      int n = random.nextInt(b.length - i + 1);
      long h = 0;
      for (int k = 0; k < n; k++) h = Vocabulary.extend(h, b[i + k]);
      assertEquals(h, Vocabulary.hash(b, i, n), "n = " + n);
    }
  }


  private static Vocabulary vocab(String name) {
    return VocabularyFiles.readCompact(Encodings.get(name).toBytes(), name).vocab();
  }

  /** The definition: the merge loop on the pair's bytes ends in exactly the two tokens. */
  private static boolean validByDefinition(BytePairEncoder bpe, int left, int right, BytePairEncoder.Workspace w) {
    Vocabulary v = bpe.vocab;
    byte[] buf = new byte[(left < 0 ? 0 : v.lengthOfRank(left)) + v.lengthOfRank(right)];
    int at = 0;
    if (left >= 0) {
      System.arraycopy(v.pool, v.offsets[left], buf, 0, v.lengthOfRank(left));
      at = v.lengthOfRank(left);
    }
    System.arraycopy(v.pool, v.offsets[right], buf, at, v.lengthOfRank(right));
    int m = bpe.mergeSmall(buf, 0, buf.length, w);
    return left < 0 ? m == 1 && w.parts[0] == right : m == 2 && w.parts[0] == left && w.parts[1] == right;
  }

  @ParameterizedTest
  @ValueSource(strings = {"r50k_base", "cl100k_base", "o200k_base"})
  void pairValidityMatchesTheMergeLoop(String name) {
    Vocabulary v = vocab(name);
    BytePairEncoder bpe = new BytePairEncoder(v);
    BytePairEncoder.Workspace fast = new BytePairEncoder.Workspace(v.maxTokenLength);
    BytePairEncoder.Workspace slow = new BytePairEncoder.Workspace(v.maxTokenLength);
    Random random = new Random(42);
    int checked = 0;
    int valid = 0;
    for (int i = 0; i < 300_000; i++) {
      // Mix frequent (low-rank) tokens, whose pairs are often valid, with any tokens.
      int bound = i % 3 == 0 ? v.size() : 3000;
      int left = i % 50 == 0 ? -1 : random.nextInt(bound);
      int right = random.nextInt(bound);
      if ((left >= 0 && !v.hasRank(left)) || !v.hasRank(right)) continue;
      boolean want = validByDefinition(bpe, left, right, slow);
      assertEquals(want, bpe.isValidPair(left, right, fast), "pair " + left + ", " + right);
      checked++;
      if (want) valid++;
    }
    assertEquals(true, valid > checked / 10 && valid < checked, "a mix of valid and invalid pairs: " + valid + "/" + checked);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cl100k_base", "o200k_base"})
  void longPieceSearchMatchesTheMergeLoop(String name) {
    Vocabulary v = vocab(name);
    BytePairEncoder bpe = new BytePairEncoder(v);
    BytePairEncoder.Workspace w = new BytePairEncoder.Workspace(v.maxTokenLength);
    Random random = new Random(7);
    String[] alphabets = {"ab", "abc ", "aeiouxyz", "abcdefghijklmnopqrstuvwxyz", " \n\t", "0123456789+/=",
        "日本語の文字", "ααβγδ", "\u0301\u0308aeo", "🎉👍🏽‍", "é€ßñ"};
    for (int i = 0; i < 3000; i++) {
      String alphabet = alphabets[i % alphabets.length];
      int[] cps = alphabet.codePoints().toArray();
      StringBuilder sb = new StringBuilder();
      int len = 49 + random.nextInt(i % 10 == 0 ? 600 : 120);
      while (sb.length() < len) sb.appendCodePoint(cps[random.nextInt(cps.length)]);
      byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
      int m = bpe.mergeSmall(b, 0, b.length, w);
      int[] want = Arrays.copyOf(w.parts, m);
      IntList got = new IntList(16);
      assertEquals(m, bpe.mergeLong(b, 0, b.length, got, w), "count for " + sb);
      assertArrayEquals(want, got.toArray(), "tokens for " + sb);
    }
  }
}
