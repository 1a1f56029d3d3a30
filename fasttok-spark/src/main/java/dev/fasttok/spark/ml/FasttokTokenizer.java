package dev.fasttok.spark.ml;

import dev.fasttok.Encoding;
import dev.fasttok.spark.FasttokConf;
import dev.fasttok.spark.FasttokVocabularies;
import dev.fasttok.spark.TokenFunctions;
import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A spark.ml Transformer that tokenizes a text column with a tiktoken-compatible encoding:
 * token ids (ARRAY<INT>) or their number (INT).
 *
 * <pre>{@code
 * FasttokTokenizer tok = new FasttokTokenizer()
 *     .setInputCol("text").setOutputCol("ids")
 *     .setEncoding("cl100k_base").setAppendEos(true).setMaxTokens(2048);
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {tok, ...});
 * }</pre>
 *
 * <p>(Named after the library rather than "Tokenizer", which is Spark's own whitespace
 * tokenizer, {@code org.apache.spark.ml.feature.Tokenizer}.) It calls fasttok's SQL functions
 * ({@code encode_tokens}, {@code count_tokens}), so it tokenizes exactly as they do.
 *
 * <p>Params: {@code inputCol} (STRING column, default "text"), {@code outputCol} (default
 * "tokens"), {@code encoding} (default o200k_base), {@code vocabulary} (path or URI of a custom
 * vocabulary file, {@code .ftok}, {@code .tiktoken} or a Hugging Face {@code tokenizer.json}; read on the
 * driver and broadcast; for a
 * {@code .tiktoken} file {@code encoding} names the built-in encoding whose split pattern and
 * special tokens it uses), {@code allowedSpecial} ("none", "all" or special tokens separated by
 * commas; default "none": special-token text is plain text), {@code appendEos} (append the
 * encoding's {@code <|endoftext|>} id; default false), {@code maxTokens} (keep at most this many
 * ids, the appended end-of-text id included; 0, the default, keeps all) and {@code output}
 * ("ids", the default, or "count").
 */
