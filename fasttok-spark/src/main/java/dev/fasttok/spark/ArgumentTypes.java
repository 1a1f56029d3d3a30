package dev.fasttok.spark;

import dev.fasttok.sql.ChatCounts;
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

/**
 * The Spark types each {@link Kind} of parameter accepts, and the types {@code bind} declares for
 * them (Spark casts where they differ).
 */
final class ArgumentTypes {
  private ArgumentTypes() {}

  /**
   * The types the function declares for these arguments.
   *
   * @throws UnsupportedOperationException naming the function and argument, for a wrong number
   *     or type of arguments (Spark turns it into an AnalysisException)
   */
  static DataType[] check(TokenFunction function, StructType input) {
    StructField[] fields = input.fields();
    String wrongCount = function.checkCount(fields.length);
    if (wrongCount != null) throw new UnsupportedOperationException(wrongCount);
    DataType[] declared = new DataType[fields.length];
    for (int i = 0; i < fields.length; i++) {
      DataType t = fields[i].dataType();
      DataType d = declare(function.kind(i), t);
      if (d == null) throw new UnsupportedOperationException(function.wrongType(fields.length, i, t.sql()));
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
      case MESSAGES:
        return messages(t);
      default:
        throw new AssertionError(kind);
    }
  }

  /** What a NULL messages argument is cast to. */
  static final DataType MESSAGES = DataTypes.createArrayType(DataTypes.createStructType(new StructField[] {
      DataTypes.createStructField("role", DataTypes.StringType, true),
      DataTypes.createStructField("content", DataTypes.StringType, true),
      DataTypes.createStructField("name", DataTypes.StringType, true)}), true);

  /**
   * An array of structs whose {@code role} and {@code content} (and {@code name}, if present) are
   * STRING, as they are, with the fields found by name. A field that is NULL in every row (VOID) is
   * read as NULL, and an ARRAY<VOID> ({@code array()}) has only NULL messages, so neither needs a
   * cast.
   */
  private static DataType messages(DataType t) {
    if (t instanceof NullType) return MESSAGES;
    if (!(t instanceof ArrayType)) return null;
    DataType e = ((ArrayType) t).elementType();
    if (e instanceof NullType) return t;
    if (!(e instanceof StructType)) return null;
    StructType s = (StructType) e;
    ChatCounts.Fields f = ChatCounts.fields(java.util.Arrays.asList(s.fieldNames()));
    if (f == null) return null;
    for (int i : new int[] {f.role(), f.content(), f.name()}) {
      if (i < 0) continue;
      DataType ft = s.fields()[i].dataType();
      if (!(ft instanceof StringType || ft instanceof NullType)) return null;
    }
    return t;
  }

  /** Whether every argument of the input is declared NOT NULL. */
  static boolean noNulls(StructType input) {
    for (StructField f : input.fields()) if (f.nullable()) return false;
    return true;
  }
}
