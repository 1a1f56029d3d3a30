package dev.fasttok.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
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
    for (Class<?> c : new Class<?>[] {
        CountTokens.Bound.class, CountTokens.NullableBound.class, EncodeTokens.Bound.class,
        DecodeTokens.Bound.class, TruncateTokens.Bound.class, ChunkTokens.Bound.class,
        CountTokens.class, EncodeTokens.class, DecodeTokens.class, TruncateTokens.class, ChunkTokens.class,
        EncodingResolver.class, CustomVocabulary.class}) {
      kryo.register(c, java);
    }
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
