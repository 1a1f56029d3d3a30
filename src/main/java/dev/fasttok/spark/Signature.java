package dev.fasttok.spark;

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

  /** What a parameter accepts. */
  enum Kind {
    /** STRING (text, encoding name, allowed special tokens). */
    STRING("STRING"),
    /** INT (also TINYINT and SMALLINT, widened). */
    INT("INT"),
    /** ARRAY<INT> of token ids (also ARRAY<BIGINT>, ARRAY<SMALLINT>, ARRAY<TINYINT>). */
    IDS("ARRAY<INT>");

    final String sql;

    Kind(String sql) {
      this.sql = sql;
    }
  }

  final String function;
  final String[] names;
  final Kind[] kinds;
  final int required;

  Signature(String function, int required, String[] names, Kind[] kinds) {
    this.function = function;
    this.required = required;
    this.names = names;
    this.kinds = kinds;
  }

  /** {@code count_tokens(text [, encoding])}. */
  String usage() {
    StringBuilder sb = new StringBuilder(function).append('(');
    for (int i = 0; i < names.length; i++) {
      if (i >= required) sb.append(i == 0 ? "[" : " [, ");
      else if (i > 0) sb.append(", ");
      sb.append(names[i]);
    }
    for (int i = required; i < names.length; i++) sb.append(']');
    return sb.append(')').toString();
  }

  /** {@code count_tokens(text, encoding)}: the call with {@code n} arguments. */
  String call(int n) {
    StringBuilder sb = new StringBuilder(function).append('(');
    for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ", ").append(names[i]);
    return sb.append(')').toString();
  }

  int indexOf(String name, int arity) {
    for (int i = 0; i < arity; i++) if (names[i].equals(name)) return i;
    return -1;
  }

  /**
   * The types the function declares for these arguments (Spark casts where they differ).
   *
   * @throws UnsupportedOperationException naming the function and argument, for a wrong number
   *     or type of arguments (Spark turns it into an AnalysisException)
   */
  DataType[] check(StructType input) {
    StructField[] fields = input.fields();
    if (fields.length < required || fields.length > names.length) {
      String count = required == names.length ? String.valueOf(required) : required + " to " + names.length;
      throw new UnsupportedOperationException(usage() + " takes " + count + " argument"
          + (names.length == 1 ? "" : "s") + ", got " + fields.length);
    }
    DataType[] declared = new DataType[fields.length];
    for (int i = 0; i < fields.length; i++) {
      DataType t = fields[i].dataType();
      DataType d = declare(kinds[i], t);
      if (d == null) {
        throw new UnsupportedOperationException(call(fields.length) + ": argument " + (i + 1) + " ("
            + names[i] + ") must be " + kinds[i].sql + ", got " + t.sql());
      }
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
