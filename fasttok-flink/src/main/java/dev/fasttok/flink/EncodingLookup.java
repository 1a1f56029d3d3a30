package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.EncodingCache;
import dev.fasttok.sql.TokenFunction;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.StringData;

/**
 * Where a function instance finds its encodings at run time: its {@link Vocabularies}, each name
 * resolved once (built-in encodings and custom vocabularies are built once per JVM by the engine
 * and shared). Made in {@code open}, never serialized.
 */
final class EncodingLookup implements EncodingCache.Source {
  private static final long serialVersionUID = 1L;

  private final Vocabularies vocabularies;
  private final transient Map<String, Encoding> byName = new HashMap<>();

  private EncodingLookup(Vocabularies vocabularies) {
    this.vocabularies = vocabularies;
  }

  /**
   * The encodings of an instance of {@code function} specialized for calls of {@code arity}
   * arguments (-1: any): the default encoding (if a call can leave it out) and the custom
   * vocabularies the instance carries are resolved at once.
   *
   * @throws IllegalArgumentException naming the function, for an unknown default encoding or a
   *     vocabulary that cannot be built
   */
  static EncodingCache<StringData> open(TokenFunction function, Vocabularies vocabularies, int arity) {
    EncodingLookup lookup = new EncodingLookup(vocabularies);
    EncodingCache<StringData> cache = new EncodingCache<>(function, lookup, StringData::fromString);
    if (arity < 0 || function.encodingIndex(arity) < 0) cache.defaultEncoding();
    for (Vocabularies.Custom c : vocabularies.carried()) {
      try {
        lookup.encoding(c.name);
      } catch (IllegalArgumentException x) {
        throw function.failure(x);
      }
    }
    return cache;
  }

  @Override
  public Encoding encoding(String name) {
    return byName.computeIfAbsent(name, vocabularies::encoding);
  }

  @Override
  public Encoding defaultEncoding() {
    return encoding(vocabularies.defaultEncoding());
  }
}
