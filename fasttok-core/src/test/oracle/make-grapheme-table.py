# Writes src/main/resources/dev/fasttok/grapheme-clusters.txt: the data behind extended grapheme
# cluster boundaries as the Rust crate unicode-segmentation computes them, which Hugging Face
# tokenizers' Precompiled normalizer splits its input with. tokenizers 0.23.2's Python wheel is
# built with unicode-segmentation 1.13.x, whose tables are Unicode 17.0.0; the JDK's own break
# iterator follows the JDK's Unicode version (13.0 on Java 17), hence a table of our own.
#
#   python3 src/test/oracle/make-grapheme-table.py PATH/TO/unicode-segmentation/src/tables.rs
#
# (from fasttok-core/; the file is the crate's src/tables.rs, from its source package or its
# repository at the release). It reads the crate's grapheme category table (GCB values, with
# Extended_Pictographic and InCB=Consonant as categories of their own), its InCB=Extend table and
# its list of InCB=Linker characters, and writes them as ranges.
import os, re, sys

src = open(sys.argv[1], encoding="utf-8").read()
version = re.search(r"pub const UNICODE_VERSION: \(u64, u64, u64\) = \((\d+), (\d+), (\d+)\);", src).groups()

def block(start_marker):
    i = src.index(start_marker)
    return src[i:src.index("];", i)]

cp = r"'\\u\{([0-9a-fA-F]+)\}'"
cats = [(int(a, 16), int(b, 16), c) for a, b, c in
        re.findall(r"\(" + cp + r",\s*" + cp + r",\s*GC_(\w+)\)", block("const grapheme_cat_table"))]
extend = [(int(a, 16), int(b, 16)) for a, b in re.findall(r"\(" + cp + r",\s*" + cp + r"\)", block("const InCB_Extend_table"))]
linker_src = src[src.index("pub fn is_incb_linker"):]
linker_src = linker_src[:linker_src.index("}\n")]
linkers = [int(x, 16) for x in re.findall(r"'\\u\{([0-9a-fA-F]+)\}'", linker_src)]
assert len(cats) > 1000 and len(extend) > 100 and len(linkers) > 10, (len(cats), len(extend), len(linkers))
for (a, b, _), (c, d, _) in zip(cats, cats[1:]):
    assert a <= b < c <= d

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "..", "main", "resources", "dev", "fasttok", "grapheme-clusters.txt")
with open(out, "w", encoding="ascii") as f:
    f.write("# Extended grapheme cluster data of the Rust crate unicode-segmentation (Unicode %s.%s.%s),\n" % version)
    f.write("# written by src/test/oracle/make-grapheme-table.py. Code points in hex; 'cat FIRST LAST NAME'\n")
    f.write("# (every other code point is Any), 'extend FIRST LAST' (InCB=Extend), 'linker CP' (InCB=Linker).\n")
    f.write("unicode %s.%s.%s\n" % version)
    for a, b, c in cats:
        f.write("cat %x %x %s\n" % (a, b, c))
    for a, b in extend:
        f.write("extend %x %x\n" % (a, b))
    for c in linkers:
        f.write("linker %x\n" % c)
print(len(cats), len(extend), len(linkers), "Unicode", ".".join(version))
