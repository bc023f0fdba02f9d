"""The duplicate check of ingest (mediaprov.ingest.dedup.DuplicateFinder).

Its answers are checked against a brute-force reading of its rules, which compares each record
with every article kept before it: LSH and the compact storage must change how fast it answers,
never what.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np

from mediaprov.ingest.dedup import DuplicateFinder, text_exact_key


def _brute_force(records: list[tuple[str, str | None, str, dt.date | None]],
                 signatures: np.ndarray, finder: DuplicateFinder) -> list[str | None]:
    """``duplicate_of`` of each record by the rules, comparing with every article kept."""
    def compatible(one: int, other: int) -> bool:
        day, other_day = records[one][3], records[other][3]
        return records[one][1] == records[other][1] and (
            day is None or other_day is None or abs((day - other_day).days) <= finder.max_days_apart)

    kept: list[int] = []
    answers: list[str | None] = []
    for index, (_, _, text, _) in enumerate(records):
        exact = [k for k in kept if compatible(index, k)
                 and text_exact_key(records[k][2]) == text_exact_key(text)]
        best, best_score = None, 0.0
        for other in sorted(kept, key=lambda k: records[k][0]):  # of equal scores, the smallest id
            score = float((signatures[other] == signatures[index]).mean())
            if compatible(index, other) and score >= finder.threshold and score > best_score:
                best, best_score = other, score
        found = exact[0] if exact else best
        answers.append(records[found][0] if found is not None else None)
        if found is None:
            kept.append(index)
    return answers


def test_the_finder_answers_as_the_rules_do_on_copies_edits_outlets_and_dates() -> None:
    rng = random.Random(7)
    vocabulary = [f"word{k}" for k in range(3000)]
    originals = [" ".join(rng.choice(vocabulary) for _ in range(120)) for _ in range(150)]
    day = dt.date(2024, 3, 1)
    records: list[tuple[str, str | None, str, dt.date | None]] = []
    for k, text in enumerate(originals):
        records.append((f"o{k}", rng.choice(["outlet-a", "outlet-b", None]), text,
                        rng.choice([None, day + dt.timedelta(days=rng.randrange(30))])))
    for k in range(250):  # copies: as they are, re-cased, one or two words edited, other outlet/date
        _, group, text, published = records[rng.randrange(150)]
        words = text.split()
        for _ in range(rng.choice([0, 1, 2])):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        text = " ".join(words).upper() if rng.random() < 0.2 else " ".join(words)
        if rng.random() < 0.2:
            group = rng.choice(["outlet-a", "outlet-b", None])
        if published is not None and rng.random() < 0.3:
            published = published + dt.timedelta(days=rng.choice([1, 2, 5]))
        records.append((f"c{k}", group, text, published))
    order = list(range(len(records)))
    rng.shuffle(order)
    records = [records[i] for i in order]
    finder = DuplicateFinder()
    signatures = finder.signatures([text for _, _, text, _ in records])
    found = [finder.add(article_id, group, text, published=published, signature=signatures[i])[0]
             for i, (article_id, group, text, published) in enumerate(records)]
    expected = _brute_force(records, signatures, finder)
    assert found == expected
    assert 100 < sum(answer is not None for answer in found) < 250  # both kinds of answer occur


def test_a_full_bucket_takes_no_more_members_and_exact_copies_are_still_found() -> None:
    text = " ".join(f"harbour{k}" for k in range(60))
    for cap in (1, 2, 3):
        finder = DuplicateFinder(max_bucket=cap)
        signature = finder.signatures([text])[0]
        for outlet in ("a", "b", "c", "d"):  # one text, four outlets: four articles, one bucket per band
            assert finder.add(f"id-{outlet}", outlet, text, signature=signature) == (None, None)
        assert finder.capped_buckets == finder.bands  # each band's bucket filled once
        # d is in no bucket now, yet a copy of it is still found by its exact key
        assert finder.add("id-d2", "d", text, signature=signature)[0] == "id-d"
        near = text.replace("harbour30", "pier30")
        # a near copy of a (in every bucket) is found; one of d (in none) is not
        assert finder.add("id-a2", "a", near)[0] == "id-a"
        assert finder.add("id-d3", "d", near)[0] is None


def test_an_empty_signature_is_kept_by_its_exact_key_only() -> None:
    finder = DuplicateFinder()
    assert finder.add("x1", None, "too short") == (None, None)  # fewer words than a shingle
    assert finder.add("x2", None, "TOO   short")[0] == "x1"
    assert finder.add("x3", None, "too long") == (None, None)


def test_of_equally_near_originals_the_smallest_id_wins() -> None:
    text = " ".join(f"quay{k}" for k in range(80))
    finder = DuplicateFinder()
    assert finder.add("z1", "a", text, published=dt.date(2024, 1, 1)) == (None, None)
    assert finder.add("a1", "a", text, published=dt.date(2024, 1, 10)) == (None, None)  # days apart
    near = text.replace("quay40", "dock40")
    assert finder.add("n1", "a", near)[0] == "a1"  # undated: both compatible, the same score


def test_many_short_texts_then_a_long_one() -> None:
    """Articles without a usable signature take an index but no signature row."""
    finder = DuplicateFinder()
    for k in range(1100):
        assert finder.add(f"s{k}", None, f"short {k}") == (None, None)
    text = " ".join(f"jetty{k}" for k in range(50))
    assert finder.add("long", None, text) == (None, None)
    assert finder.add("copy", None, text.replace("jetty7", "pier7"))[0] == "long"


def test_unknown_dates_of_every_kind_and_a_bucket_cap_of_zero() -> None:
    import pandas as pd
    import pytest

    text = " ".join(f"ferry{k}" for k in range(50))
    finder = DuplicateFinder()
    assert finder.add("d1", "a", text, published=pd.Timestamp("2024-05-01T23:30Z")) == (None, None)
    for k, unknown in enumerate((None, pd.NaT, float("nan"), np.datetime64("NaT"))):
        assert finder.add(f"u{k}", "a", text, published=unknown)[0] == "d1"
    assert finder.add("d2", "a", text, published=np.datetime64("2024-05-02"))[0] == "d1"
    assert finder.add("d3", "a", text, published=dt.datetime(2024, 5, 9)) == (None, None)
    with pytest.raises(ValueError, match="max_bucket"):
        DuplicateFinder(max_bucket=0)
