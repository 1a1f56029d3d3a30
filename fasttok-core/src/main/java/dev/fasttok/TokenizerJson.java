package dev.fasttok;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a Hugging Face {@code tokenizer.json} whose model is byte-level BPE into an encoding
 * definition, with the meaning the Rust {@code tokenizers} library gives each part. Anything
 * outside {@link #SUPPORTED} is refused with an error that names the component. A file that
 * {@link ComponentJson#reads} (WordPiece, WordLevel, Unigram, BPE without a ByteLevel
 * pre-tokenizer, or byte-level BPE with a component outside {@link #byteLevelPipelineReads})
 * goes to {@link ComponentJson} instead, for the component pipeline.
 */
final class TokenizerJson {
  private TokenizerJson() {}

  static final String SUPPORTED = "fasttok reads tokenizer.json files with: model BPE over GPT-2's byte-level"
      + " alphabet (vocab and merges, ignore_merges; byte_fallback false, dropout null, continuing_subword_prefix"
      + " and end_of_word_suffix empty or null); normalizer NFC, NFKC, a Sequence of them, or none; pre_tokenizer"
      + " ByteLevel (add_prefix_space, use_regex) alone or last in a Sequence after Split (Regex or String pattern,"
      + " any behavior: Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous; invert true or false) and"
      + " Digits; added_tokens (special or not, single_word, lstrip, rstrip,"
      + " normalized); post_processor TemplateProcessing, RobertaProcessing, BertProcessing, ByteLevel, a Sequence of"
      + " them, or none; decoder ByteLevel; truncation and padding null (other byte-level files go to the"
      + " component pipeline)";

  /**
   * Whether {@link HfPipeline} reads the file's components (the kinds {@link #SUPPORTED} lists):
   * model BPE without byte_fallback, continuing_subword_prefix or end_of_word_suffix; normalizer
   * NFC or NFKC; pre-tokenizer Split and Digits steps then ByteLevel last; post-processor
   * TemplateProcessing, RobertaProcessing, BertProcessing or ByteLevel; decoder ByteLevel (not
   * none). A BPE file with any other component goes
   * to the component pipeline ({@link ComponentJson#reads}), which reads byte-level BPE too, more
   * slowly; a file this takes keeps the fast path, and its errors (a bad value in a component of
   * these kinds) are this reader's.
   */
  static boolean byteLevelPipelineReads(Map<String, Object> root) {
    Object model = root.get("model");
    if (!(model instanceof Map)) return true;
    Map<?, ?> m = (Map<?, ?>) model;
    if (Boolean.TRUE.equals(m.get("byte_fallback"))) return false;
    for (String key : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
      Object v = m.get(key);
      if (v != null && !"".equals(v)) return false;
    }
    if (!kinds(root.get("normalizer"), "normalizers", Set.of("NFC", "NFKC"))) return false;
    if (!kinds(root.get("post_processor"), "processors",
        Set.of("TemplateProcessing", "RobertaProcessing", "BertProcessing", "ByteLevel"))) return false;
    // Without a decoder tokenizers joins the byte-level tokens with spaces, which only the component
    // pipeline does.
    if (root.get("decoder") == null || !kinds(root.get("decoder"), "decoders", Set.of("ByteLevel"))) return false;
    List<Object> steps = new ArrayList<>();
    if (!flat(root.get("pre_tokenizer"), "pretokenizers", steps) || steps.isEmpty()) return false;
    for (int i = 0; i < steps.size(); i++) {
      Object type = ((Map<?, ?>) steps.get(i)).get("type");
      boolean last = i == steps.size() - 1;
      if (last ? !"ByteLevel".equals(type) : !("Split".equals(type) || "Digits".equals(type))) return false;
    }
    return true;
  }

  /** Whether a component (null, or one of {@code kinds}, or a Sequence of them) has only those kinds. */
  private static boolean kinds(Object c, String listKey, Set<String> kinds) {
    List<Object> parts = new ArrayList<>();
    if (!flat(c, listKey, parts)) return false;
    for (Object p : parts) if (!kinds.contains(((Map<?, ?>) p).get("type"))) return false;
    return true;
  }

  /** Appends the members of a component, Sequences flattened; false where it is not an object. */
  private static boolean flat(Object c, String listKey, List<Object> out) {
    if (c == null) return true;
    if (!(c instanceof Map)) return false;
    Map<?, ?> m = (Map<?, ?>) c;
    if (!"Sequence".equals(m.get("type"))) {
      out.add(m);
      return true;
    }
    if (!(m.get(listKey) instanceof List)) return false;
    for (Object o : (List<?>) m.get(listKey)) if (!flat(o, listKey, out)) return false;
    return true;
  }

  /** Reads the file's bytes; {@code source} names it in errors. */
  static VocabularyFiles.Definition read(byte[] bytes, String source, String name) {
    Object root = Json.parse(new String(bytes, StandardCharsets.UTF_8), source, Set.of("model/vocab", "model/merges"));
    Reader reader = new Reader(source);
    Map<String, Object> file = reader.obj(root, "the file");
    // Models other than byte-level BPE are built from components; byte-level BPE keeps its own
    // fast pipeline wherever that reads every component (byteLevelPipelineReads).
    if (ComponentJson.reads(file)) {
      return ComponentJson.read(file, bytes, source, name);
    }
    return reader.read(file, name);
  }

  private static final class Reader extends JsonFields {
    Reader(String source) {
      super(source);
    }

    private IllegalArgumentException unsupported(String component, String found) {
      return new IllegalArgumentException(source + ": unsupported " + component + " " + found + ". " + SUPPORTED);
    }

    private String str(Object o, String what) {
      if (!(o instanceof String)) throw bad(what + " is not a string");
      return (String) o;
    }

    VocabularyFiles.Definition read(Map<String, Object> root, String name) {
      Object version = root.get("version");
      if (version != null && !"1.0".equals(version)) throw unsupported("version", String.valueOf(version));
      if (root.get("truncation") != null) throw unsupported("truncation", "(it must be null)");
      if (root.get("padding") != null) throw unsupported("padding", "(it must be null)");

      int normalizer = normalizer(root.get("normalizer"));

      // Pre-tokenizer: Split/Digits steps, then ByteLevel last.
      Object pre = root.get("pre_tokenizer");
      if (pre == null) throw unsupported("pre_tokenizer", "null (byte-level BPE needs a ByteLevel pre-tokenizer)");
      List<Map<String, Object>> steps = new ArrayList<>();
      flatten(obj(pre, "pre_tokenizer"), "pretokenizers", "pre_tokenizer", steps);
      IntList kinds = new IntList(4);
      List<String> patterns = new ArrayList<>();
      Map<String, Object> byteLevel = null;
      for (Map<String, Object> step : steps) {
        String type = type(step);
        if (byteLevel != null) {
          throw unsupported("pre_tokenizer", type + " after ByteLevel (ByteLevel must come last)");
        }
        if ("ByteLevel".equals(type)) {
          byteLevel = step;
        } else if ("Split".equals(type)) {
          String regex = splitPattern(step);
          patterns.add(regex);
          kinds.add(splitKind(step, regex));
        } else if ("Digits".equals(type)) {
          kinds.add(bool(step, "individual_digits", false, "Digits") ? HfPipeline.DIGITS_INDIVIDUAL : HfPipeline.DIGITS);
          patterns.add("");
        } else {
          throw unsupported("pre_tokenizer", String.valueOf(type));
        }
      }
      if (byteLevel == null) {
        throw unsupported("pre_tokenizer", "without ByteLevel (the vocabulary is not byte-level BPE)");
      }
      boolean prefixSpace = bool(byteLevel, "add_prefix_space", true, "ByteLevel");
      boolean byteLevelRegex = bool(byteLevel, "use_regex", true, "ByteLevel");

      // Model.
      Object modelValue = root.get("model");
      if (modelValue == null) throw bad("no model");
      Map<String, Object> model = obj(modelValue, "model");
      String modelType = type(model);
      if (modelType == null && !(model.containsKey("merges") && model.containsKey("vocab"))) {
        throw unsupported("model", "without a type (and without BPE's vocab and merges)");
      }
      if (modelType != null && !modelType.equals("BPE")) throw unsupported("model", modelType);
      if (bool(model, "byte_fallback", false, "model")) throw unsupported("model option", "byte_fallback true");
      Object dropout = model.get("dropout");
      if (dropout != null && !(dropout instanceof Number && ((Number) dropout).doubleValue() == 0)) {
        throw unsupported("model option", "dropout " + dropout + " (BPE dropout is random)");
      }
      for (String key : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
        Object v = model.get(key);
        if (v != null && !"".equals(v)) throw unsupported("model option", key + " '" + v + "'");
      }
      boolean ignoreMerges = bool(model, "ignore_merges", false, "model");
      Object vocabValue = model.get("vocab");
      if (vocabValue == null) throw bad("model has no vocab");
      if (!(vocabValue instanceof Json.Raw) || !((Json.Raw) vocabValue).isObject()) throw bad("model.vocab is not a JSON object");
      Object mergesValue = model.get("merges");
      if (mergesValue == null) throw bad("model has no merges");
      if (!(mergesValue instanceof Json.Raw) || !((Json.Raw) mergesValue).isArray()) throw bad("model.merges is not a JSON array");

      // The vocabulary: tokens spelled in the byte-level alphabet become byte strings; any other
      // token (e.g. special tokens kept in the vocab) is never made by merging bytes, and only
      // decodes (as its UTF-8). A repeated text keeps its last id, as in serde.
      Map<String, Integer> vocabIds = new HashMap<>(1 << 16);
      int[] maxIdHolder = {-1};
      ((Json.Raw) vocabValue).forEachMember((token, v) -> {
        if (!(v instanceof Long) || (Long) v < 0 || (Long) v > Vocabulary.MAX_RANK) id(v, "model.vocab[\"" + token + "\"]");
        int id = (int) (long) (Long) v;
        vocabIds.put(token, id);
        maxIdHolder[0] = Math.max(maxIdHolder[0], id);
      });
      int maxId = maxIdHolder[0];
      String[] byId = new String[maxId + 1];
      byte[][] bytesById = new byte[maxId + 1][];
      TreeMap<Integer, byte[]> extra = new TreeMap<>();
      int maxTokenId = -1;
      for (Map.Entry<String, Integer> e : vocabIds.entrySet()) {
        int id = e.getValue();
        if (byId[id] != null) throw bad("model.vocab has two tokens with id " + id + ": '" + byId[id] + "' and '" + e.getKey() + "'");
        byId[id] = e.getKey();
        vocabIds.put(e.getKey(), id);
        byte[] b = ByteLevel.bytesOf(e.getKey());
        if (b == null || b.length == 0) {
          extra.put(id, e.getKey().getBytes(StandardCharsets.UTF_8));
        } else {
          bytesById[id] = b;
          maxTokenId = Math.max(maxTokenId, id);
        }
      }
      ByteArrayOutputStream pool = new ByteArrayOutputStream();
      int[] offsets = new int[maxTokenId + 2];
      for (int r = 0; r <= maxTokenId; r++) {
        offsets[r] = pool.size();
        byte[] b = bytesById[r];
        if (b != null) pool.write(b, 0, b.length);
      }
      offsets[maxTokenId + 1] = pool.size();
      Vocabulary tokens = Vocabulary.build(pool.toByteArray(), offsets);
      for (int b = 0; b < 256; b++) {
        if (tokens.byteRank[b] < 0) {
          throw bad("model.vocab has no token '" + ByteLevel.charOf(b) + "' for the single byte "
              + String.format("0x%02X", b) + "; every byte must be a token");
        }
      }
      MergeRules rules = merges((Json.Raw) mergesValue, vocabIds, bytesById);
      Vocabulary vocab = tokens.withRules(rules, ignoreMerges);

      // Added tokens, with the ids Hugging Face gives them (AddedVocabulary::add_tokens): a text
      // that is already a token keeps that id, any other takes the next id after the model's
      // vocabulary size; the ids written in the file only warn there.
      Object addedValue = root.get("added_tokens");
      List<?> addedJson = addedValue == null ? List.of() : list(addedValue, "added_tokens");
      int nextId = vocabIds.size();
      Map<String, Integer> addedIdByContent = new HashMap<>();
      TreeMap<Integer, AddedToken> addedById = new TreeMap<>();
      Map<Integer, String> normalizedForm = new HashMap<>();
      for (int i = 0; i < addedJson.size(); i++) {
        AddedToken t = addedToken(obj(addedJson.get(i), "added_tokens[" + i + "]"), i);
        if (t.content.isEmpty()) continue;
        Integer known = addedIdByContent.get(t.content);
        if (known != null && t.equals(addedById.get(known))) continue;
        Integer id = known != null ? known : vocabIds.get(t.content);
        if (id == null) id = nextId++;
        if (id > Vocabulary.MAX_RANK) throw bad("added token '" + t.content + "' gets id " + id + ", above " + Vocabulary.MAX_RANK);
        if (t.normalized && normalizer != HfNormalizer.NONE) {
          String n = HfNormalizer.normalize(t.content, normalizer);
          if (!n.equals(t.content)) normalizedForm.put(id, n);
        }
        addedIdByContent.put(t.content, id);
        addedById.put(id, t);
      }
      int n = addedById.size();
      String[] contents = new String[n];
      int[] ids = new int[n];
      int[] flags = new int[n];
      String[] addedPatterns = new String[n];
      Map<String, String> rawTexts = new HashMap<>();
      Map<String, String> normalizedTexts = new HashMap<>();
      int k = 0;
      for (Map.Entry<Integer, AddedToken> e : addedById.entrySet()) {
        AddedToken t = e.getValue();
        int id = e.getKey();
        contents[k] = t.content;
        ids[k] = id;
        flags[k] = (t.singleWord ? HfPipeline.SINGLE_WORD : 0) | (t.lstrip ? HfPipeline.LSTRIP : 0)
            | (t.rstrip ? HfPipeline.RSTRIP : 0) | (t.normalized ? HfPipeline.NORMALIZED : 0)
            | (t.special ? HfPipeline.SPECIAL : 0);
        String decoded = normalizedForm.getOrDefault(id, t.content);
        addedPatterns[k] = t.normalized ? decoded : t.content;
        // Hugging Face refuses two added tokens found by the same text.
        String other = (t.normalized ? normalizedTexts : rawTexts).put(addedPatterns[k], t.content);
        if (other != null) {
          throw bad("added tokens '" + other + "' and '" + t.content + "' are both found by the text '"
              + addedPatterns[k] + "'");
        }
        // Decoding gives the added token's text through the ByteLevel decoder.
        extra.put(id, ByteLevel.decode(decoded));
        k++;
      }

      int[] template = postProcessor(root.get("post_processor"), null);
      decoder(root.get("decoder"));

      int[] extraIds = new int[extra.size()];
      byte[][] extraBytes = new byte[extra.size()][];
      k = 0;
      for (Map.Entry<Integer, byte[]> e : extra.entrySet()) {
        extraIds[k] = e.getKey();
        extraBytes[k++] = e.getValue();
      }
      HfPipeline.Config config = new HfPipeline.Config(normalizer, kinds.toArray(), patterns.toArray(new String[0]),
          prefixSpace, byteLevelRegex, contents, ids, flags, addedPatterns, template, extraIds, extraBytes);
      return new VocabularyFiles.Definition(name, config.pattern(), config.specialTokens(), vocab, config);
    }

    private int normalizer(Object value) {
      if (value == null) return HfNormalizer.NONE;
      List<Map<String, Object>> parts = new ArrayList<>();
      flatten(obj(value, "normalizer"), "normalizers", "normalizer", parts);
      int form = HfNormalizer.NONE;
      for (Map<String, Object> p : parts) {
        String type = type(p);
        // NFKC after or before NFC is NFKC; NFC twice is NFC.
        if ("NFC".equals(type)) form = Math.max(form, HfNormalizer.NFC);
        else if ("NFKC".equals(type)) form = HfNormalizer.NFKC;
        else throw unsupported("normalizer", String.valueOf(type));
      }
      return form;
    }

    /** Appends the components of a (possibly nested) Sequence, or the component itself. */
    private void flatten(Map<String, Object> c, String listKey, String what, List<Map<String, Object>> out) {
      if ("Sequence".equals(type(c))) {
        Object items = c.get(listKey);
        if (items == null) throw bad(what + " Sequence has no " + listKey);
        List<?> l = list(items, what + "." + listKey);
        for (int i = 0; i < l.size(); i++) flatten(obj(l.get(i), what + "." + listKey + "[" + i + "]"), listKey, what, out);
      } else {
        out.add(c);
      }
    }

    /**
     * The step kind of a Split: its behaviour and invert ({@link HfPipeline#splitKind}). A
     * pattern that a hand-written splitter implements matches every character, each match
     * non-empty, with no gap between them; then Removed inverted, MergedWithPrevious and
     * MergedWithNext (inverted or not) cut exactly as Isolated does, and take its path (GPT-4o's
     * own file is Removed inverted over o200k's pattern).
     */
    private int splitKind(Map<String, Object> step, String regex) {
      Object behaviorValue = step.get("behavior");
      int behavior = List.of(PreTokenizers.BEHAVIORS).indexOf(behaviorValue);
      if (behavior < 0) throw unsupported("Split behavior", String.valueOf(behaviorValue));
      boolean invert = bool(step, "invert", false, "Split");
      if (HfSplitters.matchesEveryCharacter(regex)) {
        if ((behavior == PreTokenizers.REMOVED && invert) || behavior == PreTokenizers.MERGED_WITH_PREVIOUS
            || behavior == PreTokenizers.MERGED_WITH_NEXT) {
          return HfPipeline.SPLIT;
        }
      }
      return HfPipeline.splitKind(behavior, invert);
    }

    private String splitPattern(Map<String, Object> step) {
      Object p = step.get("pattern");
      if (p == null) throw bad("Split has no pattern");
      Map<String, Object> pattern = obj(p, "Split.pattern");
      if (pattern.get("Regex") instanceof String) {
        String regex = (String) pattern.get("Regex");
        try {
          HfSplitters.forRegex(regex); // fails here, where the file is known, rather than in the encoding
        } catch (IllegalArgumentException e) {
          throw bad("pre_tokenizer: " + e.getMessage());
        }
        return regex;
      }
      if (pattern.get("String") instanceof String) return HfSplitters.literal((String) pattern.get("String"));
      throw bad("Split.pattern is neither {\"Regex\": ...} nor {\"String\": ...}");
    }


    /**
     * The merge rules: rule i merges the tokens of its two texts into the token of their
     * concatenation. As in Hugging Face, a repeated pair keeps the priority of its last
     * occurrence; a rule naming a token outside the vocabulary is an error; a rule on tokens
     * that are not byte strings can never apply and is left out.
     */
    private MergeRules merges(Json.Raw merges, Map<String, Integer> vocabIds, byte[][] bytesById) {
      MergeList list = new MergeList(vocabIds, bytesById);
      merges.forEachElement(list::add);
      return list.rules();
    }

    /** Merge rules read one by one. */
    private final class MergeList {
      private final Map<String, Integer> vocabIds;
      private final byte[][] bytesById;
      private int[] lefts = new int[1 << 16];
      private int[] rights = new int[1 << 16];
      private int[] results = new int[1 << 16];
      private boolean[] applies = new boolean[1 << 16];
      private final SpecialTokens.LongIntMap last = new SpecialTokens.LongIntMap(); // pair -> its last rule
      private int rank;
      private int i = -1; // index in the JSON array

      MergeList(Map<String, Integer> vocabIds, byte[][] bytesById) {
        this.vocabIds = vocabIds;
        this.bytesById = bytesById;
      }

      void add(Object m) {
        i++;
        String a;
        String b;
        if (m instanceof String) {
          String line = (String) m;
          if (line.startsWith("#version")) return;
          int sp = line.indexOf(' ');
          if (sp < 0 || line.indexOf(' ', sp + 1) >= 0) throw bad("model.merges[" + i + "] '" + line + "' is not two tokens separated by one space");
          a = line.substring(0, sp);
          b = line.substring(sp + 1);
        } else if (m instanceof List && ((List<?>) m).size() == 2
            && ((List<?>) m).get(0) instanceof String && ((List<?>) m).get(1) instanceof String) {
          a = (String) ((List<?>) m).get(0);
          b = (String) ((List<?>) m).get(1);
        } else {
          throw bad("model.merges[" + i + "] is neither \"a b\" nor [\"a\", \"b\"]");
        }
        if (rank == lefts.length) {
          lefts = Arrays.copyOf(lefts, 2 * rank);
          rights = Arrays.copyOf(rights, 2 * rank);
          results = Arrays.copyOf(results, 2 * rank);
          applies = Arrays.copyOf(applies, 2 * rank);
        }
        String ab = a.concat(b);
        Integer left = vocabIds.get(a);
        Integer right = vocabIds.get(b);
        Integer result = vocabIds.get(ab);
        if (left == null || right == null || result == null) {
          throw bad("model.merges[" + i + "] needs the token '" + (left == null ? a : right == null ? b : ab)
              + "', which is not in model.vocab");
        }
        int r = rank++;
        lefts[r] = left;
        rights[r] = right;
        results[r] = result;
        applies[r] = bytesById[left] != null && bytesById[right] != null;
        last.put((long) left << 32 | right, r);
      }

      MergeRules rules() {
        int kept = 0;
        for (int r = 0; r < rank; r++) {
          if (!applies[r] || last.get((long) lefts[r] << 32 | rights[r]) != r) continue;
          lefts[kept] = lefts[r];
          rights[kept] = rights[r];
          results[kept++] = results[r];
        }
        return new MergeRules(Arrays.copyOf(lefts, kept), Arrays.copyOf(rights, kept), Arrays.copyOf(results, kept));
      }
    }

    private AddedToken addedToken(Map<String, Object> m, int i) {
      String what = "added_tokens[" + i + "]";
      Object content = m.get("content");
      if (content == null) throw bad(what + " has no content");
      boolean special = bool(m, "special", false, what);
      return new AddedToken(str(content, what + ".content"), bool(m, "single_word", false, what),
          bool(m, "lstrip", false, what), bool(m, "rstrip", false, what), bool(m, "normalized", !special, what), special);
    }

    /**
     * The single-sequence template after {@code inner} (null: the ids alone), or null if no
     * processor adds tokens.
     */
    private int[] postProcessor(Object value, int[] inner) {
      if (value == null) return inner;
      Map<String, Object> p = obj(value, "post_processor");
      String type = type(p);
      if ("Sequence".equals(type)) {
        Object items = p.get("processors");
        if (items == null) throw bad("post_processor Sequence has no processors");
        List<?> l = list(items, "post_processor.processors");
        int[] t = inner;
        for (Object o : l) t = postProcessor(o, t);
        return t;
      }
      if ("ByteLevel".equals(type)) return inner; // offsets only
      if ("BertProcessing".equals(type) || "RobertaProcessing".equals(type)) {
        String path = "post_processor (" + type + ")";
        if (type.equals("RobertaProcessing")) {
          // trim_offsets and add_prefix_space are only checked: they change offsets, not ids.
          bool(p, "trim_offsets", true, path);
          bool(p, "add_prefix_space", true, path);
        }
        return clsSequenceSep(tokenPairId(p, "cls", path), inner, tokenPairId(p, "sep", path));
      }
      if (!"TemplateProcessing".equals(type)) throw unsupported("post_processor", String.valueOf(type));
      Map<String, Object> specials = p.get("special_tokens") == null ? Map.of()
          : obj(p.get("special_tokens"), "TemplateProcessing.special_tokens");
      Object single = p.get("single");
      if (single == null) throw bad("TemplateProcessing has no single template");
      IntList out = new IntList(8);
      int sequences = 0;
      for (Object o : list(single, "TemplateProcessing.single")) {
        Map<String, Object> piece = obj(o, "a TemplateProcessing.single piece");
        if (piece.get("Sequence") != null) {
          Object id = obj(piece.get("Sequence"), "a Sequence piece").get("id");
          if (!"A".equals(id)) throw unsupported("TemplateProcessing single template", "with sequence " + id);
          sequences++;
          if (inner == null) out.add(HfPipeline.SEQUENCE);
          else for (int x : inner) out.add(x);
        } else if (piece.get("SpecialToken") != null) {
          String id = str(obj(piece.get("SpecialToken"), "a SpecialToken piece").get("id"), "SpecialToken.id");
          Object token = specials.get(id);
          if (token == null) throw bad("TemplateProcessing uses the special token '" + id + "', missing from its special_tokens");
          for (Object tid : list(obj(token, "special_tokens[\"" + id + "\"]").get("ids"), "special_tokens[\"" + id + "\"].ids")) {
            out.add(id(tid, "special_tokens[\"" + id + "\"].ids"));
          }
        } else {
          throw bad("a TemplateProcessing.single piece is neither Sequence nor SpecialToken");
        }
      }
      if (sequences != 1) throw unsupported("TemplateProcessing single template", "with " + sequences + " sequences");
      return out.toArray();
    }

    private void decoder(Object value) {
      if (value == null) return;
      List<Map<String, Object>> parts = new ArrayList<>();
      flatten(obj(value, "decoder"), "decoders", "decoder", parts);
      for (Map<String, Object> d : parts) {
        if (!"ByteLevel".equals(type(d))) throw unsupported("decoder", String.valueOf(type(d)));
      }
    }
  }

  /** An entry of added_tokens. */
  private record AddedToken(String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
      boolean special) {}

  /** The encoding name for a tokenizer.json path: its folder's name if the file is named tokenizer.json, else the file's name without .json. */
  static String nameOf(String path) {
    String p = path.replace('\\', '/');
    while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
    int q = p.indexOf('?');
    if (q >= 0) p = p.substring(0, q);
    int slash = p.lastIndexOf('/');
    String file = p.substring(slash + 1);
    if (file.equalsIgnoreCase("tokenizer.json") && slash > 0) {
      String dir = p.substring(0, slash);
      String parent = dir.substring(dir.lastIndexOf('/') + 1);
      if (!parent.isEmpty() && !parent.contains(":")) return parent;
    }
    String name = file.replaceFirst("(?i)\\.json$", "");
    return name.isEmpty() ? "tokenizer" : name;
  }
}
