package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.Arguments;
import dev.fasttok.sql.EncodingCache;
import dev.fasttok.sql.TokenFunction;
import java.util.Objects;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.SpecializedFunction;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.table.functions.UserDefinedFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.table.types.inference.TypeStrategies;

/**
 * {@code chunk_tokens(text, size [, overlap [, encoding]])}, a table function: the text cut into
 * chunks of {@code size} tokens, each starting {@code size - overlap} tokens after the previous one
 * (the last may be shorter), one row each: {@code (text STRING, token_start INT, token_count INT,
 * ids ARRAY<INT>)} (ids: the chunk's tokens, a slice of the whole text's encode_tokens).
 * Chunk edges fall on token boundaries, moved back to a character's start where a token ends
 * inside one, so that with overlap 0 the chunks' texts concatenate to the text. An empty text has
 * no chunks; so has NULL (NULL in, no rows). {@code size} must be positive and {@code overlap} in
 * {@code [0, size)}.
 *
 * <pre>{@code
 * SELECT d.id, c.token_start, c.token_count, c.text
 * FROM docs AS d, LATERAL TABLE(chunk_tokens(d.text, 512, 64)) AS c;
 * }</pre>
 */
public final class ChunkTokens extends TableFunction<RowData> implements SpecializedFunction {
  private static final long serialVersionUID = 1L;

  private static final TokenFunction FUNCTION = TokenFunction.CHUNK_TOKENS;

  /** ROW<text STRING, token_start INT, token_count INT, ids ARRAY<INT>>, each NOT NULL. */
  public static final DataType CHUNK = DataTypes.ROW(
      DataTypes.FIELD("text", DataTypes.STRING().notNull()),
      DataTypes.FIELD("token_start", DataTypes.INT().notNull()),
      DataTypes.FIELD("token_count", DataTypes.INT().notNull()),
      DataTypes.FIELD("ids", DataTypes.ARRAY(DataTypes.INT().notNull()).notNull())).notNull();

  private final Vocabularies vocabularies;
  /** Number of arguments of the call this instance is specialized for, or -1 (not specialized). */
  private final int arity;
  private transient EncodingCache<StringData> encodings;

  /** With the built-in encodings; the default encoding is o200k_base. */
  public ChunkTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public ChunkTokens(Vocabularies vocabularies) {
    this(vocabularies, -1);
  }

  private ChunkTokens(Vocabularies vocabularies, int arity) {
    this.vocabularies = Objects.requireNonNull(vocabularies, "vocabularies");
    this.arity = arity;
  }

  private static void checkLiterals(Literals call) {
    Arguments.checkConstantSizes(call.intValue(1), call.arity() > 2 ? call.intValue(2) : Integer.valueOf(0));
  }

  @Override
  public TypeInference getTypeInference(DataTypeFactory typeFactory) {
    return TokenInputStrategy.typeInference(FUNCTION, vocabularies, ChunkTokens::checkLiterals,
        TypeStrategies.explicit(CHUNK.bridgedTo(RowData.class)));
  }

  @Override
  public UserDefinedFunction specialize(SpecializedContext context) {
    Literals call = Literals.of(context.getCallContext(), FUNCTION, vocabularies);
    return new ChunkTokens(vocabularies.only(call.neededVocabularies()), call.arity());
  }

  @Override
  public void open(FunctionContext context) throws Exception {
    encodings = EncodingLookup.open(FUNCTION, vocabularies, arity);
  }

  public void eval(StringData text, Integer size) {
    if (text != null && size != null) chunk(encodings.defaultEncoding(), text, size, 0);
  }

  public void eval(StringData text, Integer size, Integer overlap) {
    if (text != null && size != null && overlap != null) chunk(encodings.defaultEncoding(), text, size, overlap);
  }

  public void eval(StringData text, Integer size, Integer overlap, StringData encoding) {
    if (text != null && size != null && overlap != null && encoding != null) {
      chunk(encodings.get(encoding), text, size, overlap);
    }
  }

  private void chunk(Encoding e, StringData text, int size, int overlap) {
    Arguments.checkSizes(size, overlap);
    byte[] b = Utf8Data.array(text);
    // The chunk's own text: its offsets may refer to a normalized or U+FFFD form of the input.
    for (Encoding.Chunk c : e.chunk(b, Utf8Data.offset(text, b), Utf8Data.length(text, b), size, overlap)) {
      collect(GenericRowData.of(StringData.fromString(c.text()), c.tokenStart(), c.tokenCount(),
          new GenericArrayData(c.ids())));
    }
  }

  @Override
  public boolean isDeterministic() {
    return true;
  }

  @Override
  public String toString() {
    return FUNCTION.name();
  }
}
