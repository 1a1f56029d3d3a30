import static org.apache.flink.table.api.Expressions.$;
import static org.apache.flink.table.api.Expressions.call;
import static org.apache.flink.table.api.Expressions.row;

import dev.fasttok.flink.ChunkTokens;
import dev.fasttok.flink.CountTokens;
import dev.fasttok.flink.FasttokModule;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * fasttok from Flink's Table API. Compile and run with Flink and the fasttok jar
 * (fasttok-flink/target/fasttok-flink-0.1.0-SNAPSHOT.jar) on the class path, or from the top of a
 * clone, on a local Flink: {@code ./mvnw -q -pl fasttok-flink -am test-compile exec:exec@flink-example}.
 * The test dev.fasttok.flink.ExamplesTest runs it.
 */
public class TableApiExample {
  public static void main(String[] args) throws Exception {
    TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    System.out.println("o200k_base tokens: " + run(tEnv));
  }

  /** Counts the tokens of three documents; returns the total. */
  public static long run(TableEnvironment tEnv) throws Exception {
    Table docs = tEnv.fromValues(
        DataTypes.ROW(DataTypes.FIELD("id", DataTypes.INT()), DataTypes.FIELD("text", DataTypes.STRING())),
        row(1, "The quick brown fox jumps over the lazy dog."),
        row(2, "Tokenization is the first step of every language model."),
        row(3, "naïve café, 東京, 🙂"));

    // One function, by class (built-in encodings; the default is o200k_base).
    Table counts = docs.select($("id"), call(CountTokens.class, $("text")).as("o200k"),
        call(CountTokens.class, $("text"), "cl100k_base").as("cl100k"));
    counts.execute().print();

    // A table function: chunks of 4 tokens, one row each.
    docs.joinLateral(call(ChunkTokens.class, $("text"), 4).as("chunk", "token_start", "token_count", "ids"))
        .select($("id"), $("token_start"), $("chunk"))
        .execute().print();

    // All functions at once, by name, through the module (as LOAD MODULE fasttok does in SQL).
    tEnv.loadModule("fasttok", new FasttokModule());
    Table total = docs.select(call("count_tokens", $("text")).sum().as("tokens"));
    try (CloseableIterator<Row> it = total.execute().collect()) {
      return ((Number) it.next().getField(0)).longValue();
    }
  }
}
