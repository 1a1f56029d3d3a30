package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Adler32;
import java.util.zip.CRC32;

/**
 * Where encodings come from: tiktoken's built-in ones by name or by OpenAI model name, or custom
 * vocabularies.
 *
 * <pre>{@code
 * Encoding enc = Encodings.get("o200k_base");
 * int[] ids = enc.encodeOrdinary("hello world");
 * int n = Encodings.forModel("gpt-4o-mini").countTokens("hello world");
 * }</pre>
 */
public final class Encodings {
  private static final String ENDOFTEXT = "<|endoftext|>";
  private static final String FIM_PREFIX = "<|fim_prefix|>";
  private static final String FIM_MIDDLE = "<|fim_middle|>";
  private static final String FIM_SUFFIX = "<|fim_suffix|>";
  private static final String ENDOFPROMPT = "<|endofprompt|>";

  /** Built-in encoding name -> the vocabulary resource it uses. */
  private static final Map<String, String> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put("r50k_base", "r50k_base");
    BUILT_IN.put("gpt2", "r50k_base"); // tiktoken's name for GPT-2's vocabulary, the same as r50k_base
    BUILT_IN.put("p50k_base", "p50k_base");
    BUILT_IN.put("p50k_edit", "p50k_base");
    BUILT_IN.put("cl100k_base", "cl100k_base");
    BUILT_IN.put("o200k_base", "o200k_base");
    BUILT_IN.put("o200k_harmony", "o200k_base");
  }

  private static final Map<String, Encoding> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, VocabularyFiles.Definition> BASES = new ConcurrentHashMap<>();

  private Encodings() {}

  /** Names of the built-in encodings: r50k_base, gpt2, p50k_base, p50k_edit, cl100k_base, o200k_base, o200k_harmony. */
  public static Set<String> names() {
    return Collections.unmodifiableSet(BUILT_IN.keySet());
  }

  /**
   * The built-in encoding of that name, or of that OpenAI model ({@link #forModel}), built once
   * per JVM (later calls return the same instance).
   *
   * @throws IllegalArgumentException for an unknown name, listing the nearest known ones
   */
  public static Encoding get(String name) {
    if (!BUILT_IN.containsKey(Encoding.nonNull(name, "name"))) {
      String e = Models.encodingOf(name);
      if (e == null) throw unknown("encoding or model", name);
      name = e;
    }
    Encoding e = CACHE.get(name);
    if (e != null) return e;
    // Not computeIfAbsent with a lambda: loading is timed from a cold JVM, and it is idempotent.
    synchronized (CACHE) {
      e = CACHE.get(name);
      if (e == null) CACHE.put(name, e = load(name));
      return e;
    }
  }

  /**
   * The encoding of an OpenAI model, as tiktoken's {@code encoding_for_model} maps model names
   * (gpt-4o, gpt-4o-mini, o1, o3, gpt-4.1, gpt-4, gpt-3.5-turbo, text-embedding-3-small,
   * gpt-oss-20b, dated and fine-tuned variants, ...).
   *
   * @throws IllegalArgumentException for a name tiktoken does not map, listing the nearest known ones
   */
  public static Encoding forModel(String model) {
    return get(encodingNameForModel(model));
  }

  /** The name of a model's encoding ({@link #forModel}), as tiktoken's {@code encoding_name_for_model}. */
  public static String encodingNameForModel(String model) {
    String e = Models.encodingOf(Encoding.nonNull(model, "model"));
    if (e == null) throw unknown("model", model);
    return e;
  }

  /**
   * The prompt tokens a chat request with these messages costs on a model, by OpenAI's published
   * per-message rule (cookbook "How to count tokens with tiktoken"): 3 tokens per message, the
   * tokens of its role, content and name, 1 more for a name, and 3 for the priming of the reply;
   * for gpt-3.5-turbo-0301, 4 per message and a name replaces the role (-1). For the gpt-oss models
   * (o200k_harmony), the tokens of the conversation rendered in the harmony format:
   * {@code <|start|>{role}:{name}<|message|>{content}<|end|>} per message (":{name}" only with a
   * name; a {@code tool} message with a name shows the name alone, as harmony renders a tool), then
   * {@code <|start|>assistant}, with no channel and no system message added. Message text is
   * always plain text: special-token text inside it (such as {@code <|endoftext|>}) counts as the
   * ordinary tokens it encodes to, as the API reads it.
   *
   * <pre>{@code
   * int n = Encodings.countChatTokens("gpt-4o", List.of(
   *     new ChatMessage("system", "You are a helpful assistant."),
   *     new ChatMessage("user", "Hello!")));   // 19
   * }</pre>
   *
   * @param model an OpenAI model name (as {@link #forModel} takes it), or an encoding name, which
   *     counts by the current rule with that encoding (harmony's for o200k_harmony)
   * @throws IllegalArgumentException for an unknown name, as {@link #forModel} words it
   * @throws NullPointerException for a null model, list or message
   */
  public static int countChatTokens(String model, List<ChatMessage> messages) {
    Encoding.nonNull(model, "model");
    Encoding.nonNull(messages, "messages");
    Encoding e = get(BUILT_IN.containsKey(model) ? model : encodingNameForModel(model));
    return ChatFormat.of(model, e).count(e, messages);
  }

  private static IllegalArgumentException unknown(String what, String name) {
    return new IllegalArgumentException("unknown " + what + " '" + name + "'; nearest known: "
        + String.join(", ", Models.nearest(name, BUILT_IN.keySet(), 5)) + "; encodings: "
        + String.join(", ", BUILT_IN.keySet()));
  }

  private static Encoding load(String name) {
    String base = BUILT_IN.get(name);
    // Encodings that share a vocabulary share its tables.
    VocabularyFiles.Definition d = BASES.get(base);
    if (d == null) BASES.put(base, d = readBuiltIn(base));
    if (name.equals(base)) return new Encoding(d);
    return new Encoding(new VocabularyFiles.Definition(name, d.pattern(), specialsOf(name), d.vocab()));
  }

  private static VocabularyFiles.Definition readBuiltIn(String base) {
    String resource = "vocab/" + base + ".ftok";
    try (InputStream in = Encodings.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource + " in the fasttok jar");
      return VocabularyFiles.readCompact(in.readAllBytes(), resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Special tokens of the built-in encodings, as tiktoken's openai_public.py defines them. */
  static Map<String, Integer> specialsOf(String name) {
    Map<String, Integer> s = new LinkedHashMap<>();
    switch (name) {
      case "r50k_base":
      case "gpt2":
      case "p50k_base":
        s.put(ENDOFTEXT, 50256);
        break;
      case "p50k_edit":
        s.put(ENDOFTEXT, 50256);
        s.put(FIM_PREFIX, 50281);
        s.put(FIM_MIDDLE, 50282);
        s.put(FIM_SUFFIX, 50283);
        break;
      case "cl100k_base":
        s.put(ENDOFTEXT, 100257);
        s.put(FIM_PREFIX, 100258);
        s.put(FIM_MIDDLE, 100259);
        s.put(FIM_SUFFIX, 100260);
        s.put(ENDOFPROMPT, 100276);
        break;
      case "o200k_base":
        s.put(ENDOFTEXT, 199999);
        s.put(ENDOFPROMPT, 200018);
        break;
      case "o200k_harmony":
        s.put(ENDOFTEXT, 199999);
        s.put(ENDOFPROMPT, 200018);
        s.put("<|startoftext|>", 199998);
        s.put("<|reserved_200000|>", 200000);
        s.put("<|reserved_200001|>", 200001);
        s.put("<|return|>", 200002);
        s.put("<|constrain|>", 200003);
        s.put("<|reserved_200004|>", 200004);
        s.put("<|channel|>", 200005);
        s.put("<|start|>", 200006);
        s.put("<|end|>", 200007);
        s.put("<|message|>", 200008);
        s.put("<|reserved_200009|>", 200009);
        s.put("<|reserved_200010|>", 200010);
        s.put("<|reserved_200011|>", 200011);
        s.put("<|call|>", 200012);
        for (int i = 200013; i < 201088; i++) s.put("<|reserved_" + i + "|>", i);
        break;
      default:
        throw new IllegalArgumentException(name);
    }
    return s;
  }

  /** The split pattern of a built-in encoding, for custom vocabularies that use the same one. */
  public static String pattern(String name) {
    return get(name).pattern();
  }

  /** Split pattern of a built-in vocabulary resource, without loading it. */
  static String patternOf(String base) {
    switch (base) {
      case "r50k_base":
      case "p50k_base":
        return R50kSplitter.PATTERN;
      case "cl100k_base":
        return Cl100kSplitter.PATTERN;
      case "o200k_base":
        return O200kSplitter.PATTERN;
      default:
        throw new IllegalArgumentException(base);
    }
  }

  /**
   * An encoding from a tiktoken rank file ({@code <base64 token> <rank>} per line), named after
   * the file.
   *
   * @param pattern the split pattern (a regular expression as tiktoken spells it; see
   *     {@link #pattern(String)} for a built-in one)
   * @param specialTokens special token text to id; ids must not be ordinary ranks
   * @throws IllegalArgumentException for a malformed file, naming the file and line
   */
  public static Encoding fromTiktoken(Path rankFile, String pattern, Map<String, Integer> specialTokens)
      throws IOException {
    Encoding.nonNull(rankFile, "rankFile");
    Encoding.nonNull(pattern, "pattern");
    Encoding.nonNull(specialTokens, "specialTokens");
    String name = rankFile.getFileName().toString().replaceFirst("\\.tiktoken$", "");
    try (InputStream in = Files.newInputStream(rankFile)) {
      return fromTiktoken(name, in, rankFile.toString(), pattern, specialTokens);
    }
  }

  /** {@link #fromTiktoken(Path, String, Map)} from a stream; {@code source} names it in errors. */
  public static Encoding fromTiktoken(String name, InputStream rankFile, String source, String pattern,
      Map<String, Integer> specialTokens) throws IOException {
    Encoding.nonNull(name, "name");
    Encoding.nonNull(rankFile, "rankFile");
    Encoding.nonNull(source, "source");
    Encoding.nonNull(pattern, "pattern");
    Encoding.nonNull(specialTokens, "specialTokens");
    return new Encoding(VocabularyFiles.readTiktoken(rankFile, source, name, pattern, new LinkedHashMap<>(specialTokens)));
  }

  /**
   * An encoding from a Hugging Face {@code tokenizer.json} whose model is byte-level BPE (GPT-2,
   * Llama 3, Qwen, DeepSeek, GPT-OSS and the like), SentencePiece-style BPE over characters
   * (Llama 2, Mistral style), Unigram (T5, XLM-R style), WordPiece (BERT, e5, bge) or WordLevel,
   * giving exactly the ids of the Rust {@code tokenizers} library. It is named after the file's folder (a file named
   * {@code tokenizer.json}) or the file. See {@link Encoding} for how added and special tokens
   * surface.
   *
   * <p>Supported: model BPE over GPT-2's byte-level alphabet (vocab and merges in either form,
   * {@code ignore_merges}; {@code byte_fallback} false, no dropout, no subword prefix or suffix);
   * normalizer NFC, NFKC, a {@code Sequence} of them or none (normalized with Unicode 9.0's
   * tables, as Hugging Face does); pre-tokenizer {@code ByteLevel} ({@code add_prefix_space},
   * {@code use_regex}), alone or last in a {@code Sequence} after {@code Split} (regex or string,
   * any behavior, inverted or not: GPT-4o's own file is read) and {@code Digits}; added tokens (special or not,
   * {@code single_word}, {@code lstrip}, {@code rstrip}, {@code normalized}); post-processor
   * {@code TemplateProcessing}, {@code ByteLevel}, a {@code Sequence} of them or none; decoder
   * {@code ByteLevel} or none. Split patterns equal to cl100k_base's (Llama 3), Qwen's, o200k_base's
   * (GPT-OSS) or GPT-2's run on fasttok's hand-written splitters; others on {@code java.util.regex}
   * (read as Oniguruma reads them).
   *
   * <p>For a WordPiece or WordLevel model: normalizer {@code BertNormalizer}, {@code Lowercase},
   * {@code StripAccents}, {@code NFD}, {@code NFKD}, {@code Strip}, a {@code Sequence} of them or
   * none; pre-tokenizer {@code BertPreTokenizer}, {@code Whitespace}, {@code WhitespaceSplit},
   * {@code Punctuation} (any behavior), {@code Split} (any behavior, inverted or not), a
   * {@code Sequence} of them or none; added tokens;
   * post-processor {@code BertProcessing}, {@code TemplateProcessing}, a {@code Sequence} of them
   * or none; decoder {@code WordPiece} or none. Their Unicode classes are those of tokenizers
   * 0.23, whatever the JDK.
   *
   * <p>For a Unigram model ({@code unk_id}, {@code byte_fallback}) or a BPE model without a
   * {@code ByteLevel} pre-tokenizer ({@code byte_fallback}, {@code fuse_unk}, {@code unk_token},
   * {@code continuing_subword_prefix}, {@code end_of_word_suffix}), also: normalizers
   * {@code Prepend}, {@code Replace} (a string, or one character repeated such as
   * {@code " {2,}"}) and {@code Precompiled}; pre-tokenizer {@code Metaspace} alone
   * ({@code prepend_scheme} always, first or never; {@code split}); decoders
   * {@code ByteFallback}, {@code Fuse}, {@code Strip}, {@code Replace} (a string) and
   * {@code Metaspace}.
   *
   * @throws IllegalArgumentException for anything else (NFC or NFKC outside byte-level BPE, other
   *     regex patterns, truncation or padding, ...), naming the component (and, outside
   *     byte-level BPE, its JSON path) and listing what is supported; or for a malformed file
   */
  public static Encoding fromTokenizerJson(Path tokenizerJson) throws IOException {
    Encoding.nonNull(tokenizerJson, "tokenizerJson");
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      return fromTokenizerJson(in, tokenizerJson.toString());
    }
  }

  /**
   * {@link #fromTokenizerJson(Path)} from a stream; {@code source} (a path or URI) names the
   * encoding as a path would, and the file in errors.
   */
  public static Encoding fromTokenizerJson(InputStream tokenizerJson, String source) throws IOException {
    Encoding.nonNull(tokenizerJson, "tokenizerJson");
    Encoding.nonNull(source, "source");
    return new Encoding(TokenizerJson.read(tokenizerJson.readAllBytes(), source, TokenizerJson.nameOf(source)));
  }

  /**
   * An encoding from its compact binary form ({@link Encoding#toBytes()}), the form a custom
   * vocabulary travels in to other JVMs. Built once per JVM for the same bytes: a later call
   * with equal bytes returns the same instance.
   *
   * @throws IllegalArgumentException for corrupt or truncated bytes, naming the offset
   */
  public static Encoding fromBytes(byte[] compact) {
    Encoding.nonNull(compact, "compact");
    // Recognized by two independent checksums and the length (96 bits, a few milliseconds for
    // the largest vocabularies; a cryptographic digest costs several times more in a cold JVM).
    CRC32 crc = new CRC32();
    crc.update(compact, 0, compact.length);
    Adler32 adler = new Adler32();
    adler.update(compact, 0, compact.length);
    String key = crc.getValue() + ":" + adler.getValue() + ":" + compact.length;
    synchronized (BY_CONTENT) {
      Encoding e = BY_CONTENT.get(key);
      if (e == null) {
        e = new Encoding(VocabularyFiles.readCompact(compact, "compact vocabulary"));
        BY_CONTENT.put(key, e);
      }
      return e;
    }
  }

  /** Encodings made by fromBytes, the few most recently used (each holds tens of megabytes). */
  private static final Map<String, Encoding> BY_CONTENT = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Encoding> eldest) {
      return size() > 8;
    }
  };

  /**
   * Reads a vocabulary file, by the file name's ending: fasttok's compact form ({@code .ftok},
   * from {@link Encoding#toBytes()}), a tiktoken rank file ({@code .tiktoken}), which takes
   * the split pattern and special tokens of the built-in encoding {@code base} (o200k_base if
   * null), or a Hugging Face
   * {@code tokenizer.json} ({@code .json}, see {@link #fromTokenizerJson(Path)}; {@code base} is
   * not used).
   *
   * @param fileName the file's name (or path or URI), for its ending and for error messages
   * @throws IllegalArgumentException for an unknown ending or a malformed file, naming it
   */
  public static Encoding readVocabulary(String fileName, InputStream in, String base) throws IOException {
    Encoding.nonNull(fileName, "fileName");
    Encoding.nonNull(in, "in");
    String lower = fileName.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".ftok")) {
      return new Encoding(VocabularyFiles.readCompact(in.readAllBytes(), fileName));
    }
    if (lower.endsWith(".tiktoken")) {
      String baseName = base == null ? "o200k_base" : base;
      get(baseName); // an unknown base fails here, listing the known ones
      String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1)
          .replaceFirst("(?i)\\.tiktoken$", "");
      return new Encoding(VocabularyFiles.readTiktoken(in, fileName, name, patternOf(BUILT_IN.get(baseName)),
          specialsOf(baseName)));
    }
    if (lower.endsWith(".json")) return fromTokenizerJson(in, fileName);
    throw new IllegalArgumentException("cannot read vocabulary " + fileName
        + ": expected a .ftok (fasttok compact form), .tiktoken (tiktoken ranks) or .json (Hugging Face"
        + " tokenizer.json) file");
  }

  /** {@link #readVocabulary(String, InputStream, String)} from a local file. */
  public static Encoding readVocabulary(Path file, String base) throws IOException {
    Encoding.nonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return readVocabulary(file.toString(), in, base);
    }
  }
}
