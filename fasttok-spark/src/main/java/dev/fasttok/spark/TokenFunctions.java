package dev.fasttok.spark;

import dev.fasttok.sql.Arguments;
import dev.fasttok.sql.TokenFunction;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.Tuple2;

/**
 * fasttok's functions for Java and Scala DataFrame code, like {@code org.apache.spark.sql.functions}:
 *
 * <pre>{@code
 * import static dev.fasttok.spark.TokenFunctions.*;
 *
 * df.select(countTokens(col("text")), encodeTokens(col("text"), "cl100k_base"));
 * }</pre>
 *
 * <p>Each method returns a call of the SQL function of the same name, resolved when the
 * DataFrame is analysed in the active session: through the unqualified functions if
 * {@link FasttokExtensions} is installed ({@code spark.sql.extensions}), otherwise through a
 * {@link FasttokCatalog} (the one configured, or one this class registers in the session as
 * {@code spark.sql.catalog.fasttok}). Encodings given as Strings are checked at once.
 */
public final class TokenFunctions {
  private TokenFunctions() {}

  /** {@code count_tokens(text)}: INT, with the session's default encoding. */
  public static Column countTokens(Column text) {
    return call(TokenFunction.COUNT_TOKENS, text);
  }

  /** {@code count_tokens(text, encoding)}: INT. */
  public static Column countTokens(Column text, String encoding) {
    return call(TokenFunction.COUNT_TOKENS, text, encoding(encoding));
  }

  /** {@code count_tokens(text, encoding)} with the encoding from a column: INT. */
  public static Column countTokens(Column text, Column encoding) {
    return call(TokenFunction.COUNT_TOKENS, text, encoding);
  }

  /** {@code encode_tokens(text)}: ARRAY<INT>, special-token text as plain text. */
  public static Column encodeTokens(Column text) {
    return call(TokenFunction.ENCODE_TOKENS, text);
  }

  /** {@code encode_tokens(text, encoding)}: ARRAY<INT>. */
  public static Column encodeTokens(Column text, String encoding) {
    return call(TokenFunction.ENCODE_TOKENS, text, encoding(encoding));
  }

  /**
   * {@code encode_tokens(text, encoding, allowed_special)}: ARRAY<INT>; {@code allowedSpecial} is
   * {@code "all"}, {@code "none"} or special tokens separated by commas.
   */
  public static Column encodeTokens(Column text, String encoding, String allowedSpecial) {
    return call(TokenFunction.ENCODE_TOKENS, text, encoding(encoding), functions.lit(allowedSpecial));
  }

  /**
   * {@code encode_tokens(text, encoding, allowed_special)} with {@code allowed_special} an
   * ARRAY<STRING>: the special tokens, each as the encoding has it (an empty list: none): ARRAY<INT>.
   */
  public static Column encodeTokens(Column text, String encoding, List<String> allowedSpecial) {
    Column names = allowedSpecial == null ? functions.lit(null).cast("array<string>")
        : functions.lit(allowedSpecial.toArray(new String[0]));
    return call(TokenFunction.ENCODE_TOKENS, text, encoding(encoding), names);
  }

  /**
   * {@code encode_tokens(text, encoding, allowed_special)} from columns (allowed_special a STRING
   * or an ARRAY<STRING>): ARRAY<INT>.
   */
  public static Column encodeTokens(Column text, Column encoding, Column allowedSpecial) {
    return call(TokenFunction.ENCODE_TOKENS, text, encoding, allowedSpecial);
  }

  /** {@code decode_tokens(ids)}: STRING. */
  public static Column decodeTokens(Column ids) {
    return call(TokenFunction.DECODE_TOKENS, ids);
  }

  /** {@code decode_tokens(ids, encoding)}: STRING. */
  public static Column decodeTokens(Column ids, String encoding) {
    return call(TokenFunction.DECODE_TOKENS, ids, encoding(encoding));
  }

  /** {@code decode_tokens(ids, encoding)} with the encoding from a column: STRING. */
  public static Column decodeTokens(Column ids, Column encoding) {
    return call(TokenFunction.DECODE_TOKENS, ids, encoding);
  }

  /** {@code truncate_tokens(text, max_tokens)}: STRING. */
  public static Column truncateTokens(Column text, int maxTokens) {
    check(() -> Arguments.checkMaxTokens(maxTokens));
    return call(TokenFunction.TRUNCATE_TOKENS, text, functions.lit(maxTokens));
  }

  /** {@code truncate_tokens(text, max_tokens, encoding)}: STRING. */
  public static Column truncateTokens(Column text, int maxTokens, String encoding) {
    check(() -> Arguments.checkMaxTokens(maxTokens));
    return call(TokenFunction.TRUNCATE_TOKENS, text, functions.lit(maxTokens), encoding(encoding));
  }

