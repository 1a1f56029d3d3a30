# Writes the golden files of the normalizers NFC, NFKC, Replace with a regex and ByteLevel in the
# component pipeline (golden/norm): ids with and without the template, decodes, token ends from
# tokenizers' offsets, and every code point in context, from Hugging Face tokenizers 0.23.2.
#
#   python3 -m venv /tmp/venv && /tmp/venv/bin/pip install tokenizers==0.23.2
#   cd fasttok-core && /tmp/venv/bin/python src/test/oracle/make-normalizer-golden.py
#
# The tokenizers are committed files with their normalizer (and, for some, decoder) swapped, so
# the script is deterministic: running it again writes identical files.
#   uni-*: golden/sp's xlmr (golden/unigram's SentencePiece unigram model with byte fallback,
#          Metaspace, "<s> $A </s>"): byte fallback spells every character the model lacks, so
#          the ids show the normalized text exactly.
#   wp-*:  golden/wordpiece's bert-uncased (BertPreTokenizer, WordPiece, BERT's template).
# Every code point in context is written for the tokenizers of CODEPOINTS (where a character alone
# decides the result). Names given as arguments regenerate only those tokenizers (the manifest keeps
# the others).
# The file layout is golden/sp's (make-sp-pipeline-golden.py), which SentencePiecePipelineTest
# reads; NormalizerGoldenTest reads this one the same way.
import gzip, io, json, os, sys

import tokenizers
from tokenizers import Tokenizer

assert tokenizers.__version__ == "0.23.2", tokenizers.__version__

GOLDEN = "src/test/resources/golden"
OUT = GOLDEN + "/norm"
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
        "surrogates", "long", "added", "norm"]
OFFSET_SETS = ["multilingual", "scripts", "special", "added", "contractions", "prose", "whitespace", "norm"]
# Text where composition, compatibility and the regexes matter: decomposed and precomposed
# letters, marks out of canonical order, blocked marks, Hangul jamo, compatibility characters,
# digits, punctuation, "ab" in any case, space runs and line ends.
NORM = ["e\u0301te\u0301 cafe\u0301 na\u00efve", "A\u030a\u0301 a\u0316\u0301b \u00c5\u0316 x\u0344",
        "\u1100\u1161\u11a8 \u1100\u1161 \uac00\u11a8 \u1112\u1161\u11ab\u1100\u1173\u11af",
        "s\u0323\u0307 s\u0307\u0323 \u1e69 \u0301e \u00c0\u0323", "\ufb01le \u2474 \u00bd \u2460 \uff21\uff22 \u3000x",
        "abAB aB Ab xaby 12 345 6,7", "hello, world! (yes) \u2014 \u00abno\u00bb \u3002",
        "  lead  and   trail  ", "line\nbreak\n\nend\n", "\t tab \r\n crlf", "\u0915\u093c \u0958 \u09c7\u09be",
        "\u212b \u2126 \u0340\u0341 \u0374 \u037e \u0387", "x\u0308\u0301 \u0308\u0301 \u0301\u0301", "",
        "\U0001d15e \U0001d160 \U0001F600e\u0301", "\u1e0b\u0323 \u1e0d\u0307 d\u0307\u0323 \u0111\u0323\u0307",
        "ABab123ab\u00e1b", "\u00c5ngstr\u00f6m \u0041\u030angstro\u0308m", "\ufdfa \u3392 \u33c7"]
os.makedirs(OUT + "/tokenizers", exist_ok=True)
os.makedirs(OUT + "/docs", exist_ok=True)


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


def seq(*parts):
    return {"type": "Sequence", "normalizers": list(parts)}


def replace(regex, content):
    return {"type": "Replace", "pattern": {"Regex": regex}, "content": content}


def replace_string(s, content):
    return {"type": "Replace", "pattern": {"String": s}, "content": content}


