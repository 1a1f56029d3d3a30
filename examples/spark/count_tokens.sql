-- fasttok in Spark SQL: a runnable script.
--
--   spark-sql --properties-file conf/spark-defaults.conf -f examples/spark/count_tokens.sql
--
-- conf/spark-defaults.conf puts the fasttok jar on the class path and installs the extension
-- (unqualified functions) and the catalog (fasttok.<function>). The test
-- dev.fasttok.spark.ExamplesTest runs this script statement by statement.

CREATE OR REPLACE TEMPORARY VIEW docs AS
SELECT * FROM VALUES
  (1, 'The quick brown fox jumps over the lazy dog.'),
  (2, 'Tokenization is the first step of every language model.'),
  (3, 'naïve café, 東京, 🙂'),
  (4, CAST(NULL AS STRING))
AS t(id, text);

-- Tokens per document, with the default encoding (spark.fasttok.encoding, o200k_base) and another.
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

-- Chunks of 4 tokens overlapping by 1, one row each.
SELECT id, chunk.token_start, chunk.token_count, chunk.text
FROM docs LATERAL VIEW explode(chunk_tokens(text, 4, 1)) chunks AS chunk
ORDER BY id, chunk.token_start;

-- The same functions through the catalog.
SELECT sum(fasttok.count_tokens(text)) AS total_o200k_tokens FROM docs;

-- The default encoding is a session setting.
SET spark.fasttok.encoding=cl100k_base;
SELECT sum(count_tokens(text)) AS total_cl100k_tokens FROM docs;

-- What a chat request costs in prompt tokens: OpenAI's per-message rule (gpt-4o) and the harmony
-- format of the gpt-oss models. The messages are an ARRAY<STRUCT<role, content[, name]>>.
SELECT count_chat_tokens(m, 'gpt-4o') AS gpt_4o, count_chat_tokens(m, 'gpt-oss-20b') AS gpt_oss_20b
FROM (SELECT array(named_struct('role', 'system', 'content', 'You are a helpful assistant.'),
                   named_struct('role', 'user', 'content', 'Hello!')) AS m);
