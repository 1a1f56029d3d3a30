package dev.fasttok.spark;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;

/** The SQL functions, by name. */
final class FasttokFunctions {
  private FasttokFunctions() {}

  static final Map<String, UnboundFunction> ALL;
  static final Map<String, Signature> SIGNATURES;

  static {
    Map<String, UnboundFunction> m = new LinkedHashMap<>();
    m.put(CountTokens.SIGNATURE.function, new CountTokens());
    m.put(EncodeTokens.SIGNATURE.function, new EncodeTokens());
    m.put(DecodeTokens.SIGNATURE.function, new DecodeTokens());
    m.put(TruncateTokens.SIGNATURE.function, new TruncateTokens());
    m.put(ChunkTokens.SIGNATURE.function, new ChunkTokens());
    ALL = Collections.unmodifiableMap(m);
    Map<String, Signature> s = new LinkedHashMap<>();
    s.put(CountTokens.SIGNATURE.function, CountTokens.SIGNATURE);
    s.put(EncodeTokens.SIGNATURE.function, EncodeTokens.SIGNATURE);
    s.put(DecodeTokens.SIGNATURE.function, DecodeTokens.SIGNATURE);
    s.put(TruncateTokens.SIGNATURE.function, TruncateTokens.SIGNATURE);
    s.put(ChunkTokens.SIGNATURE.function, ChunkTokens.SIGNATURE);
    SIGNATURES = Collections.unmodifiableMap(s);
  }
}
