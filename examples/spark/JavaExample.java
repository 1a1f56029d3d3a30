import static dev.fasttok.spark.TokenFunctions.chunkTokens;
import static dev.fasttok.spark.TokenFunctions.countTokens;
import static dev.fasttok.spark.TokenFunctions.encodeTokens;
import static dev.fasttok.spark.TokenFunctions.truncateTokens;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.sum;

import dev.fasttok.spark.ml.FasttokTokenizer;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * fasttok from Java DataFrame code and spark.ml. From the top of a clone, on a local Spark:
 *
 * <pre>
 * ./mvnw -q -pl fasttok-spark/v3.5 -am test-compile exec:exec@spark-example
 * </pre>
 *
 * On a Spark installation (see README "Spark"):
 *
 * <pre>
 * JAR=fasttok-spark/v3.5/target/fasttok-spark-3.5_2.12-0.1.0-SNAPSHOT.jar
 * javac -cp "$JAR:$SPARK_HOME/jars/*" -d /tmp/fasttok-example examples/spark/JavaExample.java
 * jar cf /tmp/fasttok-example.jar -C /tmp/fasttok-example .
 * spark-submit --master 'local[2]' --jars $JAR --class JavaExample /tmp/fasttok-example.jar
 * </pre>
 *
 * The test dev.fasttok.spark.ExamplesTest compiles this file and runs {@link #run}.
 */
public class JavaExample {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder()
        .appName("fasttok-java-example")
        // Optional: TokenFunctions also work without it (through a function catalog it registers).
        .config("spark.sql.extensions", "dev.fasttok.spark.FasttokExtensions")
        .getOrCreate();
    run(spark);
    spark.stop();
  }

  /** Tokenizes a few documents; returns the total number of o200k_base tokens. */
  public static long run(SparkSession spark) {
    Dataset<Row> docs = spark.createDataset(List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Tokenization is the first step of every language model.",
            "naïve café, 東京, 🙂"), Encoders.STRING())
        .toDF("text");

    // Functions returning Columns, like org.apache.spark.sql.functions.
    docs.select(col("text"),
            countTokens(col("text")).as("o200k"),
            countTokens(col("text"), "cl100k_base").as("cl100k"),
            encodeTokens(col("text")).as("ids"),
            truncateTokens(col("text"), 4).as("first_4_tokens"))
        .show(false);
    docs.select(explode(chunkTokens(col("text"), 4, 1)).as("chunk"))
        .select("chunk.token_start", "chunk.token_count", "chunk.text")
        .show(false);

    // A spark.ml pipeline stage: ids for training, end-of-text appended, at most 8 per document.
    FasttokTokenizer tokenizer = new FasttokTokenizer()
        .setInputCol("text").setOutputCol("ids")
        .setEncoding("o200k_base").setAppendEos(true).setMaxTokens(8);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {tokenizer}).fit(docs);
    model.transform(docs).show(false);

    long total = docs.select(sum(countTokens(col("text")))).first().getLong(0);
    System.out.println("o200k_base tokens in all: " + total);
    return total;
  }
}
