"""Hugging Face `datasets` baseline for the mixing benchmark.

usage: hf_mix.py '<json>' with json = {cache_dir, out, total, seed, probabilities,
       components: [{path, filter}]}

Per component: load_dataset('json') into Arrow (cached under cache_dir), a batched filter on the tags,
then interleave_datasets by probability, select the first `total` rows, to_json (JSON Lines).
'all_exhausted' keeps drawing (re-using rows of a component that runs out) until every component
has been exhausted, so there are always at least `total` rows to select; HF mixes by probability,
so the realised component counts drift from the requested ones (the bench counts them in the output).
"""

import json
import sys

from datasets import Features, List, Value, interleave_datasets, load_dataset

FEATURES = Features(
    {
        "id": Value("string"),
        "messages": List({"role": Value("string"), "content": Value("string")}),
        "tags": {
            "kind": Value("string"),
            "trait": Value("string"),
            "domain": Value("string"),
            "pressure": Value("string"),
            "template": Value("string"),
        },
    }
)


def allows(f, values):
    if f is None:
        return [True] * len(values)
    inn, not_in = f.get("in"), f.get("notIn")
    return [(inn is None or v in inn) and (not_in is None or v not in not_in) for v in values]


def predicate(filt):
    def keep(batch):
        tags = batch["tags"]
        checks = [allows(filt.get(k), [t[k] for t in tags]) for k in ("kind", "trait", "domain")]
        return [a and b and c for a, b, c in zip(*checks)]

    return keep


def main():
    args = json.loads(sys.argv[1])
    parts = []
    for c in args["components"]:
        ds = load_dataset("json", data_files=c["path"], split="train", features=FEATURES, cache_dir=args["cache_dir"])
        parts.append(ds.filter(predicate(c["filter"]), batched=True, batch_size=10_000))
    mixed = interleave_datasets(
        parts, probabilities=args["probabilities"], seed=args["seed"], stopping_strategy="all_exhausted"
    )
    mixed = mixed.select(range(args["total"]))
    mixed.to_json(args["out"], lines=True)
    print(json.dumps({"records": len(mixed)}))


if __name__ == "__main__":
    main()
