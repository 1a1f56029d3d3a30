package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.TokenFunction;
import dev.fasttok.sql.TokenIds;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code decode_tokens(ids [, encoding])}: the text of token ids (ARRAY<INT> or ARRAY<BIGINT>),
 * STRING. Bytes that are not well-formed UTF-8 (ids can end inside a character) become U+FFFD,
 * as tiktoken's {@code decode} does. An id outside the vocabulary, or a NULL id, is an error
 * naming it. NULL in, NULL out.
 */
public final class DecodeTokens extends UnboundTokenFunction {
  private static final long serialVersionUID = 1L;

  static final TokenFunction FUNCTION = TokenFunction.DECODE_TOKENS;

  public DecodeTokens() {
    super(FUNCTION);
  }

  @Override
  public String description() {
    return FUNCTION.usage() + " - the text of the token ids (STRING); ill-formed UTF-8 becomes U+FFFD.";
  }

  @Override
  Bound bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled) {
    return new Bound(ArgumentTypes.check(FUNCTION, inputType), resolver);
  }

  /** ARRAY<INT> or ARRAY<BIGINT> ids. */
  private static final class Ids extends TokenIds<ArrayData> {
    static final Ids INTS = new Ids(false);
    static final Ids LONGS = new Ids(true);

    private final boolean longs;

    private Ids(boolean longs) {
      this.longs = longs;
    }

    @Override
    protected int size(ArrayData ids) {
      return ids.numElements();
    }

    @Override
    protected boolean isNull(ArrayData ids, int i) {
      return ids.isNullAt(i);
    }

    @Override
    protected long get(ArrayData ids, int i) {
      return longs ? ids.getLong(i) : ids.getInt(i);
    }
  }

  /** The bound function. */
  public static final class Bound extends TokenFunctionBase<UTF8String> {
    private static final long serialVersionUID = 1L;

    private final boolean longIds;

    Bound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
      this.longIds = ((ArrayType) in[0]).elementType() instanceof LongType;
    }

    @Override
    public DataType resultType() {
      return DataTypes.StringType;
    }

    public UTF8String invoke(ArrayData ids) {
      return ids == null ? null : decode(defaultEncoding(), ids);
    }

    public UTF8String invoke(ArrayData ids, UTF8String encoding) {
      return ids == null || encoding == null ? null : decode(encoding(encoding), ids);
    }

    private UTF8String decode(Encoding e, ArrayData ids) {
      int[] a = (longIds ? Ids.LONGS : Ids.INTS).toInts(ids, e);
      return Utf8Text.ofBytes(TokenIds.decodeBytes(e, a));
    }
  }
}
