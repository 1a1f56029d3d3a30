package dev.fasttok;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * tokenizers' UnicodeScripts pre-tokenizer: a piece starts wherever a character's script differs
 * from the script of the last character before it that has one. Characters of no script ("Any":
 * the space, unassigned code points) join the piece they are in; any before the first character
 * with a script are dropped, and a text of them alone gives no piece, as in tokenizers.
 *
 * <p>The scripts are tokenizers' own table (an older Unicode than the JDK's or Rust's, with
 * Hiragana, Katakana and U+30FC counted as Han), read from {@code pretokenizer-scripts.txt}, which
 * the oracle script made by probing every code point; nothing here asks the JDK.
 */
final class ScriptPreTokenizer implements PreTokenizer {
  static final String RESOURCE = "pretokenizer-scripts.txt";
  static final ScriptPreTokenizer INSTANCE = new ScriptPreTokenizer();

  private static final int ANY = 0;
  /** The script of every code point. */
  private static final CodePointChars SCRIPTS;

  static {
    char[] all = new char[0x110000];
    try (InputStream in = ScriptPreTokenizer.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE + " in the fasttok jar");
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        int space = line.indexOf(' ');
        int dots = line.indexOf("..");
        int first = Integer.parseInt(line.substring(0, dots), 16);
        int last = Integer.parseInt(line.substring(dots + 2, space), 16);
        char script = (char) Integer.parseInt(line.substring(space + 1));
        for (int cp = first; cp <= last; cp++) all[cp] = script;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SCRIPTS = new CodePointChars(all);
  }

  private ScriptPreTokenizer() {}

  /** The script of a code point as a class number, 0 for none ("Any"). */
  static int script(int cp) {
    return SCRIPTS.get(cp);
  }

  @Override
  public void split(CharSequence text, int from, int to, IntList pieces) {
    int last = ANY; // script of the last character that has one
    int start = -1; // of the piece in progress
    for (int i = from; i < to; ) {
      int cp = Character.codePointAt(text, i);
      // A lone surrogate is U+FFFD to tokenizers (fasttok's text never holds one but stays safe).
      int s = cp >= 0xD800 && cp <= 0xDFFF ? script(0xFFFD) : script(cp);
      if (s != ANY && s != last) {
        if (start >= 0) {
          pieces.add(start);
          pieces.add(i);
        }
        start = i;
      }
      if (s != ANY) last = s;
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      pieces.add(start);
      pieces.add(to);
    }
  }
}