  /** {@code truncate_tokens(text, max_tokens, encoding)} from columns: STRING. */
  public static Column truncateTokens(Column text, Column maxTokens, Column encoding) {
    return call(TokenFunction.TRUNCATE_TOKENS, text, maxTokens, encoding);
  }

  /** {@code chunk_tokens(text, size)}: ARRAY<STRUCT<text, token_start, token_count, ids>>. */
  public static Column chunkTokens(Column text, int size) {
    return chunkTokens(text, size, 0);
  }

  /** {@code chunk_tokens(text, size, overlap)}. */
  public static Column chunkTokens(Column text, int size, int overlap) {
    check(() -> Arguments.checkSizes(size, overlap));
    return call(TokenFunction.CHUNK_TOKENS, text, functions.lit(size), functions.lit(overlap));
  }

  /** {@code chunk_tokens(text, size, overlap, encoding)}. */
  public static Column chunkTokens(Column text, int size, int overlap, String encoding) {
    check(() -> Arguments.checkSizes(size, overlap));
    return call(TokenFunction.CHUNK_TOKENS, text, functions.lit(size), functions.lit(overlap), encoding(encoding));
  }

  /** {@code chunk_tokens(text, size, overlap, encoding)} from columns. */
  public static Column chunkTokens(Column text, Column size, Column overlap, Column encoding) {
    return call(TokenFunction.CHUNK_TOKENS, text, size, overlap, encoding);
  }

  /**
   * {@code count_chat_tokens(messages)}: INT, the prompt tokens of an
   * {@code ARRAY<STRUCT<role, content, name>>} of chat messages, with the session's default encoding.
   */
  public static Column countChatTokens(Column messages) {
    return call(TokenFunction.COUNT_CHAT_TOKENS, messages);
  }

  /** {@code count_chat_tokens(messages, model)}: INT; {@code model} is an OpenAI model or encoding name. */
  public static Column countChatTokens(Column messages, String model) {
    return call(TokenFunction.COUNT_CHAT_TOKENS, messages, encoding(model));
  }

  /** {@code count_chat_tokens(messages, model)} with the model from a column: INT. */
  public static Column countChatTokens(Column messages, Column model) {
    return call(TokenFunction.COUNT_CHAT_TOKENS, messages, model);
  }

  private static void check(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      throw Errors.analysisError(e.getMessage());
    }
  }

  private static Column encoding(String name) {
    if (name == null) return functions.lit(null).cast("string");
    SparkSession s = session();
    if (!extensionInstalled(s)) {
      // Without the extension nothing checks literals at analysis; check the name here.
      EncodingResolver names = new EncodingResolver(FasttokConf.DEFAULT_ENCODING, java.util.Collections.emptyMap(),
          SessionVocabularies.of(s).names(s));
      if (!names.isKnown(name)) throw Errors.analysisError(names.unknownMessage(name));
    }
    return functions.lit(name);
  }

  private static Column call(TokenFunction function, Column... args) {
    SparkSession s = session();
    String name = extensionInstalled(s) ? function.name() : catalogName(s) + "." + function.name();
    return functions.call_function(name, args);
  }

  private static SparkSession session() {
    SparkSession s = SessionVocabularies.activeSession();
    if (s == null) throw new IllegalStateException("fasttok's TokenFunctions need an active SparkSession");
    return s;
  }

  private static boolean extensionInstalled(SparkSession s) {
    for (String c : s.conf().get("spark.sql.extensions", "").split(",")) {
      if (c.trim().equals(FasttokExtensions.class.getName())) return true;
    }
    return false;
  }

  /** The name of a FasttokCatalog in the session; registers one as "fasttok" if there is none. */
  static synchronized String catalogName(SparkSession s) {
    String prefix = "spark.sql.catalog.";
    scala.collection.Iterator<Tuple2<String, String>> it = s.conf().getAll().iterator();
    while (it.hasNext()) {
      Tuple2<String, String> kv = it.next();
      String key = kv._1();
      if (key.startsWith(prefix) && key.indexOf('.', prefix.length()) < 0
          && kv._2().trim().equals(FasttokCatalog.class.getName())) {
        return key.substring(prefix.length());
      }
    }
    String existing = s.conf().get(prefix + "fasttok", null);
    if (existing != null) {
      throw new IllegalStateException("spark.sql.catalog.fasttok is " + existing + ", not "
          + FasttokCatalog.class.getName() + "; configure a FasttokCatalog under another name or install "
          + FasttokExtensions.class.getName());
    }
    s.conf().set(prefix + "fasttok", FasttokCatalog.class.getName());
    return "fasttok";
  }
}
