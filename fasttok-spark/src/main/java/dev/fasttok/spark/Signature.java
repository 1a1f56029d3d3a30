package dev.fasttok.spark;

import dev.fasttok.sql.TokenFunction;
import dev.fasttok.sql.TokenFunction.Kind;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The parameters of one SQL function, and the checks {@code bind} makes on argument types. */
final class Signature implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  final TokenFunction spec;
  /** The function's SQL name. */
  final String function;

  Signature(TokenFunction spec) {
    this.spec = spec;
    this.function = spec.name();
  }

  /** {@code count_tokens(text [, encoding])}. */
  String usage() {
    return spec.usage();
  }

  /** {@code count_tokens(text, encoding)}: the call with {@code n} arguments. */
  String call(int n) {
    return spec.call(n);
  }

  /** Index of the parameter of that name among the first {@code arity}, or -1. */
  int indexOf(String name, int arity) {
    return spec.indexOf(name, arity);
  }

  /**
   * The types the function declares for these arguments (Spark casts where they differ).
   *
   * @throws UnsupportedOperationException naming the function and argument, for a wrong number
   *     or type of arguments (Spark turns it into an AnalysisException)
   */
  DataType[] check(StructType input) {
    StructField[] fields = input.fields();
    String wrongCount = spec.checkCount(fields.length);
    if (wrongCount != null) throw new UnsupportedOperationException(wrongCount);
    DataType[] declared = new DataType[fields.length];
    for (int i = 0; i < fields.length; i++) {
      DataType t = fields[i].dataType();
      DataType d = declare(spec.kind(i), t);
      if (d == null) throw new UnsupportedOperationException(spec.wrongType(fields.length, i, t.sql()));
      declared[i] = d;
    }
    return declared;
  }

  private static DataType declare(Kind kind, DataType t) {
    switch (kind) {
      case STRING:
        if (t instanceof StringType) return t;
        return t instanceof NullType ? DataTypes.StringType : null;
      case INT:
        if (t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType || t instanceof NullType) {
          return DataTypes.IntegerType;
        }
        return null;
      case IDS:
        if (t instanceof NullType) return DataTypes.createArrayType(DataTypes.IntegerType, true);
        if (!(t instanceof ArrayType)) return null;
        DataType e = ((ArrayType) t).elementType();
        if (e instanceof IntegerType || e instanceof LongType) return t;
        if (e instanceof ShortType || e instanceof ByteType || e instanceof NullType) {
          return DataTypes.createArrayType(DataTypes.IntegerType, true);
        }
        return null;
      case SPECIALS:
        if (!(t instanceof ArrayType)) return declare(Kind.STRING, t);
        DataType names = ((ArrayType) t).elementType();
        if (names instanceof StringType) return t;
        // array(): ARRAY<VOID>
        return names instanceof NullType ? DataTypes.createArrayType(DataTypes.StringType, true) : null;
      default:
        throw new AssertionError(kind);
    }
  }

  /** Whether every argument of the input is declared NOT NULL. */
  static boolean noNulls(StructType input) {
    for (StructField f : input.fields()) if (f.nullable()) return false;
    return true;
  }
}
