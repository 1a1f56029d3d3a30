package dev.fasttok.flink;

import dev.fasttok.Encoding;
import dev.fasttok.sql.TokenFunction;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.inference.CallContext;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * The arguments of a call whose values the planner knows (literals), for the checks made when a
 * statement is planned (an unknown encoding, an invalid number ...) and for specializing the
 * function to the call.
 */
final class Literals {
  /** Marks an argument whose value is not known when the call is planned. */
  static final Object NOT_CONSTANT = new Object();

  final TokenFunction function;
  final Vocabularies vocabularies;
  private final Object[] values;

  private Literals(TokenFunction function, Vocabularies vocabularies, Object[] values) {
    this.function = function;
    this.vocabularies = vocabularies;
    this.values = values;
  }

  static Literals of(CallContext call, TokenFunction function, Vocabularies vocabularies) {
    List<DataType> types = call.getArgumentDataTypes();
    Object[] values = new Object[types.size()];
    for (int i = 0; i < values.length; i++) {
      Object v = NOT_CONSTANT;
      if (call.isArgumentLiteral(i)) {
        if (call.isArgumentNull(i)) {
          v = null;
        } else {
          Class<?> c = valueClass(types.get(i).getLogicalType());
          if (c != null) v = call.getArgumentValue(i, c).map(x -> (Object) x).orElse(NOT_CONSTANT);
        }
      }
      values[i] = v;
    }
    return new Literals(function, vocabularies, values);
  }

  private static Class<?> valueClass(LogicalType t) {
    switch (t.getTypeRoot()) {
      case CHAR:
      case VARCHAR:
        return String.class;
      case INTEGER:
        return Integer.class;
      case SMALLINT:
        return Short.class;
      case TINYINT:
        return Byte.class;
      default:
        return null;
    }
  }

  /** Number of arguments of the call. */
  int arity() {
    return values.length;
  }

  /** The value of a constant INT argument, or null if it is not constant, NULL or absent. */
  Integer intValue(int i) {
    if (i < 0 || i >= values.length || values[i] == NOT_CONSTANT || values[i] == null) return null;
    return ((Number) values[i]).intValue();
  }

  /** The value of a constant STRING argument, or null if it is not constant, NULL or absent. */
  String stringValue(int i) {
    if (i < 0 || i >= values.length || values[i] == NOT_CONSTANT || values[i] == null) return null;
    return values[i].toString();
  }

  /** Index of the call's encoding argument, or -1 when it leaves it to the default. */
  int encodingIndex() {
    return function.encodingIndex(values.length);
  }

  /**
   * The encoding name of the call when it is known at planning (a literal, or the default), or
   * null when a column gives it (or it is NULL).
   */
  String encodingName() {
    int i = encodingIndex();
    return i < 0 ? vocabularies.defaultEncoding() : stringValue(i);
  }

  /**
   * Checks that the encoding named by a literal exists.
   *
   * @throws IllegalArgumentException naming the function and the value
   */
  void checkEncoding() {
    String name = encodingName();
    if (name != null && !vocabularies.isKnown(name)) {
      throw new IllegalArgumentException(function.name() + ": " + vocabularies.unknownMessage(name));
    }
  }

  /** The call's encoding when it is known at planning, loaded (on the client); else null. */
  Encoding encoding() {
    String name = encodingName();
    if (name == null) return null;
    try {
      return vocabularies.encoding(name);
    } catch (IllegalArgumentException x) {
      throw function.failure(x);
    }
  }

  /**
   * The custom vocabularies the call can use: the one it names (or none, for a built-in), or all
   * (null) when a column gives the encoding.
   */
  Collection<String> neededVocabularies() {
    int i = encodingIndex();
    if (i >= 0 && values[i] == NOT_CONSTANT) return null;
    String name = encodingName();
    return name == null ? Collections.emptySet() : Collections.singleton(name);
  }
}
