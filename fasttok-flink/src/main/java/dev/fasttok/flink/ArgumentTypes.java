package dev.fasttok.flink;

import dev.fasttok.sql.ChatCounts;
import dev.fasttok.sql.TokenFunction;
import dev.fasttok.sql.TokenFunction.Kind;
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
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;

/**
 * The Flink types each {@link Kind} of parameter accepts, and the data types the {@code eval}
 * methods take for them (Flink's internal ones: {@link StringData}, {@link ArrayData}).
 */
final class ArgumentTypes {
  private ArgumentTypes() {}

  /**
   * The data types the {@code eval} methods take for these arguments (Flink casts where they
   * differ).
   *
   * @throws IllegalArgumentException naming the function and the first argument of a wrong type
   */
  static List<DataType> expected(TokenFunction function, List<DataType> arguments) {
    List<DataType> out = new ArrayList<>(arguments.size());
    for (int i = 0; i < arguments.size(); i++) {
      LogicalType t = arguments.get(i).getLogicalType();
      DataType d = expected(function.kind(i), t);
      if (d == null) {
        throw new IllegalArgumentException(function.wrongType(arguments.size(), i, t.copy(true).asSummaryString()));
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
      case SPECIALS:
        if (!t.is(LogicalTypeRoot.ARRAY)) return expected(Kind.STRING, t);
        LogicalType name = ((ArrayType) t).getElementType();
        if (!name.is(LogicalTypeFamily.CHARACTER_STRING)) return null;
        return nullability(DataTypes.ARRAY(string(name.isNullable())), nullable).bridgedTo(ArrayData.class);
      case MESSAGES:
        return messages(t);
      default:
        throw new AssertionError(kind);
    }
  }

  /** What a NULL messages argument is cast to: ARRAY<ROW<role STRING, content STRING, name STRING>>. */
  private static final DataType MESSAGES = DataTypes.ARRAY(DataTypes.ROW(DataTypes.FIELD("role", DataTypes.STRING()),
      DataTypes.FIELD("content", DataTypes.STRING()), DataTypes.FIELD("name", DataTypes.STRING())))
      .bridgedTo(ArrayData.class);

  /**
   * An array of rows whose {@code role} and {@code content} (and {@code name}, if present) are
   * character strings, as it is (fields found by name): the eval methods read its rows by position.
   */
  private static DataType messages(LogicalType t) {
    if (t.is(LogicalTypeRoot.NULL)) return MESSAGES;
    if (!t.is(LogicalTypeRoot.ARRAY)) return null;
    ChatCounts.Fields f = messageFields(t);
    if (f == null) return null;
    RowType row = (RowType) ((ArrayType) t).getElementType();
    for (int i : new int[] {f.role(), f.content(), f.name()}) {
      if (i < 0) continue;
      LogicalType ft = row.getTypeAt(i);
      if (!(ft.is(LogicalTypeFamily.CHARACTER_STRING) || ft.is(LogicalTypeRoot.NULL))) return null;
    }
    return TypeConversions.fromLogicalToDataType(t).bridgedTo(ArrayData.class);
  }

  /** Where role, content and name are in the rows of an ARRAY<ROW<...>>; null if it is not one or lacks them. */
  static ChatCounts.Fields messageFields(LogicalType t) {
    if (!t.is(LogicalTypeRoot.ARRAY)) return null;
    LogicalType e = ((ArrayType) t).getElementType();
    return e.is(LogicalTypeRoot.ROW) ? ChatCounts.fields(((RowType) e).getFieldNames()) : null;
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
  static List<org.apache.flink.table.types.inference.Signature> flinkSignatures(TokenFunction spec) {
    List<org.apache.flink.table.types.inference.Signature> out = new ArrayList<>();
    for (int n = spec.required(); n <= spec.arity(); n++) {
      List<org.apache.flink.table.types.inference.Signature.Argument> args = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        args.add(org.apache.flink.table.types.inference.Signature.Argument.of(spec.parameter(i), spec.kind(i).sql));
      }
      out.add(org.apache.flink.table.types.inference.Signature.of(args));
    }
    return out;
  }
}
