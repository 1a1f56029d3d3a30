package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.AllowedSpecial;
import dev.fasttok.sql.LastValue;
import dev.fasttok.sql.TokenFunction;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code encode_tokens(text [, encoding [, allowed_special]])}: the token ids of the text,
 * ARRAY<INT>. Special-token text is plain text unless {@code allowed_special} names it:
 * {@code 'all'}, {@code 'none'} (or {@code ''}, the default), the tokens' texts separated by
 * commas, or an ARRAY<STRING> of the tokens' texts. NULL in, NULL out.
 */
public final class EncodeTokens extends UnboundTokenFunction {
  private static final long serialVersionUID = 1L;

  static final TokenFunction FUNCTION = TokenFunction.ENCODE_TOKENS;

  public EncodeTokens() {
    super(FUNCTION);
  }

  @Override
  public String description() {
    return FUNCTION.usage() + " - the token ids of text (ARRAY<INT>). allowed_special: 'all', 'none' (the"
        + " default), special tokens separated by commas, or an ARRAY<STRING> of special tokens; other"
        + " special-token text is plain text.";
  }

  @Override
  Bound bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled) {
    return new Bound(ArgumentTypes.check(FUNCTION, inputType), resolver);
  }

  static ArrayData ids(int[] ids) {
    return UnsafeArrayData.fromPrimitiveArray(ids);
  }

  /** The bound function. */
  public static final class Bound extends TokenFunctionBase<ArrayData> {
    private static final long serialVersionUID = 1L;

    private final LastValue<UTF8String, AllowedSpecial> lastSpec = new LastValue<>();
    private final LastValue<String[], AllowedSpecial> lastNames = new LastValue<>();

    Bound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
    }

    @Override
    public DataType resultType() {
      return DataTypes.createArrayType(DataTypes.IntegerType, false);
    }

    public ArrayData invoke(UTF8String text) {
      if (text == null) return null;
      return encodeOrdinary(defaultEncoding(), text);
    }

    public ArrayData invoke(UTF8String text, UTF8String encoding) {
      if (text == null || encoding == null) return null;
      return encodeOrdinary(encoding(encoding), text);
    }

    public ArrayData invoke(UTF8String text, UTF8String encoding, UTF8String allowedSpecial) {
      if (text == null || encoding == null || allowedSpecial == null) return null;
      return encode(AllowedSpecial.parse(lastSpec, allowedSpecial, UTF8String::fromString, encoding(encoding),
          FUNCTION.name()), text);
    }

    public ArrayData invoke(UTF8String text, UTF8String encoding, ArrayData allowedSpecial) {
      if (text == null || encoding == null || allowedSpecial == null) return null;
      Encoding e = encoding(encoding);
      return encode(AllowedSpecial.of(lastNames, names(allowedSpecial), e, FUNCTION.name()), text);
    }

    private static ArrayData encode(AllowedSpecial allowed, UTF8String text) {
      byte[] b = Utf8Text.array(text);
      return ids(allowed.encode(b, Utf8Text.offset(text, b), text.numBytes()));
    }

    private static ArrayData encodeOrdinary(Encoding e, UTF8String text) {
      byte[] b = Utf8Text.array(text);
      return ids(e.encodeOrdinary(b, Utf8Text.offset(text, b), text.numBytes()));
    }

    private static String[] names(ArrayData array) {
      String[] names = new String[array.numElements()];
      for (int i = 0; i < names.length; i++) names[i] = array.isNullAt(i) ? null : array.getUTF8String(i).toString();
      return names;
    }

    @Override
    void checkConstants(Object[] values) {
      Encoding e = constantEncoding(values);
      if (values.length > 2 && e != null && values[2] != NOT_CONSTANT && values[2] != null) {
        if (values[2] instanceof ArrayData) AllowedSpecial.of(names((ArrayData) values[2]), e, FUNCTION.name());
        else AllowedSpecial.parse(values[2].toString(), e, FUNCTION.name());
      }
    }
  }
}
