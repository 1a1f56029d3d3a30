package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A custom vocabulary as it travels to the executors: the engine's compact binary form
 * ({@link Encoding#toBytes()}), broadcast once per session and vocabulary.
 *
 * <p>Spark keeps one deserialized copy of a broadcast value per executor JVM, so the Encoding
 * cached here (transient: it never travels) is built once per JVM and shared by every task and
 * partition; {@link Encodings#fromBytes} also caches by content, so even a second copy of the same
 * bytes (after the block manager dropped the first) gets the same Encoding back.
 */
final class VocabularyBytes implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How many times this JVM turned broadcast bytes into an Encoding (diagnostics and tests). */
  private static final AtomicInteger BUILT = new AtomicInteger();

  private final String name;
  private final byte[] compact;
  private transient volatile Encoding encoding;

  VocabularyBytes(String name, byte[] compact, Encoding built) {
    this.name = name;
    this.compact = compact;
    this.encoding = built;
  }

  /** The vocabulary's name in the session (the {@code <name>} of its configuration key). */
  String name() {
    return name;
  }

  byte[] compact() {
    return compact;
  }

  /** The Encoding, built from the bytes on first use in this JVM. */
  Encoding encoding() {
    Encoding e = encoding;
    if (e == null) {
      synchronized (this) {
        e = encoding;
        if (e == null) {
          e = Encodings.fromBytes(compact);
          BUILT.incrementAndGet();
          encoding = e;
        }
      }
    }
    return e;
  }

  /** Number of Encodings this JVM has built from broadcast vocabulary bytes. */
  static int encodingsBuilt() {
    return BUILT.get();
  }

  @Override
  public String toString() {
    return "VocabularyBytes[" + name + ", " + compact.length + " bytes]";
  }
}
