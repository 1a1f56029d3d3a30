# Writes golden/decode-special: decode(ids, skip_special_tokens=True/False) of tokenizer.json
# files (Hugging Face tokenizers 0.23.2) and of tiktoken encodings (tiktoken 0.14, decode of the
# ids without the special ones), and the ids of encode(doc, add_special_tokens=True) under the
# RobertaProcessing post-processor and the CTC and BPEDecoder decoders.
#
#   cd fasttok-core
#   /tmp/venv-sp/bin/python src/test/oracle/make-decode-golden.py tokenizers   # tokenizers==0.23.2
#   /tmp/venv-eng/bin/python src/test/oracle/make-decode-golden.py tiktoken    # tiktoken==0.14
#
# Each tokenizer is a committed tokenizer.json (its "base") with top-level keys replaced by
# those of variants/<name>.json, which this script writes and DecodeTest applies the same way.
# tiktoken reads its rank files from TIKTOKEN_CACHE_DIR, filled here with the project's own files
# (src/main/tiktoken), as chat.py does; no network. Deterministic: running it again writes
# identical files.
import gzip, hashlib, io, json, os, random, shutil, sys, tempfile

GOLDEN = "src/test/resources/golden"
OUT = GOLDEN + "/decode-special"
SETS = ["prose", "special", "multilingual", "added", "code", "contractions", "emoji"]


def write_gz(path, text):
    # mtime 0 and no file name, so that the bytes depend on the content only
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(text.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def docs(s):
    path = GOLDEN + ("/hf/docs/added.jsonl" if s == "added" else f"/docs/{s}.jsonl")
    with open(path, encoding="utf-8") as f:
        # fasttok reads a lone surrogate as U+FFFD; Rust strings cannot hold one
        return ["".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in json.loads(line))
                for line in f if line.strip()][:30]


