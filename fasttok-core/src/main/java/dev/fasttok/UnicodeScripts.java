package dev.fasttok;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The Unicode scripts a split pattern names ({@code \p{Han}}, {@code \p{Latin}}...), as each
 * reference engine has them: Oniguruma in Hugging Face tokenizers for tokenizer.json, fancy-regex
 * in tiktoken for tiktoken patterns. The table, {@code unicode-scripts.txt}, is the engines' own
 * answer for every code point (src/test/oracle/make-script-table.py), never the running JDK's.
 *
 * <p>Names are matched as each engine matches them: Oniguruma ignores case, spaces, '_' and '-'
 * and takes only the bare name or its four-letter code; fancy-regex (the regex crate) also drops
 * a leading "is" and takes {@code Script=}/{@code sc=} in front. {@code Script_Extensions} is
 * another table, not this one: such names are not scripts here.
 */
final class UnicodeScripts {
  static final String RESOURCE = "unicode-scripts.txt";

  private UnicodeScripts() {}

  /** Per dialect, loose name to code points. */
  private static final class Table {
    static final Map<String, BitSet> ONIGURUMA = new HashMap<>();
    static final Map<String, BitSet> TIKTOKEN = new HashMap<>();

    static {
      try (InputStream in = UnicodeScripts.class.getResourceAsStream(RESOURCE)) {
        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String[] names = null;
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
          lineNo++;
          if (line.isEmpty() || line.startsWith("#")) continue;
          String[] f = line.split(" ");
          if (f[0].equals("script") && f.length >= 4) {
            names = f;
          } else if (f[0].equals("ranges") && names != null) {
            BitSet s = new BitSet(UnicodeTable.MAX_CODE_POINT + 1);
            for (int k = 1; k < f.length; k++) {
              int dash = f[k].indexOf('-');
              int lo = Integer.parseInt(dash < 0 ? f[k] : f[k].substring(0, dash), 16);
              int hi = dash < 0 ? lo : Integer.parseInt(f[k].substring(dash + 1), 16);
              s.set(lo, hi + 1);
            }
            for (int k = 3; k < names.length; k++) {
              Map<String, BitSet> m = names[k].equals("onig") ? ONIGURUMA : names[k].equals("tiktoken") ? TIKTOKEN : null;
              if (m == null) throw new IllegalStateException(RESOURCE + " line " + lineNo + ": engine " + names[k]);
              m.put(loose(names[1]), s);
              m.put(loose(names[2]), s);
            }
            names = null;
          } else {
            throw new IllegalStateException(RESOURCE + " line " + lineNo + ": cannot read '" + line + "'");
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A name with case, spaces, '_' and '-' dropped, as both engines compare names. */
  private static String loose(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != ' ' && c != '_' && c != '-' && c != '\t') sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
    }
    return sb.toString();
  }

  /**
   * The code points of the script the property name (what is between the braces of
   * {@code \p{...}}) names in the dialect, or null if it names no script there. A fresh set.
   */
  static BitSet of(String property, PatternParser.Dialect dialect) {
    BitSet s;
    if (dialect == PatternParser.Dialect.ONIGURUMA) {
      s = Table.ONIGURUMA.get(loose(property));
    } else {
      String name = loose(property);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        String key = name.substring(0, eq);
        if (!key.equals("script") && !key.equals("sc")) return null;
        name = name.substring(eq + 1);
      }
      // The regex crate drops a leading "is" from names and values (UAX #44 loose matching).
      if (name.startsWith("is")) name = name.substring(2);
      s = Table.TIKTOKEN.get(name);
    }
    return s == null ? null : (BitSet) s.clone();
  }

  /** Whether the property name is a script in either dialect's spelling (to refuse it in the other). */
  static boolean isScriptSomewhere(String property) {
    return of(property, PatternParser.Dialect.ONIGURUMA) != null || of(property, PatternParser.Dialect.TIKTOKEN) != null;
  }
}
