package dev.fasttok.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenFunctionTest {
  @Test
  void theRegistryNamesEachFunctionAndItsClass() {
    List<String> names = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (TokenFunction f : TokenFunction.ALL) {
      names.add(f.name());
      classes.add(f.className());
      assertSame(f, TokenFunction.named(f.name().toUpperCase(java.util.Locale.ROOT)));
    }
    assertEquals(List.of("count_tokens", "encode_tokens", "decode_tokens", "truncate_tokens", "chunk_tokens",
        "count_chat_tokens"), names);
    assertEquals(List.of("CountTokens", "EncodeTokens", "DecodeTokens", "TruncateTokens", "ChunkTokens",
        "CountChatTokens"), classes);
    assertNull(TokenFunction.named("tokens"));
    assertEquals(3, TokenFunction.CHUNK_TOKENS.encodingIndex(4));
    assertEquals(-1, TokenFunction.CHUNK_TOKENS.encodingIndex(3));
    // count_chat_tokens' model names its encoding too.
    assertEquals(1, TokenFunction.COUNT_CHAT_TOKENS.encodingIndex(2));
    assertEquals(-1, TokenFunction.COUNT_CHAT_TOKENS.encodingIndex(1));
    assertEquals("count_chat_tokens(messages [, model])", TokenFunction.COUNT_CHAT_TOKENS.usage());
    // No engine class here: the message names the class the rule asks for.
    IllegalStateException x = assertThrows(IllegalStateException.class,
        () -> TokenFunction.COUNT_TOKENS.implementation(TokenFunctionTest.class, Runnable.class));
    assertEquals("count_tokens has no Runnable dev.fasttok.sql.CountTokens", x.getMessage());
  }

  @Test
  void aDeserializedFunctionIsTheSameInstance() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(TokenFunction.ENCODE_TOKENS);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertSame(TokenFunction.ENCODE_TOKENS, in.readObject());
    }
  }

  /** Counts look-ups, so that the cache's work is seen. */
  private static final class Counting implements EncodingCache.Source {
    int lookups;

    @Override
    public Encoding encoding(String name) {
      lookups++;
      return Encodings.get(name);
    }

    @Override
    public Encoding defaultEncoding() {
      lookups++;
      throw new IllegalArgumentException("encoding names unknown encoding 'nope'");
    }
  }

  @Test
  void theEncodingCacheResolvesANameOnceInARowAndNamesTheFunctionInErrors() {
    Counting source = new Counting();
    EncodingCache<String> cache = new EncodingCache<>(TokenFunction.COUNT_TOKENS, source, String::new);
    Encoding cl100k = cache.get("cl100k_base");
    assertEquals("cl100k_base", cl100k.name());
    assertSame(cl100k, cache.get(new String("cl100k_base")));
    assertEquals(1, source.lookups);
    assertEquals("o200k_base", cache.get("o200k_base").name());
    assertEquals(2, source.lookups);
    String m = assertThrows(IllegalArgumentException.class, () -> cache.get("nope")).getMessage();
    assertEquals("count_tokens: unknown encoding or model 'nope'", m.substring(0, m.indexOf(';')));
    assertEquals("count_tokens: encoding names unknown encoding 'nope'",
        assertThrows(IllegalArgumentException.class, cache::defaultEncoding).getMessage());
  }
}
