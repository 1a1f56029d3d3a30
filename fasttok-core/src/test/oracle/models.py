# Writes golden/models.jsonl: tiktoken's encoding_name_for_model for known names, names that only a
# prefix matches, and unknown names (error).
import json, sys, tiktoken, tiktoken.model as m
names = list(m.MODEL_TO_ENCODING) + [p + "x" for p in m.MODEL_PREFIX_TO_ENCODING] + [
    "gpt-4o-2024-08-06", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4.5-preview",
    "o1-mini", "o1-preview", "o3-mini", "o4-mini-2025-04-16", "gpt-5-mini", "gpt-5", "chatgpt-4o-latest",
    "gpt-4-turbo", "gpt-4-32k", "gpt-4-0613", "gpt-3.5-turbo-0301", "gpt-3.5-turbo-16k", "gpt-35-turbo-16k",
    "gpt-oss-20b", "gpt-oss-120b", "ft:gpt-4o-mini:org::id", "ft:gpt-4-0613:org::id", "ft:gpt-3.5-turbo:org::id",
    "ft:davinci-002:org::id", "ft:babbage-002:org::id", "text-embedding-3-large", "gpt2", "gpt-2",
    # unknown: close to known names, or nothing like them
    "gpt-4x", "gpt4o", "GPT-4o", "gpt-40", "o2", "claude-3", "llama-3", "", "text-embedding-4", "davinci-003",
    "o1", "o3", "o4", "o4-mini", "gpt-3", "gpt-3.5", "ft:gpt-5", "gpt-oss",
]
seen = set()
with open(sys.argv[1] if len(sys.argv) > 1 else "models.jsonl", "w") as f:
    for n in names:
        if n in seen: continue
        seen.add(n)
        try:
            r = {"model": n, "encoding": tiktoken.encoding_name_for_model(n)}
        except KeyError:
            r = {"model": n, "error": True}
        f.write(json.dumps(r) + "\n")
print(tiktoken.__version__, len(seen))