public class FasttokTokenizer extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  static final String EOS = "<|endoftext|>";

  private final String uid;

  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> encoding;
  private final Param<String> vocabulary;
  private final Param<String> allowedSpecial;
  private final BooleanParam appendEos;
  private final IntParam maxTokens;
  private final Param<String> output;

  public FasttokTokenizer() {
    this(Identifiable$.MODULE$.randomUID("fasttokTokenizer"));
  }

  public FasttokTokenizer(String uid) {
    this.uid = uid;
    inputCol = new Param<>(this, "inputCol", "input column name (STRING)");
    outputCol = new Param<>(this, "outputCol", "output column name");
    encoding = new Param<>(this, "encoding", "encoding name: a built-in encoding (" 
        + String.join(", ", dev.fasttok.Encodings.names()) + "), an OpenAI model name (gpt-4o, ...) or a custom"
        + " vocabulary of the session; for a"
        + " .tiktoken vocabulary, the built-in encoding whose split pattern and special tokens it uses");
    vocabulary = new Param<>(this, "vocabulary", "path or URI of a custom vocabulary file (.ftok, .tiktoken"
        + " or a Hugging Face tokenizer.json),"
        + " read on the driver and broadcast; empty for none");
    allowedSpecial = new Param<>(this, "allowedSpecial", "special tokens encoded as such: 'none', 'all' or their"
        + " texts separated by commas; other special-token text is plain text");
    appendEos = new BooleanParam(this, "appendEos", "append the encoding's " + EOS + " id");
    maxTokens = new IntParam(this, "maxTokens", "keep at most this many ids (an appended end-of-text id"
        + " included); 0 keeps all", ParamValidators.gtEq(0));
    output = new Param<>(this, "output", "what to output: 'ids' (ARRAY<INT>) or 'count' (INT)",
        ParamValidators.inArray(new String[] {"ids", "count"}));
    setDefault(inputCol, "text");
    setDefault(outputCol, "tokens");
    setDefault(encoding, FasttokConf.DEFAULT_ENCODING);
    setDefault(vocabulary, "");
    setDefault(allowedSpecial, "none");
    setDefault(appendEos, false);
    setDefault(maxTokens, 0);
    setDefault(output, "ids");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> encoding() {
    return encoding;
  }

  public Param<String> vocabulary() {
    return vocabulary;
  }

  public Param<String> allowedSpecial() {
    return allowedSpecial;
  }

  public BooleanParam appendEos() {
    return appendEos;
  }

  public IntParam maxTokens() {
    return maxTokens;
  }

  public Param<String> output() {
    return output;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  public String getEncoding() {
    return getOrDefault(encoding);
  }

  public String getVocabulary() {
    return getOrDefault(vocabulary);
  }

  public String getAllowedSpecial() {
    return getOrDefault(allowedSpecial);
  }

  public boolean getAppendEos() {
    return (Boolean) getOrDefault(appendEos);
  }

  public int getMaxTokens() {
    return (Integer) getOrDefault(maxTokens);
  }

  public String getOutput() {
    return getOrDefault(output);
  }

  public FasttokTokenizer setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public FasttokTokenizer setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  public FasttokTokenizer setEncoding(String value) {
    set(encoding, value);
    return this;
  }

  public FasttokTokenizer setVocabulary(String value) {
    set(vocabulary, value);
    return this;
  }

  public FasttokTokenizer setAllowedSpecial(String value) {
    set(allowedSpecial, value);
    return this;
  }

  public FasttokTokenizer setAppendEos(boolean value) {
    set(appendEos, value);
    return this;
  }

  public FasttokTokenizer setMaxTokens(int value) {
    set(maxTokens, value);
    return this;
  }

  public FasttokTokenizer setOutput(String value) {
    set(output, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = getInputCol();
    String out = getOutputCol();
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException("FasttokTokenizer: input column '" + in + "' does not exist; columns: "
          + String.join(", ", schema.fieldNames()));
    }
    DataType t = schema.apply(in).dataType();
    if (!(t instanceof StringType)) {
      throw new IllegalArgumentException("FasttokTokenizer: input column '" + in + "' must be STRING, got "
          + t.sql());
    }
    if (Arrays.asList(schema.fieldNames()).contains(out)) {
      throw new IllegalArgumentException("FasttokTokenizer: output column '" + out + "' already exists");
    }
    DataType result = getOutput().equals("count") ? DataTypes.IntegerType
        : DataTypes.createArrayType(DataTypes.IntegerType, false);
    return schema.add(new StructField(out, result, true, org.apache.spark.sql.types.Metadata.empty()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    // The functions resolve names (and custom vocabularies) in the active session: the dataset's.
    SparkSession session = dataset.sparkSession();
    scala.Option<SparkSession> active = SparkSession.getActiveSession();
    SparkSession.setActiveSession(session);
    try {
      return dataset.withColumn(getOutputCol(), tokens(dataset, session));
    } finally {
      if (active.isDefined()) SparkSession.setActiveSession(active.get());
      else SparkSession.clearActiveSession();
    }
  }

  private Column tokens(Dataset<?> dataset, SparkSession session) {
    String name = getEncoding();
    if (!getVocabulary().isEmpty()) name = FasttokVocabularies.register(session, getVocabulary(), name);
    Column text = dataset.col(getInputCol());
    String allowed = getAllowedSpecial();
    boolean plain = allowed.trim().isEmpty() || allowed.trim().equalsIgnoreCase("none");
    int max = getMaxTokens();
    Integer eos = null;
    if (getAppendEos()) {
      // Read on the driver now (a custom vocabulary is read once per session and broadcast).
      Encoding e = FasttokVocabularies.encoding(session, name);
      eos = e.specialTokens().get(EOS);
      if (eos == null) {
        throw new IllegalArgumentException("FasttokTokenizer: appendEos needs the special token " + EOS
            + ", which encoding " + e.name() + " does not have; its special tokens are " + e.specialTokens().keySet());
      }
    }
    if (getOutput().equals("count")) {
      Column n = plain ? TokenFunctions.countTokens(text, name)
          : functions.when(text.isNotNull(), functions.size(TokenFunctions.encodeTokens(text, name, allowed)));
      if (eos != null) n = n.plus(1);
      if (max > 0) n = functions.least(n, functions.lit(max));
      return n;
    }
    Column ids = plain ? TokenFunctions.encodeTokens(text, name) : TokenFunctions.encodeTokens(text, name, allowed);
    if (max > 0) ids = functions.slice(ids, 1, eos != null ? max - 1 : max);
    if (eos != null) ids = appendEndOfText(ids, eos);
    return ids;
  }

  /**
   * The ids with the end-of-text id appended, to empty lists too; NULL stays NULL. The corpus job
   * appends it so as well (to documents with tokens only).
   */
  public static Column appendEndOfText(Column ids, int eosId) {
    return functions.concat(ids, functions.array(functions.lit(eosId)));
  }

  @Override
  public FasttokTokenizer copy(ParamMap extra) {
    return (FasttokTokenizer) defaultCopy(extra);
  }

  /** Reads a FasttokTokenizer saved with {@code write().save(path)}. */
  public static MLReader<FasttokTokenizer> read() {
    return new DefaultParamsReader<>();
  }

  public static FasttokTokenizer load(String path) {
    return read().load(path);
  }
}
