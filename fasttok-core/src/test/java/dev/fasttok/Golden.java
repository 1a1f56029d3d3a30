package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The golden files (ids written by the real tiktoken, see {@code src/test/resources/golden}) for
 * tests outside this package, such as the Spark connector's.
 */
public final class Golden {
  private Golden() {}

  /** The golden document sets, {@code docs/<set>.jsonl}. */
  public static final List<String> SETS = List.of("prose", "code", "multilingual", "special", "contractions",
      "whitespace", "digits", "emoji", "scripts", "surrogates", "long");

  /** The documents of a set. */
  public static List<String> docs(String set) {
    return Jsonl.readStrings("/golden/docs/" + set + ".jsonl");
  }

  /** tiktoken's {@code encode_ordinary} of each document of a set. */
  public static List<int[]> ids(String encoding, String set) {
    return Jsonl.readIdArrays("/golden/" + encoding + "/" + set + ".jsonl");
  }

  /** tiktoken's {@code encode(doc, allowed_special="all")} of each document of the special set. */
  public static List<int[]> idsAllSpecial(String encoding) {
    return Jsonl.readIdArrays("/golden/" + encoding + "/special.all.jsonl");
  }

  /**
   * tiktoken's {@code encode(doc, allowed_special={"<|endoftext|>"}, disallowed_special=())} of
   * each document of the special set.
   */
  public static List<int[]> idsSpecialEndOfText(String encoding) {
    return Jsonl.readIdArrays("/golden/" + encoding + "/special.endoftext.jsonl");
  }

  /**
   * Hugging Face tokenizers' ids ({@code encode(doc, addSpecialTokens=false)}) of each document of
   * a set, for a tokenizer of {@code golden/hf} (such as {@code qwen3}).
   */
  public static List<int[]> huggingFaceIds(String tokenizer, String set) {
    return Jsonl.readIdArrays("/golden/hf/" + tokenizer + "/" + set + ".jsonl.gz");
  }

  /** Writes the tokenizer.json of a {@code golden/hf} tokenizer as {@code dir/<tokenizer>.tokenizer.json}. */
  public static Path writeTokenizerJson(String tokenizer, Path dir) throws IOException {
    Path file = Files.createDirectories(dir).resolve(tokenizer + ".tokenizer.json");
    try (InputStream in = new GZIPInputStream(
        Golden.class.getResourceAsStream("/golden/hf/tokenizers/" + tokenizer + ".tokenizer.json.gz"))) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /**
   * Hugging Face tokenizers' ids ({@code encode(doc, add_special_tokens=False)}) of each document
   * of a set (one of {@link #SETS}), for a tokenizer of {@code golden/wordpiece} (such as
   * {@code bert-uncased}).
   */
  public static List<int[]> wordPieceIds(String tokenizer, String set) {
    // The set "added" is golden/hf's added-token documents (see wordPieceDocs).
    return Jsonl.readIdArrays("/golden/wordpiece/" + tokenizer + "/" + set + ".jsonl.gz");
  }

  /**
   * The documents of a {@code golden/wordpiece} set: {@link #docs}, or for {@code "added"} the
   * added-token documents of {@code golden/hf/docs/added.jsonl}.
   */
  public static List<String> wordPieceDocs(String set) {
    return set.equals("added") ? Jsonl.readStrings("/golden/hf/docs/added.jsonl") : docs(set);
  }

  /** {@code decode(ids, skip_special_tokens=False)} cases of a {@code golden/wordpiece} tokenizer. */
  public static List<DecodeCase> wordPieceDecodeCases(String tokenizer) {
    return Jsonl.readDecodeCases("/golden/wordpiece/" + tokenizer + "/decode.jsonl.gz").stream()
        .map(c -> new DecodeCase(c.ids, c.text)).collect(java.util.stream.Collectors.toList());
  }

  /**
   * A document and where each of its tokens ends in it, as a UTF-16 index (the end of tokenizers'
   * offsets): what truncation and chunking cut at.
   */
  public record TokenEnds(String doc, int[] ends) {}

  /** The token ends of a {@code golden/wordpiece} tokenizer ({@code <tokenizer>/offsets.jsonl.gz}). */
  @SuppressWarnings("unchecked")
  public static List<TokenEnds> wordPieceTokenEnds(String tokenizer) {
    List<TokenEnds> out = new java.util.ArrayList<>();
    for (String line : Jsonl.readLines("/golden/wordpiece/" + tokenizer + "/offsets.jsonl.gz")) {
      if (line.isEmpty()) continue;
      java.util.Map<String, Object> c = (java.util.Map<String, Object>) Json.parse(line, "offsets");
      List<Object> ends = (List<Object>) c.get("ends");
      out.add(new TokenEnds((String) c.get("doc"), ends.stream().mapToInt(o -> ((Number) o).intValue()).toArray()));
    }
    return out;
  }

  /**
   * Writes {@code golden/wordpiece}'s base file, bert-base-uncased's vocabulary as Hugging Face
   * tokenizers' BertWordPieceTokenizer writes it, as {@code dir/bert-uncased.tokenizer.json}.
   */
  public static Path writeBertTokenizerJson(Path dir) throws IOException {
    Path file = Files.createDirectories(dir).resolve("bert-uncased.tokenizer.json");
    try (InputStream in = new GZIPInputStream(
        Golden.class.getResourceAsStream("/golden/wordpiece/tokenizers/bert-uncased.tokenizer.json.gz"))) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return file;
  }

  /** A decode case: ids and the text tiktoken decodes them to (ill-formed bytes as U+FFFD). */
  public static final class DecodeCase {
    public final int[] ids;
    public final String text;

    DecodeCase(int[] ids, String text) {
      this.ids = ids;
      this.text = text;
    }
  }

  /** The decode cases of an encoding (cl100k_base, o200k_base). */
  public static List<DecodeCase> decodeCases(String encoding) {
    return Jsonl.readDecodeCases("/golden/decode/" + encoding + ".jsonl").stream()
        .map(c -> new DecodeCase(c.ids, c.text)).collect(java.util.stream.Collectors.toList());
  }
  /**
   * A conversation of golden/chat.jsonl: its messages and the prompt tokens Python tiktoken counted
   * for it, per model or encoding name (made by src/test/oracle/chat.py).
   */
  public record ChatCase(int index, List<ChatMessage> messages, java.util.Map<String, Integer> counts) {}

  /** Every conversation of golden/chat.jsonl, in file order. */
  @SuppressWarnings("unchecked")
  public static List<ChatCase> chatCases() {
    List<ChatCase> out = new java.util.ArrayList<>();
    try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
        Golden.class.getResourceAsStream("/golden/chat.jsonl"), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        java.util.Map<String, Object> c = (java.util.Map<String, Object>) Json.parse(line, "chat.jsonl");
        List<ChatMessage> messages = new java.util.ArrayList<>();
        for (Object o : (List<Object>) c.get("messages")) {
          java.util.Map<String, Object> m = (java.util.Map<String, Object>) o;
          messages.add(new ChatMessage((String) m.get("role"), (String) m.get("content"), (String) m.get("name")));
        }
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        ((java.util.Map<String, Object>) c.get("counts")).forEach((k, v) -> counts.put(k, ((Number) v).intValue()));
        out.add(new ChatCase(out.size(), List.copyOf(messages), counts));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}
