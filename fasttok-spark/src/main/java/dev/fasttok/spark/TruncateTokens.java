package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.Arguments;
import dev.fasttok.sql.TokenFunction;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code truncate_tokens(text, max_tokens [, encoding])}: the longest prefix of the text whose
 * tokens are its first {@code max_tokens} tokens, never splitting a character (so
 * {@code count_tokens} of the result is at most {@code max_tokens}), STRING. NULL in, NULL out;
 * a negative {@code max_tokens} is an error.
 */
public final class TruncateTokens extends UnboundTokenFunction {
  private static final long serialVersionUID = 1L;

  static final TokenFunction FUNCTION = TokenFunction.TRUNCATE_TOKENS;

  public TruncateTokens() {
    super(FUNCTION);
  }

  @Override
  public String description() {
    return FUNCTION.usage() + " - the longest prefix of text made of its first max_tokens tokens (STRING),"
        + " never splitting a character.";
  }

  @Override
  Bound bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled) {
    return new Bound(ArgumentTypes.check(FUNCTION, inputType), resolver);
  }

  /** The bound function. */
  public static final class Bound extends TokenFunctionBase<UTF8String> {
    private static final long serialVersionUID = 1L;

    Bound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
    }

    @Override
    public DataType resultType() {
      return DataTypes.StringType;
    }

    public UTF8String invoke(UTF8String text, int maxTokens) {
      return text == null ? null : truncate(defaultEncoding(), text, maxTokens);
    }

    public UTF8String invoke(UTF8String text, int maxTokens, UTF8String encoding) {
      return text == null || encoding == null ? null : truncate(encoding(encoding), text, maxTokens);
    }

    private static UTF8String truncate(Encoding e, UTF8String text, int maxTokens) {
      Arguments.checkMaxTokens(maxTokens);
      byte[] b = Utf8Text.array(text);
      int off = Utf8Text.offset(text, b);
      int len = text.numBytes();
      int keep = e.truncatedLength(b, off, len, maxTokens);
      if (keep == len) return text;
      // A copy: the input's bytes may belong to a row buffer that is reused.
      return UTF8String.fromBytes(Arrays.copyOfRange(b, off, off + keep));
    }

    @Override
    void checkConstants(Object[] values) {
      super.checkConstants(values);
      Integer max = constantInt(values, 1);
      if (max != null) Arguments.checkMaxTokens(max);
    }
  }
}
