-- fasttok in Flink SQL: a runnable script. From the project root, with Flink 2.x:
--
--   $FLINK_HOME/bin/sql-client.sh --jar fasttok-flink/target/fasttok-flink-0.1.0-SNAPSHOT.jar -f examples/flink/count_tokens.sql
--
-- The test dev.fasttok.flink.ExamplesTest runs this script statement by statement.

SET 'sql-client.execution.result-mode' = 'tableau';
SET 'execution.runtime-mode' = 'batch';

-- All functions at once (count_tokens, encode_tokens, decode_tokens, truncate_tokens, chunk_tokens).
-- Options: 'encoding' (the default, o200k_base), 'vocabulary.<name>' = '<path or URI>' and
-- 'vocabulary.<name>.base' for custom vocabularies, read here and shipped with each job.
LOAD MODULE fasttok;

CREATE TEMPORARY VIEW docs AS
SELECT * FROM (VALUES
  (1, 'The quick brown fox jumps over the lazy dog.'),
  (2, 'Tokenization is the first step of every language model.'),
  (3, 'naïve café, 東京, 🙂'),
  (4, CAST(NULL AS STRING))
) AS t(id, text);

-- Tokens per document, with the default encoding (o200k_base) and another.
SELECT id, count_tokens(text) AS o200k, count_tokens(text, 'cl100k_base') AS cl100k
FROM docs ORDER BY id;

-- Token ids, and back to text.
SELECT id, encode_tokens(text) AS ids, decode_tokens(encode_tokens(text)) = text AS round_trip
FROM docs ORDER BY id;

-- Special-token text is plain text unless allowed ('all', 'none', or tokens separated by commas).
SELECT encode_tokens('end<|endoftext|>', 'cl100k_base') AS plain,
       encode_tokens('end<|endoftext|>', 'cl100k_base', 'all') AS special;

-- The first 5 tokens of each document, never splitting a character.
SELECT id, truncate_tokens(text, 5) AS first_5_tokens FROM docs ORDER BY id;

-- Chunks of 4 tokens overlapping by 1, one row each (the chunk's columns: text, token_start,
-- token_count, ids; qualify d.text, since the chunk has a column named text too).
SELECT d.id, c.token_start, c.token_count, c.text
FROM docs AS d, LATERAL TABLE(chunk_tokens(d.text, 4, 1)) AS c
ORDER BY d.id, c.token_start;

-- A corpus from files: examples/sample/*.jsonl hold one document per line, as a JSON string literal.
CREATE TEMPORARY TABLE sample_lines (line STRING) WITH (
  'connector' = 'filesystem',
  'path' = 'examples/sample/prose.jsonl',
  'format' = 'raw'
);

SELECT COUNT(*) AS documents,
       SUM(CHAR_LENGTH(text)) AS characters,
       SUM(count_tokens(text)) AS o200k_tokens,
       SUM(count_tokens(text, 'cl100k_base')) AS cl100k_tokens
FROM (SELECT JSON_VALUE('{"t":' || line || '}', '$.t') AS text FROM sample_lines);
