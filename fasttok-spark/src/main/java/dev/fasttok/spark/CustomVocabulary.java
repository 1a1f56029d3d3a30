package dev.fasttok.spark;

import dev.fasttok.Encoding;
import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.broadcast.Broadcast;

/**
 * A custom vocabulary of a session, as the bound functions carry it to the executors: its name,
 * where it was read from, and the broadcast of its bytes; or, if it could not be read, why (the
 * error is raised only where the vocabulary is used).
 */
final class CustomVocabulary implements Serializable {
  private static final long serialVersionUID = 1L;

  final String name;
  final String source;
  private final Broadcast<VocabularyBytes> bytes;
  private final String error;

  private CustomVocabulary(String name, String source, Broadcast<VocabularyBytes> bytes, String error) {
    this.name = name;
    this.source = source;
    this.bytes = bytes;
    this.error = error;
  }

  static CustomVocabulary loaded(String name, String source, Broadcast<VocabularyBytes> bytes) {
    return new CustomVocabulary(name, source, bytes, null);
  }

  static CustomVocabulary failed(String name, String source, String error) {
    return new CustomVocabulary(name, source, null, error);
  }

  boolean isLoaded() {
    return error == null;
  }

  String error() {
    return error;
  }

  Broadcast<VocabularyBytes> broadcast() {
    return bytes;
  }

  /** The Encoding: on the driver the one read from the file, on an executor built once per JVM. */
  Encoding encoding() {
    if (error != null) throw new IllegalArgumentException(error);
    return bytes.value().encoding();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CustomVocabulary)) return false;
    CustomVocabulary c = (CustomVocabulary) o;
    return name.equals(c.name) && source.equals(c.source) && Objects.equals(error, c.error)
        && (bytes == null ? c.bytes == null : c.bytes != null && bytes.id() == c.bytes.id());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, source, bytes == null ? -1L : bytes.id());
  }

  @Override
  public String toString() {
    return name + "=" + source;
  }
}
