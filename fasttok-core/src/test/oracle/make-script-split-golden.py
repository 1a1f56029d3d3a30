"""Writes golden/hf/scripts/pieces.txt.gz: the pieces Hugging Face's Split pre-tokenizer (Oniguruma,
tokenizers 0.23.2, behaviour Isolated) cuts with patterns that name Unicode scripts, on the golden
documents and on every code point in context. UnicodeScriptsTest checks fasttok's against them.

Usage (from fasttok-core; any Python with tokenizers==0.23.2):
  python3 src/test/oracle/make-script-split-golden.py

Each line: "<pattern index> <where> <count> <fnv>": the number of pieces and the FNV-1a (as
golden/hf/codepoints.txt hashes ids) of their end offsets in code points; <where> is
<set>:<line> for a document (each lone surrogate read as U+FFFD, as Java reads the JSON) or
cp:<block> for the code points of one block of 256 in each template, joined by "\\n\\n".
Deterministic.
"""
import gzip
import json
import os

from tokenizers import Regex, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "resources", "golden")
OUT = os.path.join(GOLDEN, "hf", "scripts", "pieces.txt.gz")

PATTERNS = [
    r"\p{Han}+|\p{Hiragana}+|\p{Katakana}+|[^\p{Han}\p{Hiragana}\p{Katakana}]+",
    r"\p{Latin}+|\p{Cyrillic}+| ?\p{Greek}+|[\p{Arabic}\p{Hebrew}]+|\P{Common}|\p{Common}+",
    r"[\p{Devanagari}\p{Bengali}\p{Thai}\p{Hangul}]+|\p{Inherited}|[^\p{L}\s]+|\s+|.",
]
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
        "surrogates", "long"]
TEMPLATES = ["X", " X", "aX", "X1", "\u3000X", "\u4e00X"]
BLOCK = 256


def well_formed(s):
    out = []
    i = 0
    while i < len(s):
        o = ord(s[i])
        if 0xD800 <= o <= 0xDBFF and i + 1 < len(s) and 0xDC00 <= ord(s[i + 1]) <= 0xDFFF:
            out.append(chr(0x10000 + ((o - 0xD800) << 10) + (ord(s[i + 1]) - 0xDC00)))
            i += 2
            continue
        out.append("\uFFFD" if 0xD800 <= o <= 0xDFFF else s[i])
        i += 1
    return "".join(out)


def fnv(values):
    h = 0x811C9DC5
    for v in values:
        for k in range(4):
            h ^= (v >> (8 * k)) & 0xFF
            h = (h * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


def code_point_doc(block):
    parts = []
    for t in TEMPLATES:
        parts.append("".join(t.replace("X", chr(cp)) for cp in range(block * BLOCK, (block + 1) * BLOCK)
                             if not 0xD800 <= cp <= 0xDFFF))
    return "\n\n".join(parts)


def main():
    lines = ["# Pieces of a Split (Isolated) from tokenizers 0.23.2 (Oniguruma); made by "
             "src/test/oracle/make-script-split-golden.py.",
             "templates " + json.dumps(TEMPLATES), "join " + json.dumps("\n\n"), "block %d" % BLOCK]
    for k, p in enumerate(PATTERNS):
        lines.append("pattern %d %s" % (k, json.dumps(p)))
    docs = {}
    for s in SETS:
        with open(os.path.join(GOLDEN, "docs", s + ".jsonl"), encoding="utf-8") as f:
            docs[s] = [well_formed(json.loads(l)) for l in f if l.strip()]
    for k, p in enumerate(PATTERNS):
        split = pre_tokenizers.Split(Regex(p), "isolated")
        for s in SETS:
            for n, d in enumerate(docs[s]):
                ends = [e for _, (_, e) in split.pre_tokenize_str(d)]
                lines.append("%d %s:%d %d %s" % (k, s, n + 1, len(ends), fnv(ends)))
        for b in range(0x110000 // BLOCK):
            ends = [e for _, (_, e) in split.pre_tokenize_str(code_point_doc(b))]
            lines.append("%d cp:%x %d %s" % (k, b, len(ends), fnv(ends)))
        print(k, flush=True)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))


if __name__ == "__main__":
    main()
