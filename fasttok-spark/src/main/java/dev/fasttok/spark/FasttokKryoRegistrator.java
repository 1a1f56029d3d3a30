package dev.fasttok.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers the fasttok classes Spark may serialize with Kryo, so that fasttok works with
 * {@code spark.kryo.registrationRequired=true}:
 *
 * <pre>
 * spark.serializer=org.apache.spark.serializer.KryoSerializer
 * spark.kryo.registrator=dev.fasttok.spark.FasttokKryoRegistrator
 * </pre>
 *
 * <p>What Spark serializes with Kryo: the broadcast custom vocabularies (a name and the compact
 * bytes, written as they are). The bound functions and what they hold travel inside task
 * closures, which Spark always serializes with Java serialization; they are registered too (with
 * Java serialization inside Kryo), should they ever be written with Kryo.
 */
public class FasttokKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(VocabularyBytes.class, new VocabularyBytesSerializer());
    kryo.register(VocabularyBytes[].class);
    kryo.register(byte[].class);
    kryo.register(int[].class);
    JavaSerializer java = new JavaSerializer();
    // Each function's class and its bound forms (nested classes), in the same order on every JVM.
    for (UnboundTokenFunction f : FasttokFunctions.ALL.values()) {
      kryo.register(f.getClass(), java);
      Class<?>[] nested = f.getClass().getDeclaredClasses();
      Arrays.sort(nested, Comparator.comparing(Class::getName));
      for (Class<?> c : nested) if (TokenFunctionBase.class.isAssignableFrom(c)) kryo.register(c, java);
    }
    kryo.register(EncodingResolver.class, java);
    kryo.register(CustomVocabulary.class, java);
  }

  /** A vocabulary's name and compact bytes; the Encoding is rebuilt (once per JVM) where it is read. */
  static final class VocabularyBytesSerializer extends Serializer<VocabularyBytes> {
    @Override
    public void write(Kryo kryo, Output out, VocabularyBytes v) {
      out.writeString(v.name());
      out.writeInt(v.compact().length, true);
      out.writeBytes(v.compact());
    }

    @Override
    public VocabularyBytes read(Kryo kryo, Input in, Class<VocabularyBytes> type) {
      String name = in.readString();
      int n = in.readInt(true);
      return new VocabularyBytes(name, in.readBytes(n), null);
    }
  }
}
