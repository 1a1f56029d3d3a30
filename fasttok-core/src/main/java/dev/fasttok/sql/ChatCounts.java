package dev.fasttok.sql;

import dev.fasttok.ChatMessage;
import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What {@code count_chat_tokens} does with a row's messages once the engine has read them: counts
 * them by the rule of the model the row names. A built-in name (an OpenAI model or encoding) is
 * counted as {@link Encodings#countChatTokens} counts it, which knows per-model rules such as
 * gpt-3.5-turbo-0301's; any other name is a custom vocabulary, counted by
 * {@link Encoding#countChatTokens}. The last name seen is remembered, as {@link EncodingCache}
 * does. A serialized copy starts empty.
 *
 * <p>Shared by the Spark and Flink functions; not an API of its own.
 *
 * @param <S> the engine's string type
 */
public final class ChatCounts<S> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Positions of the fields of a message struct; {@code name} is -1 when the struct has none. */
  public record Fields(int role, int content, int name) implements Serializable {}

  /** How a name counts: by its model name (built-in), or by its encoding alone (null). */
  private record Rule(String model) {}

  private final EncodingCache.Copy<S> copy;
  private final LastValue<S, Rule> last = new LastValue<>();

  public ChatCounts(EncodingCache.Copy<S> copy) {
    this.copy = copy;
  }

  /**
   * The positions of {@code role}, {@code content} and {@code name} among a struct's field names,
   * matched exactly or else ignoring case (SQL names are often case-insensitive); null if
   * {@code role} or {@code content} is missing.
   */
  public static Fields fields(List<String> names) {
    int role = find(names, "role");
    int content = find(names, "content");
    return role < 0 || content < 0 ? null : new Fields(role, content, find(names, "name"));
  }

  private static int find(List<String> names, String field) {
    int i = names.indexOf(field);
    if (i >= 0) return i;
    for (i = 0; i < names.size(); i++) if (names.get(i).toLowerCase(Locale.ROOT).equals(field)) return i;
    return -1;
  }

  /** The message of a row's struct; a NULL role or content counts as empty text, a NULL name as none. */
  public static ChatMessage message(String role, String content, String name) {
    return new ChatMessage(role == null ? "" : role, content, name);
  }

  /**
   * The prompt tokens of the messages for the model a row names, whose encoding the engine has
   * already resolved (so that an unknown name fails with the engine's message).
   */
  public int count(S model, Encoding encoding, List<ChatMessage> messages) {
    Rule r = last.get(model);
    if (r == null) {
      String s = model.toString();
      r = last.put(copy.of(s), new Rule(EncodingCache.isBuiltIn(s) ? s : null));
    }
    return r.model() == null ? encoding.countChatTokens(messages) : Encodings.countChatTokens(r.model(), messages);
  }
}
