package dev.fasttok.spark;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.connect.proto.MlOperator;
import org.apache.spark.connect.proto.MlParams;
import org.apache.spark.connect.proto.MlRelation;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Relation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * fasttok's spark.ml Transformer through Connect ML (Spark 4.0), for {@link SparkConnectClient}.
 *
 * <p>The Spark Connect JVM client has no spark.ml API (its jar has no {@code org.apache.spark.ml}
 * classes). This sends the Connect ML message for a transform, an {@code MlRelation.Transform}
 * naming the Transformer's class, its uid and params, built from the Connect protocol classes
 * (compiled against the server's copy, run against the client's: same names and methods) and
 * handed to the client's {@code newDataFrame}. The server instantiates only Transformers
 * registered as {@code org.apache.spark.ml.Transformer} services, as fasttok's jar registers
 * {@code FasttokTokenizer}. What the server answers goes to the results.
 */
final class ConnectMl {
  private ConnectMl() {}

  static final boolean SUPPORTED = true;

  static final String TRANSFORMER = "dev.fasttok.spark.ml.FasttokTokenizer";

  static void transform(SparkSession spark, Dataset<Row> df, Map<String, Object> results) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Plan plan = (Plan) lookup.findVirtual(df.getClass(), "plan", MethodType.methodType(Plan.class)).invoke(df);
      MlParams params = MlParams.newBuilder()
          .putParams("inputCol", Expression.Literal.newBuilder().setString("text").build())
          .putParams("outputCol", Expression.Literal.newBuilder().setString("tokens").build())
          .putParams("encoding", Expression.Literal.newBuilder().setString("cl100k_base").build())
          .build();
      MlRelation.Transform transform = MlRelation.Transform.newBuilder()
          .setTransformer(MlOperator.newBuilder().setName(TRANSFORMER).setUid("fasttok_tokenizer_connect")
              .setType(MlOperator.OperatorType.OPERATOR_TYPE_TRANSFORMER))
          .setInput(plan.getRoot())
          .setParams(params)
          .build();
      Function1<Relation.Builder, BoxedUnit> relation = b -> {
        b.setMlRelation(MlRelation.newBuilder().setTransform(transform));
        return BoxedUnit.UNIT;
      };
      Class<?> connectDataset = Class.forName("org.apache.spark.sql.connect.Dataset");
      @SuppressWarnings("unchecked")
      Dataset<Row> out = (Dataset<Row>) lookup.findVirtual(spark.getClass(), "newDataFrame",
          MethodType.methodType(connectDataset, Function1.class)).invoke(spark, relation);
      for (Row r : out.selectExpr("id", "tokens").orderBy("id").collectAsList()) {
        results.put("ml." + r.getInt(0), SparkConnectClient.ints(r.getList(1)));
      }
    } catch (Throwable e) {
      results.put("ml.error", e.getClass().getName() + ": " + e.getMessage());
    }
  }
}
