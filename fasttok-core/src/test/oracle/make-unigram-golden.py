# Writes the golden files of the Unigram model and the Precompiled normalizer
# (src/test/resources/golden/unigram/, see its README.md) with Hugging Face tokenizers (Python
# `tokenizers` 0.23.2, the same Rust code as npm `tokenizers` 0.23.2), sentencepiece and
# transformers' converter of SentencePiece models.
#
#   python3 src/test/oracle/make-unigram-golden.py            (from fasttok-core/)
#
# Deterministic: sentencepiece runs single-threaded with a fixed seed, the vocabulary of
# tokenizers' UnigramTrainer (whose ties fall in hash-map order) is reused from the committed file
# unless --retrain is given, and every random text comes from a seeded generator, so running it
# again writes identical files.
import base64, gzip, hashlib, io, json, os, random, re, struct, sys, tempfile

import sentencepiece as spm
import tokenizers
from tokenizers import PreTokenizedString, Regex, Tokenizer, models, normalizers, pre_tokenizers, trainers
from sentencepiece import sentencepiece_model_pb2 as sp_pb2

HERE = os.path.dirname(os.path.abspath(__file__))
CORE = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))  # fasttok-core
ROOT = os.path.dirname(CORE)
GOLDEN = os.path.join(CORE, "src/test/resources/golden")
OUT = os.path.join(GOLDEN, "unigram")
SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji",
        "scripts", "surrogates", "long"]
LONE = re.compile("[\ud800-\udfff]")

assert tokenizers.__version__ == "0.23.2", tokenizers.__version__


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def docs(name):
    return read_jsonl(os.path.join(GOLDEN, "docs", name + ".jsonl"))


def rust_text(s):
    # A Rust string cannot hold a lone surrogate; fasttok reads one as U+FFFD (one UTF-16 unit
    # either way, so indices agree).
    return LONE.sub("\ufffd", s)


def utf16_ends(text, offsets):
    # tokenizers' Python offsets count code points; fasttok's count UTF-16 units.
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return [units[e] for _, e in offsets]


