# Writes the golden files of SentencePiece-style tokenizer.json files read end to end
# (golden/sp): ids with and without the template, decodes, token ends from tokenizers' offsets,
# and every code point in context, from Hugging Face tokenizers 0.23.2.
#
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install tokenizers==0.23.2
#   cd fasttok-core && /tmp/venv/bin/python src/test/oracle/make-sp-pipeline-golden.py
#
# The tokenizers are made from committed files only (no training), so the script is
# deterministic: running it again writes identical files.
#   llama-bf: golden/hf/spbpe/sample-bf (BPE trained on examples/sample with byte fallback and
#             Llama 2's normalizer and decoder) with Llama 2's post-processor ("<s> $A").
#   llama2:   Llama 2's own tokenizer.json (golden/hf/tokenizers), only while it is committed;
#             without it its golden files are not written (and the test says it cannot check it).
import gzip, io, json, os

import tokenizers
from tokenizers import Tokenizer

assert tokenizers.__version__ == "0.23.2", tokenizers.__version__

GOLDEN = "src/test/resources/golden"
OUT = GOLDEN + "/sp"
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
        "surrogates", "long", "added"]
OFFSET_SETS = ["multilingual", "scripts", "special", "added", "contractions", "prose", "whitespace"]
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


LLAMA2_PATH = GOLDEN + "/hf/tokenizers/llama2.tokenizer.json.gz"
LLAMA_TEMPLATE = {
    "type": "TemplateProcessing",
    "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
    "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
             {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
    "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}},
}

llama_bf = read_gz_json(GOLDEN + "/hf/spbpe/sample-bf.tokenizer.json.gz")
llama_bf["post_processor"] = LLAMA_TEMPLATE
write_gz(OUT + "/tokenizers/llama-bf.tokenizer.json.gz", json.dumps(llama_bf, ensure_ascii=False))
TOKENIZERS = {"llama-bf": llama_bf}
if os.path.exists(LLAMA2_PATH):
    TOKENIZERS["llama2"] = read_gz_json(LLAMA2_PATH)

DOCS = {}
for s in SETS:
    with open(f"{GOLDEN}/{'hf/' if s == 'added' else ''}docs/{s}.jsonl", encoding="utf-8") as f:
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
