package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.TokenFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code count_tokens(text [, encoding])}: the number of tokens of the text, INT. Special-token
 * text counts as plain text. NULL in, NULL out.
 */
public final class CountTokens extends UnboundTokenFunction {
  private static final long serialVersionUID = 1L;

  static final TokenFunction FUNCTION = TokenFunction.COUNT_TOKENS;

  public CountTokens() {
    super(FUNCTION);
  }

  @Override
  public String description() {
    return FUNCTION.usage() + " - the number of tokens of text (INT); special-token text counts as plain"
        + " text. The encoding defaults to spark.fasttok.encoding (o200k_base).";
  }

  @Override
  TokenFunctionBase<Integer> bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled) {
    DataType[] in = ArgumentTypes.check(FUNCTION, inputType);
    return nullsHandled || ArgumentTypes.noNulls(inputType) ? new Bound(in, resolver) : new NullableBound(in, resolver);
  }

  static int count(Encoding encoding, UTF8String text) {
    byte[] b = Utf8Text.array(text);
    return encoding.countTokens(b, Utf8Text.offset(text, b), text.numBytes());
  }

  /** For arguments that are never NULL: returns a primitive {@code int}. */
  public static final class Bound extends TokenFunctionBase<Integer> {
    private static final long serialVersionUID = 1L;

    Bound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
    }

    @Override
    public DataType resultType() {
      return DataTypes.IntegerType;
    }

    @Override
    public boolean isResultNullable() {
      return false;
    }

    public int invoke(UTF8String text) {
      return count(defaultEncoding(), text);
    }

    public int invoke(UTF8String text, UTF8String encoding) {
      return count(encoding(encoding), text);
    }
  }

  /**
   * For arguments that can be NULL, as Spark's function catalog calls them: a primitive return
   * cannot say NULL, so this form returns {@code Integer}. (The unqualified functions of
   * {@link FasttokExtensions} let Spark handle NULLs and always use {@link Bound}.)
   */
  public static final class NullableBound extends TokenFunctionBase<Integer> {
    private static final long serialVersionUID = 1L;

    NullableBound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
    }

    @Override
    public DataType resultType() {
      return DataTypes.IntegerType;
    }

    public Integer invoke(UTF8String text) {
      return text == null ? null : count(defaultEncoding(), text);
    }

    public Integer invoke(UTF8String text, UTF8String encoding) {
      return text == null || encoding == null ? null : count(encoding(encoding), text);
    }
  }
}
