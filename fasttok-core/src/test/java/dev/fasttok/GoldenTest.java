package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * fasttok against token ids written by OpenAI's tiktoken (see src/test/resources/golden/README.md
 * and src/test/oracle/make-golden.mjs). One dynamic test per encoding and document set, so that a
 * failure names its file; each test checks every document of its file and reports how many
 * differ, with the first few shown in detail.
 */
class GoldenTest {
  static final List<String> ENCODINGS = List.of("r50k_base", "p50k_base", "cl100k_base", "o200k_base");
  static final List<String> SETS = List.of("prose", "code", "multilingual", "special", "contractions",
      "whitespace", "digits", "emoji", "scripts", "surrogates", "long", "joined");
  /** Sets whose files are gzipped (made by src/test/oracle/make-joined-golden.py). */
  private static final List<String> GZIPPED = List.of("joined");
  static final List<String> SPECIAL_ENCODINGS = List.of("r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base");
  static final List<String> DECODE_ENCODINGS = List.of("cl100k_base", "o200k_base");

  /** How many differing documents a failure shows in detail. */
  private static final int DETAILS = 3;
  /** Bytes placed before and after the text given to the byte API. */
  private static final int PAD = 13;

  private static final Map<String, List<String>> DOCS = new ConcurrentHashMap<>();

  static List<String> docs(String set) {
    return DOCS.computeIfAbsent(set, s -> Jsonl.readStrings("/golden/docs/" + s + suffix(s)));
  }

  static List<int[]> expected(String encoding, String file) {
    return Jsonl.readIdArrays("/golden/" + encoding + "/" + file + suffix(file));
  }

  private static String suffix(String set) {
    return GZIPPED.contains(set) ? ".jsonl.gz" : ".jsonl";
  }

  // ------------------------------------------------------------------------------------------
  // Tests

  @TestFactory
  Stream<DynamicNode> encodeOrdinaryString() {
    return perEncodingAndSet((enc, set) -> {
      List<String> docs = docs(set);
      List<int[]> want = expected(enc.name(), set);
      assertEquals(docs.size(), want.size(), "lines in docs/" + set + " and " + enc.name() + "/" + set);
      Failures f = new Failures(enc, enc.name() + "/" + set + ".jsonl", "encodeOrdinary(String)");
      for (int n = 0; n < docs.size(); n++) {
        String doc = docs.get(n);
        int[] got = enc.encodeOrdinary(doc);
        f.compare(n, doc, want.get(n), got);
        int count = enc.countTokens(doc);
        if (count != want.get(n).length) {
          f.add(n, doc, "countTokens(String) = " + count + ", expected " + want.get(n).length);
        }
      }
      f.check();
    });
  }

  @TestFactory
  Stream<DynamicNode> encodeOrdinaryUtf8() {
    return perEncodingAndSet((enc, set) -> {
      List<String> docs = docs(set);
      List<int[]> want = expected(enc.name(), set);
      Failures f = new Failures(enc, enc.name() + "/" + set + ".jsonl", "encodeOrdinary(byte[], " + PAD + ", len)");
      for (int n = 0; n < docs.size(); n++) {
        String doc = docs.get(n);
        byte[] utf8 = utf8(doc);
        byte[] big = padded(utf8);
        int[] got = enc.encodeOrdinary(big, PAD, utf8.length);
        f.compare(n, doc, want.get(n), got);
        int count = enc.countTokens(big, PAD, utf8.length);
        if (count != want.get(n).length) {
          f.add(n, doc, "countTokens(byte[], " + PAD + ", len) = " + count + ", expected " + want.get(n).length);
        }
      }
      f.check();
    });
  }

