package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.LastValue;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.StringData;

/**
 * The encodings of one function instance at run time, made in {@code open}: the default encoding
 * and the custom vocabularies the instance carries are resolved there, once (built-in encodings
 * and custom vocabularies are built once per JVM by the engine and shared). An encoding named by
 * a column is looked up by name on first sight; the last one is remembered, so a column holding
 * one name costs one comparison per row.
 */
final class EncodingLookup {
  private final String function;
  private final Vocabularies vocabularies;
  private final Encoding defaultEncoding;
  private final Map<String, Encoding> byName = new HashMap<>();
  private final LastValue<StringData, Encoding> last = new LastValue<>();

  /**
   * @param needsDefault whether calls can leave the encoding to the default
   * @throws IllegalArgumentException naming the function, for an unknown default encoding
   */
  EncodingLookup(String function, Vocabularies vocabularies, boolean needsDefault) {
    this.function = function;
    this.vocabularies = vocabularies;
    this.defaultEncoding = needsDefault ? resolve(vocabularies.defaultEncoding()) : null;
    for (Vocabularies.Custom c : vocabularies.carried()) resolve(c.name);
  }

  Encoding defaultEncoding() {
    return defaultEncoding;
  }

  /** The encoding a row names. */
  Encoding get(StringData name) {
    Encoding e = last.get(name);
    if (e != null) return e;
    String s = name.toString();
    e = resolve(s);
    // A copy of the name: the row's bytes can be reused for the next row.
    return last.put(StringData.fromString(s), e);
  }

  private Encoding resolve(String name) {
    Encoding e = byName.get(name);
    if (e == null) {
      try {
        e = vocabularies.encoding(name);
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(function + ": " + x.getMessage(), x);
      }
      byName.put(name, e);
    }
    return e;
  }
}
