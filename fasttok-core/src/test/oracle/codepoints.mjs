// Golden data for every code point U+0000..U+10FFFF in many contexts, for each encoding.
// Code points are taken in blocks of 256; for each block one document is built from templates
// (X stands for the code point; surrogates U+D800..U+DFFF stand alone, so tiktoken reads them as
// U+FFFD): for each template, the block's code points put through it and concatenated; the
// template outputs are joined with "\n\n". The file stores, per encoding and block, the number
// of ids tiktoken returns and an FNV-1a hash of them (32-bit, each id as 4 little-endian bytes).
// CodePointsTest rebuilds the same documents from the templates in the file's header.
//
// Usage: node src/test/oracle/codepoints.mjs  (writes src/test/resources/golden/codepoints.txt)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tiktoken, goldenDir } from "./oracle-lib.mjs";

const ENCODINGS = ["r50k_base", "p50k_base", "cl100k_base", "o200k_base"];
const TEMPLATES = ["X", " X", "aX", "XA", "X1", "'X", "X's", "X\n", " !X", "AXb", "X X", "\u3000X"];
const BLOCK = 256;
const BLOCKS = 0x110000 / BLOCK;

function doc(block) {
  const parts = [];
  for (const t of TEMPLATES) {
    let s = "";
    for (let cp = block * BLOCK; cp < (block + 1) * BLOCK; cp++) {
      const x = cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      s += t.replaceAll("X", x);
    }
    parts.push(s);
  }
  return parts.join("\n\n");
}

function fnv(ids) {
  let h = 0x811c9dc5;
  for (const v of ids) for (let k = 0; k < 4; k++) { h ^= (v >>> (8 * k)) & 0xff; h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16).padStart(8, "0");
}

const lines = [
  "# Token ids of every code point in context, from npm tiktoken 1.0.22; made by src/test/oracle/codepoints.mjs.",
  `block ${BLOCK}`,
  `templates ${JSON.stringify(TEMPLATES)}`,
  `join ${JSON.stringify("\n\n")}`,
];
const docs = [];
for (let b = 0; b < BLOCKS; b++) docs.push(doc(b));
for (const name of ENCODINGS) {
  const enc = tiktoken.get_encoding(name);
  const t0 = Date.now();
  lines.push(`encoding ${name}`);
  for (let b = 0; b < BLOCKS; b++) {
    const ids = enc.encode_ordinary(docs[b]);
    lines.push(`${b.toString(16)} ${ids.length} ${fnv(ids)}`);
  }
  enc.free();
  console.error(`${name}: ${(Date.now() - t0) / 1000}s`);
}
writeFileSync(join(goldenDir, "codepoints.txt"), lines.join("\n") + "\n");
