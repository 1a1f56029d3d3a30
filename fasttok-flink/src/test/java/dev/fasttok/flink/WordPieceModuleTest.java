package dev.fasttok.flink;

import static dev.fasttok.flink.FlinkTestSupport.ints;
import static dev.fasttok.flink.FlinkTestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fasttok.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BERT tokenizer.json (WordPiece, golden/wordpiece's bert-base-uncased file) as a custom
 * vocabulary of the module: every function, on the task managers of a MiniCluster, against the
 * ids, decodes and token offsets Hugging Face tokenizers wrote. The file is deleted once the module
 * is loaded: the vocabulary travels with the job.
 */
class WordPieceModuleTest {
  @RegisterExtension
  static final MiniClusterExtension MINI_CLUSTER = FlinkTestSupport.miniCluster();

  @Test
  void bertVocabularyInEveryFunction(@InjectMiniCluster MiniCluster cluster, @TempDir Path dir) throws Exception {
    Path bert = Golden.writeBertTokenizerJson(dir);
    StreamExecutionEnvironment env = FlinkTestSupport.env(cluster);
    StreamTableEnvironment tEnv = FlinkTestSupport.tableEnv(env, "golden_docs", FlinkTestSupport.goldenDocs(),
        FlinkTestSupport.DOC_TYPE);
    tEnv.executeSql("LOAD MODULE fasttok WITH ('vocabulary.bert' = '" + bert.toUri() + "')");
    Files.delete(bert);

    Map<String, int[]> idsOf = new HashMap<>();
    List<String> allSets = new ArrayList<>(Golden.SETS);
    allSets.add("added");
    for (String set : allSets) {
      List<String> d = Golden.wordPieceDocs(set);
      List<int[]> w = Golden.wordPieceIds("bert-uncased", set);
      for (int i = 0; i < d.size(); i++) idsOf.putIfAbsent(d.get(i), w.get(i));
    }

    // encode_tokens (special-token text as special tokens, as tokenizers reads it) and count_tokens.
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Row r : rows(tEnv, "SELECT doc_set, i, encode_tokens(text, 'bert', 'all'), count_tokens(text, 'bert')"
        + " FROM golden_docs")) {
      int[] want = Golden.wordPieceIds("bert-uncased", (String) r.getField(0)).get((Integer) r.getField(1));
      if (!Arrays.equals(want, ints(r.getField(2))) || want.length != (Integer) r.getField(3)) {
        failures.add(r.getField(0) + " " + r.getField(1));
      }
      n++;
    }
    assertEquals(FlinkTestSupport.goldenDocs().size(), n);
    assertTrue(failures.isEmpty(), failures.size() + " documents differ, e.g. " + failures.subList(0,
        Math.min(5, failures.size())));

    // decode_tokens: tokenizers' decode(ids, skip_special_tokens=False).
    List<Golden.DecodeCase> cases = Golden.wordPieceDecodeCases("bert-uncased");
    List<Row> decodeRows = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      if (!FlinkTestSupport.wellFormedUtf16(cases.get(i).text)) continue;
      decodeRows.add(Row.of(i, Arrays.stream(cases.get(i).ids).boxed().toArray(Integer[]::new)));
    }
    FlinkTestSupport.addView(tEnv, env, "decode_cases", decodeRows,
        Types.ROW_NAMED(new String[] {"k", "ids"}, Types.INT, Types.OBJECT_ARRAY(Types.INT)));
    failures.clear();
    List<Row> decoded = rows(tEnv, "SELECT k, decode_tokens(ids, 'bert') FROM decode_cases");
    assertEquals(decodeRows.size(), decoded.size());
    for (Row r : decoded) {
      if (!cases.get((Integer) r.getField(0)).text.equals(r.getField(1))) failures.add(r.getField(0) + ": " + r.getField(1));
    }
    assertTrue(failures.isEmpty(), failures.size() + " decodes differ, e.g. " + failures.subList(0,
        Math.min(5, failures.size())));

    // truncate_tokens and chunk_tokens cut the caller's text where tokenizers' offsets end.
    List<Golden.TokenEnds> offsets = Golden.wordPieceTokenEnds("bert-uncased");
    List<Row> cutRows = new ArrayList<>();
    for (int i = 0; i < offsets.size(); i++) {
      if (FlinkTestSupport.wellFormedUtf16(offsets.get(i).doc())) cutRows.add(Row.of(i, offsets.get(i).doc()));
    }
    FlinkTestSupport.addView(tEnv, env, "cut_docs", cutRows,
        Types.ROW_NAMED(new String[] {"k", "text"}, Types.INT, Types.STRING));
    failures.clear();
    for (Row r : rows(tEnv, "SELECT k, truncate_tokens(text, 7, 'bert') FROM cut_docs")) {
      Golden.TokenEnds e = offsets.get((Integer) r.getField(0));
      String want = e.doc().substring(0, truncatedEnd(e.ends(), e.doc().length(), 7));
      if (!want.equals(r.getField(1))) failures.add("truncate " + r.getField(0) + ": " + r.getField(1));
    }
    Map<Integer, TreeMap<Integer, Row>> chunks = new HashMap<>();
    for (Row r : rows(tEnv, "SELECT d.k, c.text, c.token_start, c.token_count, c.ids FROM cut_docs AS d,"
        + " LATERAL TABLE(chunk_tokens(d.text, 16, 4, 'bert')) AS c")) {
      chunks.computeIfAbsent((Integer) r.getField(0), k -> new TreeMap<>()).put((Integer) r.getField(2), r);
    }
    int several = 0;
    for (Row doc : cutRows) {
      int k = (Integer) doc.getField(0);
      String text = offsets.get(k).doc();
      int[] ends = offsets.get(k).ends();
      int[] ids = idsOf.get(text);
      assertNotNull(ids, text);
      List<Row> cs = new ArrayList<>(chunks.getOrDefault(k, new TreeMap<>()).values());
      int next = 0;
      for (int c = 0; c < cs.size(); c++) {
        Row chunk = cs.get(c);
        int start = (Integer) chunk.getField(2);
        int count = (Integer) chunk.getField(3);
        if (!Arrays.equals(Arrays.copyOfRange(ids, start, start + count), ints(chunk.getField(4)))) {
          failures.add("chunk ids " + k + "/" + c);
        }
        int from = start == 0 ? 0 : ends[start - 1];
        int to = c == cs.size() - 1 ? text.length() : ends[start + count - 1];
        if (!text.substring(from, to).equals(chunk.getField(1))) failures.add("chunk text " + k + "/" + c);
        next = start + count;
      }
      if (ids.length > 0 && next != ids.length) failures.add("chunks end " + k);
      if (cs.size() > 1) several++;
    }
    assertTrue(failures.isEmpty(), failures.size() + " differ, e.g. " + failures.subList(0,
        Math.min(5, failures.size())));
    assertTrue(several > 20, "documents with several chunks: " + several);
  }

  /**
   * The end of what truncation to {@code n} tokens keeps, from tokenizers' token ends: the end of
   * the n-th token, or, where the next token ends at the same place (tokens of one character, as
   * the jamo of a Hangul syllable under uncased BERT), the last end before it; all the text when
   * it has no more than n tokens.
   */
  static int truncatedEnd(int[] ends, int textLength, int n) {
    if (ends.length <= n) return textLength;
    for (int j = n - 1; j >= 0; j--) {
      if (ends[j + 1] > ends[j]) return ends[j];
    }
    return 0;
  }
}
