package dev.fasttok.spark;

import dev.fasttok.ChatMessage;
import dev.fasttok.sql.ChatCounts;
import dev.fasttok.sql.TokenFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code count_chat_tokens(messages [, model])}: the prompt tokens a chat request with these
 * messages costs (INT), as {@link dev.fasttok.Encodings#countChatTokens} counts them. The messages
 * are an {@code ARRAY<STRUCT<role STRING, content STRING, name STRING>>} whose fields are found by
 * name ({@code name} may be absent). A NULL message is skipped, a NULL role or content counts as
 * empty text, a NULL name as no name. NULL messages or model, NULL out.
 */
public final class CountChatTokens extends UnboundTokenFunction {
  private static final long serialVersionUID = 1L;

  static final TokenFunction FUNCTION = TokenFunction.COUNT_CHAT_TOKENS;

  public CountChatTokens() {
    super(FUNCTION);
  }

  @Override
  public String description() {
    return FUNCTION.usage() + " - the prompt tokens of chat messages (ARRAY<STRUCT<role, content, name>>) for an"
        + " OpenAI model or an encoding (INT): OpenAI's per-message rule, harmony's for gpt-oss. The model defaults"
        + " to the encoding spark.fasttok.encoding (o200k_base).";
  }

  @Override
  Bound bind(StructType inputType, EncodingResolver resolver, boolean nullsHandled) {
    return new Bound(ArgumentTypes.check(FUNCTION, inputType), resolver);
  }

  /** The bound function. */
  public static final class Bound extends TokenFunctionBase<Integer> {
    private static final long serialVersionUID = 1L;

    /** Where role, content and name are in a message; null when no message can be non-NULL. */
    private final ChatCounts.Fields fields;
    private final int numFields;
    private final ChatCounts<UTF8String> counts = new ChatCounts<>(UTF8String::fromString);

    Bound(DataType[] in, EncodingResolver resolver) {
      super(FUNCTION, in, resolver);
      DataType element = ((ArrayType) in[0]).elementType();
      if (element instanceof StructType) {
        StructType s = (StructType) element;
        fields = ChatCounts.fields(Arrays.asList(s.fieldNames()));
        numFields = s.size();
      } else {
        fields = null; // ARRAY<VOID>: every element is NULL
        numFields = 0;
      }
    }

    @Override
    public DataType resultType() {
      return DataTypes.IntegerType;
    }

    public Integer invoke(ArrayData messages) {
      return messages == null ? null : defaultEncoding().countChatTokens(read(messages));
    }

    public Integer invoke(ArrayData messages, UTF8String model) {
      return messages == null || model == null ? null : counts.count(model, encoding(model), read(messages));
    }

    private List<ChatMessage> read(ArrayData messages) {
      int n = messages.numElements();
      List<ChatMessage> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        if (messages.isNullAt(i)) continue;
        InternalRow m = messages.getStruct(i, numFields);
        out.add(ChatCounts.message(text(m, fields.role()), text(m, fields.content()), text(m, fields.name())));
      }
      return out;
    }

    private static String text(InternalRow m, int field) {
      return field < 0 || m.isNullAt(field) ? null : m.getUTF8String(field).toString();
    }
  }
}
