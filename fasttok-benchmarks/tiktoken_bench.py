"""tiktoken 0.14 on the documents TokenizerBenchmark reads: the anchor for fasttok's engine figures.

    /tmp/venv-eng/bin/python fasttok-benchmarks/tiktoken_bench.py [--max-bytes N] [--joined]
        [--encodings cl100k_base,o200k_base] [--warmup S] [--seconds S] [--rounds R] CORPUS.jsonl...

For each corpus and encoding: the same documents as TokenizerBenchmark with -p maxBytes=N (from the
start of the file, whole documents while the total of their UTF-8 bytes stays within N, at least
one), each passed to Encoding.encode_ordinary in its own call (or, with --joined, all of them joined
by a blank line into one string, as TokenizerBenchmark's joined=true), one thread. Prints the
throughput in MB/s (10^6 UTF-8 bytes of documents per second): the median of R rounds of S seconds
after S seconds of warm-up, and the tokens per pass (to check against fasttok's counts).

Needs the tiktoken wheel (0.14; offline: pip install --index-url file:///opt/pypi/simple
--extra-index-url file:///opt/pypi-more/simple 'tiktoken==0.14.*') and no network: tiktoken reads
the rank files of fasttok-core/src/main/tiktoken through its cache directory, as the oracle scripts
of fasttok-core/src/test/oracle do.
"""
import argparse, hashlib, json, os, shutil, statistics, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
RANKS = os.path.join(HERE, "..", "fasttok-core", "src", "main", "tiktoken")
BLOB = "https://openaipublic.blob.core.windows.net/encodings/"


def load_docs(path, max_bytes):
    """TokenizerBenchmark's documents: Corpus.load(path, maxBytes) for a .jsonl file."""
    limit = max_bytes if max_bytes > 0 else float("inf")
    docs, total = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            # Java's String.getBytes(UTF_8) writes '?' for a lone surrogate; so does "replace".
            size = len(doc.encode("utf-8", "replace"))
            if docs and total + size > limit:
                break
            docs.append(doc)
            total += size
    return docs, total


def measure(enc, docs, warmup, seconds, rounds):
    def one_pass():
        n = 0
        for d in docs:
            n += len(enc.encode_ordinary(d))
        return n

    def passes_for(budget):
        start = time.perf_counter()
        passes, tokens = 0, 0
        while True:
            tokens = one_pass()
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                return passes / elapsed, tokens

    passes_for(warmup)
    scores, tokens = [], 0
    for _ in range(rounds):
        rate, tokens = passes_for(seconds)
        scores.append(rate)
    return statistics.median(scores), scores, tokens


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--max-bytes", type=int, default=4194304)
    ap.add_argument("--encodings", default="cl100k_base,o200k_base")
    ap.add_argument("--joined", action="store_true")
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    names = args.encodings.split(",")

    cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
    try:
        for name in names:
            key = hashlib.sha1((BLOB + name + ".tiktoken").encode()).hexdigest()
            shutil.copyfile(os.path.join(RANKS, name + ".tiktoken"), os.path.join(cache, key))
        os.environ["TIKTOKEN_CACHE_DIR"] = cache
        import tiktoken

        if not tiktoken.__version__.startswith("0.14"):
            sys.exit("needs tiktoken 0.14, found " + tiktoken.__version__)
        encodings = {name: tiktoken.get_encoding(name) for name in names}
    finally:
        shutil.rmtree(cache)

    print("# tiktoken %s, python %s, one thread, encode_ordinary, one %s per call; %gs warm-up, %d x %gs"
          % (tiktoken.__version__, sys.version.split()[0], "joined text" if args.joined else "document",
             args.warmup, args.rounds, args.seconds))
    print("| corpus | encoding | docs | MB per pass | tiktoken MB/s (median) | rounds MB/s | tokens per pass |")
    print("|---|---|---:|---:|---:|---|---:|")
    for path in args.corpora:
        docs, size = load_docs(path, args.max_bytes)
        if args.joined:
            docs = ["\n\n".join(docs)]
            size = len(docs[0].encode("utf-8", "replace"))
        corpus = os.path.basename(path).rsplit(".", 1)[0]
        for name in names:
            median, scores, tokens = measure(encodings[name], docs, args.warmup, args.seconds, args.rounds)
            print("| %s | %s | %d | %.2f | %.1f | %s | %d |" % (
                corpus, name, len(docs), size / 1e6, median * size / 1e6,
                ", ".join("%.1f" % (s * size / 1e6) for s in scores), tokens), flush=True)


if __name__ == "__main__":
    main()
