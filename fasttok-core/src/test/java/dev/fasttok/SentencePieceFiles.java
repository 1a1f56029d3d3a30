package dev.fasttok;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The tokenizer.json files of golden/hf/spbpe (see src/test/oracle/make-spbpe-golden.py) read
 * into the standalone model, normalizers and decoders, as the tokenizer.json pipeline will.
 */
final class SentencePieceFiles {
  private SentencePieceFiles() {}

  static final String ROOT = "/golden/hf/spbpe/";
  /**
   * The real files whose ids are committed but not the files (model licences), each found
   * through the system property {@code fasttok.<name>} or the environment variable
   * {@code FASTTOK_<NAME>}.
   */
  static final List<String> EXTERNAL = List.of("llama2", "gemma3");

  /** The path of an external file, or null when it is not given. */
  private static String externalPath(String name) {
    return System.getProperty("fasttok." + name, System.getenv("FASTTOK_" + name.toUpperCase(java.util.Locale.ROOT)));
  }

  /** Whether a tokenizer's file is here: a committed sample-* file, or an external one that is given. */
  static boolean available(String name) {
    return !EXTERNAL.contains(name) || externalPath(name) != null;
  }

  /** Llama 2's file when given, else sample-bf, trained with Llama 2's layout. */
  static String llama2OrSample() {
    return available("llama2") ? "llama2" : "sample-bf";
  }

  /** The text of an external file, or null when it is not given. */
  static String externalText(String name) {
    String file = externalPath(name);
    if (file == null) return null;
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A parsed tokenizer.json by name: a sample-* file, or an external one (null if not given). */
  static Map<String, Object> tokenizerJson(String name) {
    String text = EXTERNAL.contains(name) ? externalText(name) : gunzip(ROOT + name + ".tokenizer.json.gz");
    return text == null ? null : obj(Json.parse(text, name));
  }

  static String gunzip(String resource) {
    try (InputStream in = SentencePieceFiles.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing test resource " + resource);
      return new String(new GZIPInputStream(in).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /** The vocabulary of a model object. */
  static Map<String, Integer> vocab(Map<String, Object> model) {
    Map<String, Integer> v = new HashMap<>();
    obj(model.get("vocab")).forEach((k, id) -> v.put(k, ((Number) id).intValue()));
    return v;
  }

  /** Id to token of a model object. */
  static Map<Integer, String> tokens(Map<String, Object> model) {
    Map<Integer, String> r = new HashMap<>();
    vocab(model).forEach((k, id) -> r.put(id, k));
    return r;
  }

  /** The model of a tokenizer.json {@code "model"} object (pairs or legacy merges). */
  static CharBpe model(Map<String, Object> model) {
    List<Object> ms = list(model.get("merges"));
    List<String[]> merges;
    if (!ms.isEmpty() && ms.get(0) instanceof String) {
      List<String> lines = new ArrayList<>();
      for (Object m : ms) lines.add((String) m);
      merges = CharBpe.legacyMerges(lines);
    } else {
      merges = new ArrayList<>();
      for (Object m : ms) merges.add(new String[] {(String) list(m).get(0), (String) list(m).get(1)});
    }
    Object dropout = model.get("dropout");
    return CharBpe.of(vocab(model), merges, (String) model.get("unk_token"), bool(model, "fuse_unk"),
        bool(model, "byte_fallback"), (String) model.get("continuing_subword_prefix"),
        (String) model.get("end_of_word_suffix"), bool(model, "ignore_merges"),
        dropout == null ? null : ((Number) dropout).doubleValue());
  }

  private static boolean bool(Map<String, Object> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }

  /** Applies a tokenizer.json normalizer of Prepend, Replace (string) and Sequence, or none. */
  static SentencePieceNormalizers.Normalized normalize(Object normalizer, SentencePieceNormalizers.Normalized in) {
    if (normalizer == null) return in;
    Map<String, Object> n = obj(normalizer);
    switch ((String) n.get("type")) {
      case "Prepend":
        return SentencePieceNormalizers.prepend(in.text, in.align, (String) n.get("prepend"));
      case "Replace":
        return SentencePieceNormalizers.replace(in.text, in.align,
            SentencePieceDecoders.stringPattern(n, "normalizer"), (String) n.get("content"));
      case "Sequence":
        for (Object x : list(n.get("normalizers"))) in = normalize(x, in);
        return in;
      default:
        throw new IllegalArgumentException("normalizer " + n.get("type"));
    }
  }

  /**
   * The pieces the model gets from a document, as the generator made them: the normalized text
   * as one piece, or for a file without a normalizer the text split at U+0020.
   */
  static List<String> pieces(Map<String, Object> tokenizer, String doc) {
    List<String> out = new ArrayList<>();
    Object normalizer = tokenizer.get("normalizer");
    if (normalizer != null) {
      String n = normalize(normalizer, SentencePieceNormalizers.of(doc)).text;
      if (!n.isEmpty()) out.add(n);
      return out;
    }
    int start = 0;
    for (int i = 0; i <= doc.length(); i++) {
      if (i == doc.length() || doc.charAt(i) == ' ') {
        if (i > start) out.add(doc.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }

  /** The model-only ids of a document's pieces, concatenated. */
  static int[] ids(PieceModel model, Map<String, Object> tokenizer, String doc) {
    IntList ids = new IntList(64);
    for (String p : pieces(tokenizer, doc)) model.encode(p, 0, p.length(), ids, null);
    return ids.toArray();
  }
}
