package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.TokenFunction;
import dev.fasttok.sql.TokenIds;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;

/**
 * {@code decode_tokens(ids [, encoding])}: the text of token ids (ARRAY<INT> or ARRAY<BIGINT>;
 * narrower integers are widened), STRING. Bytes that are not well-formed UTF-8 (ids can end inside
 * a character) become U+FFFD, as tiktoken's {@code decode} does. An id outside the vocabulary, or
 * a NULL id, is an error naming it. NULL in, NULL out.
 */
public final class DecodeTokens extends TokenScalarFunction {
  private static final long serialVersionUID = 1L;

  /** ARRAY<INT> ids (narrower integers widened by the planner). */
  private static final TokenIds<ArrayData> INTS = new TokenIds<ArrayData>() {
    @Override
    protected int size(ArrayData ids) {
      return ids.size();
    }

    @Override
    protected boolean isNull(ArrayData ids, int i) {
      return ids.isNullAt(i);
    }

    @Override
    protected long get(ArrayData ids, int i) {
      return ids.getInt(i);
    }
  };

  /** ARRAY<BIGINT> ids. */
  private static final TokenIds<Long[]> LONGS = new TokenIds<Long[]>() {
    @Override
    protected int size(Long[] ids) {
      return ids.length;
    }

    @Override
    protected boolean isNull(Long[] ids, int i) {
      return ids[i] == null;
    }

    @Override
    protected long get(Long[] ids, int i) {
      return ids[i];
    }
  };

  /** With the built-in encodings; the default encoding is o200k_base. */
  public DecodeTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public DecodeTokens(Vocabularies vocabularies) {
    super(TokenFunction.DECODE_TOKENS, vocabularies);
  }

  @Override
  DataType resultType() {
    return ArgumentTypes.string(false);
  }

  /** ARRAY<INT> ids. */
  public StringData eval(ArrayData ids) {
    if (ids == null) return null;
    Encoding e = defaultEncoding();
    return decode(e, INTS.toInts(ids, e));
  }

  /** ARRAY<INT> ids. */
  public StringData eval(ArrayData ids, StringData encoding) {
    if (ids == null || encoding == null) return null;
    Encoding e = encoding(encoding);
    return decode(e, INTS.toInts(ids, e));
  }

  /** ARRAY<BIGINT> ids. */
  public StringData eval(Long[] ids) {
    if (ids == null) return null;
    Encoding e = defaultEncoding();
    return decode(e, LONGS.toInts(ids, e));
  }

  /** ARRAY<BIGINT> ids. */
  public StringData eval(Long[] ids, StringData encoding) {
    if (ids == null || encoding == null) return null;
    Encoding e = encoding(encoding);
    return decode(e, LONGS.toInts(ids, e));
  }

  private static StringData decode(Encoding e, int[] a) {
    return StringData.fromString(TokenIds.decode(e, a));
  }
}
