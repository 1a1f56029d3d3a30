package dev.fasttok;

import java.util.List;

/**
 * How a chat conversation is laid out in tokens before the model reads it, and so how many prompt
 * tokens it costs. Message text is always counted as plain text ({@link Encoding#countTokens}):
 * the API never reads special-token text inside a message as a special token.
 */
enum ChatFormat {
  /**
   * OpenAI's published rule for its chat models (cookbook "How to count tokens with tiktoken",
   * {@code num_tokens_from_messages}): each message is wrapped in 3 tokens
   * ({@code <|start|>{role}<|message|>{content}<|end|>}), a name costs 1 more, and the reply is
   * primed with 3 ({@code <|start|>assistant<|message|>}).
   */
  CURRENT(3, 1),
  /** gpt-3.5-turbo-0301: 4 tokens per message, and a name takes the role's place (-1). */
  GPT_35_TURBO_0301(4, -1),
  /**
   * The harmony format of the gpt-oss models (o200k_harmony), as openai/harmony renders a
   * conversation for completion: {@code <|start|>{role}:{name}<|message|>{content}<|end|>} per
   * message (":{name}" only with a name; a tool message shows its name alone, as harmony renders a
   * tool's author; harmony refuses a tool message without a name, which shows its role here), then
   * {@code <|start|>assistant}. Each text is encoded on its own, as harmony's renderer does. No
   * channel, recipient or content type is rendered (a message has none), and no system message is
   * added: the count is of the messages given.
   */
  HARMONY(0, 0);

  /** Reply priming of OpenAI's rule: {@code <|start|>assistant<|message|>}. */
  private static final int REPLY = 3;

  private final int perMessage;
  private final int perName;

  ChatFormat(int perMessage, int perName) {
    this.perMessage = perMessage;
    this.perName = perName;
  }

  /**
   * The format of a model, or of an encoding named instead of a model. Only the model name
   * changes the rule for gpt-3.5-turbo-0301; gpt-oss is known by its encoding's formatting
   * tokens.
   */
  static ChatFormat of(String model, Encoding encoding) {
    if (model.equals("gpt-3.5-turbo-0301")) return GPT_35_TURBO_0301;
    return of(encoding);
  }

  /**
   * The format for an encoding: harmony's if it has harmony's formatting tokens as special tokens
   * (o200k_harmony, or a gpt-oss tokenizer.json), else OpenAI's current rule.
   */
  static ChatFormat of(Encoding encoding) {
    var specials = encoding.specialTokens();
    boolean harmony = specials.containsKey("<|start|>") && specials.containsKey("<|message|>")
        && specials.containsKey("<|end|>");
    return harmony ? HARMONY : CURRENT;
  }

  int count(Encoding encoding, List<ChatMessage> messages) {
    int n = 0;
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (m == null) throw new NullPointerException("messages holds a null at index " + i);
      n += this == HARMONY ? harmony(encoding, m) : cookbook(encoding, m);
    }
    // Every reply is primed: <|start|>assistant<|message|> (harmony: <|start|>assistant).
    return n + (this == HARMONY ? 1 + encoding.countTokens("assistant") : REPLY);
  }

  private int cookbook(Encoding encoding, ChatMessage m) {
    int n = perMessage + encoding.countTokens(m.role()) + text(encoding, m.content());
    if (m.name() != null) n += perName + encoding.countTokens(m.name());
    return n;
  }

  private static int harmony(Encoding encoding, ChatMessage m) {
    // <|start|>, <|message|> and <|end|>: one special token each.
    int n = 3 + text(encoding, m.content());
    if (m.role().equals("tool") && m.name() != null) return n + encoding.countTokens(m.name());
    n += encoding.countTokens(m.role());
    if (m.name() != null) n += encoding.countTokens(":" + m.name());
    return n;
  }

  private static int text(Encoding encoding, String s) {
    return s == null ? 0 : encoding.countTokens(s);
  }
}
