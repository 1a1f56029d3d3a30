package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.Arguments;
import dev.fasttok.sql.TokenFunction;
import java.util.Arrays;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;

/**
 * {@code truncate_tokens(text, max_tokens [, encoding])}: the longest prefix of the text whose
 * tokens are its first {@code max_tokens} tokens, never splitting a character (so
 * {@code count_tokens} of the result is at most {@code max_tokens}), STRING. NULL in, NULL out;
 * a negative {@code max_tokens} is an error.
 */
public final class TruncateTokens extends TokenScalarFunction {
  private static final long serialVersionUID = 1L;

  /** With the built-in encodings; the default encoding is o200k_base. */
  public TruncateTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public TruncateTokens(Vocabularies vocabularies) {
    super(TokenFunction.TRUNCATE_TOKENS, vocabularies);
  }

  @Override
  DataType resultType() {
    return ArgumentTypes.string(false);
  }

  @Override
  void checkLiterals(Literals call) {
    Integer max = call.intValue(1);
    if (max != null) Arguments.checkMaxTokens(max);
  }

  public StringData eval(StringData text, Integer maxTokens) {
    return text == null || maxTokens == null ? null : truncate(defaultEncoding(), text, maxTokens);
  }

  public StringData eval(StringData text, Integer maxTokens, StringData encoding) {
    return text == null || maxTokens == null || encoding == null ? null
        : truncate(encoding(encoding), text, maxTokens);
  }

  private static StringData truncate(Encoding e, StringData text, int maxTokens) {
    Arguments.checkMaxTokens(maxTokens);
    byte[] b = Utf8Data.array(text);
    int off = Utf8Data.offset(text, b);
    int len = Utf8Data.length(text, b);
    int keep = e.truncatedLength(b, off, len, maxTokens);
    if (keep == len) return text;
    // A copy: the input's bytes may belong to a row buffer that is reused.
    return StringData.fromBytes(Arrays.copyOfRange(b, off, off + keep));
  }
}
