package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.AllowedSpecial;
import dev.fasttok.sql.LastValue;
import dev.fasttok.sql.TokenFunction;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;

/**
 * {@code encode_tokens(text [, encoding [, allowed_special]])}: the token ids of the text,
 * ARRAY<INT NOT NULL>. Special-token text is plain text unless {@code allowed_special} names it:
 * {@code 'all'}, {@code 'none'} (or {@code ''}, the default), the tokens' texts separated by
 * commas, or an ARRAY<STRING> of the tokens' texts. NULL in, NULL out.
 */
public final class EncodeTokens extends TokenScalarFunction {
  private static final long serialVersionUID = 1L;

  private final LastValue<StringData, AllowedSpecial> lastSpec = new LastValue<>();
  private final LastValue<String[], AllowedSpecial> lastNames = new LastValue<>();

  /** With the built-in encodings; the default encoding is o200k_base. */
  public EncodeTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public EncodeTokens(Vocabularies vocabularies) {
    super(TokenFunction.ENCODE_TOKENS, vocabularies);
  }

  @Override
  DataType resultType() {
    return DataTypes.ARRAY(DataTypes.INT().notNull()).notNull().bridgedTo(ArrayData.class);
  }

  @Override
  void checkLiterals(Literals call) {
    // An ARRAY[...] is never a literal to the planner: the array form is checked when the job runs.
    String spec = call.stringValue(2);
    if (spec == null) return;
    String s = spec.trim();
    // 'all' and 'none' need no encoding; a list is checked against the encoding's special tokens.
    if (s.isEmpty() || s.equalsIgnoreCase("all") || s.equalsIgnoreCase("none")) return;
    Encoding e = call.encoding();
    if (e != null) AllowedSpecial.parse(spec, e, function.name());
  }

  public ArrayData eval(StringData text) {
    return text == null ? null : encodeOrdinary(defaultEncoding(), text);
  }

  public ArrayData eval(StringData text, StringData encoding) {
    return text == null || encoding == null ? null : encodeOrdinary(encoding(encoding), text);
  }

  public ArrayData eval(StringData text, StringData encoding, StringData allowedSpecial) {
    if (text == null || encoding == null || allowedSpecial == null) return null;
    return encode(AllowedSpecial.parse(lastSpec, allowedSpecial, StringData::fromString, encoding(encoding),
        function.name()), text);
  }

  public ArrayData eval(StringData text, StringData encoding, ArrayData allowedSpecial) {
    if (text == null || encoding == null || allowedSpecial == null) return null;
    Encoding e = encoding(encoding);
    return encode(AllowedSpecial.of(lastNames, names(allowedSpecial), e, function.name()), text);
  }

  private static ArrayData encode(AllowedSpecial allowed, StringData text) {
    byte[] b = Utf8Data.array(text);
    return new GenericArrayData(allowed.encode(b, Utf8Data.offset(text, b), Utf8Data.length(text, b)));
  }

  private static ArrayData encodeOrdinary(Encoding e, StringData text) {
    byte[] b = Utf8Data.array(text);
    return new GenericArrayData(e.encodeOrdinary(b, Utf8Data.offset(text, b), Utf8Data.length(text, b)));
  }

  private static String[] names(ArrayData array) {
    String[] names = new String[array.size()];
    for (int i = 0; i < names.length; i++) names[i] = array.isNullAt(i) ? null : array.getString(i).toString();
    return names;
  }
}
