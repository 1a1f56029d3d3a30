package dev.fasttok;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a tokenizer.json file that {@link HfPipeline} does not read (WordPiece, WordLevel, Unigram,
 * BPE over characters as SentencePiece-style files have it, byte-level BPE with other components:
 * see {@link #reads}) into the components of
 * {@link ComponentPipeline}, with the meaning and defaults tokenizers 0.23 gives each part.
 * Anything it does not know fails here, naming the component and where it is in the file (a
 * JSON path such as {@code normalizer.normalizers[1]}), rather than encoding differently.
 *
 * <p>Each component kind has one method ({@link #model}, {@link #normalizer},
 * {@link #preTokenizer}, {@link #postProcessor}, {@link #decoder}); a new component is a case
 * there (a new model also its type in {@link #MODELS}, so that {@link TokenizerJson} sends its
 * files here).
 */
final class ComponentJson extends JsonFields {
  /** The model types this reader takes; {@link TokenizerJson} sends these files here. */
  static final Set<String> MODELS = Set.of("WordPiece", "WordLevel", "Unigram");

  /**
   * Whether this reader takes the file: a model of {@link #MODELS}, or BPE (also a model without
   * a type that has BPE's vocab and merges) whose components {@link HfPipeline}, the faster path
   * for byte-level BPE, does not read ({@link TokenizerJson#byteLevelPipelineReads}): BPE over
   * characters (SentencePiece style, no ByteLevel pre-tokenizer), or byte-level BPE with a
   * normalizer, pre-tokenizer, decoder or model option only the components have.
   */
  static boolean reads(Map<String, Object> root) {
    Object model = root.get("model");
    if (!(model instanceof Map)) return false;
    Map<?, ?> m = (Map<?, ?>) model;
    Object type = m.get("type");
    if (MODELS.contains(type)) return true;
    boolean bpe = "BPE".equals(type) || (type == null && m.containsKey("vocab") && m.containsKey("merges"));
    return bpe && !TokenizerJson.byteLevelPipelineReads(root);
  }

  static final String SUPPORTED = "fasttok reads these tokenizer.json files with: model WordPiece (unk_token,"
      + " continuing_subword_prefix, max_input_chars_per_word), WordLevel (unk_token), Unigram (vocab as [piece,"
      + " score] pairs, unk_id, byte_fallback) or BPE, over characters or over GPT-2's byte-level alphabet with a"
      + " ByteLevel pre-tokenizer (unk_token, fuse_unk, byte_fallback, continuing_subword_prefix, end_of_word_suffix,"
      + " ignore_merges, dropout null or 0); normalizer BertNormalizer, Lowercase, StripAccents, NFD, NFKD, NFC, NFKC,"
      + " ByteLevel, Strip, Prepend, Replace (a String or Regex pattern; a Regex the pattern compiler or"
      + " java.util.regex runs), Precompiled, a Sequence of them, or none; pre_tokenizer BertPreTokenizer, Whitespace,"
      + " WhitespaceSplit, Punctuation (any behavior), Split (Regex or String, any behavior, invert), Digits"
      + " (individual_digits), CharDelimiterSplit (delimiter), FixedLength (length), UnicodeScripts, Metaspace"
      + " (replacement, prepend_scheme, split), ByteLevel (add_prefix_space, use_regex, trim_offsets), a Sequence of"
      + " them, or none; added_tokens; post_processor BertProcessing, RobertaProcessing, TemplateProcessing,"
      + " ByteLevel, a Sequence of them, or none; decoder WordPiece, CTC, BPEDecoder, ByteFallback, Fuse, Strip,"
      + " Replace (a String or Regex pattern), Metaspace, ByteLevel, a Sequence of them, or none; truncation and"
      + " padding null";

  private ComponentJson(String source) {
    super(source);
  }

  /** The definition of a parsed file ({@code root}) whose bytes are {@code json}. */
  static VocabularyFiles.Definition read(Map<String, Object> root, byte[] json, String source, String name) {
    return new ComponentJson(source).definition(root, json, name);
  }

  private IllegalArgumentException unsupported(String what, String path) {
    return new IllegalArgumentException(source + ": unsupported " + what + " at " + path + ". " + SUPPORTED);
  }

  private String str(Map<String, Object> m, String key, String absent, String path) {
    Object v = m.get(key);
    if (v == null) {
      if (absent == null) throw bad(path + " has no " + key);
      return absent;
    }
    if (!(v instanceof String)) throw bad(path + "." + key + " is not a string");
    return (String) v;
  }

  private VocabularyFiles.Definition definition(Map<String, Object> root, byte[] json, String name) {
    Object version = root.get("version");
    if (version != null && !"1.0".equals(version)) throw unsupported("version " + version, "version");
    if (root.get("truncation") != null) throw unsupported("truncation (it must be null)", "truncation");
    if (root.get("padding") != null) throw unsupported("padding (it must be null)", "padding");

    List<TextNormalizer> normalizers = new ArrayList<>();
    if (root.get("normalizer") != null) {
      normalizer(obj(root.get("normalizer"), "normalizer"), "normalizer", normalizers);
    }
    TextNormalizer[] steps = normalizers.toArray(new TextNormalizer[0]);
    StringBuilder description = new StringBuilder();
    PreTokenizer pre = root.get("pre_tokenizer") == null ? null
        : preTokenizer(obj(root.get("pre_tokenizer"), "pre_tokenizer"), "pre_tokenizer", description);
    if (pre == null) description.append("none");

    Model m = model(obj(root.get("model"), "model"));
    Map<String, Integer> vocab = m.vocab();

    // Added tokens, with the ids tokenizers gives them (as TokenizerJson does): a text that is
    // already a token keeps its id, any other takes the next id after the model's vocabulary.
    Object addedValue = root.get("added_tokens");
    List<?> addedJson = addedValue == null ? List.of() : list(addedValue, "added_tokens");
    int nextId = m.size();
    Map<String, Integer> idByContent = new HashMap<>();
    TreeMap<Integer, Object[]> addedById = new TreeMap<>(); // content, flags
    for (int i = 0; i < addedJson.size(); i++) {
      String path = "added_tokens[" + i + "]";
      Map<String, Object> t = obj(addedJson.get(i), path);
      String content = str(t, "content", null, path);
      if (content.isEmpty()) continue;
      boolean special = bool(t, "special", false, path);
      int flags = (bool(t, "single_word", false, path) ? HfPipeline.SINGLE_WORD : 0)
          | (bool(t, "lstrip", false, path) ? HfPipeline.LSTRIP : 0)
          | (bool(t, "rstrip", false, path) ? HfPipeline.RSTRIP : 0)
          | (bool(t, "normalized", !special, path) ? HfPipeline.NORMALIZED : 0)
          | (special ? HfPipeline.SPECIAL : 0);
      Integer known = idByContent.get(content);
      Integer id = known != null ? known : vocab.get(content);
      if (id == null) id = nextId++;
      if (id > Vocabulary.MAX_RANK) {
        throw bad("added token '" + content + "' gets id " + id + ", above " + Vocabulary.MAX_RANK);
      }
      idByContent.put(content, id);
      addedById.put(id, new Object[] {content, flags});
    }
    int n = addedById.size();
    String[] contents = new String[n];
    int[] ids = new int[n];
    int[] flags = new int[n];
    String[] patterns = new String[n];
    Set<String> rawTexts = new java.util.HashSet<>();
    Set<String> normalizedTexts = new java.util.HashSet<>();
    int k = 0;
    for (Map.Entry<Integer, Object[]> e : addedById.entrySet()) {
      contents[k] = (String) e.getValue()[0];
      flags[k] = (Integer) e.getValue()[1];
      ids[k] = e.getKey();
      boolean isNormalized = (flags[k] & HfPipeline.NORMALIZED) != 0;
      patterns[k] = isNormalized ? normalize(contents[k], steps) : contents[k];
      if (patterns[k].isEmpty() || !(isNormalized ? normalizedTexts : rawTexts).add(patterns[k])) {
        throw bad("added token '" + contents[k] + "' is found by an empty text, or the same text as another");
      }
      k++;
    }

    int[] template = root.get("post_processor") == null ? null
        : postProcessor(obj(root.get("post_processor"), "post_processor"), "post_processor", null);
    TokenDecoder[] decoders = null;
    if (root.get("decoder") != null) {
      List<TokenDecoder> list = new ArrayList<>();
      decoder(obj(root.get("decoder"), "decoder"), "decoder", list);
      decoders = list.toArray(new TokenDecoder[0]);
    }
    ComponentPipeline.Config c = new ComponentPipeline.Config(json.clone(), steps, pre, m.model(), m.tokens(), contents,
        ids, flags, patterns, template, decoders, description.toString());
    return new VocabularyFiles.Definition(name, c.description(), c.specialTokens(), null, null, c);
  }

  /** A text through the normalizer steps (for the text a normalized added token is found by). */
  static String normalize(String s, TextNormalizer[] steps) {
    byte[] b = Utf8.encode(s);
    NormalizedText t = new NormalizedText();
    t.setUtf8(b, 0, b.length);
    for (TextNormalizer n : steps) {
      NormalizedText out = new NormalizedText();
      n.normalize(t, out);
      t = out;
    }
    return t.toString();
  }

  /**
   * A model as read.
   *
   * @param tokens the tokens by id (null where an id has none), for decoding
   * @param vocab token to id, which gives an added token whose text is a token that token's id
   *     (its size is where the ids of the other added tokens start, as tokenizers'
   *     {@code get_vocab_size})
   */
  record Model(PieceModel model, String[] tokens, Map<String, Integer> vocab, int size) {
    Model(PieceModel model, String[] tokens, Map<String, Integer> vocab) {
      this(model, tokens, vocab, vocab.size());
    }
  }

  /** The model: one case per model type, each reading its own parameters. */
  Model model(Map<String, Object> m) {
    String type = type(m);
    if (type == null && m.containsKey("vocab") && m.containsKey("merges")) type = "BPE";
    if (type == null || !(MODELS.contains(type) || type.equals("BPE"))) {
      throw unsupported("model " + type, "model.type");
    }
    switch (type) {
      case "BPE": {
        Map<String, Integer> vocab = objectVocab(m);
        Object dropout = m.get("dropout");
        if (dropout != null && !(dropout instanceof Number)) throw bad("model.dropout is not a number: " + dropout);
        if (dropout != null && ((Number) dropout).doubleValue() != 0.0) {
          throw unsupported("BPE dropout " + dropout + " (it makes encoding random)", "model.dropout");
        }
        List<String[]> merges = merges(m);
        PieceModel model;
        try {
          model = CharBpe.of(vocab, merges, nullableStr(m, "unk_token", "model"), bool(m, "fuse_unk", false, "model"),
              bool(m, "byte_fallback", false, "model"), nullableStr(m, "continuing_subword_prefix", "model"),
              nullableStr(m, "end_of_word_suffix", "model"), bool(m, "ignore_merges", false, "model"), null);
        } catch (IllegalArgumentException e) {
          throw bad("model: " + e.getMessage());
        }
        return new Model(model, byId(vocab), vocab);
      }
      case "Unigram": {
        Object v = m.get("vocab");
        if (!(v instanceof Json.Raw) || !((Json.Raw) v).isArray()) throw bad("model.vocab is not a JSON array");
        List<String> pieces = new ArrayList<>(1 << 15);
        List<Double> scores = new ArrayList<>(1 << 15);
        ((Json.Raw) v).forEachElement(e -> {
          String p = "model.vocab[" + pieces.size() + "]";
          List<?> pair = list(e, p);
          if (pair.size() != 2 || !(pair.get(0) instanceof String) || !(pair.get(1) instanceof Number)) {
            throw bad(p + " is not a [piece, score] pair");
          }
          pieces.add((String) pair.get(0));
          scores.add(((Number) pair.get(1)).doubleValue());
        });
        Object unk = m.get("unk_id");
        int unkId = unk == null ? -1 : id(unk, "model.unk_id");
        double[] s = new double[scores.size()];
        for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
        PieceModel model;
        try {
          model = Unigram.of(pieces, s, unkId, bool(m, "byte_fallback", false, "model"));
        } catch (IllegalArgumentException e) {
          throw bad("model: " + e.getMessage());
        }
        // Text to id as tokenizers keeps it: a piece listed twice takes its later id.
        Map<String, Integer> vocab = new HashMap<>(pieces.size() * 2);
        for (int i = 0; i < pieces.size(); i++) vocab.put(pieces.get(i), i);
        return new Model(model, pieces.toArray(new String[0]), vocab, pieces.size());
      }
      case "WordPiece": {
        Map<String, Integer> vocab = objectVocab(m);
        Object max = m.get("max_input_chars_per_word");
        int maxChars = 100;
        if (max != null) {
          if (!(max instanceof Long) || (Long) max < 0) {
            throw bad("model.max_input_chars_per_word is not a count: " + max);
          }
          maxChars = (int) Math.min(Integer.MAX_VALUE, (Long) max);
        }
        PieceModel model = new WordPiece(vocab, str(m, "unk_token", "[UNK]", "model"),
            str(m, "continuing_subword_prefix", "##", "model"), maxChars);
        return new Model(model, byId(vocab), vocab);
      }
      case "WordLevel": {
        Map<String, Integer> vocab = objectVocab(m);
        return new Model(WordPiece.wordLevel(vocab, str(m, "unk_token", "<unk>", "model")), byId(vocab), vocab);
      }
      default:
        throw unsupported("model " + type, "model.type");
    }
  }

  private String nullableStr(Map<String, Object> m, String key, String path) {
    Object v = m.get(key);
    if (v == null) return null;
    if (!(v instanceof String)) throw bad(path + "." + key + " is not a string");
    return (String) v;
  }

  /** {@code model.merges}: pairs, or the older {@code "a b"} strings. */
  private List<String[]> merges(Map<String, Object> m) {
    Object v = m.get("merges");
    if (!(v instanceof Json.Raw) || !((Json.Raw) v).isArray()) throw bad("model.merges is not a JSON array");
    List<Object> all = new ArrayList<>();
    ((Json.Raw) v).forEachElement(all::add);
    List<String> lines = new ArrayList<>();
    List<String[]> pairs = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      Object e = all.get(i);
      if (e instanceof String) {
        lines.add((String) e);
      } else if (e instanceof List && ((List<?>) e).size() == 2 && ((List<?>) e).get(0) instanceof String
          && ((List<?>) e).get(1) instanceof String) {
        pairs.add(new String[] {(String) ((List<?>) e).get(0), (String) ((List<?>) e).get(1)});
      } else {
        throw bad("model.merges[" + i + "] is neither \"a b\" nor [\"a\", \"b\"]");
      }
    }
    // tokenizers refuses such a file too (its merges are one form or the other).
    if (!lines.isEmpty() && !pairs.isEmpty()) throw bad("model.merges mixes \"a b\" strings and pairs");
    if (lines.isEmpty()) return pairs;
    try {
      return CharBpe.legacyMerges(lines);
    } catch (IllegalArgumentException e) {
      throw bad("model.merges: " + e.getMessage());
    }
  }

  /** A {@code model.vocab} that is an object of token to id (WordPiece, WordLevel, BPE). */
  private Map<String, Integer> objectVocab(Map<String, Object> m) {
    Object v = m.get("vocab");
    if (!(v instanceof Json.Raw) || !((Json.Raw) v).isObject()) throw bad("model.vocab is not a JSON object");
    Map<String, Integer> vocab = new HashMap<>(1 << 16);
    ((Json.Raw) v).forEachMember((token, value) -> vocab.put(token, id(value, "model.vocab[\"" + token + "\"]")));
    return vocab;
  }

  /** The tokens by id; two tokens with one id are an error. */
  private String[] byId(Map<String, Integer> vocab) {
    int max = -1;
    for (int id : vocab.values()) max = Math.max(max, id);
    String[] byId = new String[max + 1];
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      if (byId[e.getValue()] != null) {
        throw bad("model.vocab has two tokens with id " + e.getValue() + ": '" + byId[e.getValue()] + "' and '"
            + e.getKey() + "'");
      }
      byId[e.getValue()] = e.getKey();
    }
    return byId;
  }

  /** Appends the steps of a normalizer (a Sequence flattened, BertNormalizer as its parts). */
  void normalizer(Map<String, Object> m, String path, List<TextNormalizer> out) {
    String type = type(m);
    if (type == null) throw unsupported("normalizer without a type", path);
    switch (type) {
      case "Sequence": {
        List<?> l = list(m.get("normalizers"), path + ".normalizers");
        for (int i = 0; i < l.size(); i++) {
          String p = path + ".normalizers[" + i + "]";
          normalizer(obj(l.get(i), p), p, out);
        }
        break;
      }
      case "BertNormalizer": {
        boolean lowercase = bool(m, "lowercase", true, path);
        boolean clean = bool(m, "clean_text", true, path);
        boolean chinese = bool(m, "handle_chinese_chars", true, path);
        // strip_accents null follows lowercase, as in tokenizers.
        boolean strip = bool(m, "strip_accents", lowercase, path);
        out.add(new Normalizers.Bert(clean, chinese, strip, lowercase));
        break;
      }
      case "Lowercase": out.add(Normalizers.LOWERCASE); break;
      case "StripAccents": out.add(Normalizers.STRIP_ACCENTS); break;
      case "NFD": out.add(Normalizers.NFD); break;
      case "NFKD": out.add(Normalizers.NFKD); break;
      case "Prepend":
        out.add(SentencePieceSteps.prepend(str(m, "prepend", null, path)));
        break;
      case "Replace": {
        String content = str(m, "content", null, path);
        Object pattern = m.get("pattern");
        Object string = pattern instanceof Map ? ((Map<?, ?>) pattern).get("String") : null;
        Object regex = pattern instanceof Map ? ((Map<?, ?>) pattern).get("Regex") : null;
        if (string instanceof String && ((String) string).codePointCount(0, ((String) string).length()) == 1) {
          out.add(SentencePieceSteps.replace((String) string, content));
          break;
        }
        int[] run = regex instanceof String ? SentencePieceSteps.literalRun((String) regex) : null;
        if (run != null) {
          out.add(SentencePieceSteps.replaceRuns(run[0], run[1], content));
          break;
        }
        // Any other pattern through the regex machinery; tokenizers makes a String pattern the
        // regex that matches it literally.
        out.add(SentencePieceSteps.replaceRegex(replacePattern(pattern, path), content));
        break;
      }
      case "NFC": out.add(Normalizers.NFC); break;
      case "NFKC": out.add(Normalizers.NFKC); break;
      case "ByteLevel": out.add(Normalizers.BYTE_LEVEL); break;
      case "Precompiled": {
        try {
          out.add(SentencePieceSteps.precompiled(
              PrecompiledNormalizer.fromBase64(str(m, "precompiled_charsmap", null, path))));
        } catch (IllegalArgumentException e) {
          throw bad(path + ": " + e.getMessage());
        }
        break;
      }
      case "Strip":
        out.add(Normalizers.strip(bool(m, "strip_left", true, path), bool(m, "strip_right", true, path)));
        break;
      default:
        throw unsupported("normalizer " + type, path);
    }
  }

  /**
   * The matcher of a Replace normalizer's or decoder's {@code pattern} ({@code {"String": ...}}
   * or {@code {"Regex": ...}}), as Oniguruma finds its matches.
   */
  Splitter replacePattern(Object pattern, String path) {
    Object string = pattern instanceof Map ? ((Map<?, ?>) pattern).get("String") : null;
    Object regex = pattern instanceof Map ? ((Map<?, ?>) pattern).get("Regex") : null;
    if (string instanceof String) return HfSplitters.forRegex(HfSplitters.literal((String) string));
    if (!(regex instanceof String)) throw bad(path + ".pattern is neither {\"String\": ...} nor {\"Regex\": ...}");
    try {
      return HfSplitters.forRegex((String) regex);
    } catch (IllegalArgumentException e) {
      Throwable why = e.getCause() != null ? e.getCause() : e;
      throw unsupported("Replace regex " + regex + " (" + why.getMessage().replace('\n', ' ') + ")", path + ".pattern");
    }
  }

  /** The pre-tokenizer; appends its description. */
  PreTokenizer preTokenizer(Map<String, Object> m, String path, StringBuilder description) {
    String type = type(m);
    if (type == null) throw unsupported("pre_tokenizer without a type", path);
    switch (type) {
      case "Sequence": {
        List<?> l = list(m.get("pretokenizers"), path + ".pretokenizers");
        PreTokenizer[] members = new PreTokenizer[l.size()];
        description.append("Sequence[");
        for (int i = 0; i < members.length; i++) {
          String p = path + ".pretokenizers[" + i + "]";
          if (i > 0) description.append(", ");
          members[i] = preTokenizer(obj(l.get(i), p), p, description);
        }
        description.append(']');
        if (members.length == 1) return members[0];
        // A Sequence inside a Sequence runs its members in turn, as the outer one does.
        List<PreTokenizer> flat = new ArrayList<>();
        for (PreTokenizer p : members) {
          if (p instanceof PreTokenizers.Sequence) flat.addAll(List.of(((PreTokenizers.Sequence) p).members));
          else flat.add(p);
        }
        return new PreTokenizers.Sequence(flat.toArray(new PreTokenizer[0]));
      }
      case "BertPreTokenizer":
        description.append(type);
        return PreTokenizers.BERT;
      case "Whitespace":
        description.append(type);
        return PreTokenizers.WHITESPACE;
      case "WhitespaceSplit":
        description.append(type);
        return PreTokenizers.WHITESPACE_SPLIT;
      case "Metaspace": {
        String r = str(m, "replacement", null, path);
        if (r.codePointCount(0, r.length()) != 1) throw bad(path + ".replacement is not one character: \"" + r + "\"");
        String scheme = str(m, "prepend_scheme", "always", path);
        SentencePieceDecoders.PrependScheme ps;
        try {
          ps = SentencePieceDecoders.PrependScheme.of(scheme);
        } catch (IllegalArgumentException e) {
          throw unsupported("Metaspace prepend_scheme " + scheme, path + ".prepend_scheme");
        }
        // Older files have add_prefix_space; tokenizers accepts false only with "never" declared.
        if (Boolean.FALSE.equals(m.get("add_prefix_space")) && ps != SentencePieceDecoders.PrependScheme.NEVER) {
          throw bad(path + ": add_prefix_space does not match declared prepend_scheme");
        }
        boolean split = bool(m, "split", true, path);
        description.append("Metaspace(").append(scheme).append(split ? ", split)" : ")");
        return new Metaspace(r.codePointAt(0), ps, split);
      }
      case "Punctuation": {
        String behavior = str(m, "behavior", "Isolated", path);
        int b = List.of(PreTokenizers.BEHAVIORS).indexOf(behavior);
        if (b < 0) throw unsupported("Punctuation behavior " + behavior, path + ".behavior");
        description.append("Punctuation(").append(behavior).append(')');
        return PreTokenizers.punctuation(b);
      }
      case "Split": {
        String behavior = str(m, "behavior", "Isolated", path);
        int b = List.of(PreTokenizers.BEHAVIORS).indexOf(behavior);
        if (b < 0) throw unsupported("Split behavior " + behavior, path + ".behavior");
        boolean invert = Boolean.TRUE.equals(m.get("invert"));
        Map<String, Object> pattern = obj(m.get("pattern"), path + ".pattern");
        String regex = pattern.get("Regex") instanceof String ? (String) pattern.get("Regex")
            : pattern.get("String") instanceof String ? HfSplitters.literal((String) pattern.get("String")) : null;
        if (regex == null) throw unsupported("Split pattern that is neither Regex nor String", path + ".pattern");
        description.append("Split(").append(regex).append(", ").append(behavior).append(invert ? ", invert)" : ")");
        try {
          return HfSplitters.preTokenizer(regex, b, invert);
        } catch (IllegalArgumentException e) {
          throw unsupported(e.getMessage(), path + ".pattern");
        }
      }
      case "Digits": {
        boolean individual = bool(m, "individual_digits", false, path);
        description.append(individual ? "Digits(individual_digits)" : "Digits");
        return PreTokenizers.digits(individual);
      }
      case "CharDelimiterSplit": {
        String d = str(m, "delimiter", null, path);
        if (d.codePointCount(0, d.length()) != 1) throw bad(path + ".delimiter is not one character: \"" + d + "\"");
        description.append("CharDelimiterSplit(").append(d).append(')');
        return PreTokenizers.charDelimiterSplit(d);
      }
      case "FixedLength": {
        Object v = m.get("length");
        long length = 5; // tokenizers' default
        if (v != null) {
          if (!(v instanceof Long)) throw bad(path + ".length is not a count: " + v);
          length = (Long) v;
        }
        // tokenizers panics on a length of 0 when it encodes; refusing it here is the error at load.
        if (length < 1 || length > Integer.MAX_VALUE) throw unsupported("FixedLength length " + v, path + ".length");
        description.append("FixedLength(").append(length).append(')');
        return PreTokenizers.fixedLength((int) length);
      }
      case "UnicodeScripts":
        description.append(type);
        return ScriptPreTokenizer.INSTANCE;
      case "ByteLevel": {
        // trim_offsets changes only tokenizers' offsets, which fasttok does not report.
        boolean prefix = bool(m, "add_prefix_space", true, path);
        boolean regex = bool(m, "use_regex", true, path);
        bool(m, "trim_offsets", true, path);
        description.append("ByteLevel(").append(prefix ? "add_prefix_space" : "")
            .append(regex ? (prefix ? ", " : "") + R50kSplitter.PATTERN : "").append(')');
        return new ByteLevelPreTokenizer(prefix, regex);
      }
      default:
        throw unsupported("pre_tokenizer " + type, path);
    }
  }

  /** The single-sequence template after {@code inner} (null: the ids alone). */
  int[] postProcessor(Map<String, Object> p, String path, int[] inner) {
    String type = type(p);
    if (type == null) throw unsupported("post_processor without a type", path);
    switch (type) {
      case "Sequence": {
        List<?> l = list(p.get("processors"), path + ".processors");
        int[] t = inner;
        for (int i = 0; i < l.size(); i++) {
          String q = path + ".processors[" + i + "]";
          t = postProcessor(obj(l.get(i), q), q, t);
        }
        return t;
      }
      case "BertProcessing":
      case "RobertaProcessing": {
        if (type.equals("RobertaProcessing")) {
          // trim_offsets and add_prefix_space are only checked: they change offsets, not ids.
          bool(p, "trim_offsets", true, path);
          bool(p, "add_prefix_space", true, path);
        }
        return clsSequenceSep(tokenPairId(p, "cls", path), inner, tokenPairId(p, "sep", path));
      }
      case "TemplateProcessing": {
        Map<String, Object> specials = p.get("special_tokens") == null ? Map.of()
            : obj(p.get("special_tokens"), path + ".special_tokens");
        List<?> single = list(p.get("single"), path + ".single");
        IntList out = new IntList(8);
        int sequences = 0;
        for (int i = 0; i < single.size(); i++) {
          String q = path + ".single[" + i + "]";
          Map<String, Object> piece = obj(single.get(i), q);
          if (piece.get("Sequence") != null) {
            Object id = obj(piece.get("Sequence"), q + ".Sequence").get("id");
            if (!"A".equals(id)) throw unsupported("TemplateProcessing sequence " + id + " in a single template", q);
            sequences++;
            sequence(inner, out);
          } else if (piece.get("SpecialToken") != null) {
            String id = str(obj(piece.get("SpecialToken"), q + ".SpecialToken"), "id", null, q + ".SpecialToken");
            Object token = specials.get(id);
            if (token == null) {
              throw bad(q + " uses the special token '" + id + "', missing from " + path + ".special_tokens");
            }
            String r = path + ".special_tokens[\"" + id + "\"].ids";
            List<?> tokenIds = list(obj(token, r).get("ids"), r);
            for (int j = 0; j < tokenIds.size(); j++) out.add(id(tokenIds.get(j), r + "[" + j + "]"));
          } else {
            throw bad(q + " is neither a Sequence nor a SpecialToken");
          }
        }
        if (sequences != 1) {
          throw unsupported("TemplateProcessing single template with " + sequences + " sequences", path + ".single");
        }
        return out.toArray();
      }
      case "ByteLevel":
        // Its trim_offsets changes only tokenizers' offsets; the ids stay as they are.
        bool(p, "trim_offsets", true, path);
        return inner;
      default:
        throw unsupported("post_processor " + type, path);
    }
  }

  private static void sequence(int[] inner, IntList out) {
    if (inner == null) out.add(ComponentPipeline.SEQUENCE);
    else for (int x : inner) out.add(x);
  }

  /** Appends the decoders (a Sequence flattened). */
  void decoder(Map<String, Object> m, String path, List<TokenDecoder> out) {
    String type = type(m);
    if (type == null) throw unsupported("decoder without a type", path);
    switch (type) {
      case "Sequence": {
        List<?> l = list(m.get("decoders"), path + ".decoders");
        for (int i = 0; i < l.size(); i++) {
          String p = path + ".decoders[" + i + "]";
          decoder(obj(l.get(i), p), p, out);
        }
        break;
      }
      case "WordPiece":
        out.add(WordPiece.decoder(str(m, "prefix", "##", path), bool(m, "cleanup", true, path)));
        break;
      case "CTC": {
        // tokenizers requires all three fields.
        if (m.get("cleanup") == null) throw bad(path + " has no cleanup");
        out.add(TokenDecoders.ctc(str(m, "pad_token", null, path), str(m, "word_delimiter_token", null, path),
            bool(m, "cleanup", true, path)));
        break;
      }
      case "BPEDecoder":
        out.add(TokenDecoders.bpe(str(m, "suffix", null, path)));
        break;
      case "Replace": {
        Object pattern = m.get("pattern");
        if (pattern instanceof Map && ((Map<?, ?>) pattern).get("Regex") != null) {
          String content = str(m, "content", null, path);
          out.add(SentencePieceDecoders.replace(replacePattern(pattern, path), content)::decodeChain);
          break;
        }
      }
      // fall through: a String pattern
      case "ByteFallback":
      case "Fuse":
      case "Strip":
      case "Metaspace": {
        SentencePieceDecoders.Decoder d;
        try {
          d = SentencePieceDecoders.fromJson(m, path);
        } catch (IllegalArgumentException e) {
          throw bad(e.getMessage());
        }
        out.add(d::decodeChain);
        break;
      }
      case "ByteLevel":
        out.add(ComponentJson::byteLevelDecode);
        break;
      default:
        throw unsupported("decoder " + type, path);
    }
  }

  /**
   * tokenizers' ByteLevel decoder: each token's bytes in GPT-2's byte alphabet (its own UTF-8
   * if a character is not in the alphabet, {@link ByteLevel#decode}), all concatenated and read
   * as UTF-8, an ill-formed sequence as U+FFFD.
   */
  static List<String> byteLevelDecode(List<String> tokens) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (String t : tokens) bytes.writeBytes(ByteLevel.decode(t));
    return List.of(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