  @TestFactory
  Stream<DynamicNode> decodeRoundTrip() {
    return perEncodingAndSet((enc, set) -> {
      List<String> docs = docs(set);
      Failures f = new Failures(enc, "docs/" + set + ".jsonl", "decode(encodeOrdinary(doc))");
      for (int n = 0; n < docs.size(); n++) {
        String doc = docs.get(n);
        int[] ids = enc.encodeOrdinary(doc);
        String back = enc.decode(ids);
        // Lone surrogates come back as U+FFFD.
        String want = wellFormed(doc);
        if (!back.equals(want)) {
          f.add(n, doc, "decode gives " + repr(back, 120) + ", expected " + repr(want, 120));
        }
        byte[] bytes = enc.decodeBytes(ids);
        if (!Arrays.equals(bytes, utf8(doc))) {
          f.add(n, doc, "decodeBytes gives " + bytes.length + " bytes that are not the document's UTF-8 ("
              + utf8(doc).length + " bytes)");
        }
      }
      f.check();
    });
  }

  @TestFactory
  Stream<DynamicNode> encodeAllSpecial() {
    return SPECIAL_ENCODINGS.stream().map(name -> DynamicTest.dynamicTest(name + "/special.all", () -> {
      Encoding enc = Encodings.get(name);
      List<String> docs = docs("special");
      List<int[]> want = expected(name, "special.all");
      assertEquals(docs.size(), want.size(), "lines in docs/special and " + name + "/special.all");
      Failures f = new Failures(enc, name + "/special.all.jsonl", "encode(doc, all special tokens)");
      Failures fb = new Failures(enc, name + "/special.all.jsonl", "encode(byte[], " + PAD + ", len, all special tokens)");
      // Hugging Face's encode(text, add_special_tokens) reads special-token text as special tokens.
      Failures ft = new Failures(enc, name + "/special.all.jsonl", "encode(doc, true) and encode(byte[], false)");
      for (int n = 0; n < docs.size(); n++) {
        String doc = docs.get(n);
        f.compare(n, doc, want.get(n), enc.encode(doc, enc.specialTokens().keySet()));
        byte[] utf8 = utf8(doc);
        fb.compare(n, doc, want.get(n), enc.encode(padded(utf8), PAD, utf8.length, enc.specialTokens().keySet()));
        ft.compare(n, doc, want.get(n), enc.encode(doc, true));
        ft.compare(n, doc, want.get(n), enc.encode(padded(utf8), PAD, utf8.length, false));
      }
      f.check();
      fb.check();
      ft.check();
    }));
  }

  @TestFactory
  Stream<DynamicNode> decodeSlices() {
    return DECODE_ENCODINGS.stream().map(name -> DynamicTest.dynamicTest("decode/" + name, () -> {
      Encoding enc = Encodings.get(name);
      List<Jsonl.DecodeCase> cases = Jsonl.readDecodeCases("/golden/decode/" + name + ".jsonl");
      Failures f = new Failures(enc, "decode/" + name + ".jsonl", "decode(ids)", "expected text");
      for (int n = 0; n < cases.size(); n++) {
        Jsonl.DecodeCase c = cases.get(n);
        String got = enc.decode(c.ids);
        if (!got.equals(c.text)) {
          f.add(n, c.text, "ids " + Arrays.toString(c.ids) + " (tokens " + tokens(enc, c.ids, 0, c.ids.length)
              + ") decode to " + repr(got, 200) + ", expected " + repr(c.text, 200));
        }
      }
      f.check();
    }));
  }

  // ------------------------------------------------------------------------------------------
  // Plumbing

  interface FileCheck {
    void run(Encoding enc, String set) throws Exception;
  }

  private static Stream<DynamicNode> perEncodingAndSet(FileCheck check) {
    return ENCODINGS.stream().map(name -> DynamicContainer.dynamicContainer(name, SETS.stream().map(set ->
        DynamicTest.dynamicTest(name + "/" + set, () -> check.run(Encodings.get(name), set)))));
  }

  /** Collects the differing documents of one file and fails with a readable report. */
  private static final class Failures {
    private final Encoding enc;
    private final String file; // golden file, relative to /golden/
    private final String what;
    private final String noun;
    private final List<String> details = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();

    Failures(Encoding enc, String file, String what) {
      this(enc, file, what, "document");
    }

    /** {@code noun} names the text shown for each differing line. */
    Failures(Encoding enc, String file, String what, String noun) {
      this.enc = enc;
      this.file = file;
      this.what = what;
      this.noun = noun;
    }

