// Derives, for every code point U+0000..U+10FFFF, the character classes that tiktoken's regex
// engine (fancy-regex over regex-syntax, inside the npm tiktoken WASM) gives it, in the format of
// src/main/resources/dev/fasttok/unicode-classes.txt. The class table fasttok ships is generated
// from the Unicode database (UnicodeTableGenerator); this file is the oracle's view of the same
// facts, and UnicodeClassesTest requires the two to agree on every code point.
//
// Trick: a Tiktoken whose vocabulary is the 256 single bytes and whose split pattern is one class
// (e.g. \p{Lu}) returns bytes only for the characters the pattern matches; unmatched text is
// skipped. Encoding all code points in order therefore yields exactly the members of the class.
//
// Usage: node src/test/oracle/unicode-classes.mjs  (writes src/test/resources/golden/unicode-classes.txt)
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tiktoken, goldenDir } from "./oracle-lib.mjs";

const { Tiktoken } = tiktoken;
let bfe = "";
for (let b = 0; b < 256; b++) bfe += Buffer.from([b]).toString("base64") + " " + b + "\n";

const MAX = 0x10ffff;
let all = "";
for (let cp = 0; cp <= MAX; cp++) if (cp < 0xd800 || cp > 0xdfff) all += String.fromCodePoint(cp);

function members(pattern) {
  const enc = new Tiktoken(bfe, {}, pattern);
  const bytes = Buffer.from(enc.encode_ordinary(all));
  enc.free();
  const set = new Set();
  for (const ch of bytes.toString("utf8")) set.add(ch.codePointAt(0));
  return set;
}

function ranges(set) {
  const cps = [...set].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < cps.length; ) {
    let j = i;
    while (j + 1 < cps.length && cps[j + 1] === cps[j] + 1) j++;
    out.push([cps[i], cps[j]]);
    i = j + 1;
  }
  return out;
}

const hex = (cp) => cp.toString(16).toUpperCase().padStart(4, "0");
const CATEGORIES = ["Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No"];
const lines = [
  "# Character classes as tiktoken's regex engine sees them (npm tiktoken 1.0.22: fancy-regex 0.11,",
  "# regex-syntax 0.8.5), derived by src/test/oracle/unicode-classes.mjs. Do not edit.",
];
const owner = new Map();
for (const cat of CATEGORIES) {
  for (const cp of members(`\\p{${cat}}`)) {
    if (owner.has(cp)) throw new Error(`U+${hex(cp)} in both ${owner.get(cp)} and ${cat}`);
    owner.set(cp, cat);
  }
}
const byStart = [];
for (const cat of CATEGORIES) {
  const set = new Set([...owner].filter(([, c]) => c === cat).map(([cp]) => cp));
  for (const [a, b] of ranges(set)) byStart.push([a, b, cat]);
}
byStart.sort((x, y) => x[0] - y[0]);
for (const [a, b, cat] of byStart) lines.push(`${a === b ? hex(a) : hex(a) + ".." + hex(b)} ${cat}`);
for (const [a, b] of ranges(members("\\s"))) lines.push(`${a === b ? hex(a) : hex(a) + ".." + hex(b)} White_Space`);
for (const letter of "delmrstv") {
  const folds = [...members(`(?i:${letter})`)].sort((a, b) => a - b).map(hex);
  lines.push(`fold ${letter} ${folds.join(" ")}`);
}
mkdirSync(goldenDir, { recursive: true });
writeFileSync(join(goldenDir, "unicode-classes.txt"), lines.join("\n") + "\n");
console.error(`unicode-classes: ${lines.length} lines`);
