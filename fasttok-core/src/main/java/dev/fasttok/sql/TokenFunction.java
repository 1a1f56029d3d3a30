package dev.fasttok.sql;

import java.util.List;
import java.util.Locale;

/**
 * The SQL functions fasttok adds to Spark and Flink, defined once: name, parameters, what each
 * parameter accepts, how many are required, and the usage text of error messages. The Spark and
 * Flink adapters map these to their engines' types.
 *
 * <p>{@link #ALL} is the one list of the functions: the Spark catalog and extension, the Kryo
 * registrator and the Flink module iterate it, and find each function's class by
 * {@link #implementation}: {@code count_tokens} is {@code CountTokens} in the engine's package.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 */
public final class TokenFunction implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** What a parameter accepts. */
  public enum Kind {
    /** STRING (text, encoding name); CHAR and VARCHAR too. */
    STRING("STRING"),
    /** INT (also TINYINT and SMALLINT, widened). */
    INT("INT"),
    /** ARRAY<INT> of token ids (also ARRAY<BIGINT>, ARRAY<SMALLINT>, ARRAY<TINYINT>). */
    IDS("ARRAY<INT>"),
    /** Special tokens: STRING ('all', 'none', names separated by commas) or ARRAY<STRING> of names. */
    SPECIALS("STRING or ARRAY<STRING>"),
    /**
     * Chat messages: an ARRAY of STRUCT (Flink: ROW) with STRING fields {@code role} and
     * {@code content} and, optionally, {@code name}, found by name (other fields are not read).
     */
    MESSAGES("ARRAY<STRUCT<role STRING, content STRING, name STRING>>");

    /** The SQL type named in messages. */
    public final String sql;

    Kind(String sql) {
      this.sql = sql;
    }
  }

  public static final TokenFunction COUNT_TOKENS = new TokenFunction("count_tokens", 1,
      new String[] {"text", "encoding"}, new Kind[] {Kind.STRING, Kind.STRING});
  public static final TokenFunction ENCODE_TOKENS = new TokenFunction("encode_tokens", 1,
      new String[] {"text", "encoding", "allowed_special"}, new Kind[] {Kind.STRING, Kind.STRING, Kind.SPECIALS});
  public static final TokenFunction DECODE_TOKENS = new TokenFunction("decode_tokens", 1,
      new String[] {"ids", "encoding"}, new Kind[] {Kind.IDS, Kind.STRING});
  public static final TokenFunction TRUNCATE_TOKENS = new TokenFunction("truncate_tokens", 2,
      new String[] {"text", "max_tokens", "encoding"}, new Kind[] {Kind.STRING, Kind.INT, Kind.STRING});
  public static final TokenFunction CHUNK_TOKENS = new TokenFunction("chunk_tokens", 2,
      new String[] {"text", "size", "overlap", "encoding"}, new Kind[] {Kind.STRING, Kind.INT, Kind.INT, Kind.STRING});
  public static final TokenFunction COUNT_CHAT_TOKENS = new TokenFunction("count_chat_tokens", 1,
      new String[] {"messages", "model"}, new Kind[] {Kind.MESSAGES, Kind.STRING});

  /** Every function, in the order engines list them. */
  public static final List<TokenFunction> ALL =
      List.of(COUNT_TOKENS, ENCODE_TOKENS, DECODE_TOKENS, TRUNCATE_TOKENS, CHUNK_TOKENS, COUNT_CHAT_TOKENS);

  /** The encoding of a call that names none, unless the engine's configuration sets another. */
  public static final String DEFAULT_ENCODING = "o200k_base";

  private final String name;
  private final String[] parameters;
  private final Kind[] kinds;
  private final int required;

  private TokenFunction(String name, int required, String[] parameters, Kind[] kinds) {
    this.name = name;
    this.required = required;
    this.parameters = parameters;
    this.kinds = kinds;
  }

  /** The function's SQL name: {@code count_tokens}. */
  public String name() {
    return name;
  }

  /** Number of parameters. */
  public int arity() {
    return parameters.length;
  }

  /** Number of required parameters (the first ones); the others may be left out. */
  public int required() {
    return required;
  }

  /** The name of parameter {@code i}. */
  public String parameter(int i) {
    return parameters[i];
  }

  /** What parameter {@code i} accepts. */
  public Kind kind(int i) {
    return kinds[i];
  }

  /** {@code count_tokens(text [, encoding])}. */
  public String usage() {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (int i = 0; i < parameters.length; i++) {
      if (i >= required) sb.append(i == 0 ? "[" : " [, ");
      else if (i > 0) sb.append(", ");
      sb.append(parameters[i]);
    }
    for (int i = required; i < parameters.length; i++) sb.append(']');
    return sb.append(')').toString();
  }

  /** {@code count_tokens(text, encoding)}: the call with {@code n} arguments. */
  public String call(int n) {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ", ").append(parameters[i]);
    return sb.append(')').toString();
  }

  /** Index of the parameter of that name among the first {@code arity}, or -1. */
  public int indexOf(String parameter, int arity) {
    for (int i = 0; i < Math.min(arity, parameters.length); i++) if (parameters[i].equals(parameter)) return i;
    return -1;
  }

  /** The message for a call with a wrong number of arguments, or null if {@code n} is right. */
  public String checkCount(int n) {
    if (n >= required && n <= parameters.length) return null;
    String count = required == parameters.length ? String.valueOf(required) : required + " to " + parameters.length;
    return usage() + " takes " + count + " argument" + (parameters.length == 1 ? "" : "s") + ", got " + n;
  }

  /** The message for argument {@code i} of a call with {@code n} arguments having a type it does not accept. */
  public String wrongType(int n, int i, String actualType) {
    return call(n) + ": argument " + (i + 1) + " (" + parameters[i] + ") must be " + kinds[i].sql + ", got " + actualType;
  }

  /**
   * Index of the {@code encoding} parameter (or {@code model}, which names an encoding too) in a
   * call with {@code n} arguments, or -1 (the default encoding).
   */
  public int encodingIndex(int n) {
    int i = indexOf("encoding", n);
    return i >= 0 ? i : indexOf("model", n);
  }

  /** The function of that SQL name (any case), or null. */
  public static TokenFunction named(String name) {
    for (TokenFunction f : ALL) if (f.name.equalsIgnoreCase(name)) return f;
    return null;
  }

  /** The name of the class implementing the function in each engine: {@code count_tokens} -> {@code CountTokens}. */
  public String className() {
    StringBuilder sb = new StringBuilder();
    for (String part : name.split("_")) sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
    return sb.toString();
  }

  /**
   * The engine's class of the function: {@link #className()} in the package of {@code sibling}.
   *
   * @throws IllegalStateException if it is missing or is not a {@code type}
   */
  public <T> Class<? extends T> implementation(Class<?> sibling, Class<T> type) {
    String c = sibling.getPackageName() + "." + className();
    try {
      return Class.forName(c, true, sibling.getClassLoader()).asSubclass(type);
    } catch (ClassNotFoundException | ClassCastException e) {
      throw new IllegalStateException(name + " has no " + type.getSimpleName() + " " + c, e);
    }
  }

  /** {@code x}, its message prefixed with the function's name. */
  public IllegalArgumentException failure(IllegalArgumentException x) {
    return new IllegalArgumentException(name + ": " + x.getMessage(), x);
  }

  /** The one instance of each function, also after deserialization (adapters compare them by identity). */
  private Object readResolve() {
    return named(name);
  }

  @Override
  public String toString() {
    return usage();
  }
}