    void compare(int index, String doc, int[] want, int[] got) {
      if (Arrays.equals(want, got)) return;
      add(index, doc, describeDifference(enc, doc, want, got));
    }

    void add(int index, String doc, String detail) {
      int line = index + 1;
      if (!lines.isEmpty() && lines.get(lines.size() - 1) == line) {
        if (lines.size() <= DETAILS) details.set(details.size() - 1, details.get(details.size() - 1) + "\n  " + detail);
        return;
      }
      lines.add(line);
      if (details.size() < DETAILS) {
        details.add(file + " line " + line + ", " + noun + " " + repr(doc, 160)
            + " (" + doc.length() + " chars)\n  " + detail);
      }
    }

    void check() {
      if (lines.isEmpty()) return;
      StringBuilder sb = new StringBuilder();
      sb.append(what).append(" differs from tiktoken on ").append(lines.size()).append(" line(s) of ")
          .append(file).append(" (").append(enc.name()).append("), lines ")
          .append(lines.size() <= 20 ? lines.toString() : lines.subList(0, 20) + "...").append('\n');
      for (String d : details) sb.append(d).append('\n');
      fail(sb.toString());
    }
  }

  /** Where two id arrays first differ, the ids around it, their token texts and the text there. */
  static String describeDifference(Encoding enc, String doc, int[] want, int[] got) {
    int i = 0;
    while (i < want.length && i < got.length && want[i] == got[i]) i++;
    int from = Math.max(0, i - 3);
    StringBuilder sb = new StringBuilder();
    sb.append("first difference at id index ").append(i).append(" (expected ").append(want.length)
        .append(" ids, got ").append(got.length).append(")\n");
    sb.append("    expected[").append(from).append("..]: ").append(window(want, from, i))
        .append("  tokens ").append(tokens(enc, want, from, Math.min(want.length, i + 6))).append('\n');
    sb.append("    actual  [").append(from).append("..]: ").append(window(got, from, i))
        .append("  tokens ").append(tokens(enc, got, from, Math.min(got.length, i + 6))).append('\n');
    // The text where the difference starts: the bytes the common prefix covers.
    byte[] bytes = utf8(doc);
    int at;
    try {
      at = enc.decodeBytes(Arrays.copyOf(want, i)).length;
    } catch (RuntimeException e) {
      at = -1;
    }
    if (at >= 0 && at <= bytes.length) {
      String before = lenient(bytes, Math.max(0, at - 30), at);
      String after = lenient(bytes, at, Math.min(bytes.length, at + 50));
      sb.append("    text at byte ").append(at).append(": ").append(repr(before, 60)).append(" |HERE| ")
          .append(repr(after, 80));
    }
    return sb.toString();
  }

  private static String window(int[] ids, int from, int mark) {
    StringBuilder sb = new StringBuilder("[");
    int to = Math.min(ids.length, mark + 6);
    for (int k = from; k < to; k++) {
      if (k > from) sb.append(", ");
      if (k == mark) sb.append('>');
      sb.append(ids[k]);
    }
    if (to < ids.length) sb.append(", ...");
    return sb.append(']').toString();
  }

