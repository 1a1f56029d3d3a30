package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The batch methods: tiktoken's ids for every text, in the list's order, on any executor. */
class BatchTest {
  /** Every golden document, and tiktoken's ids of each. */
  static List<String> docs = new ArrayList<>();
  static List<int[]> ids = new ArrayList<>();

  static {
    for (String set : Golden.SETS) {
      docs.addAll(Golden.docs(set));
      ids.addAll(Golden.ids("cl100k_base", set));
    }
  }

  @Test
  void encodeOrdinaryBatchGivesTiktokensIdsInOrder() {
    Encoding enc = Encodings.get("cl100k_base");
    List<int[]> got = enc.encodeOrdinaryBatch(docs);
    assertEquals(docs.size(), got.size());
    for (int i = 0; i < docs.size(); i++) assertArrayEquals(ids.get(i), got.get(i), "document " + i);
    int[] counts = enc.countTokensBatch(docs);
    for (int i = 0; i < docs.size(); i++) assertEquals(ids.get(i).length, counts[i], "document " + i);
  }

  @Test
  void aCallersExecutorRunsTheWork() throws Exception {
    Encoding enc = Encodings.get("cl100k_base");
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      java.util.concurrent.Executor counting = r -> {
        tasks.incrementAndGet();
        pool.execute(r);
      };
      List<int[]> got = enc.encodeOrdinaryBatch(docs, counting);
      for (int i = 0; i < docs.size(); i++) assertArrayEquals(ids.get(i), got.get(i), "document " + i);
      assertTrue(tasks.get() > 1, tasks + " tasks");
      int[] counts = enc.countTokensBatch(docs, counting);
      for (int i = 0; i < docs.size(); i++) assertEquals(ids.get(i).length, counts[i], "document " + i);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void encodeBatchHandlesSpecialTokensAsEncodeDoes() {
    Encoding enc = Encodings.get("cl100k_base");
    List<String> special = Golden.docs("special");
    // tiktoken's encode(doc, allowed_special="all")
    List<int[]> all = Golden.idsAllSpecial("cl100k_base");
    List<int[]> got = enc.encodeBatch(special, enc.specialTokens().keySet(), java.util.concurrent.ForkJoinPool.commonPool());
    for (int i = 0; i < special.size(); i++) assertArrayEquals(all.get(i), got.get(i), "special " + i);
    // Not allowed: the error of the first such text in the list, as a loop over encode would give.
    List<String> texts = new ArrayList<>(Arrays.asList("a", "b <|endoftext|>", "c <|fim_prefix|>"));
    for (int i = 0; i < 200; i++) texts.add("plain text " + i);
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> enc.encodeBatch(texts));
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> enc.encode(texts.get(1)));
    assertEquals(one.getMessage(), batch.getMessage());
  }

  @Test
  void emptyAndNullArguments() {
    Encoding enc = Encodings.get("o200k_base");
    assertEquals(List.of(), enc.encodeOrdinaryBatch(List.of()));
    assertEquals(0, enc.countTokensBatch(List.of()).length);
    assertEquals("texts", assertThrows(NullPointerException.class, () -> enc.encodeOrdinaryBatch(null)).getMessage()
        .split(" ")[0]);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> enc.countTokensBatch(Arrays.asList("a", null)));
    assertTrue(e.getMessage().contains("texts[1]"), e.getMessage());
  }
}
