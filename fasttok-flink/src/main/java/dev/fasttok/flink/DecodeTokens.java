package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.TokenFunction;
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

  static final Signature SIGNATURE = new Signature(TokenFunction.DECODE_TOKENS);

  /** With the built-in encodings; the default encoding is o200k_base. */
  public DecodeTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public DecodeTokens(Vocabularies vocabularies) {
    super(vocabularies, -1);
  }

  private DecodeTokens(Vocabularies vocabularies, int arity) {
    super(vocabularies, arity);
  }

  @Override
  Signature signature() {
    return SIGNATURE;
  }

  @Override
  DataType resultType() {
    return Signature.string(false);
  }

  @Override
  TokenScalarFunction specialize(Vocabularies vocabularies, Literals call) {
    return new DecodeTokens(vocabularies, call.arity());
  }

  /** ARRAY<INT> ids. */
  public StringData eval(ArrayData ids) {
    return ids == null ? null : decode(defaultEncoding(), ints(ids));
  }

  /** ARRAY<INT> ids. */
  public StringData eval(ArrayData ids, StringData encoding) {
    return ids == null || encoding == null ? null : decode(encoding(encoding), ints(ids));
  }

  /** ARRAY<BIGINT> ids. */
  public StringData eval(Long[] ids) {
    return ids == null ? null : decode(defaultEncoding(), ints(ids, defaultEncoding()));
  }

  /** ARRAY<BIGINT> ids. */
  public StringData eval(Long[] ids, StringData encoding) {
    if (ids == null || encoding == null) return null;
    Encoding e = encoding(encoding);
    return decode(e, ints(ids, e));
  }

  private static int[] ints(ArrayData ids) {
    int n = ids.size();
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      if (ids.isNullAt(i)) throw nullAt(i);
      a[i] = ids.getInt(i);
    }
    return a;
  }

  private static int[] ints(Long[] ids, Encoding e) {
    int[] a = new int[ids.length];
    for (int i = 0; i < a.length; i++) {
      Long v = ids[i];
      if (v == null) throw nullAt(i);
      if (v != v.intValue()) {
        throw new IllegalArgumentException("decode_tokens: token id " + v + " is not in the vocabulary of " + e.name());
      }
      a[i] = v.intValue();
    }
    return a;
  }

  private static IllegalArgumentException nullAt(int i) {
    return new IllegalArgumentException("decode_tokens: ids holds a NULL at index " + i);
  }

  private static StringData decode(Encoding e, int[] a) {
    try {
      // decode() reads ill-formed UTF-8 as U+FFFD, as tiktoken does.
      return StringData.fromString(e.decode(a));
    } catch (IllegalArgumentException x) {
      throw new IllegalArgumentException("decode_tokens: " + x.getMessage(), x);
    }
  }
}
