package dev.fasttok;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A null argument to a public method of {@link Encoding} or {@link Encodings} is a
 * NullPointerException naming the argument, thrown before anything else is done with the others.
 */
class NullArgumentsTest {
  /**
   * The names of the reference parameters of every public method, in order; "-" for one that may
   * be null. A method missing here fails the test, so that a new one gets checked too.
   */
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("Encoding.encodeOrdinary(String)", "text"),
      Map.entry("Encoding.encodeOrdinary(byte[],int,int)", "utf8"),
      Map.entry("Encoding.countTokens(String)", "text"),
      Map.entry("Encoding.countTokens(byte[],int,int)", "utf8"),
      Map.entry("Encoding.encode(String)", "text"),
      Map.entry("Encoding.encode(String,boolean)", "text"),
      Map.entry("Encoding.encode(byte[],int,int,boolean)", "utf8"),
      Map.entry("Encoding.encode(String,Set)", "text allowedSpecial"),
      Map.entry("Encoding.encode(byte[],int,int,Set)", "utf8 allowedSpecial"),
      Map.entry("Encoding.encode(String,Set,Set)", "text allowedSpecial disallowedSpecial"),
      Map.entry("Encoding.encode(byte[],int,int,Set,Set)", "utf8 allowedSpecial disallowedSpecial"),
      Map.entry("Encoding.decodeBytes(int[])", "ids"),
      Map.entry("Encoding.decode(int[])", "ids"),
      Map.entry("Encoding.decodeBytes(int[],boolean)", "ids"),
      Map.entry("Encoding.decode(int[],boolean)", "ids"),
      Map.entry("Encoding.truncate(String,int)", "text"),
      Map.entry("Encoding.truncatedLength(byte[],int,int,int)", "utf8"),
      Map.entry("Encoding.chunk(String,int,int)", "text"),
      Map.entry("Encoding.chunk(byte[],int,int,int,int)", "utf8"),
      Map.entry("Encoding.encodeOrdinaryBatch(List)", "texts"),
      Map.entry("Encoding.encodeOrdinaryBatch(List,Executor)", "texts executor"),
      Map.entry("Encoding.encodeBatch(List)", "texts"),
      Map.entry("Encoding.encodeBatch(List,Set,Executor)", "texts allowedSpecial executor"),
      Map.entry("Encoding.countTokensBatch(List)", "texts"),
      Map.entry("Encoding.countTokensBatch(List,Executor)", "texts executor"),
      Map.entry("Encoding.countChatTokens(List)", "messages"),
      Map.entry("Encodings.countChatTokens(String,List)", "model messages"),
      Map.entry("Encodings.get(String)", "name"),
      Map.entry("Encodings.forModel(String)", "model"),
      Map.entry("Encodings.encodingNameForModel(String)", "model"),
      Map.entry("Encodings.pattern(String)", "name"),
      Map.entry("Encodings.fromTiktoken(Path,String,Map)", "rankFile pattern specialTokens"),
      Map.entry("Encodings.fromTiktoken(String,InputStream,String,String,Map)", "name rankFile source pattern specialTokens"),
      Map.entry("Encodings.fromTokenizerJson(Path)", "tokenizerJson"),
      Map.entry("Encodings.fromTokenizerJson(InputStream,String)", "tokenizerJson source"),
      Map.entry("Encodings.fromBytes(byte[])", "compact"),
      // base: the built-in encoding whose pattern and special tokens a .tiktoken file takes, o200k_base if null
      Map.entry("Encodings.readVocabulary(String,InputStream,String)", "fileName in -"),
      Map.entry("Encodings.readVocabulary(Path,String)", "file -"));

  @Test
  void everyNullArgumentIsNamed() throws Exception {
    Encoding enc = Encodings.get("cl100k_base");
    List<String> seen = new ArrayList<>();
    for (Class<?> type : List.of(Encoding.class, Encodings.class)) {
      for (Method m : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) continue;
        List<Integer> refs = new ArrayList<>();
        for (int i = 0; i < m.getParameterCount(); i++) if (!m.getParameterTypes()[i].isPrimitive()) refs.add(i);
        if (refs.isEmpty()) continue;
        String key = type.getSimpleName() + "." + m.getName() + Arrays.stream(m.getParameterTypes())
            .map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
        String names = NAMES.get(key);
        assertNotNull(names, key + " takes references: add it to NAMES");
        seen.add(key);
        String[] name = names.split(" ");
        assertEquals(refs.size(), name.length, key);
        for (int r = 0; r < refs.size(); r++) {
          if (name[r].equals("-")) continue;
          Object[] args = sampleArguments(m.getParameterTypes());
          args[refs.get(r)] = null;
          Object target = Modifier.isStatic(m.getModifiers()) ? null : enc;
          try {
            m.invoke(target, args);
            fail(key + " accepted a null " + name[r]);
          } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            assertTrue(t instanceof NullPointerException, key + " with a null " + name[r] + " threw " + t);
            assertEquals(name[r] + " must not be null", t.getMessage(), key);
          }
        }
      }
    }
    assertEquals(Set.copyOf(NAMES.keySet()), Set.copyOf(seen), "methods in NAMES that no longer exist");
  }

  /** Non-null arguments of each type; the null checks come first, so their values do not matter. */
  private static Object[] sampleArguments(Class<?>[] types) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      args[i] = t == int.class ? 0
          : t == boolean.class ? false
          : t == String.class ? "cl100k_base"
          : t == byte[].class ? new byte[0]
          : t == int[].class ? new int[0]
          : t == Set.class ? Set.of()
          : t == List.class ? List.of()
          : t == java.util.concurrent.Executor.class ? java.util.concurrent.ForkJoinPool.commonPool()
          : t == Map.class ? Map.of()
          : t == Path.class ? Path.of("does-not-exist.tiktoken")
          : t == InputStream.class ? new ByteArrayInputStream(new byte[0])
          : null;
      assertNotNull(args[i], "no sample for " + t);
    }
    return args;
  }
}
