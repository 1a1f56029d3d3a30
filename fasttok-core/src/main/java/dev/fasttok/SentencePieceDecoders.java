package dev.fasttok;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer.json decoders of SentencePiece-style files (token strings back to text), with
 * exactly Hugging Face tokenizers' result: ByteFallback, Fuse, Strip, Replace with a string
 * pattern, Metaspace and a Sequence of them.
 *
 * <p>As in tokenizers, each decoder maps the list of token strings to a new list (Fuse makes it
 * one string) and decoding joins the final list.
 */
final class SentencePieceDecoders {
  private SentencePieceDecoders() {}

  /** One decoder: tokenizers' {@code decode_chain}. */
  interface Decoder {
    List<String> decodeChain(List<String> tokens);

    /** The text of the tokens: the chain's strings joined. */
    default String decode(List<String> tokens) {
      return String.join("", decodeChain(tokens));
    }
  }

  /** Where {@link #metaspace} keeps a leading replacement character, as tokenizers names it. */
  enum PrependScheme {
    ALWAYS, FIRST, NEVER;

    static PrependScheme of(String name) {
      switch (name) {
        case "always": return ALWAYS;
        case "first": return FIRST;
        case "never": return NEVER;
        default: throw new IllegalArgumentException("unknown prepend_scheme \"" + name + "\"");
      }
    }
  }

  /**
   * The decoder a tokenizer.json {@code "decoder"} object describes (parsed with {@link Json}),
   * for the types of this class.
   *
   * @param path the object's JSON path, for errors
   * @throws IllegalArgumentException naming the path for another type or a missing or bad field
   */
  static Decoder fromJson(Map<String, Object> json, String path) {
    String type = string(json, "type", path);
    switch (type) {
      case "ByteFallback": return byteFallback();
      case "Fuse": return fuse();
      case "Strip": {
        String content = string(json, "content", path);
        if (content.codePointCount(0, content.length()) != 1) {
          throw new IllegalArgumentException(path + ".content: not one character: \"" + content + "\"");
        }
        return strip(content.codePointAt(0), count(json, "start", path), count(json, "stop", path));
      }
      case "Replace": return replace(stringPattern(json, path), string(json, "content", path));
      case "Metaspace": {
        String r = string(json, "replacement", path);
        if (r.codePointCount(0, r.length()) != 1) {
          throw new IllegalArgumentException(path + ".replacement: not one character: \"" + r + "\"");
        }
        Object scheme = json.get("prepend_scheme");
        PrependScheme s = scheme == null ? PrependScheme.ALWAYS : PrependScheme.of(String.valueOf(scheme));
        // Older files have add_prefix_space; tokenizers accepts false only with "never" declared.
        if (Boolean.FALSE.equals(json.get("add_prefix_space")) && s != PrependScheme.NEVER) {
          throw new IllegalArgumentException(path + ": add_prefix_space does not match declared prepend_scheme");
        }
        return metaspace(r.codePointAt(0), s);
      }
      case "Sequence": {
        Object list = json.get("decoders");
        if (!(list instanceof List)) throw new IllegalArgumentException(path + ".decoders: not a list");
        List<Decoder> ds = new ArrayList<>();
        List<?> l = (List<?>) list;
        for (int i = 0; i < l.size(); i++) {
          if (!(l.get(i) instanceof Map)) {
            throw new IllegalArgumentException(path + ".decoders[" + i + "]: not an object");
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> d = (Map<String, Object>) l.get(i);
          ds.add(fromJson(d, path + ".decoders[" + i + "]"));
        }
        return sequence(ds);
      }
      default:
        throw new IllegalArgumentException(path + ".type: decoder \"" + type + "\" is not supported here");
    }
  }

  private static String string(Map<String, Object> json, String key, String path) {
    Object v = json.get(key);
    if (!(v instanceof String)) throw new IllegalArgumentException(path + "." + key + ": not a string");
    return (String) v;
  }

  private static int count(Map<String, Object> json, String key, String path) {
    Object v = json.get(key);
    if (!(v instanceof Number) || ((Number) v).longValue() < 0 || ((Number) v).longValue() > Integer.MAX_VALUE
        || ((Number) v).doubleValue() != ((Number) v).longValue()) {
      throw new IllegalArgumentException(path + "." + key + ": not a count: " + v);
    }
    return ((Number) v).intValue();
  }

  /** The string of {@code "pattern": {"String": ...}}; a regex pattern is not supported here. */
  static String stringPattern(Map<String, Object> json, String path) {
    Object p = json.get("pattern");
    if (p instanceof Map && ((Map<?, ?>) p).get("String") instanceof String) {
      return (String) ((Map<?, ?>) p).get("String");
    }
    throw new IllegalArgumentException(path + ".pattern: only {\"String\": ...} is supported here");
  }

  // ------------------------------------------------------------------------------------------

  /**
   * ByteFallback: each run of {@code <0xXX>} tokens becomes the text of those bytes, or, if they
   * are not well-formed UTF-8, one U+FFFD per byte (tokenizers replaces the whole run, not only
   * its ill-formed parts). Other tokens are kept.
   */
  static Decoder byteFallback() {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      byte[] run = new byte[16];
      int n = 0;
      for (String t : tokens) {
        int b = byteToken(t);
        if (b >= 0) {
          if (n == run.length) run = java.util.Arrays.copyOf(run, n * 2);
          run[n++] = (byte) b;
          continue;
        }
        if (n > 0) {
          flushBytes(run, n, out);
          n = 0;
        }
        out.add(t);
      }
      if (n > 0) flushBytes(run, n, out);
      return out;
    };
  }