def cases(rnd, ids, special_ids, other_ids):
    """Whole ids, slices, and the ids with special (and other added) tokens and repeats mixed in."""
    out = [ids, ids[1:len(ids) // 2], ids[len(ids) // 3:]]
    mixed = list(ids)
    for _ in range(1 + len(ids) // 8):
        pool = special_ids if rnd.random() < 0.7 or not other_ids else other_ids
        mixed.insert(rnd.randrange(len(mixed) + 1), rnd.choice(pool))
    for _ in range(len(ids) // 10):  # repeats, which CTC collapses
        k = rnd.randrange(len(mixed))
        mixed.insert(k, mixed[k])
    out.append(mixed)
    out.append([rnd.choice(special_ids) for _ in range(3)])
    return out


def tokenizers_part():
    import tokenizers
    from tokenizers import Tokenizer
    assert tokenizers.__version__ == "0.23.2", tokenizers.__version__

    def roberta(cls, sep, **kw):
        return dict({"type": "RobertaProcessing", "sep": list(sep), "cls": list(cls)}, **kw)

    def ctc(pad, delim, cleanup):
        return {"type": "CTC", "pad_token": pad, "word_delimiter_token": delim, "cleanup": cleanup}

    with open(GOLDEN + "/wordpiece/variants/bert-added.json") as f:
        bert_added = json.load(f)
    bert = "wordpiece/tokenizers/bert-uncased.tokenizer.json.gz"
    llama = "sp/tokenizers/llama-bf.tokenizer.json.gz"
    qwen = "hf/tokenizers/qwen3.tokenizer.json.gz"
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    variants = {
        # WordPiece with [CLS]/[SEP] (BertProcessing), and with added tokens of every kind
        "bert": {"base": bert},
        "bert-added": dict(bert_added, base=bert),
        # Skipping compares texts: a normalized special token decodes to its normalized text, which
        # is not a special token's ("[MASK]" -> "[mask]", "Zebra" -> "zebra"), so it stays; a special
        # token that is a model token ("the", "hello") takes that token's id, skipped too
        "bert-normalized-special": {"base": bert, "added_tokens": [
            {"id": 0, "content": c, "single_word": False, "lstrip": False, "rstrip": False, "normalized": n,
             "special": True}
            for c, n in [("[PAD]", False), ("[UNK]", False), ("[CLS]", False), ("[SEP]", False), ("[MASK]", True),
                         ("Zebra", True), ("the", True), ("hello", False)]]},
        # RobertaProcessing alone and in a Sequence; CTC with and without cleanup; BPEDecoder
        "bert-roberta-ctc": {"base": bert, "post_processor": roberta(("[CLS]", 101), ("[SEP]", 102)),
                             "decoder": ctc("[PAD]", "|", True)},
        "bert-sequence-ctc": {"base": bert, "post_processor": {"type": "Sequence", "processors": [
            roberta(("[MASK]", 103), ("[SEP]", 102), trim_offsets=False, add_prefix_space=False),
            {"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]}]},
            "decoder": {"type": "Sequence", "decoders": [ctc("[UNK]", "##", False),
                                                         {"type": "WordPiece", "prefix": "##", "cleanup": True}]}},
        "bert-bpe": {"base": bert, "decoder": {"type": "Sequence", "decoders": [
            {"type": "BPEDecoder", "suffix": "##"}, ctc("", "e", True)]}},
        # SentencePiece-style BPE with <s> (template <s> $A), byte fallback; and with Roberta
        "llama-bf": {"base": llama},
        "llama-roberta-bpe": {"base": llama, "post_processor": roberta(("<s>", 1), ("</s>", 2)),
                              "decoder": {"type": "Sequence", "decoders": [
                                  {"type": "ByteFallback"}, {"type": "BPEDecoder", "suffix": "\u2581"},
                                  {"type": "Fuse"}]}},
        # Gemma's layout (byte tokens in the vocabulary, not added tokens; <bos> $A)
        "gemma-bf": {"base": "sp/tokenizers/gemma-bf.tokenizer.json.gz"},
        # Unigram in T5's and XLM-R's layouts
        "t5": {"base": "sp/tokenizers/t5.tokenizer.json.gz"},
        "xlmr": {"base": "sp/tokenizers/xlmr.tokenizer.json.gz"},
        # Byte-level BPE (Qwen3's own file), and with RobertaProcessing after ByteLevel
        "qwen3": {"base": qwen},
        "qwen3-roberta": {"base": qwen, "post_processor": {"type": "Sequence", "processors": [
            byte_level, roberta(("<|im_start|>", 151644), ("<|im_end|>", 151645))]}},
        # Byte-level BPE without a decoder: tokenizers joins the tokens, as they are, with spaces
        "qwen3-no-decoder": {"base": qwen, "decoder": None},
    }
    os.makedirs(OUT + "/variants", exist_ok=True)
    names = []
    for name, v in variants.items():
        with open(f"{OUT}/variants/{name}.json", "w") as f:
            f.write(json.dumps(v, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        with gzip.open(GOLDEN + "/" + v["base"], "rt", encoding="utf-8") as f:
            js = json.load(f)
        js.update({k: val for k, val in v.items() if k != "base"})
        tok = Tokenizer.from_str(json.dumps(js))
        added = [t for t in js["added_tokens"] if t["content"]]
        special_ids = sorted({tok.token_to_id(t["content"]) for t in added if t["special"]})
        other_ids = sorted({tok.token_to_id(t["content"]) for t in added if not t["special"]} - set(special_ids))
        rnd = random.Random(name)
        lines = []
        for s in SETS:
            for d in docs(s):
                full = tok.encode(d, add_special_tokens=True).ids
                lines.append(json.dumps({"doc": d, "ids": full}, ensure_ascii=False))
                for ids in cases(rnd, full, special_ids, other_ids):
                    lines.append(json.dumps({"ids": ids, "keep": tok.decode(ids, skip_special_tokens=False),
                                             "skip": tok.decode(ids, skip_special_tokens=True)}, ensure_ascii=False))
        write_gz(f"{OUT}/{name}.jsonl.gz", "\n".join(lines) + "\n")
        names.append(name)
        print(name, len(lines), "lines", flush=True)
    return names


def tiktoken_part():
    ranks = os.path.join("src", "main", "tiktoken")
    blob = "https://openaipublic.blob.core.windows.net/encodings/"
    cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
    encodings = ["r50k_base", "cl100k_base", "o200k_base"]
    for name in encodings:
        key = hashlib.sha1((blob + name + ".tiktoken").encode()).hexdigest()
        shutil.copyfile(os.path.join(ranks, name + ".tiktoken"), os.path.join(cache, key))
    os.environ["TIKTOKEN_CACHE_DIR"] = cache
    import tiktoken
    assert tiktoken.__version__.startswith("0.14"), tiktoken.__version__
    for name in encodings:
        enc = tiktoken.get_encoding(name)
        special = sorted(enc.encode_single_token(t) for t in enc.special_tokens_set)
        rnd = random.Random(name)
        lines = []
        for s in SETS:
            for d in docs(s):
                ids = enc.encode(d, allowed_special="all")
                for part in cases(rnd, ids, special, []):
                    kept = [i for i in part if i not in special]
                    lines.append(json.dumps({"ids": part, "keep": enc.decode(part), "skip": enc.decode(kept)},
                                            ensure_ascii=False))
        write_gz(f"{OUT}/{name}.jsonl.gz", "\n".join(lines) + "\n")
        print(name, len(lines), "lines", flush=True)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part == "tokenizers":
        tokenizers_part()
    elif part == "tiktoken":
        tiktoken_part()
    else:
        sys.exit("usage: make-decode-golden.py tokenizers|tiktoken")
