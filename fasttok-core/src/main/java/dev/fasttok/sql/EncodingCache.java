package dev.fasttok.sql;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.Serializable;

/**
 * The encodings of one function instance (a Spark task's copy, a Flink function instance): the
 * default encoding, resolved once, and the last encoding a row named, so that a column holding
 * one name costs one comparison per row. Errors name the function. A serialized copy starts
 * empty.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 *
 * @param <S> the engine's string type, compared without decoding it
 */
public final class EncodingCache<S> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where the engine finds encodings: its configuration and custom vocabularies. */
  public interface Source extends Serializable {
    /** @throws IllegalArgumentException naming the value, for an unknown name */
    Encoding encoding(String name);

    /** @throws IllegalArgumentException naming the configured name, if it is unknown */
    Encoding defaultEncoding();
  }

  /** The engine's string of a Java string. */
  public interface Copy<S> extends Serializable {
    S of(String s);
  }

  private final TokenFunction function;
  private final Source source;
  private final Copy<S> copy;
  private transient Encoding defaultEncoding;
  private final LastValue<S, Encoding> last = new LastValue<>();

  /**
   * Whether a name is one {@link Encodings#get} takes: a built-in encoding or an OpenAI model
   * name. The engines look here before their custom vocabularies' names.
   */
  public static boolean isBuiltIn(String name) {
    if (Encodings.names().contains(name)) return true;
    try {
      Encodings.encodingNameForModel(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** What an unknown name's message says of the built-in names. */
  public static String builtInNames() {
    return String.join(", ", Encodings.names()) + " (or an OpenAI model name, e.g. gpt-4o, gpt-4o-mini, o3, gpt-4,"
        + " gpt-3.5-turbo, text-embedding-3-small, gpt-oss-20b)";
  }

  public EncodingCache(TokenFunction function, Source source, Copy<S> copy) {
    this.function = function;
    this.source = source;
    this.copy = copy;
  }

  /** The default encoding, resolved on first use. */
  public Encoding defaultEncoding() {
    Encoding e = defaultEncoding;
    if (e == null) {
      try {
        e = source.defaultEncoding();
      } catch (IllegalArgumentException x) {
        throw function.failure(x);
      }
      defaultEncoding = e;
    }
    return e;
  }

  /** The encoding a row names. */
  public Encoding get(S name) {
    Encoding e = last.get(name);
    if (e != null) return e;
    String s = name.toString();
    try {
      e = source.encoding(s);
    } catch (IllegalArgumentException x) {
      throw function.failure(x);
    }
    // A copy of the name: the row's bytes can be reused for the next row.
    return last.put(copy.of(s), e);
  }
}
