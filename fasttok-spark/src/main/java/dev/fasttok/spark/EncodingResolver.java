package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.sql.EncodingCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns encoding names into Encodings, the same way on the driver and on the executors: the
 * session's default encoding, its custom vocabularies (each a broadcast) and the built-in
 * encodings (loaded from the jar, never broadcast). A snapshot of the session's configuration
 * taken when a function is bound; it travels inside the bound function.
 */
final class EncodingResolver implements EncodingCache.Source {
  private static final long serialVersionUID = 1L;

  final String defaultName;
  /** Loaded (or failed) custom vocabularies by name. */
  private final LinkedHashMap<String, CustomVocabulary> custom;
  /** Every custom vocabulary name the session has, loaded here or not (for messages). */
  private final List<String> configured;

  EncodingResolver(String defaultName, Map<String, CustomVocabulary> custom, List<String> configured) {
    this.defaultName = defaultName;
    this.custom = new LinkedHashMap<>(custom);
    this.configured = new ArrayList<>(configured);
  }

  /** Built-in encodings only, with the default default. */
  static EncodingResolver builtIn() {
    return new EncodingResolver(FasttokConf.DEFAULT_ENCODING, Collections.emptyMap(), Collections.emptyList());
  }

  /** Whether {@code name} names a built-in encoding or a custom vocabulary of the session. */
  boolean isKnown(String name) {
    return custom.containsKey(name) || configured.contains(name) || EncodingCache.isBuiltIn(name);
  }

  /**
   * The Encoding of that name.
   *
   * @throws IllegalArgumentException naming the value, for an unknown name or a vocabulary that
   *     could not be read
   */
  Encoding resolve(String name) {
    CustomVocabulary c = custom.get(name);
    if (c != null) return c.encoding();
    if (EncodingCache.isBuiltIn(name)) return Encodings.get(name);
    throw new IllegalArgumentException(unknownMessage(name));
  }

  @Override
  public Encoding encoding(String name) {
    return resolve(name);
  }

  /** The session's default encoding ({@link FasttokConf#ENCODING}). */
  @Override
  public Encoding defaultEncoding() {
    if (!isKnown(defaultName)) {
      throw new IllegalArgumentException(FasttokConf.ENCODING + " names " + unknownMessage(defaultName));
    }
    return resolve(defaultName);
  }

  String unknownMessage(String name) {
    StringBuilder sb = new StringBuilder();
    sb.append("unknown encoding '").append(name).append("'; built-in encodings: ")
        .append(EncodingCache.builtInNames()).append("; custom vocabularies in this session: ");
    if (configured.isEmpty()) {
      sb.append("none (configure one with ").append(FasttokConf.VOCABULARY_PREFIX).append("<name>=<path>)");
    } else {
      sb.append(String.join(", ", configured));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof EncodingResolver)) return false;
    EncodingResolver r = (EncodingResolver) o;
    return defaultName.equals(r.defaultName) && custom.equals(r.custom) && configured.equals(r.configured);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaultName, custom, configured);
  }

  @Override
  public String toString() {
    return "EncodingResolver[default " + defaultName + (custom.isEmpty() ? "" : ", " + custom.values()) + "]";
  }
}
