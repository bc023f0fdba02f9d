"""Benchmark: words per second of mentions + quotes + citations on one core, and peak RSS.

Texts: the demo corpus truth texts (``data/raw/demo/truth/documents.jsonl``) repeated until about
``--words`` words (default 2,000,000); when the demo is absent, synthetic fictional sentences.
Each repeated article gets its own id; the gazetteer and outlet index are built once, outside the
timed part. The quote stage (quotes found and speakers attributed, mentions computed beforehand)
is also timed alone on the distinct texts, so its share of the cost shows. Prints results;
asserts nothing.

Reference point: spaCy publishes roughly 10,000 words/s on CPU for its small English pipeline;
the goal here is >= 200,000 words/s.

Usage:
    python benchmarks/bench_features.py [--words 2000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import time

import pandas as pd

from mediaprov import paths
from mediaprov.citations import OutletIndex, load_outlets
from mediaprov.entities import Gazetteer, load_entities
from mediaprov.features import extract_features
from mediaprov.quotes import quotes_in_text


def demo_texts() -> list[str]:
    """Return the demo corpus truth texts, or fictional synthetic texts when it is absent."""
    path = paths.raw_dir("demo") / "truth" / "documents.jsonl"
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            docs = [json.loads(line) for line in handle]
        return [d["text"] for d in docs if d.get("text")]
    rng = random.Random(0)
    people = ["Petra Halloran", "Jonas Arden", "Mirela Osk", "Karel Fennick", "Greta Mallin"]
    texts = []
    for _ in range(200):
        sentences = []
        for _ in range(40):
            who = rng.choice(people)
            sentences.append(rng.choice([
                f"{who} said, “We will review every file we saw in Orlet.”",
                "The Bureau of State Security (BSS) delayed a letter on couriers near Vell.",
                "Critics described the so-called “experts” of the Harnholm Institute.",
                f"According to {who}, “Nobody compared the records.” Global Wire Service reported.",
            ]))
        texts.append(" ".join(sentences))
    return texts


def main() -> None:
    """Run the benchmark and print words/s and peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2_000_000)
    args = parser.parse_args()
    texts = demo_texts()
    corpus_words = sum(len(t.split()) for t in texts)
    repeats = max(1, -(-args.words // corpus_words))
    all_texts = texts * repeats
    articles = pd.DataFrame({"article_id": [f"a{i:07d}" for i in range(len(all_texts))],
                             "text": all_texts})
    words = sum(len(t.split()) for t in all_texts)
    gazetteer = Gazetteer.from_entities(load_entities())
    outlets = OutletIndex.from_table(load_outlets())
    started, cpu_started = time.perf_counter(), time.process_time()
    features = extract_features(articles, entities=gazetteer, outlets=outlets)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"articles            {len(articles):,}")
    print(f"words               {words:,}")
    print(f"seconds (wall)      {elapsed:.2f}")
    print(f"seconds (cpu)       {cpu:.2f}")
    print(f"words/s (wall)      {words / elapsed:,.0f}")
    print(f"words/s (cpu time)  {words / cpu:,.0f}   (one process, one core)")
    print(f"peak RSS            {peak:,.0f} MiB")
    print(f"mentions {len(features.mentions):,}  quotes {len(features.quotes):,}  "
          f"citations {len(features.citations):,}  embeds {len(features.embeds):,}")
    # The quote stage alone (finding quotes and attributing speakers), mentions computed first.
    unique = [(t, gazetteer.match(t)) for t in texts]
    quote_words = sum(len(t.split()) for t in texts)
    rounds = max(1, -(-min(args.words, 500_000) // quote_words))
    cpu_started = time.process_time()
    for _ in range(rounds):
        for text, mentions in unique:
            quotes_in_text(text, gazetteer, mentions=mentions)
    quote_cpu = time.process_time() - cpu_started
    print(f"quote stage words/s {quote_words * rounds / quote_cpu:,.0f}   (cpu time; quotes and "
          f"speakers only, mentions given)")
    print(f"cpus on the machine {os.cpu_count()} (one used; wall time counts waits for others)")


if __name__ == "__main__":
    main()
