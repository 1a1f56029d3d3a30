"""Writes src/main/resources/dev/fasttok/unicode-scripts.txt: the code points of every Unicode
script as the two reference regex engines match \\p{<script>}, probed code point by code point.

  Oniguruma, inside Hugging Face tokenizers 0.23.2 (a Split pre-tokenizer over \\p{X}+, inverted
  and Removed, over a text of every code point but the surrogates): tokenizer.json patterns.
  fancy-regex / regex crate inside tiktoken 0.14 (an Encoding with pat_str \\p{X}+ and one rank
  per byte: tiktoken drops the text no match covers, so the decoded ids are the matched code
  points): tiktoken patterns.

Usage (from fasttok-core; the two Pythons are any with tokenizers==0.23.2 and tiktoken==0.14.0):
  python3 src/test/oracle/make-script-table.py /tmp/venv-sp/bin/python /tmp/venv-eng/bin/python

The candidate names are the script property values of Unicode 15.0's PropertyValueAliases.txt
and those Unicode 16.0 added; a name goes in the table for an engine only if that engine
accepts it. Scripts partition the code points, so each is probed on the code points the
scripts before it have not taken (the probe checks some on all of them); a short name is checked
to mean its long name. Output lines: "script <Long_Name> <Short> onig|tiktoken|both" then "ranges ..." as
hexadecimal first-last pairs (a single code point as one number). Deterministic.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "main", "resources", "dev", "fasttok", "unicode-scripts.txt")

# (short, long) of Unicode 15.0's PropertyValueAliases.txt "sc" lines, then Unicode 16.0's new scripts.
ALIASES = os.environ.get("FASTTOK_PROPERTY_VALUE_ALIASES", "/tmp/corpora/.build/x/unicode-data/usr/share/unicode/PropertyValueAliases.txt")
UNICODE_16 = [("Gara", "Garay"), ("Gukh", "Gurung_Khema"), ("Krai", "Kirat_Rai"), ("Onao", "Ol_Onal"),
              ("Sunu", "Sunuwar"), ("Todr", "Todhri"), ("Tutg", "Tulu_Tigalari")]

PROBE = r'''
import json, sys
req = json.loads(sys.stdin.read())
pairs, order = req["pairs"], req["order"]
ALL = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
if sys.argv[1] == "onig":
    from tokenizers import pre_tokenizers, Regex
    def compile_(n):
        return pre_tokenizers.Split(Regex(r"\p{%s}+" % n), "removed", invert=True)
    def run(p, cps):
        text = "".join(map(chr, cps))
        return [cps[i] for _, (a, b) in p.pre_tokenize_str(text) for i in range(a, b)]
else:
    import tiktoken
    RANKS = {bytes([i]): i for i in range(256)}
    def compile_(n):
        return tiktoken.Encoding("probe", pat_str=r"\p{%s}+" % n, mergeable_ranks=RANKS, special_tokens={})
    def run(p, cps):
        return [ord(c) for c in bytes(p.encode("".join(map(chr, cps)), disallowed_special=())).decode("utf-8")]
def accepted(n):
    try:
        return compile_(n)
    except Exception:
        return None
out = {}
# Scripts partition the code points: each is probed on those no script probed before has taken
# (the largest first, so the text shrinks fast); a few are probed again on every code point.
left = ALL
for long_ in order:
    p = accepted(long_)
    if p is None:
        out[long_] = None
        continue
    got = run(p, left)
    out[long_] = got
    taken = set(got)
    left = [c for c in left if c not in taken]
for long_ in ["Latin", "Common", "Han", "Inherited", "Cyrillic", "Arabic", "Garay"]:
    if out.get(long_) is not None and run(accepted(long_), ALL) != out[long_]:
        raise SystemExit("scripts overlap: " + long_)
# The short name: accepted or not, and the same on the long name's code points and their neighbours.
for short, long_ in pairs:
    p = accepted(short)
    if (p is None) != (out[long_] is None):
        raise SystemExit("%s and %s: one accepted" % (short, long_))
    if p is not None:
        sample = sorted(set(out[long_][:300] + [c + 1 for c in out[long_][:300] if c + 1 < 0xD800]))
        if run(p, sample) != run(accepted(long_), sample):
            raise SystemExit("%s and %s differ" % (short, long_))
res = {}
for long_ in order:
    cps = out[long_]
    if cps is None:
        res[long_] = None
        continue
    rs = []
    for c in sorted(cps):
        if rs and rs[-1][1] == c - 1:
            rs[-1][1] = c
        else:
            rs.append([c, c])
    res[long_] = rs
print(json.dumps(res))
'''


def probe(python, engine, pairs, order):
    r = subprocess.run([python, "-c", PROBE, engine], input=json.dumps({"pairs": pairs, "order": order}),
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(engine + ": " + r.stderr + r.stdout)
    return json.loads(r.stdout)


def main():
    onig_py, tik_py = sys.argv[1], sys.argv[2]
    pairs = []
    with open(ALIASES, encoding="utf-8") as f:
        for line in f:
            if line.startswith("sc "):
                fields = [x.strip() for x in line.split("#")[0].split(";")]
                pairs.append((fields[1], fields[2]))
    pairs += UNICODE_16
    pairs.sort(key=lambda p: p[1])
    # The largest scripts first (by Unicode 15.0's Scripts.txt; only the speed depends on it).
    size = {}
    with open(os.path.join(os.path.dirname(ALIASES), "Scripts.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#")[0].strip()
            if line:
                r, name = [x.strip() for x in line.split(";")]
                a, _, b = r.partition("..")
                size[name] = size.get(name, 0) + int(b or a, 16) - int(a, 16) + 1
    order = sorted([p[1] for p in pairs], key=lambda n: (-size.get(n, 0), n))
    order.remove("Unknown")
    order.insert(0, "Unknown")
    onig = probe(onig_py, "onig", pairs, order)
    tik = probe(tik_py, "tiktoken", pairs, order)
    lines = ["# The code points of each Unicode script as \\p{<script>} matches them in the reference engines:",
             "# Oniguruma in tokenizers 0.23.2 (onig) and fancy-regex in tiktoken 0.14.0 (tiktoken).",
             "# Generated by src/test/oracle/make-script-table.py; do not edit.",
             "# script <Long_Name> <Short> <engines that accept both names>, then its ranges (hex first-last)."]
    for short, long_ in pairs:
        o, t = onig[long_], tik[long_]
        if o is None and t is None:
            continue
        if o is not None and t is not None and o != t:
            groups = [("onig", o), ("tiktoken", t)]
        elif o is not None and t is not None:
            groups = [("onig tiktoken", o)]
        else:
            groups = [("onig", o)] if o is not None else [("tiktoken", t)]
        for engines, rs in groups:
            lines.append("script %s %s %s" % (long_, short, engines))
            lines.append("ranges " + " ".join("%x" % a if a == b else "%x-%x" % (a, b) for a, b in rs))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