def write_gz(path, lines):
    data = "".join(json.dumps(x, ensure_ascii=True, separators=(",", ":")) + "\n" for x in lines).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as g:
        g.write(data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def corpus_lines():
    out = []
    for name in ("prose", "multilingual", "code"):
        for doc in read_jsonl(os.path.join(ROOT, "examples/sample", name + ".jsonl")):
            out.extend(l for l in doc.split("\n") if l.strip())
    return out


def train_spm(tmp):
    # A T5/XLM-R style SentencePiece model: unigram, nmt_nfkc (the charsmap T5 and XLM-R carry),
    # byte fallback, and a character coverage below 1 so that rare characters stay unknown.
    text = os.path.join(tmp, "corpus.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write("\n".join(corpus_lines()) + "\n")
    prefix = os.path.join(tmp, "spm")
    spm.SentencePieceTrainer.train(
        input=text, model_prefix=prefix, model_type="unigram", vocab_size=3000,
        character_coverage=0.995, byte_fallback=True, normalization_rule_name="nmt_nfkc",
        num_threads=1, seed_sentencepiece_size=200000, shuffle_input_sentence=False,
        input_sentence_size=0, minloglevel=2)
    return prefix + ".model"


def convert(model_file):
    # transformers' T5 converter: Precompiled normalizer (with whitespace rules), Metaspace,
    # Unigram with the SentencePiece scores and byte fallback.
    from transformers.convert_slow_tokenizer import T5Converter

    class Slow:
        vocab_file = model_file
        legacy = True
        add_prefix_space = True
        def __init__(self):
            self._extra_ids = 0
        def convert_tokens_to_ids(self, t):
            return 0
    try:
        tok = T5Converter(Slow()).converted()
    except Exception as e:  # the converter's needs differ between transformers versions
        print("T5Converter failed (", e, "), building from the proto", file=sys.stderr)
        tok = None
    proto = sp_pb2.ModelProto()
    with open(model_file, "rb") as f:
        proto.ParseFromString(f.read())
    if tok is None:
        vocab = [(p.piece, p.score) for p in proto.pieces]
        tok = Tokenizer(models.Unigram(vocab, proto.trainer_spec.unk_id, True))
        tok.normalizer = normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap)
    return tok, proto


def train_unigram():
    # tokenizers' own UnigramTrainer; its vocabulary then gets the 256 <0xXX> pieces (with a score
    # below every other, which lowers the unknown score too) and byte_fallback.
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    trainer = trainers.UnigramTrainer(vocab_size=6000, special_tokens=["<unk>"], unk_token="<unk>",
                                      show_progress=False, max_piece_length=12)
    lines = corpus_lines()
    tok.train_from_iterator(lines, trainer)
    m = json.loads(tok.to_str())["model"]
    vocab = [tuple(v) for v in m["vocab"]] + [("<0x%02X>" % b, -30.0) for b in range(256)]
    return {"type": "Unigram", "unk_id": m["unk_id"], "vocab": [list(v) for v in vocab], "byte_fallback": True}


def hand_models():
    # Small vocabularies for what trained ones rarely show: equal scores, a piece twice, the
    # empty piece, the unknown token written in the text, a fused unknown run that is itself a
    # piece, missing byte pieces, no unk_id.
    u = lambda vocab, unk, bf: {"type": "Unigram", "unk_id": unk, "vocab": [list(v) for v in vocab], "byte_fallback": bf}
    ties = [("<unk>", 0.0), ("a", -1.0), ("b", -1.0), ("c", -1.0), ("ab", -2.0), ("bc", -2.0),
            ("abc", -3.0), ("ca", -2.0), ("cab", -3.0), ("x", -0.5), ("xx", -1.0), ("xxx", -1.5),
            ("\u2581", -1.0), ("\u2581a", -2.0), ("\u2581ab", -2.5), ("é", -1.0), ("éa", -2.0),
            ("😀", -1.0), ("😀😀", -2.0), ("<unk>", -4.0), ("", -0.1), ("ba", -2.0), ("a", -1.0)]
    dup = [("<unk>", 0.0), ("a", -1.0), ("ab", -3.0), ("b", -2.0), ("ab", -0.5), ("b", -9.0),
           ("<", -1.0), ("u", -1.0), ("n", -1.0), ("k", -1.0), (">", -1.0), ("<unk>", -2.0),
           ("<0x41>", -1.5), ("<0xC3>", -3.0), ("<0xA9>", -3.0), ("<0xE2>", -3.0), ("<0x82>", -3.0),
           ("<0xAC>", -3.0), ("<0xF0>", -3.0), ("<0x9F>", -3.0), ("<0x98>", -3.0), ("<0x80>", -3.0)]
    positive = [("<unk>", 100.0), ("a", 100.0), ("ψω", 100.0), ("b", 100.0), ("ψωψ", 100.0),
                ("ab", 150.0), ("<0xCF>", 100.0), ("<0x88>", 100.0), ("<0x89>", 100.0)]
    no_unk = [("a", -1.0), ("b", -1.0), ("ab", -1.5), ("<0x61>", -2.0), ("<0xC3>", -2.0), ("<0xA9>", -2.0)]
    return {
        "ties": u(ties, 0, False),
        "ties-bytes": u(ties + [("<0x%02X>" % b, -5.0) for b in range(256)], 0, True),
        "dup": u(dup, 11, True),
        "positive": u(positive, 0, True),
        "positive-nofallback": u(positive, 0, False),
        "no-unk": u(no_unk, None, True),
        "empty": u([], None, False),
    }


def random_texts(rng, alphabet, count, max_len):
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, max_len))) for _ in range(count)]


def model_cases(name, model_json, texts):
    tok = Tokenizer.from_str(json.dumps({"version": "1.0", "model": model_json}))
    assert tok.normalizer is None and tok.pre_tokenizer is None
    out = []
    for t in texts:
        case = dict(t) if isinstance(t, dict) else {"text": t}
        text = rust_text(case["text"] if "text" in case else docs(case["set"])[case["i"]])
        if case.get("meta"):
            text = "\u2581" + text.replace(" ", "\u2581")
        try:
            enc = tok.encode(text, add_special_tokens=False)
            case["ids"] = enc.ids
            ends = utf16_ends(text, enc.offsets)
            # Token lengths (end minus the previous end) compress better than the ends.
            case["lens"] = [e - (ends[k - 1] if k else 0) for k, e in enumerate(ends)]
        except Exception as e:
            case["error"] = str(e)
        out.append(case)
    return out


