package dev.fasttok.spark;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import dev.fasttok.sql.EncodingCache;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.WeakHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The custom vocabularies of one SparkSession, on the driver: read from their files once per
 * session (with Hadoop's FileSystem, so any URI Spark can read works), turned into the engine's
 * compact form and broadcast. Vocabularies come from the session's configuration
 * ({@code spark.fasttok.vocabulary.<name>=<path>}) or are registered by code (the ML
 * Transformer's {@code vocabulary} param).
 */
final class SessionVocabularies {
  private static final Map<SparkSession, SessionVocabularies> SESSIONS = new WeakHashMap<>();
  @SuppressWarnings("unchecked")
  private static final ClassTag<VocabularyBytes> TAG =
      (ClassTag<VocabularyBytes>) (ClassTag<?>) ClassTag$.MODULE$.apply(VocabularyBytes.class);

  /** Where a vocabulary comes from. */
  private static final class Spec {
    final String path;
    final String base;

    Spec(String path, String base) {
      this.path = path;
      this.base = base;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec && ((Spec) o).path.equals(path) && ((Spec) o).base.equals(base);
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, base);
    }
  }

  private static final class Loaded {
    final Spec spec;
    final CustomVocabulary vocabulary;

    Loaded(Spec spec, CustomVocabulary vocabulary) {
      this.spec = spec;
      this.vocabulary = vocabulary;
    }
  }

  private final Map<String, Spec> registered = new LinkedHashMap<>();
  private final Map<String, Loaded> loaded = new HashMap<>();
  private int reads;

  private SessionVocabularies() {}

  static synchronized SessionVocabularies of(SparkSession session) {
    return SESSIONS.computeIfAbsent(session, s -> new SessionVocabularies());
  }

  /** The active session (on the driver, while a query is analysed), or null. */
  static SparkSession activeSession() {
    scala.Option<SparkSession> s = SparkSession.getActiveSession();
    if (s.isDefined()) return s.get();
    s = SparkSession.getDefaultSession();
    return s.isDefined() ? s.get() : null;
  }

  /**
   * A resolver for the active session, with the custom vocabularies in {@code needed} loaded (all
   * of the session's if null). Without a session: built-in encodings only.
   */
  static EncodingResolver resolverForActiveSession(Collection<String> needed) {
    SparkSession s = activeSession();
    return s == null ? EncodingResolver.builtIn() : of(s).resolver(s, needed);
  }

  /** Number of vocabulary files this session has read successfully (diagnostics and tests). */
  synchronized int reads() {
    return reads;
  }

  /**
   * Makes the vocabulary file at {@code path} usable in this session under the returned name (the
   * path, with {@code #base} for a {@code .tiktoken} file); read on first use.
   */
  synchronized String register(String path, String base) {
    String b = base == null || base.isEmpty() ? FasttokConf.DEFAULT_ENCODING : base;
    String name = path.toLowerCase(java.util.Locale.ROOT).endsWith(".tiktoken") ? path + "#" + b : path;
    registered.put(name, new Spec(path, b));
    return name;
  }

  /** The session's vocabularies, by name: configured ones, then registered ones. */
  private Map<String, Spec> specs(SparkSession session) {
    Map<String, String> conf = new TreeMap<>();
    scala.collection.Iterator<Tuple2<String, String>> it = session.conf().getAll().iterator();
    while (it.hasNext()) {
      Tuple2<String, String> kv = it.next();
      if (kv._1().startsWith(FasttokConf.VOCABULARY_PREFIX)) conf.put(kv._1(), kv._2());
    }
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : conf.entrySet()) {
      String name = e.getKey().substring(FasttokConf.VOCABULARY_PREFIX.length());
      if (name.endsWith(FasttokConf.BASE_SUFFIX) || name.isEmpty()) continue;
      String base = conf.getOrDefault(e.getKey() + FasttokConf.BASE_SUFFIX, FasttokConf.DEFAULT_ENCODING);
      specs.put(name, new Spec(e.getValue().trim(), base.trim()));
    }
    for (Map.Entry<String, Spec> e : registered.entrySet()) specs.putIfAbsent(e.getKey(), e.getValue());
    return specs;
  }

  /** A resolver snapshot: the default encoding and the vocabularies asked for, loaded. */
  synchronized EncodingResolver resolver(SparkSession session, Collection<String> needed) {
    String def = session.conf().get(FasttokConf.ENCODING, FasttokConf.DEFAULT_ENCODING).trim();
    Map<String, Spec> specs = specs(session);
    Map<String, CustomVocabulary> custom = new LinkedHashMap<>();
    for (Map.Entry<String, Spec> e : specs.entrySet()) {
      String name = e.getKey();
      if (needed == null || needed.contains(name) || name.equals(def)) {
        custom.put(name, load(session, name, e.getValue()));
      }
    }
    return new EncodingResolver(def, custom, new ArrayList<>(specs.keySet()));
  }

  private CustomVocabulary load(SparkSession session, String name, Spec spec) {
    Loaded l = loaded.get(name);
    if (l != null && l.spec.equals(spec)) return l.vocabulary;
    if (EncodingCache.isBuiltIn(name)) {
      // Failures are not cached: a fixed file or configuration is picked up by the next query.
      return CustomVocabulary.failed(name, spec.path, "custom vocabulary '" + name
          + "' has the name of a built-in encoding or model; configure it under another name");
    }
    Encoding encoding;
    try {
      Path path = new Path(spec.path);
      SparkContext sc = session.sparkContext();
      FileSystem fs = path.getFileSystem(sc.hadoopConfiguration());
      try (InputStream in = fs.open(path)) {
        encoding = Encodings.readVocabulary(spec.path, in, spec.base);
      }
      reads++;
    } catch (IOException | RuntimeException e) {
      return CustomVocabulary.failed(name, spec.path, "cannot read custom vocabulary '" + name + "' from "
          + spec.path + ": " + e);
    }
    byte[] compact = encoding.toBytes();
    Broadcast<VocabularyBytes> b = session.sparkContext().broadcast(new VocabularyBytes(name, compact, encoding), TAG);
    CustomVocabulary v = CustomVocabulary.loaded(name, spec.path, b);
    Loaded old = loaded.put(name, new Loaded(spec, v));
    if (old != null && old.vocabulary.isLoaded()) old.vocabulary.broadcast().unpersist(false);
    return v;
  }

  /** The broadcast of a loaded vocabulary, or null (tests). */
  synchronized Broadcast<VocabularyBytes> broadcastOf(String name) {
    Loaded l = loaded.get(name);
    return l == null || !l.vocabulary.isLoaded() ? null : l.vocabulary.broadcast();
  }

  /** Names of the session's custom vocabularies (for messages). */
  synchronized List<String> names(SparkSession session) {
    return new ArrayList<>(specs(session).keySet());
  }
}
