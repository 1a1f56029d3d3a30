package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hugging Face's {@code Split} pre-tokenizer with every behaviour, inverted or not, and GPT-4o's
 * own tokenizer.json ({@code "behavior": "Removed", "invert": true}), against token ids written
 * by the Rust {@code tokenizers} library 0.23.2 (src/test/oracle/make-split-golden.py,
 * golden/hf/split/). GPT-4o's file is rebuilt here from the built-in o200k_base and checked
 * against the hash of the real file's model; the variants are r50k_base with overlays; the
 * {@code wordpiece-*} files (committed whole, small) run the Split in the component pipeline.
 */
class HfSplitTest {
  private static final String ROOT = "/golden/hf/split/";
  private static final int PAD = 13;
  private static final Map<String, Object> MANIFEST =
      obj(Json.parse(String.join("\n", Jsonl.readLines(ROOT + "manifest.json")), "manifest.json"));
  private static final Map<String, Encoding> ENCODINGS = new ConcurrentHashMap<>();

  // ------------------------------------------------------------------------------------------
  // Golden ids

  @TestFactory
  Stream<DynamicNode> goldenIds() {
    return tokenizers().stream().flatMap(t -> strings(t.get("sets")).stream()
        .map(set -> DynamicTest.dynamicTest(name(t) + "/" + set, () -> checkSet(t, set))));
  }

  private static void checkSet(Map<String, Object> t, String set) {
    Encoding enc = encoding(t);
    List<String> docs = docs(set);
    List<int[]> want = Jsonl.readIdArrays(ROOT + name(t) + "/" + set + ".jsonl.gz");
    assertEquals(docs.size(), want.size(), "lines in " + name(t) + "/" + set);
    Map<String, Object> template = obj(t.get("template"));
    int[] before = ints(template.get("before"));
    int[] after = ints(template.get("after"));
    List<String> bad = new ArrayList<>();
    for (int n = 0; n < docs.size(); n++) {
      String doc = docs.get(n);
      int[] ids = want.get(n);
      int[] withTemplate = concat(before, ids, after);
      byte[] utf8 = GoldenTest.utf8(doc);
      byte[] big = GoldenTest.padded(utf8);
      check(bad, n, "encodeOrdinary(String)", ids, enc.encodeOrdinary(doc));
      check(bad, n, "encode(String, false)", ids, enc.encode(doc, false));
      check(bad, n, "encode(String, true)", withTemplate, enc.encode(doc, true));
      check(bad, n, "encodeOrdinary(byte[])", ids, enc.encodeOrdinary(big, PAD, utf8.length));
      check(bad, n, "encode(byte[], true)", withTemplate, enc.encode(big, PAD, utf8.length, true));
      if (enc.countTokens(doc) != ids.length) bad.add((n + 1) + ": countTokens " + enc.countTokens(doc) + " != " + ids.length);
    }
    assertTrue(bad.isEmpty(), name(t) + "/" + set + ": " + bad.size() + " differences, first: "
        + bad.subList(0, Math.min(5, bad.size())));
  }

  private static void check(List<String> bad, int n, String what, int[] want, int[] got) {
    if (!Arrays.equals(want, got)) {
      bad.add("line " + (n + 1) + " " + what + ": " + Arrays.toString(got) + ", expected " + Arrays.toString(want));
    }
  }

  @TestFactory
  Stream<DynamicNode> decode() {
    return tokenizers().stream().filter(t -> Boolean.TRUE.equals(t.get("decode")))
        .map(t -> DynamicTest.dynamicTest(name(t) + "/decode", () -> {
          Encoding enc = encoding(t);
          List<Jsonl.DecodeCase> cases = Jsonl.readDecodeCases(ROOT + name(t) + "/decode.jsonl.gz");
          assertTrue(cases.size() > 50, "decode cases of " + name(t));
          for (Jsonl.DecodeCase c : cases) assertEquals(c.text, enc.decode(c.ids), Arrays.toString(c.ids));
        }));
  }

