# Writes golden/chat.jsonl: the prompt tokens of generated chat conversations, per model, as Python
# tiktoken 0.14 counts them.
#
#   python chat.py [OUT]     (OUT defaults to ../resources/golden/chat.jsonl beside this script)
#
# Needs the `tiktoken` wheel (0.14) and no network: tiktoken reads its rank files from
# TIKTOKEN_CACHE_DIR, which this script fills with the project's own files
# (fasttok-core/src/main/tiktoken), named as tiktoken names its cache entries (the sha1 of the
# download address). tiktoken checks each file against its expected sha256 before using it.
#
# Rules (what the Java side must reproduce, written here independently of it):
# - OpenAI chat models: num_tokens_from_messages of OpenAI's cookbook "How to count tokens with
#   tiktoken": tokens_per_message 3 and tokens_per_name 1 (4 and -1 for gpt-3.5-turbo-0301), every
#   value (role, content, name) encoded, 3 for the reply's priming. The cookbook calls
#   encoding.encode(value), which refuses special-token text; the API reads message content as
#   plain text, so values are encoded here with encode_ordinary.
# - gpt-oss (o200k_harmony): the harmony renderer (github.com/openai/harmony, src/encoding.rs,
#   render of a Message and render_conversation_for_completion with next role assistant): per
#   message <|start|>, the role's text (for role "tool": the author name alone), ":" + name when
#   there is one, <|message|>, the content, <|end|>; then <|start|>assistant. Each text is
#   encode_ordinary'd on its own, as harmony's render_text_into does; the formatting tokens are
#   tiktoken's special tokens. Where no value holds special-token text, the count is checked
#   against encoding the rendered string with every special token allowed.
import hashlib, json, os, random, shutil, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RANKS = os.path.join(HERE, "..", "..", "main", "tiktoken")
BLOB = "https://openaipublic.blob.core.windows.net/encodings/"

cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
for name in ("cl100k_base", "o200k_base"):
    key = hashlib.sha1((BLOB + name + ".tiktoken").encode()).hexdigest()
    shutil.copyfile(os.path.join(RANKS, name + ".tiktoken"), os.path.join(cache, key))
os.environ["TIKTOKEN_CACHE_DIR"] = cache

import tiktoken  # noqa: E402  (after the cache is set up)

assert tiktoken.__version__.startswith("0.14"), tiktoken.__version__

# Model (or encoding) name -> how it is counted.
VARIANTS = ["gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-3.5-turbo-0301", "cl100k_base", "gpt-oss-20b", "o200k_harmony"]


def encoding_of(variant):
    if variant in tiktoken.list_encoding_names():
        return tiktoken.get_encoding(variant)
    return tiktoken.encoding_for_model(variant)


def cookbook_count(enc, messages, per_message, per_name):
    n = 0
    for m in messages:
        n += per_message
        for key, value in m.items():
            n += len(enc.encode_ordinary(value))
            if key == "name":
                n += per_name
    return n + 3  # every reply is primed with <|start|>assistant<|message|>


def harmony_ids(enc, messages):
    tok = enc.encode_single_token
    ids = []
    for m in messages:
        ids.append(tok("<|start|>"))
        if m["role"] == "tool":
            ids += enc.encode_ordinary(m["name"])
        else:
            ids += enc.encode_ordinary(m["role"])
            if "name" in m:
                ids += enc.encode_ordinary(":" + m["name"])
        ids.append(tok("<|message|>"))
        ids += enc.encode_ordinary(m["content"])
        ids.append(tok("<|end|>"))
    ids.append(tok("<|start|>"))
    ids += enc.encode_ordinary("assistant")
    return ids


def harmony_rendered(messages):
    out = []
    for m in messages:
        author = m["name"] if m["role"] == "tool" else m["role"] + (":" + m["name"] if "name" in m else "")
        out.append("<|start|>" + author + "<|message|>" + m["content"] + "<|end|>")
    return "".join(out) + "<|start|>assistant"


def count(variant, messages):
    enc = encoding_of(variant)
    if enc.name == "o200k_harmony":
        ids = harmony_ids(enc, messages)
        if not any("<|" in v for m in messages for v in m.values()):
            assert len(enc.encode(harmony_rendered(messages), allowed_special="all")) == len(ids), messages
        return len(ids)
    if variant == "gpt-3.5-turbo-0301":
        return cookbook_count(enc, messages, 4, -1)
    return cookbook_count(enc, messages, 3, 1)


