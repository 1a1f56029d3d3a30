package dev.fasttok.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fasttok.Encoding;
import dev.fasttok.Encodings;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag$;

/**
 * What Spark may serialize of fasttok, through Spark's own serializers: Kryo with registration
 * required (and fasttok's registrator), and Java serialization. (The shared session itself runs
 * every Spark test with Kryo and registration required; the executor-JVM test sends a broadcast
 * vocabulary between JVMs with it.)
 */
class SerializationTest {
  static SparkSession spark;
  @TempDir
  static Path dir;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.get();
  }

  static List<Serializer> serializers() {
    SparkConf conf = new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", FasttokKryoRegistrator.class.getName());
    return List.of(new KryoSerializer(conf), new JavaSerializer(conf));
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(SerializerInstance s, T value) {
    ByteBuffer b = s.serialize(value, ClassTag$.MODULE$.apply(Object.class));
    return (T) s.deserialize(b, ClassTag$.MODULE$.apply(Object.class));
  }

  @Test
  void broadcastVocabularyTravelsAsItsBytes() throws Exception {
    Encoding tiny = Encodings.readVocabulary(TinyVocabulary.writeTiktoken(dir), "o200k_base");
    VocabularyBytes v = new VocabularyBytes("tiny", tiny.toBytes(), tiny);
    for (Serializer s : serializers()) {
      VocabularyBytes back = roundTrip(s.newInstance(), v);
      assertNotSame(v, back);
      assertEquals("tiny", back.name());
      assertArrayEquals(v.compact(), back.compact());
      assertArrayEquals(tiny.encodeOrdinary("hello world"), back.encoding().encodeOrdinary("hello world"));
    }
  }

  @Test
  void boundFunctionsAndTheirResolversSerialize() throws Exception {
    // A resolver with a custom vocabulary holds a broadcast.
    spark.conf().set(FasttokConf.VOCABULARY_PREFIX + "tiny_ser", TinyVocabulary.writeTiktoken(dir).toString());
    try {
      EncodingResolver resolver = SessionVocabularies.of(spark).resolver(spark, Collections.singleton("tiny_ser"));
      StructType text = new StructType().add("t", DataTypes.StringType).add("e", DataTypes.StringType);
      StructType textInt = new StructType().add("t", DataTypes.StringType).add("n", DataTypes.IntegerType)
          .add("e", DataTypes.StringType);
      List<TokenFunctionBase<?>> bound = new ArrayList<>();
      bound.add(new CountTokens().bind(text, resolver, true));
      bound.add(new CountTokens().bind(text, resolver, false));
      bound.add(new EncodeTokens().bind(text, resolver, false));
      bound.add(new DecodeTokens().bind(new StructType().add("ids", DataTypes.createArrayType(DataTypes.IntegerType))
          .add("e", DataTypes.StringType), resolver, false));
      bound.add(new TruncateTokens().bind(textInt, resolver, false));
      bound.add(new ChunkTokens().bind(new StructType().add("t", DataTypes.StringType).add("s", DataTypes.IntegerType)
          .add("o", DataTypes.IntegerType).add("e", DataTypes.StringType), resolver, false));
      for (Serializer s : serializers()) {
        for (TokenFunctionBase<?> f : bound) {
          TokenFunctionBase<?> back = roundTrip(s.newInstance(), f);
          assertEquals(f, back, f + " through " + s.getClass().getSimpleName());
          assertEquals(2, back.encoding(UTF8String.fromString("tiny_ser")).countTokens("hello world"));
        }
        assertEquals(resolver, roundTrip(s.newInstance(), resolver));
        for (Object unbound : FasttokFunctions.ALL.values()) {
          assertEquals(unbound.getClass(), roundTrip(s.newInstance(), unbound).getClass());
        }
      }
    } finally {
      spark.conf().unset(FasttokConf.VOCABULARY_PREFIX + "tiny_ser");
    }
  }

  @Test
  void kryoWithoutTheRegistratorRefusesThem() {
    KryoSerializer plain = new KryoSerializer(new SparkConf(false).set("spark.kryo.registrationRequired", "true"));
    VocabularyBytes v = new VocabularyBytes("x", new byte[] {1, 2, 3}, null);
    assertThrows(Exception.class, () -> roundTrip(plain.newInstance(), v));
  }
}
