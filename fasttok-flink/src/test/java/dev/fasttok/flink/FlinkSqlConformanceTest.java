package dev.fasttok.flink;

import dev.fasttok.sql.SqlConformanceTest;
import dev.fasttok.sql.TokenFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SQL conformance suite on Flink, on a MiniCluster over bounded sources; the functions
 * registered by class name, as {@code CREATE TEMPORARY FUNCTION name AS 'class'} does.
 */
class FlinkSqlConformanceTest extends SqlConformanceTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  static StreamTableEnvironment tEnv;

  /** Chat messages: ARRAY<ROW<role STRING, content STRING, name STRING>>. */
  private static final TypeInformation<Row[]> MESSAGES = Types.OBJECT_ARRAY(
      Types.ROW_NAMED(new String[] {"role", "content", "name"}, Types.STRING, Types.STRING, Types.STRING));

  @BeforeAll
  static void registerViews(@InjectMiniCluster MiniCluster cluster) {
    StreamExecutionEnvironment env = FlinkTestSupport.env(cluster);
    tEnv = FlinkTestSupport.tableEnv(env, null, null, null);
    for (TokenFunction f : TokenFunction.ALL) {
      tEnv.executeSql("CREATE TEMPORARY FUNCTION " + f.name() + " AS 'dev.fasttok.flink." + f.className() + "'");
    }
    for (View v : views()) {
      // Columns are "name TYPE" separated by ", ", and only the chat messages' type has commas inside.
      String[] columns = v.columns.replace(View.MESSAGES, "MESSAGES").split(", ");
      String[] names = new String[columns.length];
      TypeInformation<?>[] types = new TypeInformation<?>[columns.length];
      for (int i = 0; i < columns.length; i++) {
        String[] nameType = columns[i].split(" ");
        names[i] = nameType[0];
        types[i] = nameType[1].equals("STRING") ? Types.STRING : nameType[1].equals("INT") ? Types.INT
            : nameType[1].equals("MESSAGES") ? MESSAGES : Types.OBJECT_ARRAY(Types.INT);
      }
      List<Row> rows = new ArrayList<>();
      for (List<Object> r : v.rows) {
        Object[] values = r.toArray();
        for (int i = 0; i < values.length; i++) {
          if (!(values[i] instanceof List)) continue;
          if (types[i] == MESSAGES) {
            values[i] = ((List<?>) values[i]).stream().map(m -> m == null ? null : Row.of(((List<?>) m).toArray()))
                .toArray(Row[]::new);
          } else {
            values[i] = ((List<?>) values[i]).toArray(new Integer[0]);
          }
        }
        rows.add(Row.of(values));
      }
      FlinkTestSupport.addView(tEnv, env, v.name, rows, Types.ROW_NAMED(names, types));
    }
  }

  @Override
  protected List<List<Object>> rows(String sql) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : FlinkTestSupport.materialize(FlinkTestSupport.rows(tEnv, sql))) {
      List<Object> row = new ArrayList<>(r.getArity());
      for (int i = 0; i < r.getArity(); i++) row.add(plain(r.getField(i)));
      out.add(row);
    }
    return out;
  }

  private static Object plain(Object v) {
    if (v instanceof int[]) return Arrays.stream((int[]) v).boxed().collect(java.util.stream.Collectors.toList());
    if (v instanceof Object[]) return Arrays.asList((Object[]) v);
    if (v instanceof Row) {
      Row r = (Row) v;
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < r.getArity(); i++) out.add(plain(r.getField(i)));
      return out;
    }
    return v;
  }

  @Override
  protected void plan(String sql) {
    try {
      tEnv.sqlQuery(sql);
    } catch (ValidationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new AssertionError("expected a ValidationException", e);
    }
  }
}
