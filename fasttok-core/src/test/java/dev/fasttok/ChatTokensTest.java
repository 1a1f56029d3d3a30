package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chat-message counts against Python tiktoken's (golden/chat.jsonl, made by
 * src/test/oracle/chat.py): OpenAI's per-message rule for its chat models, the gpt-3.5-turbo-0301
 * variant, and the harmony rendering for gpt-oss, on generated conversations with empty contents,
 * names, unicode, long messages and special-token text inside content.
 */
class ChatTokensTest {
  private static final List<Golden.ChatCase> CASES = Golden.chatCases();

  @Test
  void everyConversationCountsAsTiktokenCountsIt() {
    assertTrue(CASES.size() >= 300, "cases: " + CASES.size());
    int checked = 0;
    for (Golden.ChatCase c : CASES) {
      assertEquals(7, c.counts().size());
      for (Map.Entry<String, Integer> e : c.counts().entrySet()) {
        assertEquals(e.getValue(), Encodings.countChatTokens(e.getKey(), c.messages()), e.getKey() + " #" + c.index());
        checked++;
      }
    }
    assertEquals(7 * CASES.size(), checked);
  }

  @Test
  void theCasesHoldWhatTheyAreMeantTo() {
    // What the generator promises, so that a regenerated file cannot silently lose it.
    List<ChatMessage> all = new ArrayList<>();
    CASES.forEach(c -> all.addAll(c.messages()));
    assertTrue(all.stream().anyMatch(m -> m.content().isEmpty()));
    assertTrue(all.stream().filter(m -> m.name() != null).count() > 50);
    assertTrue(all.stream().anyMatch(m -> m.content().contains("<|endoftext|>")));
    assertTrue(all.stream().anyMatch(m -> m.content().contains("<|im_start|>")));
    assertTrue(all.stream().anyMatch(m -> m.content().contains("<|start|>")));
    assertTrue(all.stream().anyMatch(m -> m.content().length() > 5000));
    assertTrue(all.stream().anyMatch(m -> m.role().equals("tool")));
    assertTrue(all.stream().anyMatch(m -> m.content().codePoints().anyMatch(cp -> cp > 0xFFFF)));
    assertTrue(CASES.stream().anyMatch(c -> c.messages().isEmpty()));
  }

  @Test
  void anEncodingCountsByItsRuleAndDatedModelsLikeTheirFamily() {
    Encoding cl100k = Encodings.get("cl100k_base");
    Encoding harmony = Encodings.get("o200k_harmony");
    Encoding o200k = Encodings.forModel("gpt-4o");
    for (Golden.ChatCase c : CASES) {
      String at = "#" + c.index();
      assertEquals(c.counts().get("cl100k_base"), cl100k.countChatTokens(c.messages()), at);
      assertEquals(c.counts().get("gpt-4"), cl100k.countChatTokens(c.messages()), at);
      assertEquals(c.counts().get("o200k_harmony"), harmony.countChatTokens(c.messages()), at);
      assertEquals(c.counts().get("gpt-oss-20b"), Encodings.countChatTokens("gpt-oss-120b", c.messages()), at);
      assertEquals(c.counts().get("gpt-4o"), o200k.countChatTokens(c.messages()), at);
      assertEquals(c.counts().get("gpt-4o"), Encodings.countChatTokens("gpt-4o-2024-08-06", c.messages()), at);
      assertEquals(c.counts().get("gpt-4o"), Encodings.countChatTokens("o200k_base", c.messages()), at);
      // The cookbook's rule for gpt-3.5-turbo (0125 and later) is the current one.
      assertEquals(c.counts().get("gpt-4"), Encodings.countChatTokens("gpt-3.5-turbo", c.messages()), at);
    }
  }

  @Test
  void aCustomVocabularyWithHarmonysTokensCountsInTheHarmonyFormat() throws Exception {
    // The same ranks read as a custom vocabulary: the format follows the special tokens, not the name.
    java.nio.file.Path ranks = java.nio.file.Path.of("src/main/tiktoken/o200k_base.tiktoken");
    Encoding harmony = Encodings.readVocabulary(ranks, "o200k_harmony");
    Encoding plain = Encodings.readVocabulary(ranks, "o200k_base");
    assertEquals("o200k_base", harmony.name());
    for (Golden.ChatCase c : CASES.subList(0, 60)) {
      assertEquals(c.counts().get("o200k_harmony"), harmony.countChatTokens(c.messages()), "#" + c.index());
      assertEquals(c.counts().get("gpt-4o"), plain.countChatTokens(c.messages()), "#" + c.index());
    }
  }

  @Test
  void nullContentIsEmptyAndNullNameIsNoName() {
    int withEmpty = 0;
    for (Golden.ChatCase c : CASES) {
      if (c.messages().stream().noneMatch(m -> m.content().isEmpty())) continue;
      List<ChatMessage> nulls = new ArrayList<>();
      for (ChatMessage m : c.messages()) nulls.add(new ChatMessage(m.role(), m.content().isEmpty() ? null : m.content(), m.name()));
      for (Map.Entry<String, Integer> e : c.counts().entrySet()) {
        assertEquals(e.getValue(), Encodings.countChatTokens(e.getKey(), nulls), e.getKey() + " #" + c.index());
      }
      withEmpty++;
    }
    assertTrue(withEmpty > 5);
    // Case 1 of the file: one user message with empty content and no name.
    Golden.ChatCase noName = CASES.get(1);
    assertEquals(List.of(new ChatMessage("user", "")), noName.messages());
    assertEquals(noName.counts().get("gpt-4o"),
        Encodings.countChatTokens("gpt-4o", List.of(new ChatMessage("user", null, null))));
    assertEquals(noName.counts().get("gpt-oss-20b"),
        Encodings.countChatTokens("gpt-oss-20b", List.of(new ChatMessage("user", null))));
  }

  @Test
  void wrongCalls() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Encodings.countChatTokens("gpt4o", List.of()));
    IllegalArgumentException expected = assertThrows(IllegalArgumentException.class, () -> Encodings.forModel("gpt4o"));
    assertEquals(expected.getMessage(), e.getMessage());
    assertTrue(e.getMessage().startsWith("unknown model 'gpt4o'; nearest known: "), e.getMessage());
    assertEquals("model", assertThrows(NullPointerException.class,
        () -> Encodings.countChatTokens(null, List.of())).getMessage().split(" ")[0]);
    assertThrows(NullPointerException.class, () -> Encodings.countChatTokens("gpt-4o", null));
    assertThrows(NullPointerException.class, () -> Encodings.get("o200k_base").countChatTokens(null));
    NullPointerException n = assertThrows(NullPointerException.class,
        () -> Encodings.countChatTokens("gpt-4o", Arrays.asList(new ChatMessage("user", "a"), null)));
    assertTrue(n.getMessage().contains("index 1"), n.getMessage());
    assertThrows(NullPointerException.class, () -> new ChatMessage(null, "a"));
  }
}
