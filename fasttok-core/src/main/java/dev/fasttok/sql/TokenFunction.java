package dev.fasttok.sql;

/**
 * The SQL functions fasttok adds to Spark and Flink, defined once: name, parameters, what each
 * parameter accepts, how many are required, and the usage text of error messages. The Spark and
 * Flink adapters map these to their engines' types.
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
    SPECIALS("STRING or ARRAY<STRING>");

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

  @Override
  public String toString() {
    return usage();
  }
}
