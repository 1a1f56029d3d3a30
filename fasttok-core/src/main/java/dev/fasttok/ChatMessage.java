package dev.fasttok;

/**
 * One message of a chat conversation, as sent to a chat model: who speaks ({@code role}: system,
 * developer, user, assistant, tool...), what is said, and optionally the author's name. See
 * {@link Encodings#countChatTokens} for what a conversation of them costs.
 *
 * @param role the author's role; not null
 * @param content the text of the message; null counts as empty text
 * @param name the author's name, or null for none (a name costs tokens of its own)
 */
public record ChatMessage(String role, String content, String name) {
  public ChatMessage {
    Encoding.nonNull(role, "role");
  }

  /** A message with no author name. */
  public ChatMessage(String role, String content) {
    this(role, content, null);
  }
}
