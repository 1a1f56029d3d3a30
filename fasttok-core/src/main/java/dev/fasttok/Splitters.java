package dev.fasttok;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Picks the splitter for a split pattern: a hand-written one where it implements that pattern
 * exactly, else the pattern compiled ({@link CompiledSplitter}), else {@code java.util.regex}.
 */
final class Splitters {
  private Splitters() {}

  private static final System.Logger LOG = System.getLogger("dev.fasttok");
  /** Compiled splitters are immutable and their tables take a moment to build: one per pattern. */
  private static final Map<String, Splitter> COMPILED = new ConcurrentHashMap<>();
  private static final Map<String, Boolean> LOGGED = new ConcurrentHashMap<>();

  static Splitter forPattern(String pattern) {
    if (pattern.equals(Cl100kSplitter.PATTERN)) return new Cl100kSplitter();
    if (pattern.equals(Cl100kSplitter.SINGLE_DIGIT_PATTERN)) return new Cl100kSplitter(1);
    if (pattern.equals(O200kSplitter.PATTERN)) return new O200kSplitter();
    if (pattern.equals(R50kSplitter.PATTERN)) return new R50kSplitter();
    return compiledOr(pattern, PatternParser.Dialect.TIKTOKEN, false, () -> new RegexSplitter(pattern));
  }

  /**
   * The compiled pattern, or {@code regex} for one the compiler does not handle (logged once per
   * pattern). A pattern that neither accepts is an error naming the pattern and the position.
   */
  static Splitter compiledOr(String pattern, PatternParser.Dialect dialect, boolean keepGaps, Supplier<Splitter> regex) {
    String key = dialect + (keepGaps ? "+" : "-") + pattern;
    Splitter s = COMPILED.get(key);
    if (s != null) return s;
    try {
      s = CompiledSplitter.compile(pattern, dialect, keepGaps);
      if (COMPILED.size() > 256) COMPILED.clear();
      COMPILED.put(key, s);
      return s;
    } catch (PatternParser.Unsupported e) {
      Splitter fallback = regex.get();
      logFallback(pattern, e.getMessage());
      return fallback;
    } catch (PatternParser.Malformed e) {
      Splitter fallback;
      try {
        fallback = regex.get();
      } catch (IllegalArgumentException rejected) {
        String what = dialect == PatternParser.Dialect.ONIGURUMA ? "invalid Split regex " : "invalid split pattern ";
        throw new IllegalArgumentException(what + pattern + ": " + e.getMessage(), rejected);
      }
      logFallback(pattern, e.getMessage());
      return fallback;
    }
  }

  /**
   * WARNING, not INFO: the pieces stay exact but splitting runs 20-80 times slower, which a job
   * notices and whose cause it should not need INFO logging (off in most cluster setups) to find;
   * once per pattern and JVM, so it does not repeat per task or per encoding.
   */
  private static void logFallback(String pattern, String why) {
    if (LOGGED.putIfAbsent(pattern, Boolean.TRUE) == null) {
      LOG.log(Level.WARNING, "split pattern {0} is not compiled ({1}); it runs on java.util.regex, 20-80 times slower",
          pattern, why);
    }
  }
}
