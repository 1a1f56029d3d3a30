# Writes golden/docs/joined.jsonl.gz and golden/<encoding>/joined.jsonl.gz: long documents made by
# joining the documents of other golden sets, and their encode_ordinary ids from Python tiktoken
# 0.14. Each document is longer than 96 KiB and holds many pieces, so that fasttok splits it part
# by part (TiktokenPipeline.PART); the ids show that doing so changes nothing.
#
#   python make-joined-golden.py
#
# Needs the `tiktoken` wheel (0.14) and no network: as chat.py, it fills TIKTOKEN_CACHE_DIR with
# the project's own rank files (fasttok-core/src/main/tiktoken). Deterministic: gzip without a
# time stamp, so running it again writes byte-identical files.
import gzip, hashlib, json, os, shutil, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RANKS = os.path.join(HERE, "..", "..", "main", "tiktoken")
GOLDEN = os.path.join(HERE, "..", "resources", "golden")
BLOB = "https://openaipublic.blob.core.windows.net/encodings/"
ENCODINGS = ["r50k_base", "p50k_base", "cl100k_base", "o200k_base"]

cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
for name in ENCODINGS:
    key = hashlib.sha1((BLOB + name + ".tiktoken").encode()).hexdigest()
    shutil.copyfile(os.path.join(RANKS, name + ".tiktoken"), os.path.join(cache, key))
os.environ["TIKTOKEN_CACHE_DIR"] = cache

import tiktoken  # noqa: E402  (after the cache is set up)

assert tiktoken.__version__.startswith("0.14"), tiktoken.__version__


def docs(name):
    with open(os.path.join(GOLDEN, "docs", name + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


joined = [
    "\n\n".join(docs("prose")),
    "\n".join(docs("code") * 2),
    " ".join(docs("multilingual") + docs("scripts") + docs("whitespace") + docs("digits") + docs("emoji")
             + docs("contractions") + docs("long")),
    "".join(reversed(docs("prose"))),
]
for d in joined:
    assert len(d.encode("utf-8")) > 3 * 32768, len(d.encode("utf-8"))


def write(path, lines):
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
            for line in lines:
                f.write((line + "\n").encode("utf-8"))


write(os.path.join(GOLDEN, "docs", "joined.jsonl.gz"), [json.dumps(d, ensure_ascii=False) for d in joined])
for name in ENCODINGS:
    enc = tiktoken.get_encoding(name)
    write(os.path.join(GOLDEN, name, "joined.jsonl.gz"),
          [json.dumps(enc.encode_ordinary(d), separators=(",", ":")) for d in joined])
shutil.rmtree(cache)
print(tiktoken.__version__, [len(d.encode("utf-8")) for d in joined])
