package dev.fasttok;

import java.util.List;
import java.util.Map;

/**
 * The typed reads both tokenizer.json readers ({@link TokenizerJson}, {@link ComponentJson}) make
 * of a parsed file ({@link Json}), each failing with an error that names the file and where in it.
 */
abstract class JsonFields {
  /** The file, as errors name it. */
  final String source;

  JsonFields(String source) {
    this.source = source;
  }

  final IllegalArgumentException bad(String what) {
    return new IllegalArgumentException(source + ": " + what);
  }

  @SuppressWarnings("unchecked")
  final Map<String, Object> obj(Object o, String path) {
    if (!(o instanceof Map)) throw bad(path + " is not a JSON object");
    return (Map<String, Object>) o;
  }

  final List<?> list(Object o, String path) {
    if (!(o instanceof List)) throw bad(path + " is not a JSON array");
    return (List<?>) o;
  }

  final boolean bool(Map<String, Object> m, String key, boolean absent, String path) {
    Object v = m.get(key);
    if (v == null) return absent;
    if (!(v instanceof Boolean)) throw bad(path + "." + key + " is not true or false");
    return (Boolean) v;
  }

  final int id(Object o, String path) {
    if (o instanceof Long && (Long) o >= 0 && (Long) o <= Vocabulary.MAX_RANK) return (int) (long) (Long) o;
    throw bad(path + " is not a token id from 0 to " + Vocabulary.MAX_RANK + ": " + o);
  }

  /**
   * The id of a post-processor's {@code [token, id]} pair ({@code cls} and {@code sep} of
   * BertProcessing and RobertaProcessing); tokenizers requires both, as a pair.
   */
  final int tokenPairId(Map<String, Object> p, String key, String path) {
    String q = path + "." + key;
    if (p.get(key) == null) throw bad(path + " has no " + key);
    List<?> pair = list(p.get(key), q);
    if (pair.size() != 2 || !(pair.get(0) instanceof String)) throw bad(q + " is not a [token, id] pair");
    return id(pair.get(1), q + "[1]");
  }

  /**
   * The single-sequence template of BertProcessing and RobertaProcessing: {@code cls}, the
   * sequence ({@code inner}, or {@link Pipeline#SEQUENCE} when null), {@code sep}. Roberta's
   * {@code trim_offsets} and {@code add_prefix_space} change offsets only, never ids.
   */
  static int[] clsSequenceSep(int cls, int[] inner, int sep) {
    IntList out = new IntList(8);
    out.add(cls);
    if (inner == null) out.add(Pipeline.SEQUENCE);
    else for (int x : inner) out.add(x);
    out.add(sep);
    return out.toArray();
  }

  /** A component's {@code type}, or null if it has none. */
  static String type(Map<String, Object> m) {
    Object t = m.get("type");
    return t instanceof String ? (String) t : null;
  }
}
