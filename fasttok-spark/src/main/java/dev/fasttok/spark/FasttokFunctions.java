package dev.fasttok.spark;

import dev.fasttok.sql.TokenFunction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL functions of {@link TokenFunction#ALL}, by name, each its class in this package. */
final class FasttokFunctions {
  private FasttokFunctions() {}

  static final Map<String, UnboundTokenFunction> ALL;

  static {
    Map<String, UnboundTokenFunction> m = new LinkedHashMap<>();
    for (TokenFunction f : TokenFunction.ALL) {
      try {
        m.put(f.name(), f.implementation(FasttokFunctions.class, UnboundTokenFunction.class)
            .getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(f.name() + ": " + e, e);
      }
    }
    ALL = Collections.unmodifiableMap(m);
  }
}
