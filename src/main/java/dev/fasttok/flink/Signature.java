package dev.fasttok.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * The parameters of one fasttok function, the types it accepts for each, and the data types its
 * {@code eval} methods take (Flink's internal ones: {@link StringData}, {@link ArrayData}).
 */
final class Signature {
  /** What a parameter accepts. */
  enum Kind {
    /** CHAR or VARCHAR (text, encoding name, allowed special tokens), passed as STRING. */
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

  /** Index of the parameter of that name among the first {@code arity}, or -1. */
  int indexOf(String name, int arity) {
    for (int i = 0; i < Math.min(arity, names.length); i++) if (names[i].equals(name)) return i;
    return -1;
  }

  /** The message for a call with a wrong number of arguments, or null if {@code n} is right. */
  String checkCount(int n) {
    if (n >= required && n <= names.length) return null;
    String count = required == names.length ? String.valueOf(required) : required + " to " + names.length;
    return usage() + " takes " + count + " argument" + (names.length == 1 ? "" : "s") + ", got " + n;
  }

  /**
   * The data types the {@code eval} methods take for these arguments (Flink casts where they
   * differ).
   *
   * @throws IllegalArgumentException naming the function and the first argument of a wrong type
   */
  List<DataType> expected(List<DataType> arguments) {
    List<DataType> out = new ArrayList<>(arguments.size());
    for (int i = 0; i < arguments.size(); i++) {
      LogicalType t = arguments.get(i).getLogicalType();
      DataType d = expected(kinds[i], t);
      if (d == null) {
        throw new IllegalArgumentException(call(arguments.size()) + ": argument " + (i + 1) + " (" + names[i] + ") must be " + kinds[i].sql
            + ", got " + t.copy(true).asSummaryString());
      }
      out.add(d);
    }
    return out;
  }

  private static DataType expected(Kind kind, LogicalType t) {
    boolean nullable = t.isNullable();
    boolean isNull = t.is(LogicalTypeRoot.NULL);
    switch (kind) {
      case STRING:
        return t.is(LogicalTypeFamily.CHARACTER_STRING) || isNull ? string(nullable) : null;
      case INT:
        if (isNull || t.is(LogicalTypeRoot.INTEGER) || t.is(LogicalTypeRoot.SMALLINT) || t.is(LogicalTypeRoot.TINYINT)) {
          return nullability(DataTypes.INT(), nullable).bridgedTo(Integer.class);
        }
        return null;
      case IDS:
        if (isNull) return ids(DataTypes.INT(), true, true);
        if (!t.is(LogicalTypeRoot.ARRAY)) return null;
        LogicalType e = ((ArrayType) t).getElementType();
        boolean elementsNullable = e.isNullable();
        if (e.is(LogicalTypeRoot.BIGINT)) {
          // Long[]: a second eval method (ArrayData does not tell INT from BIGINT elements).
          return nullability(DataTypes.ARRAY(nullability(DataTypes.BIGINT(), elementsNullable)), nullable)
              .bridgedTo(Long[].class);
        }
        if (e.is(LogicalTypeRoot.INTEGER) || e.is(LogicalTypeRoot.SMALLINT) || e.is(LogicalTypeRoot.TINYINT)
            || e.is(LogicalTypeRoot.NULL)) {
          return ids(DataTypes.INT(), elementsNullable, nullable);
        }
        return null;
      default:
        throw new AssertionError(kind);
    }
  }

  /** STRING as the eval methods take it and the functions return it: StringData. */
  static DataType string(boolean nullable) {
    return nullability(DataTypes.STRING(), nullable).bridgedTo(StringData.class);
  }

  private static DataType ids(DataType element, boolean elementsNullable, boolean nullable) {
    return nullability(DataTypes.ARRAY(nullability(element, elementsNullable)), nullable).bridgedTo(ArrayData.class);
  }

  static DataType nullability(DataType t, boolean nullable) {
    return nullable ? t.nullable() : t.notNull();
  }

  /** Flink's summary of the signatures, one per number of arguments: {@code count_tokens(text STRING)}. */
  List<org.apache.flink.table.types.inference.Signature> flinkSignatures() {
    List<org.apache.flink.table.types.inference.Signature> out = new ArrayList<>();
    for (int n = required; n <= names.length; n++) {
      List<org.apache.flink.table.types.inference.Signature.Argument> args = new ArrayList<>();
      for (int i = 0; i < n; i++) args.add(org.apache.flink.table.types.inference.Signature.Argument.of(names[i], kinds[i].sql));
      out.add(org.apache.flink.table.types.inference.Signature.of(args));
    }
    return out;
  }
}
