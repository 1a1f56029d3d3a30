package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.sql.Arguments;
import dev.fasttok.sql.TokenFunction;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code chunk_tokens(text, size [, overlap [, encoding]])}: the text cut into chunks of
 * {@code size} tokens, each starting {@code size - overlap} tokens after the previous one (the
 * last may be shorter), as ARRAY<STRUCT<text STRING, token_start INT, token_count INT, ids
 * ARRAY<INT>>> (ids: the chunk's tokens, a slice of the whole text's encode_tokens). Chunk
 * edges fall on token boundaries, moved back to a character's start where a token ends inside
 * one, so that with overlap 0 the chunks' texts concatenate to the text. An empty text has no
 * chunks. NULL in, NULL out; size must be positive and overlap in [0, size).
 */
public final class ChunkTokens extends UnboundTokenFunction {
  private static final long serialVersionUID = 1L;

  static final TokenFunction FUNCTION = TokenFunction.CHUNK_TOKENS;

  public ChunkTokens() {
    super(FUNCTION);
  }

  /** STRUCT<text STRING, token_start INT, token_count INT, ids ARRAY<INT>>. */
  public static final StructType CHUNK = new StructType(new StructField[] {
      DataTypes.createStructField("text", DataTypes.StringType, false),
      DataTypes.createStructField("token_start", DataTypes.IntegerType, false),
      DataTypes.createStructField("token_count", DataTypes.IntegerType, false),
      DataTypes.createStructField("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)});

  @Override
  public String description() {
    return FUNCTION.usage() + " - the text in chunks of size tokens, overlapping by overlap tokens (default 0):"
        + " ARRAY<STRUCT<text STRING, token_start INT, token_count INT, ids ARRAY<INT>>>.";
  }

  @Override
  Bound bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled) {
    return new Bound(ArgumentTypes.check(FUNCTION, inputType), resolver);
  }

  /** The bound function. */
  public static final class Bound extends TokenFunctionBase<ArrayData> {
    private static final long serialVersionUID = 1L;

    Bound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
    }

    @Override
    public DataType resultType() {
      return DataTypes.createArrayType(CHUNK, false);
    }

    public ArrayData invoke(UTF8String text, int size) {
      return text == null ? null : chunk(defaultEncoding(), text, size, 0);
    }

    public ArrayData invoke(UTF8String text, int size, int overlap) {
      return text == null ? null : chunk(defaultEncoding(), text, size, overlap);
    }

    public ArrayData invoke(UTF8String text, int size, int overlap, UTF8String encoding) {
      return text == null || encoding == null ? null : chunk(encoding(encoding), text, size, overlap);
    }

    private static ArrayData chunk(Encoding e, UTF8String text, int size, int overlap) {
      Arguments.checkSizes(size, overlap);
      byte[] b = Utf8Text.array(text);
      // The chunk's own text: its offsets may refer to a normalized or U+FFFD form of the input.
      List<Encoding.Chunk> chunks = e.chunk(b, Utf8Text.offset(text, b), text.numBytes(), size, overlap);
      Object[] rows = new Object[chunks.size()];
      for (int i = 0; i < rows.length; i++) {
        Encoding.Chunk c = chunks.get(i);
        rows[i] = new GenericInternalRow(new Object[] {UTF8String.fromString(c.text()), c.tokenStart(), c.tokenCount(),
            EncodeTokens.ids(c.ids())});
      }
      return new GenericArrayData(rows);
    }

    @Override
    void checkConstants(Object[] values) {
      super.checkConstants(values);
      Integer overlap = values.length > 2 ? constantInt(values, 2) : Integer.valueOf(0);
      Arguments.checkConstantSizes(constantInt(values, 1), overlap);
    }
  }
}
