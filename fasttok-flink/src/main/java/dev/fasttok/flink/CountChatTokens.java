package dev.fasttok.flink;

import dev.fasttok.ChatMessage;
import dev.fasttok.sql.ChatCounts;
import dev.fasttok.sql.TokenFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code count_chat_tokens(messages [, model])}: the prompt tokens a chat request with these
 * messages costs (INT), as {@link dev.fasttok.Encodings#countChatTokens} counts them. The messages
 * are an {@code ARRAY<ROW<role STRING, content STRING, name STRING>>} whose fields are found by
 * name ({@code name} may be absent). A NULL message is skipped, a NULL role or content counts as
 * empty text, a NULL name as no name. NULL messages or model, NULL out.
 *
 * <pre>{@code
 * CREATE TEMPORARY FUNCTION count_chat_tokens AS 'dev.fasttok.flink.CountChatTokens';
 * SELECT count_chat_tokens(messages, 'gpt-4o') FROM requests;
 * }</pre>
 */
public final class CountChatTokens extends TokenScalarFunction {
  private static final long serialVersionUID = 1L;

  /** Where role, content and name are in a message row; null until specialized to a call. */
  private ChatCounts.Fields fields;
  private int numFields;
  private final ChatCounts<StringData> counts = new ChatCounts<>(StringData::fromString);

  /** With the built-in encodings; the default encoding is o200k_base. */
  public CountChatTokens() {
    this(Vocabularies.builtIn());
  }

  /** With these encodings and default encoding. */
  public CountChatTokens(Vocabularies vocabularies) {
    super(TokenFunction.COUNT_CHAT_TOKENS, vocabularies);
  }

  @Override
  DataType resultType() {
    return DataTypes.INT().notNull().bridgedTo(Integer.class);
  }

  @Override
  void specializeTo(CallContext call) {
    LogicalType t = call.getArgumentDataTypes().get(0).getLogicalType();
    fields = ArgumentTypes.messageFields(t);
    // A NULL literal is cast to ARRAY<ROW<role, content, name>>: never read.
    numFields = fields == null ? 0 : ((RowType) ((org.apache.flink.table.types.logical.ArrayType) t).getElementType())
        .getFieldCount();
  }

  public Integer eval(ArrayData messages) {
    return messages == null ? null : defaultEncoding().countChatTokens(read(messages));
  }

  public Integer eval(ArrayData messages, StringData model) {
    return messages == null || model == null ? null : counts.count(model, encoding(model), read(messages));
  }

  private List<ChatMessage> read(ArrayData messages) {
    int n = messages.size();
    List<ChatMessage> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (messages.isNullAt(i)) continue;
      if (fields == null) throw new IllegalStateException(function.name() + " was not specialized to its call");
      RowData m = messages.getRow(i, numFields);
      out.add(ChatCounts.message(text(m, fields.role()), text(m, fields.content()), text(m, fields.name())));
    }
    return out;
  }

  private static String text(RowData m, int field) {
    return field < 0 || m.isNullAt(field) ? null : m.getString(field).toString();
  }
}