  /**
   * The byte a {@code <0xXX>} token stands for, or -1. tokenizers takes a token of six UTF-8
   * bytes that starts with {@code <0x} and ends with {@code >}, and parses the two bytes between
   * with Rust's {@code u8::from_str_radix(_, 16)}: either case of hex digits, and a leading
   * {@code +} allowed.
   */
  static int byteToken(String t) {
    // Six UTF-8 bytes with four ASCII around: the middle is two ASCII characters or one of two bytes.
    if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') return -1;
    char a = t.charAt(3);
    char b = t.charAt(4);
    int lo = Character.digit(b, 16);
    if (a == '+' && isAsciiHex(b)) return lo;
    if (!isAsciiHex(a) || !isAsciiHex(b)) return -1;
    return Character.digit(a, 16) * 16 + lo;
  }

  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static void flushBytes(byte[] run, int n, List<String> out) {
    try {
      out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(run, 0, n)).toString());
    } catch (CharacterCodingException e) {
      for (int i = 0; i < n; i++) out.add("\uFFFD");
    }
  }

  /** Fuse: all tokens as one string. */
  static Decoder fuse() {
    return tokens -> {
      List<String> out = new ArrayList<>(1);
      out.add(String.join("", tokens));
      return out;
    };
  }

  /**
   * Strip: from each token, up to {@code start} leading and {@code stop} trailing
   * {@code content} characters (code points). Where tokenizers panics (the trailing count
   * running past the token's start, or the cuts crossing), this throws.
   */
  static Decoder strip(int content, int start, int stop) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) {
        int[] cps = t.codePoints().toArray();
        int startCut = 0;
        for (int i = 0; i < Math.min(start, cps.length) && cps[i] == content; i++) startCut = i + 1;
        int stopCut = cps.length;
        for (int i = 0; i < stop; i++) {
          int index = cps.length - i - 1;
          if (index < 0) throw new IllegalStateException("Strip: stop " + stop + " runs past the start of \"" + t + "\"");
          if (cps[index] != content) break;
          stopCut = index;
        }
        if (startCut > stopCut) {
          throw new IllegalStateException("Strip: start and stop cuts cross in \"" + t + "\"");
        }
        out.add(new String(cps, startCut, stopCut - startCut));
      }
      return out;
    };
  }

  /**
   * Replace with a string pattern: every occurrence in each token, left to right without
   * overlap, becomes {@code content}. An empty pattern matches before every character and at
   * the end of a non-empty token, as tokenizers' regex does.
   */
  static Decoder replace(String pattern, String content) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) out.add(SentencePieceNormalizers.replace(t, null, pattern, content).text);
      return out;
    };
  }

  /** Replace with a regex: every match in each token (as the Replace normalizer finds them) becomes {@code content}. */
  static Decoder replace(Splitter regex, String content) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) out.add(SentencePieceSteps.replaceAll(regex, t, content));
      return out;
    };
  }

  /**
   * Metaspace: every {@code replacement} character becomes a space, except in the first token
   * (unless the scheme is {@code never}), where every one of them is removed, not only a
   * leading one, as tokenizers does.
   */
  static Decoder metaspace(int replacement, PrependScheme scheme) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        String t = tokens.get(i);
        boolean drop = i == 0 && scheme != PrependScheme.NEVER;
        StringBuilder sb = new StringBuilder(t.length());
        t.codePoints().forEach(c -> {
          if (c != replacement) sb.appendCodePoint(c);
          else if (!drop) sb.append(' ');
        });
        out.add(sb.toString());
      }
      return out;
    };
  }

  /** Sequence: each decoder on the previous one's list. */
  static Decoder sequence(List<Decoder> decoders) {
    List<Decoder> ds = List.copyOf(decoders);
    return tokens -> {
      List<String> t = tokens;
      for (Decoder d : ds) t = d.decodeChain(t);
      return t;
    };
  }
}
