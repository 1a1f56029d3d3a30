package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.AllowedSpecial;
import dev.fasttok.sql.TokenFunction;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code encode_tokens(text [, encoding [, allowed_special]])}: the token ids of the text,
 * ARRAY<INT>. Special-token text is plain text unless {@code allowed_special} names it:
 * {@code 'all'}, {@code 'none'} (or {@code ''}, the default), or the tokens' texts separated by
 * commas. NULL in, NULL out.
 */
public final class EncodeTokens implements UnboundFunction {
  private static final long serialVersionUID = 1L;

  static final Signature SIGNATURE = new Signature(TokenFunction.ENCODE_TOKENS);

  @Override
  public String name() {
    return SIGNATURE.function;
  }

  @Override
  public String description() {
    return SIGNATURE.usage() + " - the token ids of text (ARRAY<INT>). allowed_special: 'all', 'none' (the"
        + " default) or special tokens separated by commas; other special-token text is plain text.";
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    return bind(inputType, SessionVocabularies.resolverForActiveSession(null));
  }

  static Bound bind(StructType inputType, EncodingResolver resolver) {
    return new Bound(SIGNATURE.check(inputType), resolver);
  }

  static ArrayData ids(int[] ids) {
    return UnsafeArrayData.fromPrimitiveArray(ids);
  }

  /** The bound function. */
  public static final class Bound extends TokenFunctionBase<ArrayData> {
    private static final long serialVersionUID = 1L;

    private transient Object[] lastAllowed; // {UTF8String spec, AllowedSpecial parsed}

    Bound(DataType[] in, EncodingResolver resolver) {
      super(SIGNATURE, in, resolver);
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
      AllowedSpecial allowed = allowed(encoding(encoding), allowedSpecial);
      byte[] b = Utf8Text.array(text);
      return ids(allowed.encode(b, Utf8Text.offset(text, b), text.numBytes()));
    }

    private static ArrayData encodeOrdinary(Encoding e, UTF8String text) {
      byte[] b = Utf8Text.array(text);
      return ids(e.encodeOrdinary(b, Utf8Text.offset(text, b), text.numBytes()));
    }

    private AllowedSpecial allowed(Encoding e, UTF8String spec) {
      Object[] last = lastAllowed;
      if (last != null && ((AllowedSpecial) last[1]).encoding() == e && last[0].equals(spec)) {
        return (AllowedSpecial) last[1];
      }
      String s = spec.toString();
      AllowedSpecial a = AllowedSpecial.parse(s, e, SIGNATURE.function);
      lastAllowed = new Object[] {UTF8String.fromString(s), a};
      return a;
    }

    @Override
    void checkConstants(Object[] values) {
      Encoding e = constantEncoding(values);
      if (values.length > 2 && e != null && values[2] != NOT_CONSTANT && values[2] != null) {
        AllowedSpecial.parse(values[2].toString(), e, SIGNATURE.function);
      }
    }
  }
}