  /** Every code point in context, for GPT-4o's file (golden/hf/split/codepoints.txt). */
  @Test
  void everyCodePointInContext() {
    List<String> lines = Jsonl.readLines(ROOT + "codepoints.txt");
    int size = 0;
    List<String> templates = null;
    String join = null;
    String tokenizer = null;
    List<long[]> blocks = new ArrayList<>();
    for (String line : lines) {
      if (line.startsWith("#")) continue;
      if (line.startsWith("block ")) size = Integer.parseInt(line.substring(6));
      else if (line.startsWith("templates ")) templates = Jsonl.parseStringArray(line.substring(10));
      else if (line.startsWith("join ")) join = Jsonl.parseString(line.substring(5));
      else if (line.startsWith("tokenizer ")) tokenizer = line.substring(10);
      else {
        String[] f = line.split(" ");
        blocks.add(new long[] {Long.parseLong(f[1]), (int) Long.parseLong(f[2], 16)});
      }
    }
    assertEquals("gpt4o", tokenizer);
    assertEquals(0x110000 / size, blocks.size());
    Encoding enc = encoding(tokenizer("gpt4o"));
    List<String> bad = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < templates.size(); k++) {
        if (k > 0) sb.append(join);
        for (int cp = b * size; cp < (b + 1) * size; cp++) {
          String x = cp >= 0xD800 && cp <= 0xDFFF ? String.valueOf((char) cp) : new String(Character.toChars(cp));
          sb.append(templates.get(k).replace("X", x));
        }
      }
      int[] ids = enc.encodeOrdinary(sb.toString());
      if (ids.length != blocks.get(b)[0] || CodePointsTest.fnv(ids) != blocks.get(b)[1]) {
        bad.add(String.format("U+%04X..U+%04X", b * size, (b + 1) * size - 1));
      }
    }
    assertTrue(bad.isEmpty(), "GPT-4o differs from Hugging Face in " + bad.size() + " blocks: " + bad);
  }

  // ------------------------------------------------------------------------------------------
  // Token ends where text is removed

  /**
   * Removed text makes no token, yet chunks and truncation still cut the caller's text: the
   * chunks (no overlap) put together give the document back, their ids put together are the
   * document's ids, and a truncated document is a prefix with at most the tokens asked for.
   */
  @TestFactory
  Stream<DynamicNode> chunksAndTruncationOverRemovedText() {
    return Stream.of("words-removed", "words-removed-invert", "caps-removed", "caps-removed-invert", "string-removed",
        "wordpiece-removed", "wordpiece-removed-invert").map(name -> DynamicTest.dynamicTest(name, () -> {
          Encoding enc = encoding(tokenizer(name));
          int removedSomewhere = 0;
          for (String set : List.of("multilingual", "whitespace", "digits", "contractions")) {
            for (String doc : docs(set)) {
              String text = new String(GoldenTest.utf8(doc), StandardCharsets.UTF_8); // lone surrogates as U+FFFD
              int[] ids = enc.encodeOrdinary(text);
              String decoded = enc.decode(ids);
              if (!decoded.equals(text)) removedSomewhere++;
              for (int size : new int[] {1, 3, 7}) {
                List<Encoding.Chunk> chunks = enc.chunk(text, size, 0);
                StringBuilder joined = new StringBuilder();
                int[] all = new int[0];
                int end = 0;
                for (Encoding.Chunk c : chunks) {
                  assertEquals(end, c.start(), name + ": chunks of " + GoldenTest.repr(text, 80) + " are not contiguous");
                  joined.append(c.text());
                  all = concat(all, c.ids(), new int[0]);
                  end = c.end();
                }
                if (ids.length > 0) {
                  // Text the normalizer (NFC in caps-*) changes is chunked in its normalized form.
                  String whole = joined.toString().equals(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFC);
                  assertEquals(whole, joined.toString(), name + ": chunks of size " + size);
                  assertEquals(whole.length(), end);
                }
                assertArrayEquals(ids, all, name + ": ids of the chunks of " + GoldenTest.repr(text, 80));
              }
              for (int max : new int[] {0, 1, 2, 5, ids.length}) {
                String t = enc.truncate(text, max);
                assertTrue(text.startsWith(t), name + ": truncate gives a prefix");
                assertTrue(enc.countTokens(t) <= max, name + ": truncate(" + max + ") has " + enc.countTokens(t) + " tokens");
              }
              assertEquals(text, enc.truncate(text, ids.length));
            }
          }
          assertTrue(removedSomewhere > 0, name + " removes text from some document");
        }));
  }

  // ------------------------------------------------------------------------------------------
  // GPT-4o

  @Test
  void gpt4oTakesTheFastPath() {
    Encoding enc = encoding(tokenizer("gpt4o"));
    // Removed inverted over o200k's pattern cuts as Isolated: the hand-written o200k splitter.
    assertEquals(O200kSplitter.PATTERN, enc.pattern());
    assertEquals(Map.of("<|endoftext|>", 199999, "<|endofprompt|>", 200018), enc.specialTokens());
    assertTrue(enc.toString().contains("hand-written"), enc.toString());
  }

  @Test
  void compactFormKeepsEveryBehaviour() {
    for (Map<String, Object> t : tokenizers()) {
      Encoding enc = encoding(t);
      Encoding back = Encodings.fromBytes(enc.toBytes());
      assertEquals(enc.pattern(), back.pattern(), name(t));
      for (String set : List.of("multilingual", "whitespace")) {
        List<int[]> want = Jsonl.readIdArrays(ROOT + name(t) + "/" + set + ".jsonl.gz");
        List<String> docs = docs(set);
        for (int n = 0; n < docs.size(); n++) assertArrayEquals(want.get(n), back.encodeOrdinary(docs.get(n)), name(t));
      }
    }
  }

  /** The jregex-* variants check the matches java.util.regex gives (Oniguruma's skip of an empty match after a match). */
  @Test
  void repeatedGroupsRunOnJavaUtilRegex() {
    for (String name : List.of("jregex-mergedwithprevious", "jregex-removed", "jregex-contiguous-invert")) {
      Encoding enc = encoding(tokenizer(name));
      assertTrue(enc.toString().contains("java.util.regex"), enc.toString());
    }
  }

  @Test
  void describesTheBehaviour() {
    Encoding enc = encoding(tokenizer("words-mergedwithnext-invert"));
    assertEquals("Split(\\p{L}+|\\p{N}, MergedWithNext, invert) then ByteLevel()", enc.pattern());
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  private static List<Map<String, Object>> tokenizers() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) MANIFEST.get("tokenizers")) out.add(obj(o));
    return out;
  }

  private static Map<String, Object> tokenizer(String name) {
    for (Map<String, Object> t : tokenizers()) if (name(t).equals(name)) return t;
    throw new IllegalArgumentException("no tokenizer " + name + " in manifest.json");
  }

  private static String name(Map<String, Object> t) {
    return (String) t.get("name");
  }

  private static Encoding encoding(Map<String, Object> t) {
    return ENCODINGS.computeIfAbsent(name(t), n -> {
      byte[] json = HuggingFaceTest.write(tokenizerJson(t)).getBytes(StandardCharsets.UTF_8);
      try {
        return Encodings.fromTokenizerJson(new ByteArrayInputStream(json), n + "/tokenizer.json");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The tokenizer.json the oracle read: GPT-4o's rebuilt, or r50k_base with the overlay. */
  private static Map<String, Object> tokenizerJson(Map<String, Object> t) {
    if (t.get("gpt4o") != null) return gpt4o(obj(t.get("gpt4o")));
    if (t.get("file") != null) {
      return obj(Json.parse(String.join("\n", Jsonl.readLines(ROOT + t.get("file"))), (String) t.get("file")));
    }
    Map<String, Object> json = deepCopy(HuggingFaceTest.base((String) t.get("base")));
    Map<String, Object> overlay = obj(Json.parse(String.join("\n", Jsonl.readLines(ROOT + t.get("overlay"))),
        (String) t.get("overlay")));
    for (Map.Entry<String, Object> e : overlay.entrySet()) json.put(e.getKey(), e.getValue());
    return json;
  }

  /**
   * GPT-4o's tokenizer.json: the file without its model (gpt4o.rest.json), and the model built
   * from the built-in o200k_base as the file's is: each token's bytes spelled in GPT-2's byte
   * alphabet with its rank as id, the special tokens with theirs, and one merge per token of two
   * or more bytes, the two parts that merging its bytes with the lower ranks only leaves, in rank
   * order. Checked against the hash of the real file's model.
   */
  private static Map<String, Object> gpt4o(Map<String, Object> info) {
    Encoding enc = Encodings.get("o200k_base");
    Set<Integer> specials = Set.copyOf(enc.specialTokens().values());
    Map<String, Integer> ranks = new HashMap<>(); // latin1 text of the bytes -> rank
    List<String> byRank = new ArrayList<>();
    for (int r = 0; r < enc.vocabularySize(); r++) {
      String tok = null;
      if (!specials.contains(r)) {
        try {
          tok = new String(enc.decodeBytes(new int[] {r}), StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException unused) {
          // an unused rank
        }
      }
      byRank.add(tok);
      if (tok != null) ranks.put(tok, r);
    }
    Map<String, Object> vocab = new LinkedHashMap<>();
    List<Object> merges = new ArrayList<>();
    for (int r = 0; r < byRank.size(); r++) {
      String tok = byRank.get(r);
      if (tok == null) continue;
      vocab.put(spell(tok), (long) r);
      if (tok.length() < 2) continue;
      List<String> parts = mergeBelow(tok, r, ranks);
      assertEquals(2, parts.size(), "o200k_base token " + r + " does not come from one merge");
      merges.add(spell(parts.get(0)) + " " + spell(parts.get(1)));
    }
    for (Map.Entry<String, Integer> e : enc.specialTokens().entrySet()) vocab.put(e.getKey(), (long) e.getValue());
    assertEquals(info.get("model_hash"), modelHash(vocab, merges),
        "the GPT-4o model built from o200k_base differs from the real file's");
    Map<String, Object> model = new LinkedHashMap<>(obj(info.get("model_options")));
    model.put("vocab", vocab);
    model.put("merges", merges);
    Map<String, Object> json = deepCopy(obj(Json.parse(String.join("\n", Jsonl.readLines(ROOT + "gpt4o.rest.json")),
        "gpt4o.rest.json")));
    json.put("model", model);
    return json;
  }

  /** tiktoken's merging of a token's bytes, using only the ranks below {@code maxRank}. */
  private static List<String> mergeBelow(String tok, int maxRank, Map<String, Integer> ranks) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < tok.length(); i++) parts.add(tok.substring(i, i + 1));
    while (true) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < parts.size(); i++) {
        Integer r = ranks.get(parts.get(i) + parts.get(i + 1));
        if (r != null && r < maxRank && r < bestRank) {
          best = i;
          bestRank = r;
        }
      }
      if (best < 0) return parts;
      parts.set(best, parts.get(best) + parts.remove(best + 1));
    }
  }

  private static String spell(String latin1) {
    byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
    return ByteLevel.spell(b, 0, b.length);
  }

  /** make-split-golden.py's model_hash. */
  private static String modelHash(Map<String, Object> vocab, List<Object> merges) {
    StringBuilder sb = new StringBuilder();
    List<Map.Entry<String, Object>> entries = new ArrayList<>(vocab.entrySet());
    entries.sort(Comparator.comparingLong(en -> (Long) en.getValue()));
    for (Map.Entry<String, Object> en : entries) sb.append(en.getValue()).append('\t').append(en.getKey()).append('\n');
    sb.append("merges\n");
    for (Object m : merges) sb.append(m).append('\n');
    sb.append("ignore_merges false\n");
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Map<String, List<String>> DOCS = new ConcurrentHashMap<>();

  private static List<String> docs(String set) {
    return DOCS.computeIfAbsent(set, s -> Jsonl.readStrings(s.equals("added") ? "/golden/hf/docs/added.jsonl"
        : "/golden/docs/" + s + ".jsonl"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Object o) {
    assertNotNull(o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    return (Map<String, Object>) copy(m);
  }

  private static Object copy(Object o) {
    if (o instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) out.put((String) e.getKey(), copy(e.getValue()));
      return out;
    }
    if (o instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object x : (List<?>) o) out.add(copy(x));
      return out;
    }
    return o;
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    for (Object x : (List<?>) o) out.add((String) x);
    return out;
  }

  private static int[] ints(Object o) {
    List<?> l = (List<?>) o;
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = (int) (long) (Long) l.get(i);
    return out;
  }

  private static int[] concat(int[] a, int[] b, int[] c) {
    int[] out = Arrays.copyOf(a, a.length + b.length + c.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }

  static {
    assertFalse(MANIFEST.isEmpty());
  }
}