  /** The text of each token, quoted; bytes that are not whole UTF-8 characters as \xHH. */
  static String tokens(Encoding enc, int[] ids, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k < to; k++) {
      if (k > from) sb.append(' ');
      byte[] b;
      try {
        b = enc.decodeBytes(new int[] {ids[k]});
      } catch (RuntimeException e) {
        sb.append("<no token ").append(ids[k]).append('>');
        continue;
      }
      sb.append(tokenRepr(b));
    }
    return sb.toString();
  }

  private static String tokenRepr(byte[] b) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b)).toString();
      return repr(s, 80);
    } catch (CharacterCodingException e) {
      StringBuilder sb = new StringBuilder("b\"");
      for (byte x : b) {
        int v = x & 0xFF;
        if (v >= 0x20 && v < 0x7F && v != '"' && v != '\\') sb.append((char) v);
        else sb.append(String.format("\\x%02X", v));
      }
      return sb.append('"').toString();
    }
  }

  private static String lenient(byte[] b, int from, int to) {
    return new String(b, from, to - from, StandardCharsets.UTF_8);
  }

  /**
   * A quoted, escaped rendering of text for messages: controls, whitespace other than ' ',
   * format characters, marks, surrogates and unassigned or private code points become \\u
   * escapes; text longer than max chars keeps its start and end.
   */
  static String repr(String s, int max) {
    StringBuilder sb = new StringBuilder("\"");
    int n = s.length();
    boolean cut = n > max;
    int headEnd = cut ? max * 2 / 3 : n;
    int tailStart = cut ? n - max / 3 : n;
    for (int i = 0; i < n; ) {
      if (cut && i >= headEnd) {
        cut = false;
        sb.append("\"...(").append(tailStart - i).append(" chars)...\"");
        i = tailStart;
        if (i < n && Character.isLowSurrogate(s.charAt(i)) && Character.isHighSurrogate(s.charAt(i - 1))) i++;
        continue;
      }
      int c = s.codePointAt(i);
      int len = Character.charCount(c);
      switch (c) {
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        default:
          if (c == ' ' || isPlain(c)) {
            sb.appendCodePoint(c);
          } else if (c <= 0xFFFF) {
            sb.append(String.format("\\u%04X", c));
          } else {
            sb.append(String.format("\\u{%X}", c));
          }
      }
      i += len;
    }
    return sb.append('"').toString();
  }

  private static boolean isPlain(int c) {
    switch (Character.getType(c)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK:
        return false;
      default:
        return c != 0xFFFD && !(c >= 0xFE00 && c <= 0xFE0F);
    }
  }

  // ------------------------------------------------------------------------------------------
  // UTF-8 with tiktoken's rule for lone surrogates, written here independently of the engine

  /** The string with each lone surrogate replaced by U+FFFD. */
  static String wellFormed(String s) {
    StringBuilder sb = null;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        if (sb != null) sb.append(c).append(s.charAt(i + 1));
        i++;
      } else if (Character.isSurrogate(c)) {
        if (sb == null) sb = new StringBuilder(s.substring(0, i));
        sb.append('\uFFFD');
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** UTF-8 of the string, each lone surrogate encoded as U+FFFD (EF BF BD). */
  static byte[] utf8(String s) {
    byte[] out = new byte[s.length() * 3];
    int o = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      int c = s.charAt(i);
      if (Character.isHighSurrogate((char) c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        c = Character.toCodePoint((char) c, s.charAt(++i));
      } else if (Character.isSurrogate((char) c)) {
        c = 0xFFFD;
      }
      if (c < 0x80) {
        out[o++] = (byte) c;
      } else if (c < 0x800) {
        out[o++] = (byte) (0xC0 | c >> 6);
        out[o++] = (byte) (0x80 | c & 0x3F);
      } else if (c < 0x10000) {
        out[o++] = (byte) (0xE0 | c >> 12);
        out[o++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[o++] = (byte) (0x80 | c & 0x3F);
      } else {
        out[o++] = (byte) (0xF0 | c >> 18);
        out[o++] = (byte) (0x80 | c >> 12 & 0x3F);
        out[o++] = (byte) (0x80 | c >> 6 & 0x3F);
        out[o++] = (byte) (0x80 | c & 0x3F);
      }
    }
    return Arrays.copyOf(out, o);
  }

  /**
   * The bytes inside a larger array at offset PAD, surrounded by bytes that would change the
   * tokens if the engine read past either end (letters, a space, a stray continuation byte).
   */
  static byte[] padded(byte[] utf8) {
    byte[] big = new byte[PAD + utf8.length + PAD];
    byte[] filler = {'x', 'Y', ' ', (byte) 0x80, '7', '\'', 's', (byte) 0xE6, '\n'};
    for (int k = 0; k < big.length; k++) big[k] = filler[k % filler.length];
    System.arraycopy(utf8, 0, big, PAD, utf8.length);
    return big;
  }
}
