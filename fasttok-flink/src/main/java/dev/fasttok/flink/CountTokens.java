package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.TokenFunction;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;

/**
 * {@code count_tokens(text [, encoding])}: the number of tokens of the text, INT. Special-token
 * text counts as plain text. NULL in, NULL out.
 *
 * <pre>{@code
 * CREATE TEMPORARY FUNCTION count_tokens AS 'dev.fasttok.flink.CountTokens';
 * SELECT count_tokens(text), count_tokens(text, 'cl100k_base') FROM docs;
 * }</pre>
 *
 * <p>From the Table API: {@code call(CountTokens.class, $("text"))}, or
 * {@code call(new CountTokens(vocabularies), $("text"), "mine")} with custom vocabularies.
 */
public final class CountTokens extends TokenScalarFunction {
  private static final long serialVersionUID = 1L;

  /** With the built-in encodings; the default encoding is o200k_base. */
  public CountTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public CountTokens(Vocabularies vocabularies) {
    super(TokenFunction.COUNT_TOKENS, vocabularies);
  }

  @Override
  DataType resultType() {
    return DataTypes.INT().notNull().bridgedTo(Integer.class);
  }

  public Integer eval(StringData text) {
    return text == null ? null : count(defaultEncoding(), text);
  }

  public Integer eval(StringData text, StringData encoding) {
    return text == null || encoding == null ? null : count(encoding(encoding), text);
  }

  private static int count(Encoding e, StringData text) {
    byte[] b = Utf8Data.array(text);
    return e.countTokens(b, Utf8Data.offset(text, b), Utf8Data.length(text, b));
  }
}
