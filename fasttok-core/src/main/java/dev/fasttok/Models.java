package dev.fasttok;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI model names to their encodings, as tiktoken 0.14's {@code encoding_name_for_model}
 * maps them (tiktoken/model.py): an exact name first, then the first prefix that matches, in
 * tiktoken's order.
 */
final class Models {
  private Models() {}

  private static final Map<String, String> EXACT = new LinkedHashMap<>();
  private static final Map<String, String> PREFIX = new LinkedHashMap<>();

  static {
    String o200k = "o200k_base";
    String cl100k = "cl100k_base";
    String r50k = "r50k_base";
    String p50k = "p50k_base";
    // Order matters: the first matching prefix wins (ft:gpt-4o before ft:gpt-4).
    for (String p : new String[] {"o1-", "o3-", "o4-mini-", "gpt-5", "gpt-4.5-", "gpt-4.1-", "chatgpt-4o-", "gpt-4o-"}) {
      PREFIX.put(p, o200k);
    }
    for (String p : new String[] {"gpt-4-", "gpt-3.5-turbo-", "gpt-35-turbo-"}) PREFIX.put(p, cl100k);
    PREFIX.put("gpt-oss-", "o200k_harmony");
    PREFIX.put("ft:gpt-4o", o200k);
    for (String p : new String[] {"ft:gpt-4", "ft:gpt-3.5-turbo", "ft:davinci-002", "ft:babbage-002"}) {
      PREFIX.put(p, cl100k);
    }

    for (String m : new String[] {"o1", "o3", "o4-mini", "gpt-5", "gpt-4.1", "gpt-4o"}) EXACT.put(m, o200k);
    for (String m : new String[] {"gpt-4", "gpt-3.5-turbo", "gpt-3.5", "gpt-35-turbo", "davinci-002", "babbage-002",
        "text-embedding-ada-002", "text-embedding-3-small", "text-embedding-3-large"}) {
      EXACT.put(m, cl100k);
    }
    for (String m : new String[] {"text-davinci-003", "text-davinci-002"}) EXACT.put(m, p50k);
    for (String m : new String[] {"text-davinci-001", "text-curie-001", "text-babbage-001", "text-ada-001", "davinci",
        "curie", "babbage", "ada"}) {
      EXACT.put(m, r50k);
    }
    for (String m : new String[] {"code-davinci-002", "code-davinci-001", "code-cushman-002", "code-cushman-001",
        "davinci-codex", "cushman-codex"}) {
      EXACT.put(m, p50k);
    }
    EXACT.put("text-davinci-edit-001", "p50k_edit");
    EXACT.put("code-davinci-edit-001", "p50k_edit");
    for (String m : new String[] {"text-similarity-davinci-001", "text-similarity-curie-001",
        "text-similarity-babbage-001", "text-similarity-ada-001", "text-search-davinci-doc-001",
        "text-search-curie-doc-001", "text-search-babbage-doc-001", "text-search-ada-doc-001",
        "code-search-babbage-code-001", "code-search-ada-code-001"}) {
      EXACT.put(m, r50k);
    }
    EXACT.put("gpt2", "gpt2");
    EXACT.put("gpt-2", "gpt2");
  }

  /** The encoding name of a model, or null if tiktoken does not map it. */
  static String encodingOf(String model) {
    String e = EXACT.get(model);
    if (e != null) return e;
    for (Map.Entry<String, String> p : PREFIX.entrySet()) {
      if (model.startsWith(p.getKey())) return p.getValue();
    }
    return null;
  }

  /** The known names (encodings, models, model prefixes as "prefix*") closest to a name, best first. */
  static List<String> nearest(String name, Iterable<String> encodings, int most) {
    List<String> known = new ArrayList<>();
    for (String e : encodings) known.add(e);
    known.addAll(EXACT.keySet());
    for (String p : PREFIX.keySet()) known.add(p + "*");
    String n = name.toLowerCase(java.util.Locale.ROOT);
    known.sort(Comparator.comparingInt((String k) -> distance(n, k.endsWith("*") ? k.substring(0, k.length() - 1) : k)));
    return known.subList(0, Math.min(most, known.size()));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