rng = random.Random(15)

WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by"
         " word but not what all were we when your can said there use an each which she do how their if will up"
         " hello world tokens count model prompt reply question answer").split()
SNIPPETS = [
    "", " ", "\n", "Hello!", "What is the capital of France?", "The capital of France is Paris.",
    "You are a helpful assistant.", "You are a helpful, pattern-following assistant that translates corporate"
    " jargon into plain English.", "New synergies will help drive top-line growth.",
    "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
    "def f(x):\n    return x * 2\n", "SELECT count(*) FROM t WHERE a = 'b';\n", '{"a": [1, 2, 3], "b": null}',
    "  leading and trailing spaces  ", "tabs\tand\r\nCRLF\r\n", "1234567890 3.14159 1e-9 0xFF",
    "日本語のテキストです。", "中文文本，标点。", "한국어 문장입니다.", "Ελληνικά κείμενα", "Русский текст.",
    "مرحبا بالعالم", "שלום עולם", "हिन्दी पाठ", "ภาษาไทย", "emoji 👍🏽 👨‍👩‍👧‍👦 🇫🇷 ❤️", "Zoë's café — naïve façade",
    "can't won't it's they're I'm we'll you'd", "e\u0301 combining marks",
    # special-token text inside content: plain text for the API
    "<|endoftext|>", "before<|endoftext|>after", "<|im_start|>user\nhi<|im_end|>", "<|im_start|>", "<|im_end|>",
    "<|start|>assistant<|message|>hi<|end|>", "<|start|>", "<|end|>", "<|message|>", "<|channel|>final",
    "<|return|>", "<|call|>", "<|fim_prefix|>a<|fim_middle|>b<|fim_suffix|>", "<|endofprompt|>",
    "<|startoftext|>", "<|reserved_200013|>", "<|constrain|>json", "< |endoftext| >", "<|endoftext",
]
ROLES = ["system", "user", "assistant", "user", "assistant", "developer", "tool"]
NAMES = ["example_user", "example_assistant", "Alice", "bob_42", "Zoë", "functions.get_weather", "browser.search",
         "a", "", "name with spaces", "<|endoftext|>", "日本"]


def text():
    r = rng.random()
    if r < 0.45:
        return rng.choice(SNIPPETS)
    if r < 0.65:
        return rng.choice(SNIPPETS) + rng.choice(["", " ", "\n", "\n\n"]) + rng.choice(SNIPPETS)
    if r < 0.96:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60))) + rng.choice(["", ".", "?", "\n"])
    # long: thousands of characters of mixed pieces
    parts = []
    for _ in range(rng.randint(200, 1500)):
        parts.append(rng.choice(WORDS) if rng.random() < 0.8 else rng.choice(SNIPPETS))
    return " ".join(parts)


def message(first):
    role = "system" if first and rng.random() < 0.4 else rng.choice(ROLES)
    m = {"role": role, "content": text()}
    if role == "tool" or rng.random() < 0.2:
        m["name"] = rng.choice(NAMES)
    return m


def conversation(size):
    return [message(i == 0) for i in range(size)]


conversations = [
    [],
    [{"role": "user", "content": ""}],
    [{"role": "user", "content": "", "name": ""}],
    [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": "Hello!"}],
    [{"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."}],
    [{"role": "user", "content": "<|endoftext|><|im_start|><|start|><|end|><|message|>"}],
    [{"role": "tool", "name": "functions.get_weather", "content": '{"temperature": 21}'}],
]
# The cookbook's own example conversation.
conversations.append([
    {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon"
     " into plain English."},
    {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
    {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
    {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base"
     " on opportunities for increased leverage."},
    {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do"
     " better."},
    {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."},
])
while len(conversations) < 300:
    conversations.append(conversation(rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 12])))

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "resources", "golden", "chat.jsonl")
with open(out, "w", encoding="utf-8", newline="\n") as f:
    for c in conversations:
        f.write(json.dumps({"messages": c, "counts": {v: count(v, c) for v in VARIANTS}}, ensure_ascii=False) + "\n")
shutil.rmtree(cache)
print(tiktoken.__version__, len(conversations), "conversations,", len(VARIANTS), "variants")