NFC, NFKC = {"type": "NFC"}, {"type": "NFKC"}
LOWER = {"type": "Lowercase"}
XLMR = read_gz_json(GOLDEN + "/sp/tokenizers/xlmr.tokenizer.json.gz")
BERT = read_gz_json(GOLDEN + "/wordpiece/tokenizers/bert-uncased.tokenizer.json.gz")
# Llama 2's decoder with a regex where it has a string: runs of U+2581 become one space.
REGEX_DECODER = {"type": "Sequence", "decoders": [
    {"type": "Replace", "pattern": {"Regex": "\u2581+"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"},
    {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
VARIANTS = {
    "uni-nfc": (XLMR, {"normalizer": NFC}),
    "uni-nfkc": (XLMR, {"normalizer": NFKC}),
    "uni-nfkc-lower": (XLMR, {"normalizer": seq(NFKC, LOWER)}),
    "uni-replace": (XLMR, {
        "normalizer": seq(NFC, replace("\\s+", " "), replace("[0-9]+", "0"), replace("(?i)ab", "<AB>"),
                          replace("\\p{P}", "")),
        "decoder": REGEX_DECODER}),
    # Patterns that can match the empty string, anchors, lookaround and String patterns of more than
    # one character (or none).
    "uni-replace-empty": (XLMR, {
        "normalizer": seq(replace("x*", "_"), replace("$", "!"), replace("(?<=[a-z])(?=[A-Z])", "~"),
                          replace_string("ing", "ING"), replace("^\\s*", "")),
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"Regex": "(?:\u2581|[aeiou])"}, "content": "."},
            {"type": "Replace", "pattern": {"Regex": "z*"}, "content": "|"}, {"type": "ByteFallback"},
            {"type": "Fuse"}]}}),
    "uni-replace-empty-string": (XLMR, {"normalizer": seq(NFKC, replace_string("", "-"))}),
    "uni-bytelevel": (XLMR, {"normalizer": {"type": "ByteLevel"}}),
    "wp-nfkc-lower": (BERT, {"normalizer": seq(NFKC, LOWER, {"type": "NFD"}, {"type": "StripAccents"}, NFC)}),
    "wp-nfc": (BERT, {"normalizer": seq({"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                                         "strip_accents": False, "lowercase": True}, NFC)}),
}

CODEPOINTS = ["uni-nfc", "uni-nfkc", "uni-nfkc-lower", "uni-replace", "uni-bytelevel", "wp-nfc"]
TOKENIZERS = {}
for name, (base, overlay) in VARIANTS.items():
    js = json.loads(json.dumps(base))
    js.update(overlay)
    TOKENIZERS[name] = js
    write_gz(f"{OUT}/tokenizers/{name}.tokenizer.json.gz", json.dumps(js, ensure_ascii=False))
with open(OUT + "/docs/norm.jsonl", "w", encoding="utf-8") as f:
    f.write("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in NORM))

DOCS = {}
for s in SETS:
    path = {"added": GOLDEN + "/hf/docs/added.jsonl", "norm": OUT + "/docs/norm.jsonl"}.get(
        s, f"{GOLDEN}/docs/{s}.jsonl")
    with open(path, encoding="utf-8") as f:
        DOCS[s] = [no_surrogates(json.loads(line)) for line in f if line.strip()]

# Contexts for composition: after a letter and a mark, before marks of either order, between Hangul
# jamo, and next to digits, punctuation and space.
CP_TEMPLATES = ["X", "aX", "Xb", " X.", "a\u0301X", "X\u0301", "X\u0316\u0301", "\u1100X\u11a8", "X,1 ", "AX\u0308"]
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
for name, js in TOKENIZERS.items():
    if only and name not in only:
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
    cases = []
    for s in ["prose", "special", "multilingual", "contractions", "code", "emoji", "scripts", "added", "norm"]:
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
    if name not in CODEPOINTS:
        manifest["tokenizers"].append({"name": name, "template": {"before": before, "after": after}})
        print(name, "done", flush=True)
        continue
    cp_lines = ["# Ids of every code point in context, from tokenizers 0.23.2; made by"
                " src/test/oracle/make-normalizer-golden.py.",
                f"block {CP_BLOCK}", "templates " + json.dumps(CP_TEMPLATES), "join \" \" within a template, \"\\n\" between"]
    for b in range(0x110000 // CP_BLOCK):
        ids = tok.encode(code_point_doc(b), add_special_tokens=False).ids
        cp_lines.append(f"{b:x} {len(ids)} {fnv(ids)}")
    write_gz(f"{OUT}/{name}/codepoints.txt.gz", "\n".join(cp_lines) + "\n")
    manifest["tokenizers"].append({"name": name, "template": {"before": before, "after": after}, "codepoints": True})
    print(name, "done", flush=True)
with open(OUT + "/manifest.json", "w") as f:
    f.write(json.dumps(manifest, indent=1) + "\n")
