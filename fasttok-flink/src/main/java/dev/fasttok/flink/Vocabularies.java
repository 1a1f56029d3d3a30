package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.sql.EncodingCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The encodings fasttok's Flink functions know: the built-in ones, custom vocabularies, and the
 * default encoding (used when a call names none; {@value #DEFAULT_ENCODING} unless set).
 *
 * <p>A custom vocabulary is read once, where it is configured (on the client that plans the job:
 * the SQL client, the program's {@code main}), and travels with the job inside the function
 * instances, in the engine's compact form ({@link Encoding#toBytes()}): TaskManagers never read the
 * file. On a TaskManager the Encoding is built from those bytes once per JVM, shared by every slot
 * and function instance ({@link Encodings#fromBytes} recognizes equal bytes).
 *
 * <pre>{@code
 * Vocabularies v = Vocabularies.builder()
 *     .vocabulary("mine", "s3://bucket/mine.tiktoken", "cl100k_base")  // read now
 *     .defaultEncoding("mine")
 *     .build();
 * tableEnv.loadModule("fasttok", new FasttokModule(v));
 * }</pre>
 *
 * <p>In SQL the same is {@code LOAD MODULE fasttok WITH ('vocabulary.mine' = 's3://bucket/mine.tiktoken',
 * 'vocabulary.mine.base' = 'cl100k_base', 'encoding' = 'mine')}.
 */
public final class Vocabularies implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default encoding when none is configured. */
  public static final String DEFAULT_ENCODING = dev.fasttok.sql.TokenFunction.DEFAULT_ENCODING;

  /** Module option: the default encoding, a built-in encoding or a custom vocabulary's name. */
  public static final String ENCODING_OPTION = "encoding";

  /**
   * Module option prefix: {@code 'vocabulary.<name>' = '<path or URI>'} makes {@code <name>}
   * usable wherever an encoding name is. The file is read with Flink's FileSystem (local paths,
   * {@code file:}, and the schemes of the installed file system plugins: {@code s3:},
   * {@code hdfs:} ...). Its kind comes from its name's ending: {@code .ftok} (fasttok's compact
   * form), {@code .tiktoken} (tiktoken ranks) or {@code .json} (a Hugging Face tokenizer.json).
   */
  public static final String VOCABULARY_PREFIX = "vocabulary.";

  /**
   * Module option suffix: {@code 'vocabulary.<name>.base' = 'cl100k_base'} names the built-in
   * encoding whose split pattern and special tokens a {@code .tiktoken} vocabulary uses (default
   * {@value #DEFAULT_ENCODING}).
   */
  public static final String BASE_SUFFIX = ".base";

  private static final Vocabularies BUILT_IN = new Vocabularies(DEFAULT_ENCODING, Collections.emptyMap(),
      Collections.emptyList());

  private final String defaultEncoding;
  /** The custom vocabularies this instance carries, by name. */
  private final LinkedHashMap<String, Custom> custom;
  /** Every configured custom vocabulary's name, carried or not (for messages). */
  private final ArrayList<String> configured;

  /** One custom vocabulary: where it was read from and its compact form. */
  static final class Custom implements Serializable {
    private static final long serialVersionUID = 1L;

    final String name;
    final String source;
    final byte[] compact;
    /** On the client, the Encoding read from the file; elsewhere built from the bytes on first use. */
    private transient volatile Encoding encoding;

    Custom(String name, String source, byte[] compact, Encoding encoding) {
      this.name = name;
      this.source = source;
      this.compact = compact;
      this.encoding = encoding;
    }

    Encoding encoding() {
      Encoding e = encoding;
      if (e == null) encoding = e = Encodings.fromBytes(compact);
      return e;
    }

    @Override
    public String toString() {
      return name + "=" + source;
    }
  }

  private Vocabularies(String defaultEncoding, Map<String, Custom> custom, List<String> configured) {
    this.defaultEncoding = defaultEncoding;
    this.custom = new LinkedHashMap<>(custom);
    this.configured = new ArrayList<>(configured);
  }

  /** The built-in encodings only, with the default {@value #DEFAULT_ENCODING}. */
  public static Vocabularies builtIn() {
    return BUILT_IN;
  }

  /** A builder, to add custom vocabularies and choose the default encoding. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * From the options of {@code LOAD MODULE fasttok WITH (...)}: {@value #ENCODING_OPTION},
   * {@code vocabulary.<name>} and {@code vocabulary.<name>.base}. Reads the vocabulary files now.
   *
   * @throws IllegalArgumentException for an unknown option, an unknown encoding, or a vocabulary
   *     that cannot be read, naming it
   */
  public static Vocabularies fromOptions(Map<String, String> options) {
    Builder b = builder();
    Map<String, String> sorted = new TreeMap<>(options);
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      String key = e.getKey();
      if (key.equals(ENCODING_OPTION)) continue;
      if (!key.startsWith(VOCABULARY_PREFIX)) {
        throw new IllegalArgumentException("unknown option '" + key + "' of module fasttok; its options are '"
            + ENCODING_OPTION + "', '" + VOCABULARY_PREFIX + "<name>' and '" + VOCABULARY_PREFIX + "<name>"
            + BASE_SUFFIX + "'");
      }
      String name = key.substring(VOCABULARY_PREFIX.length());
      if (name.endsWith(BASE_SUFFIX)) {
        String owner = key.substring(0, key.length() - BASE_SUFFIX.length());
        if (!sorted.containsKey(owner)) {
          throw new IllegalArgumentException("option '" + key + "' names the base of vocabulary '"
              + owner.substring(VOCABULARY_PREFIX.length()) + "', which has no '" + owner + "' option");
        }
        continue;
      }
      b.vocabulary(name, e.getValue().trim(), sorted.getOrDefault(key + BASE_SUFFIX, DEFAULT_ENCODING).trim());
    }
    String def = options.get(ENCODING_OPTION);
    if (def != null) b.defaultEncoding(def.trim());
    return b.build();
  }

  /** Builds {@link Vocabularies}. */
  public static final class Builder {
    private String defaultEncoding = DEFAULT_ENCODING;
    private final LinkedHashMap<String, Custom> custom = new LinkedHashMap<>();

    private Builder() {}

    /** The encoding of calls that name none: a built-in encoding or a custom vocabulary's name. */
    public Builder defaultEncoding(String name) {
      this.defaultEncoding = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Reads the vocabulary file at {@code path} now (with Flink's FileSystem: a local path or any
     * URI of an installed file system) and makes it usable as encoding {@code name}.
     *
     * @param base for a {@code .tiktoken} file, the built-in encoding whose split pattern and
     *     special tokens it uses (null: {@value #DEFAULT_ENCODING}); not used for other kinds
     * @throws IllegalArgumentException if the name is taken or the file cannot be read, naming it
     */
    public Builder vocabulary(String name, String path, String base) {
      checkName(name);
      Encoding e;
      try {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem();
        try (InputStream in = fs.open(p)) {
          e = Encodings.readVocabulary(path, in, base == null || base.isEmpty() ? DEFAULT_ENCODING : base);
        }
      } catch (IOException | RuntimeException x) {
        throw new IllegalArgumentException("cannot read custom vocabulary '" + name + "' from " + path + ": " + x, x);
      }
      custom.put(name, new Custom(name, path, e.toBytes(), e));
      return this;
    }

    /** Makes an Encoding built by code usable as encoding {@code name}. */
    public Builder vocabulary(String name, Encoding encoding) {
      checkName(name);
      custom.put(name, new Custom(name, encoding.name(), encoding.toBytes(), encoding));
      return this;
    }

    private void checkName(String name) {
      if (name == null || name.trim().isEmpty() || !name.equals(name.trim())) {
        throw new IllegalArgumentException("a custom vocabulary needs a name without surrounding spaces, got '"
            + name + "'");
      }
      if (EncodingCache.isBuiltIn(name)) {
        throw new IllegalArgumentException("custom vocabulary '" + name
            + "' has the name of a built-in encoding or model; give it another name");
      }
      if (custom.containsKey(name)) throw new IllegalArgumentException("custom vocabulary '" + name + "' is given twice");
    }

    /**
     * @throws IllegalArgumentException if the default encoding is neither built in nor one of
     *     the custom vocabularies
     */
    public Vocabularies build() {
      Vocabularies v = new Vocabularies(defaultEncoding, custom, new ArrayList<>(custom.keySet()));
      if (!v.isKnown(defaultEncoding)) {
        throw new IllegalArgumentException("the default encoding ('" + ENCODING_OPTION + "') names "
            + v.unknownMessage(defaultEncoding));
      }
      return v;
    }
  }

  /** The encoding of calls that name none. */
  public String defaultEncoding() {
    return defaultEncoding;
  }

  /** The names of the custom vocabularies. */
  public Set<String> vocabularyNames() {
    return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(configured));
  }

  /** Whether {@code name} is a built-in encoding or a custom vocabulary. */
  public boolean isKnown(String name) {
    return custom.containsKey(name) || configured.contains(name) || EncodingCache.isBuiltIn(name);
  }

  /**
   * The Encoding of that name: a custom vocabulary (built from its bytes once per JVM) or a
   * built-in encoding (loaded once per JVM).
   *
   * @throws IllegalArgumentException naming the value, for an unknown name
   */
  public Encoding encoding(String name) {
    Custom c = custom.get(name);
    if (c != null) return c.encoding();
    if (EncodingCache.isBuiltIn(name)) return Encodings.get(name);
    throw new IllegalArgumentException(unknownMessage(name));
  }

  String unknownMessage(String name) {
    StringBuilder sb = new StringBuilder();
    sb.append("unknown encoding '").append(name).append("'; built-in encodings: ")
        .append(EncodingCache.builtInNames()).append("; custom vocabularies: ");
    if (configured.isEmpty()) {
      sb.append("none (configure one with LOAD MODULE fasttok WITH ('").append(VOCABULARY_PREFIX)
          .append("<name>' = '<path>'))");
    } else {
      sb.append(String.join(", ", configured));
    }
    return sb.toString();
  }

  /**
   * A copy that carries only the custom vocabularies named in {@code needed} (all if null), for a
   * call whose encodings are known when it is planned: only those travel with the job.
   */
  Vocabularies only(Collection<String> needed) {
    if (needed == null) return this;
    LinkedHashMap<String, Custom> kept = new LinkedHashMap<>();
    for (Map.Entry<String, Custom> e : custom.entrySet()) {
      if (needed.contains(e.getKey())) kept.put(e.getKey(), e.getValue());
    }
    return kept.size() == custom.size() ? this : new Vocabularies(defaultEncoding, kept, configured);
  }

  /** The custom vocabularies carried (for tests and messages). */
  Collection<Custom> carried() {
    return Collections.unmodifiableCollection(custom.values());
  }

  @Override
  public String toString() {
    return "Vocabularies[default " + defaultEncoding + (custom.isEmpty() ? "" : ", " + custom.values()) + "]";
  }
}