def fnv(ints):
    # FNV-1a over 32-bit values, one multiply per value (the Java test hashes the same way).
    h = 0x811C9DC5
    for x in ints:
        h = ((h ^ (x & 0xFFFFFFFF)) * 0x01000193) & 0xFFFFFFFF
    return h


def units16(text):
    units = [0]
    for ch in text:
        units.append(units[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return units


def normalize_with_offsets(pre, text):
    # The normalized text, and for each of its code points the range of the input it is aligned
    # with: the pieces of a split into single characters, with their offsets in the original.
    pts = PreTokenizedString(text)
    pts.normalize(lambda ns: pre.normalize(ns))
    pts.split(lambda i, ns: ns.split(Regex(r"[\s\S]"), "isolated"))
    splits = pts.get_splits(offset_referential="original", offset_type="char")
    normalized = "".join(p for p, _, _ in splits)
    assert normalized == pre.normalize_str(text), repr(text)
    u = units16(text)
    return normalized, [(u[a], u[b]) for _, (a, b), _ in splits]


def offsets_hash(normalized, offsets):
    out = [units16(normalized)[-1]] + [ord(c) for c in normalized]
    for a, b in offsets:
        out += [a, b]
    return fnv(out)


def delta(offsets):
    # Starts as differences from the previous start, then lengths: mostly 1s, which gzip shrinks.
    out, prev = [], 0
    for a, b in offsets:
        out += [a - prev, b - a]
        prev = a
    return out


def crafted_charsmap(value, blob):
    # A trie with one key, "a", whose unit points to unit 256, which holds the value: the
    # replacement's offset in the blob.
    units = [0] * 512
    units[0x61] = (0x161 << 10) | 0x100 | 0x61
    units[256] = value
    return struct.pack("<I", 4 * 512) + struct.pack("<512I", *units) + blob


def crafted_cases():
    # Hand-built charsmaps: replacements at the start, the end (empty) and past the end of the
    # blob or inside a character (tokenizers panics on the text that reaches them), and headers
    # that do not parse.
    out = []
    for value, blob in ((0, b"b\x00"), (0, "\u00e9\x00".encode()), (2, b"b\x00"), (0, b"xyz"), (1, "\u00e9\x00".encode()),
                        (5, b"b\x00")):
        cm = crafted_charsmap(value, blob)
        case = {"charsmap": base64.b64encode(cm).decode(), "text": "xay"}
        try:
            case["out"] = normalizers.Precompiled(cm).normalize_str("xay")
        except BaseException as e:  # a Rust panic arrives as pyo3's PanicException
            case["error"] = str(e)
        out.append(case)
    for cm in (b"", b"\x01\x00", struct.pack("<I", 40) + b"x" * 10, struct.pack("<I", 0) + b"\xc3"):
        case = {"charsmap": base64.b64encode(cm).decode()}
        try:
            normalizers.Precompiled(cm)
            case["loads"] = True
        except Exception as e:
            case["error"] = str(e)
        out.append(case)
    return out


def lead_byte_charsmap():
    # Every byte that can start a UTF-8 character is a key (replaced by "#"), so every character
    # has a key and a cluster of fewer than 6 bytes becomes a single "#": the output's length
    # shows the cluster boundaries wherever they can change a Precompiled normalizer's output.
    units = [0] * 512
    for c in list(range(0x01, 0x80)) + list(range(0xC2, 0xF5)):
        units[c] = (256 << 10) | 0x100 | c  # its value is in unit c ^ 256
    return struct.pack("<I", 4 * 512) + struct.pack("<512I", *units) + b"#\x00"


CLUSTER_CONTEXTS = ["aX", "Xa", "X\u0301", "\u0600X"]


def cluster_cases():
    # For each context, the code points X (surrogates excepted) for which the context is one
    # cluster, as ranges [first, last].
    cm = lead_byte_charsmap()
    pre = normalizers.Precompiled(cm)
    out = [{"leadbytes": base64.b64encode(cm).decode()}]
    for t in CLUSTER_CONTEXTS:
        ranges = []
        for cp in range(0x110000):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            if len(pre.normalize_str(t.replace("X", chr(cp)))) == 1:
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1][1] = cp
                else:
                    ranges.append([cp, cp])
        out.append({"context": t, "clusters": ranges})
    return out


def normalizer_golden(charsmap, rng):
    pre = normalizers.Precompiled(charsmap)
    cases = crafted_cases() + cluster_cases()
    # Every code point alone (surrogates excepted): the ones that change.
    changed = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        out = pre.normalize_str(chr(cp))
        if out != chr(cp):
            changed.append([cp, out])
    cases.append({"alone": changed})
    # Every code point in contexts that decide its grapheme cluster (a combining mark after it,
    # a letter before it, itself twice, a virama before it, a ZWJ and a pictograph after it, a
    # Hangul L before it), per block of 256: the hash of the output and its offsets.
    templates = ["X\u0301", "aX", "XX", "\u0915\u094dX", "X\u200d\u2764", "\u1100X", "\uff21X\u0308"]
    for block in range(0x1100):
        first = block * 256
        if 0x40000 <= first < 0xE0000 or 0xD800 <= first < 0xE000 or (0xF0100 <= first < 0xFFF00) or (0x100100 <= first < 0x10FF00):
            continue
        parts = [t.replace("X", chr(cp)) for cp in range(first, first + 256) for t in templates]
        text = "\n".join(parts)
        normalized, offsets = normalize_with_offsets(pre, text)
        cases.append({"block": block, "len": units16(normalized)[-1], "hash": offsets_hash(normalized, offsets)})
    # The golden documents, and strings of characters the charsmap or the clusters treat specially.
    texts = [{"set": s, "i": i} for s in SETS for i in range(len(docs(s)))]
    special = ["", "\u200b", "\u200bab", "a\u200b", "\u200b\u200b\u00adx", "\ufb01", "x\ufb01y", "\uff21\u0301",
               "\uff21\u0301\u0301\u0301", "\u1100\u1161\u11a8", "\U0001F1EF\U0001F1F5\U0001F1FA",
               "\u0915\u094d\u0937", "\U0001F468\u200d\U0001F469\u200d\U0001F467", "e\u0301", "\u2460\u0301",
               "\x00a\x00", "\u3000\u3000x", "\u2028\u2029\x85", "\ufeffa", "\u00bd\u00bd", "\u33a1\u0301",
               "\r\n", "\U0001D400\U0001D401", "\u1e9b\u0323", "\ufdfa", "\u0f77\u0f79"]
    alphabet = sorted(set("a \u200b\u00ad\ufb01\uff21\u0301\u0308\u1100\u1161\u11a8\u0915\u094d\u0937\u200d"
                          "\u2764\u3000\u00bd\u2460\x00\n\r\t\u33a1\ufdfa\u0f77\u1e9b\u0323\u00e9\u2163\u3099"
                          "\U0001F1EF\U0001F1F5\U0001F468\U0001D400\uac00\u0e33\u0627\u0644\u2126\u212b"))
    special += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    texts += [{"text": t} for t in special]
    for c in texts:
        text = rust_text(c["text"] if "text" in c else docs(c["set"])[c["i"]])
        normalized, offsets = normalize_with_offsets(pre, text)
        cases.append(dict(c, out=normalized, al=delta(offsets)))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(12)
    files = {}
    with tempfile.TemporaryDirectory() as tmp:
        model_file = train_spm(tmp)
        tok, proto = convert(model_file)
    spm_json = json.loads(tok.to_str())
    files["spm"] = spm_json["model"]
    # The converter leaves byte_fallback off (as in T5's and XLM-R's own files); the same
    # vocabulary with it on covers SentencePiece's <0xXX> pieces.
    files["spm-bytes"] = dict(spm_json["model"], byte_fallback=True)
    # tokenizers' trainer breaks ties in hash-map order, which differs from run to run, so the
    # committed vocabulary is reused unless --retrain is given.
    trained = os.path.join(OUT, "trained.model.json.gz")
    if os.path.exists(trained) and "--retrain" not in sys.argv:
        files["trained"] = json.loads(gzip.open(trained).read())
    else:
        files["trained"] = train_unigram()
    files.update(hand_models())
    charsmap = proto.normalizer_spec.precompiled_charsmap

    common = ["", " ", "\u2581", "\u2581\u2581\u2581", "Hello world", "\u2581Hello\u2581world",
              "\u2581the\u2581quick\u2581brown\u2581fox", "<unk>", "a<unk>b", "é<unk>è", "<0x41>",
              "<0x41><0xC3>", "\x00\x01\t\n\r", "\ufffd", "😀😀😀👍🏽👨‍👩‍👧", "\U0010FFFF\U000E0001",
              "東京スカイツリー", "Ελληνικά русский עברית العربية हिन्दी ไทย 한국어",
              "a" * 3000, "\u2581" * 2000, "ab" * 1500, "x" * 2001, "é" * 999, "😀" * 777,
              "\u0fff" * 500 + "a" + "\u2fff" * 300, "9" * 1200, "\u2581a" * 700 + "\u2581"]
    # Each document as one piece: as Metaspace would give it (spaces as U+2581, one in front), and
    # for the sets with most non-ASCII text also as it is.
    raw_sets = ("multilingual", "emoji", "scripts", "surrogates")
    doc_cases = {}
    for name, sets in (("spm", SETS), ("spm-bytes", ("emoji", "scripts")), ("trained", [s for s in SETS if s not in ("prose", "long")])):
        doc_cases[name] = [{"set": s, "i": i, "meta": m} for s in sets for i in range(len(docs(s)))
                           for m in (True, False) if m or s in raw_sets]

    # One piece longer than the 65536 chars a thread keeps arrays for.
    doc_cases["spm"].append({"text": ("\u2581" + " ".join(docs("long"))).replace(" ", "\u2581")[:70001]})

    golden = []
    for name in ("spm", "spm-bytes", "trained"):
        golden += [dict(c, model=name) for c in model_cases(name, files[name], common + doc_cases[name])]
    hand_alpha = ["a", "b", "c", "x", "\u2581", "é", "😀", "<", "u", "n", "k", ">", "ψ", "ω", "A", "ß", " "]
    for name in ("ties", "ties-bytes", "dup", "positive", "positive-nofallback", "no-unk", "empty"):
        texts = common[:20] + ["abc", "aaa", "cab", "xxxxx", "\u2581ab\u2581abc", "éa😀😀é", "ψω", "ψωψω",
                               "aψωb", "ψ", "ω", "é<unk>", "<unk><unk>", "A<0x41>A", "ab", "ba"]
        texts += random_texts(rng, hand_alpha, 400, 14)
        golden += [dict(c, model=name) for c in model_cases(name, files[name], texts)]

    # Models tokenizers refuses or accepts at load.
    loads = []
    for vocab, unk, bf in (([], 0, False), ([], None, False), ([], None, True), ([["a", 0.0], ["b", -1.0]], 2, False),
                           ([["a", 0.0], ["b", -1.0]], 1, True), ([["a", 0.0]], None, True), ([["", 0.0]], 0, False)):
        case = {"vocab": vocab, "unk_id": unk, "byte_fallback": bf}
        try:
            models.Unigram([tuple(v) for v in vocab], unk, bf)
            case["loads"] = True
        except Exception as e:
            case["error"] = str(e)
        loads.append(case)
    write_gz(os.path.join(OUT, "model-load.jsonl.gz"), loads)

    for name, m in files.items():
        write_gz(os.path.join(OUT, name + ".model.json.gz"), [m])
    write_gz(os.path.join(OUT, "model-ids.jsonl.gz"), golden)
    # The Precompiled normalizer as a tokenizer.json holds it (base64 of SentencePiece's charsmap).
    write_gz(os.path.join(OUT, "spm.precompiled.json.gz"),
             [{"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode()}])
    errors = sum(1 for c in golden if "error" in c)
    print("model cases", len(golden), "errors", errors, "charsmap bytes", len(charsmap),
          "sha256", hashlib.sha256(charsmap).hexdigest())
    norm = normalizer_golden(charsmap, random.Random(17))
    write_gz(os.path.join(OUT, "precompiled.jsonl.gz"), norm)
    print("normalizer cases", len(norm), "code points changed alone", len(next(c for c in norm if "alone" in c)["alone"]))
    by_model = {}
    for c in golden:
        by_model.setdefault(c["model"], [0, 0])[0 if "error" in c else 1] += 1
    print("errors / encoded per model", by_model)


if __name__ == "__main__":
    main()
