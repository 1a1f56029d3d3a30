package dev.fasttok.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SharedArgumentsTest {
  private static final Encoding CL100K = Encodings.get("cl100k_base");

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void numericArguments() {
    assertDoesNotThrow(() -> Arguments.checkMaxTokens(0));
    assertEquals("truncate_tokens: max_tokens must not be negative, got -1",
        message(() -> Arguments.checkMaxTokens(-1)));
    assertEquals("chunk_tokens: size must be positive, got 0", message(() -> Arguments.checkSizes(0, 0)));
    assertEquals("chunk_tokens: overlap must be at least 0 and less than size (4), got 4",
        message(() -> Arguments.checkSizes(4, 4)));
    // Unknown at planning: only what can already be told is checked.
    assertDoesNotThrow(() -> Arguments.checkConstantSizes(null, null));
    assertDoesNotThrow(() -> Arguments.checkConstantSizes(null, 5));
    assertDoesNotThrow(() -> Arguments.checkConstantSizes(3, null));
    assertEquals("chunk_tokens: overlap must be at least 0 and less than size (2147483647), got -1",
        message(() -> Arguments.checkConstantSizes(null, -1)));
  }

  /** Ids written in decimal, as a stand-in for an engine's array. */
  private static final TokenIds<String[]> DECIMAL = new TokenIds<String[]>() {
    @Override
    protected int size(String[] ids) {
      return ids.length;
    }

    @Override
    protected boolean isNull(String[] ids, int i) {
      return ids[i] == null;
    }

    @Override
    protected long get(String[] ids, int i) {
      return Long.parseLong(ids[i]);
    }
  };

  @Test
  void tokenIds() {
    assertArrayEquals(new int[] {9906, 1917}, DECIMAL.toInts(new String[] {"9906", "1917"}, CL100K));
    assertEquals("decode_tokens: ids holds a NULL at index 1",
        message(() -> DECIMAL.toInts(new String[] {"1", null}, CL100K)));
    assertEquals("decode_tokens: token id 4294967296 is not in the vocabulary of cl100k_base",
        message(() -> DECIMAL.toInts(new String[] {"4294967296"}, CL100K)));
    assertEquals(CL100K.decode(new int[] {9906, 1917}), TokenIds.decode(CL100K, new int[] {9906, 1917}));
    String m = message(() -> TokenIds.decodeBytes(CL100K, new int[] {Integer.MAX_VALUE}));
    assertEquals("decode_tokens: ", m.substring(0, 15));
  }

  @Test
  void lastValue() {
    LastValue<String, Integer> last = new LastValue<>();
    assertNull(last.get("a"));
    assertEquals(1, last.put("a", 1));
    assertEquals(1, last.get("a"));
    assertNull(last.get("b"));
    LastValue<String[], Integer> names = new LastValue<>();
    names.put(new String[] {"x", null}, 2);
    assertEquals(2, names.get(new String[] {"x", null}));
    assertNull(names.get(new String[] {"x"}));
  }

  @Test
  void allowedSpecialIsParsedOncePerSpecAndEncoding() {
    LastValue<String, AllowedSpecial> byText = new LastValue<>();
    AllowedSpecial b = AllowedSpecial.parse(byText, "all", Function.identity(), CL100K, "encode_tokens");
    assertSame(b, AllowedSpecial.parse(byText, "all", Function.identity(), CL100K, "encode_tokens"));
    // Another encoding: parsed again.
    Encoding o200k = Encodings.get("o200k_base");
    AllowedSpecial c = AllowedSpecial.parse(byText, "all", Function.identity(), o200k, "encode_tokens");
    assertSame(o200k, c.encoding());
    LastValue<String[], AllowedSpecial> names = new LastValue<>();
    AllowedSpecial d = AllowedSpecial.of(names, new String[] {"<|endoftext|>"}, CL100K, "encode_tokens");
    assertSame(d, AllowedSpecial.of(names, new String[] {"<|endoftext|>"}, CL100K, "encode_tokens"));
    assertEquals("encode_tokens: allowed_special has a NULL element (element 1 of 1); it must name special"
        + " tokens of cl100k_base",
        message(() -> AllowedSpecial.of(names, new String[] {null}, CL100K, "encode_tokens")));
  }
}
