"""Tests of mediaprov.narratives on fictional synthetic texts with planted signals.

Every text here is generated from invented words and names (outlets, people, places, events);
nothing is copied from a real article.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from mediaprov import narratives as nv
from mediaprov.narratives.events import NEWS_SETTINGS
from mediaprov.narratives.lexicons import find_terms
from mediaprov.narratives.tokens import extract_terms, tokenize

FILLER = [
    "harbour", "council", "ledger", "meeting", "river", "bridge", "market", "winter", "report",
    "village", "transport", "budget", "school", "clinic", "road", "festival", "archive", "tower",
    "garden", "museum", "railway", "ferry", "harvest", "weather", "library", "parliament",
    "minister", "lawyer", "teacher", "farmer", "driver", "courier", "visitor", "letter",
    "document", "hearing", "ruling", "statement", "petition", "survey", "delegation", "tender",
    "census", "charter", "verdict", "motion", "workshop", "seminar", "convoy", "shelter",
] + [f"word{chr(97 + i)}{chr(97 + j)}" for i in range(10) for j in range(10)]
"""Shared vocabulary: common nouns plus invented tokens (letters only)."""

PLANTED = {
    "north": ["grouplet", "hirelings", "zealots", "iron fist", "broken promises"],
    "south": ["junta", "puppets", "oppressors", "velvet hand", "stolen harvest"],
    "centre": ["negotiators", "mediation", "observers", "quiet diplomacy", "fact finding"],
}
"""Camp -> terms planted only in that camp's articles (unigrams and bigrams)."""

OUTLETS = {"north-a": "north", "north-b": "north", "south-a": "south", "south-b": "south",
           "centre-a": "centre", "centre-b": "centre"}


def synthetic_articles(seed: int = 7, per_outlet: int = 25, length: int = 80) -> pd.DataFrame:
    """Articles of fictional outlets: random filler plus two planted terms of the outlet's camp."""
    rng = random.Random(seed)
    rows = []
    for outlet, camp in sorted(OUTLETS.items()):
        for k in range(per_outlet):
            words = [rng.choice(FILLER) for _ in range(length)]
            for term in rng.sample(PLANTED[camp], 3):
                words.insert(rng.randrange(len(words)), term + ",")
            text = " ".join(words).capitalize() + "."
            rows.append({"article_id": f"{outlet}-{k:03d}", "outlet_id": outlet, "camp": camp,
                         "published": pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(days=k),
                         "text": text})
    return pd.DataFrame(rows)


# --- tokenisation -----------------------------------------------------------------------------

def test_tokens_keep_offsets_and_drop_possessive() -> None:
    text = "The Regime’s so-called ‘reforms’ of 2024"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["the", "regime", "so-called", "reforms", "of"]
    for token in tokens:
        assert text[token.start:token.end].lower().replace("\u2019", "'") == token.text


@pytest.mark.parametrize("seed", range(5))
def test_unigrams_are_the_words_of_the_tokens(seed: int) -> None:
    """extract_terms(ngram_max=1) skips building tokens; it must give the tokens' words."""
    rng = random.Random(seed)
    pieces = ["Regime’s", "İstanbul", "so-called", "U.S.'s", "'s", "bob's's", "ǅemal", "ﬁnance", "Σ",
              "2024", "x_y", "—", "O'Neill", "  ", ", ", "the", "Kade’s", "ß"]
    text = "".join(rng.choice(pieces) + rng.choice([" ", "", "\n", "-"]) for _ in range(300))
    words = [t.text for t in tokenize(text)]
    assert extract_terms(text, ngram_max=1, stopwords=frozenset()) == words
    assert extract_terms(text, ngram_max=1, stopwords=frozenset({"the"})) == [w for w in words if w != "the"]


def test_bigrams_do_not_cross_stopwords_or_punctuation() -> None:
    terms = extract_terms("Iron fist, of the junta. Velvet hand", stopwords=frozenset({"of", "the"}))
    assert "iron fist" in terms and "velvet hand" in terms
    assert "fist junta" not in terms and "junta velvet" not in terms


def test_ngrams_may_hold_inner_stopwords_but_not_start_or_end_with_one() -> None:
    terms = extract_terms("The government in Orlet and the rule of law", ngram_max=3)
    assert "government in orlet" in terms and "rule of law" in terms
    assert not any(t.split()[0] in {"the", "in", "and", "of"} for t in terms)
    assert not any(t.split()[-1] in {"the", "in", "and", "of"} for t in terms)
    strict = extract_terms("The government in Orlet", ngram_max=3, inner_stopwords=False)
    assert "government in orlet" not in strict


def test_stopwords_are_data_not_code() -> None:
    stop = nv.load_stopwords()
    assert {"the", "of", "and"} <= stop
    assert "said" not in stop  # reporting verbs carry framing; they are not stopwords


# --- distinctive terms ------------------------------------------------------------------------

def test_planted_terms_are_in_each_camps_top_20() -> None:
    table = nv.distinctive_terms(synthetic_articles(), by="camp", top=20)
    assert list(table.columns) == list(nv.DISTINCTIVE_COLUMNS)
    for camp, planted in PLANTED.items():
        top = table[table.group == camp]
        assert set(planted) <= set(top.term), (camp, top.term.tolist())
        assert (top[top.term.isin(planted)].z > 1.96).all()
        others = set().union(*(PLANTED[c] for c in PLANTED if c != camp))
        assert not (set(top.term) & others)


def test_publisher_one_vs_rest_and_camp_via_registry() -> None:
    articles = synthetic_articles().drop(columns=["camp"])
    outlets = pd.DataFrame({"outlet_id": list(OUTLETS), "camp": list(OUTLETS.values())})
    with_camp = nv.attach_groups(articles, outlets, by="camp")
    assert with_camp.camp.notna().all()
    by_outlet = nv.distinctive_terms(articles, by="outlet_id", top=20)
    assert sorted(by_outlet.group.unique()) == sorted(OUTLETS)
    top = set(by_outlet[by_outlet.group == "north-a"].term)
    assert len(top & set(PLANTED["north"])) >= 3


def test_swapping_groups_negates_z() -> None:
    articles = synthetic_articles()
    ab = nv.distinctive_terms(articles, by="camp", groups=("north", "south"), min_count=1)
    ba = nv.distinctive_terms(articles, by="camp", groups=("south", "north"), min_count=1)
    north = ab[ab.group == "north"].set_index("term")
    south = ab[ab.group == "south"].set_index("term").loc[north.index]
    np.testing.assert_allclose(north.z.to_numpy(), -south.z.to_numpy())
    np.testing.assert_allclose(north.log_odds.to_numpy(), -south.log_odds.to_numpy())
    pd.testing.assert_frame_equal(ab, ba)  # same rows whatever order the pair is given in
    assert (north.loc[PLANTED["north"], "z"] > 0).all()
    assert (north.loc[PLANTED["south"], "z"] < 0).all()
    # the two-group comparison counts the other group only, not the third camp
    assert "negotiators" not in north.index
    assert north.loc["junta", "count_rest"] == ab[(ab.group == "south") & (ab.term == "junta")].count_group.item()


def test_log_odds_formula_against_hand_computation() -> None:
    y_i, y_j, prior = np.array([10, 0, 5]), np.array([2, 8, 5]), np.array([12, 8, 10])
    delta, z = nv.log_odds_dirichlet(y_i, y_j, prior, alpha0=30)
    a = 30 * prior / prior.sum()
    expected = (np.log((y_i + a) / (15 + 30 - y_i - a)) - np.log((y_j + a) / (15 + 30 - y_j - a)))
    np.testing.assert_allclose(delta, expected)
    np.testing.assert_allclose(z, expected / np.sqrt(1 / (y_i + a) + 1 / (y_j + a)))
    swapped_delta, swapped_z = nv.log_odds_dirichlet(y_j, y_i, prior, alpha0=30)
    np.testing.assert_allclose(swapped_z, -z)
    with pytest.raises(ValueError, match="alpha0"):
        nv.log_odds_dirichlet(y_i, y_j, prior, alpha0=0)


def test_prior_options_background_and_rest() -> None:
    articles = synthetic_articles()
    background = nv.term_counts(articles)
    table_bg = nv.distinctive_terms(articles, by="camp", prior=background, top=20)
    table_rest = nv.distinctive_terms(articles, by="camp", prior="rest", top=20)
    for table in (table_bg, table_rest):
        assert set(PLANTED["south"]) <= set(table[table.group == "south"].term)
    # a prior strength far above the corpus size shrinks every log-odds towards zero
    weak = nv.distinctive_terms(articles, by="camp", alpha0=10, min_count=1)
    strong = nv.distinctive_terms(articles, by="camp", alpha0=1e7, min_count=1)
    assert strong.log_odds.abs().max() < weak.log_odds.abs().max()
    with pytest.raises(ValueError, match="prior"):
        nv.distinctive_terms(articles, by="camp", prior="uniformish")


def test_document_counts_limit_one_long_article() -> None:
    articles = synthetic_articles()
    spam = pd.DataFrame([{"article_id": "north-a-spam", "outlet_id": "north-a", "camp": "north",
                          "published": pd.Timestamp("2024-03-01", tz="UTC"),
                          "text": "lighthouse " * 300}])
    articles = pd.concat([articles, spam], ignore_index=True)
    tokens = nv.distinctive_terms(articles, by="camp", top=20)
    documents = nv.distinctive_terms(articles, by="camp", count="documents", top=20)
    assert "lighthouse" in set(tokens[tokens.group == "north"].term)
    assert "lighthouse" not in set(documents[documents.group == "north"].term)


def test_nested_terms_collapse_into_the_longer_term() -> None:
    articles = synthetic_articles()
    plain = nv.distinctive_terms(articles, by="camp", top=20)
    nested = nv.distinctive_terms(articles, by="camp", top=20, nested=True)
    north_plain, north_nested = (set(t[t.group == "north"].term) for t in (plain, nested))
    assert {"iron", "fist", "iron fist"} <= north_plain
    assert "iron fist" in north_nested and not {"iron", "fist"} & north_nested
    assert (nested.groupby("group")["rank"].apply(lambda r: list(r) == list(range(1, len(r) + 1)))).all()


def test_mask_leaves_names_out_of_the_counts() -> None:
    articles = synthetic_articles()
    articles.loc[articles.camp == "north", "text"] = "Mara Voss said: " + articles.loc[articles.camp == "north", "text"]
    north = articles[articles.camp == "north"]
    mask = pd.DataFrame({"article_id": north.article_id, "start": 0, "end": len("Mara Voss")})
    unmasked = nv.distinctive_terms(articles, by="camp", top=20)
    masked = nv.distinctive_terms(articles, by="camp", top=20, mask=mask)
    assert "mara voss" in set(unmasked[unmasked.group == "north"].term)
    assert not {"mara", "voss", "mara voss"} & set(masked.term)
    assert "said" in set(masked[masked.group == "north"].term)  # the rest of the text still counts
    assert nv.mask_spans("ab cd", [(0, 2)]) == "|| cd"


def test_distinctive_terms_are_deterministic() -> None:
    first = nv.distinctive_terms(synthetic_articles(), by="camp")
    second = nv.distinctive_terms(synthetic_articles().sample(frac=1, random_state=3), by="camp")
    pd.testing.assert_frame_equal(first, second)


def test_errors_name_the_problem() -> None:
    articles = synthetic_articles()
    with pytest.raises(KeyError, match="attach_groups"):
        nv.distinctive_terms(articles, by="country")
    with pytest.raises(KeyError, match="no articles"):
        nv.distinctive_terms(articles, by="camp", groups=("north", "west"))


# --- lexicons and suggestions -----------------------------------------------------------------

def test_shipped_lexicon_is_symmetric_enough() -> None:
    lexicon = nv.load_lexicon()
    assert {"delegitimising", "legitimising", "violence", "victimhood"} <= set(lexicon.category)
    terms = set(lexicon.term)
    # labels each side of a dispute uses for the other, and for itself
    for pair in [("cult", "regime"), ("terroris*", "freedom fighter*"), ("sect", "junta*"),
                 ("mercenar*", "volunteer*"), ("traitor*", "patriot*")]:
        assert set(pair) <= terms
    assert (lexicon.citation.str.len() > 0).all() and (lexicon.note.str.len() > 0).all()


def test_find_terms_wildcards_phrases_and_longest_match() -> None:
    lexicon = pd.DataFrame({"term": ["fighter*", "freedom fighter*", "martyr*"],
                            "category": ["v", "l", "vi"]})
    text = "Freedom fighters buried their martyrs; a fighter wept."
    found = [(m.term, m.surface) for m in find_terms(text, lexicon)]
    assert found == [("freedom fighter*", "Freedom fighters"), ("martyr*", "martyrs"),
                     ("fighter*", "fighter")]


def test_bad_lexicon_rows_are_reported_with_line(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("term,category,note,citation\ncult,delegitimising,,\ncult,x,,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lines \\[2, 3\\]"):
        nv.load_lexicon(path)
    path.write_text("term,category\ncult,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        nv.load_lexicon(path)


def test_suggest_lexicon_terms_takes_every_group_and_marks_known_terms() -> None:
    table = nv.distinctive_terms(synthetic_articles(), by="camp")
    suggestions = nv.suggest_lexicon_terms(table, top=5)
    assert sorted(suggestions.group.unique()) == sorted(PLANTED)
    assert (suggestions.groupby("group").size() <= 5).all()
    for camp, planted in PLANTED.items():  # planted terms, or a word of a planted bigram
        words = set(planted) | {w for term in planted for w in term.split()}
        assert set(suggestions[suggestions.group == camp].term) <= words
    listed = {"junta", "puppets", "oppressors", "grouplet"}  # junta*, puppet*, oppress*, grouplet*
    assert "junta" in set(suggestions.term)
    for row in suggestions.itertuples():
        assert row.in_lexicon == (row.term in listed), row.term


def test_keyword_in_context_gives_offsets() -> None:
    articles = synthetic_articles()
    lines = nv.keyword_in_context(articles, "hireling*", width=10, limit=3)
    assert len(lines) == 3
    text = articles.set_index("article_id").text
    for row in lines.itertuples():
        assert text[row.article_id][row.start:row.end].lower() == row.match.lower()


# --- actor frames -----------------------------------------------------------------------------

def mention(text: str, surface: str, entity_id: str, article_id: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"article_id": article_id, "entity_id": entity_id, "surface": surface, "start": start,
            "end": start + len(surface), "kind": "person", "method": "hand"}


FRAME_TEXTS = {
    "n1": "The cult leader Mara Voss spoke in Kessa. Far away and many words later, weeks after "
          "the storm, one farmer repaired a fence near the old mill road, and the regime was quiet.",
    "n2": "Mara Voss and her zealots marched; the sect denied it.",
    "s1": "Freedom fighters under Mara Voss met the junta envoy Oskar Lind in Varn.",
    "s2": "The National Resistance Office praised Mara Voss on Tuesday.",
}


def frame_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = pd.DataFrame({"article_id": list(FRAME_TEXTS), "outlet_id": ["n", "n", "s", "s"],
                             "camp": ["north", "north", "south", "south"],
                             "text": list(FRAME_TEXTS.values())})
    rows = [mention(FRAME_TEXTS[a], "Mara Voss", "mara-voss", a) for a in FRAME_TEXTS]
    rows.append(mention(FRAME_TEXTS["s1"], "Oskar Lind", "oskar-lind", "s1"))
    rows.append(mention(FRAME_TEXTS["s2"], "National Resistance Office", "nro", "s2"))
    return articles, pd.DataFrame(rows)


def test_actor_frames_window_evidence_and_name_overlap() -> None:
    articles, mentions = frame_inputs()
    table = nv.actor_frames(articles, mentions, by="camp", window=6)
    assert list(table.columns) == list(nv.ASSOCIATION_COLUMNS)
    voss = table[table.entity_id == "mara-voss"]
    found = set(zip(voss.article_id, voss.term, strict=True))
    assert ("n1", "cult") in found and ("n2", "sect") in found
    assert ("s1", "freedom fighter*") in found
    assert ("n1", "regime") not in found  # far outside the window
    assert not (table.term == "resistance").any()  # inside an organisation's name: not a label
    for row in table.itertuples():  # evidence: the offsets point at the label
        assert FRAME_TEXTS[row.article_id][row.start:row.end] == row.surface
        assert 1 <= row.distance <= 6
    wide = nv.actor_frames(articles, mentions, by="camp", window=40)
    assert ("n1", "regime") in set(zip(wide.article_id, wide.term, strict=True))


def test_label_rates_with_wilson_and_bootstrap() -> None:
    articles, mentions = frame_inputs()
    table = nv.actor_frames(articles, mentions, by="camp", window=6)
    rates = nv.label_rates(table, mentions, articles, by="camp")
    assert list(rates.columns) == list(nv.RATE_COLUMNS)
    row = rates.set_index(["group", "entity_id", "label"]).loc[("north", "mara-voss", "delegitimising")]
    assert (row.mentions, row.labelled, row.rate_per_1000) == (2, 2, 1000.0)
    zero = rates.set_index(["group", "entity_id", "label"]).loc[("north", "mara-voss", "legitimising")]
    assert zero.labelled == 0 and zero.ci_low == 0 and zero.ci_high > 0  # omission, with its CI
    assert ((rates.ci_low <= rates.rate_per_1000) & (rates.rate_per_1000 <= rates.ci_high)).all()
    boot = nv.label_rates(table, mentions, articles, by="camp", ci="bootstrap", seed=3, n_boot=200)
    again = nv.label_rates(table, mentions, articles, by="camp", ci="bootstrap", seed=3, n_boot=200)
    pd.testing.assert_frame_equal(boot, again)
    assert ((boot.ci_low <= boot.rate_per_1000 + 1e-9) & (boot.rate_per_1000 <= boot.ci_high + 1e-9)).all()


def test_wilson_interval_known_value() -> None:
    low, high = nv.wilson_interval(np.array([5]), np.array([10]))
    assert round(float(low[0]), 4) == 0.2366 and round(float(high[0]), 4) == 0.7634


def test_actor_frames_reject_unknown_articles() -> None:
    articles, mentions = frame_inputs()
    bad = pd.concat([mentions, mentions.head(1).assign(article_id="zz")], ignore_index=True)
    with pytest.raises(KeyError, match="not in articles"):
        nv.actor_frames(articles, bad, by="camp")


# --- topics -----------------------------------------------------------------------------------

TOPIC_WORDS = {
    "water": ["flood", "dam", "river", "rainfall", "levee", "reservoir", "drought", "irrigation"],
    "vote": ["ballot", "poll", "candidate", "turnout", "campaign", "referendum", "precinct", "recount"],
}


def topic_articles(seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for k in range(60):
        outlet = "tide-gazette" if k % 2 == 0 else "ballot-courier"
        month = 1 + (k % 3)
        main = "water" if outlet == "tide-gazette" else "vote"
        if month == 3:  # in March both outlets write about the other topic
            main = "vote" if main == "water" else "water"
        words = [rng.choice(TOPIC_WORDS[main]) for _ in range(30)] + [rng.choice(FILLER) for _ in range(5)]
        rows.append({"article_id": f"t{k:03d}", "outlet_id": outlet,
                     "published": pd.Timestamp(f"2024-0{month}-10", tz="UTC"), "text": " ".join(words)})
    return pd.DataFrame(rows)


def test_topics_are_deterministic_and_recover_planted_topics() -> None:
    articles = topic_articles()
    first = nv.fit_topics(articles, n_topics=2, seed=0)
    second = nv.fit_topics(articles.sample(frac=1, random_state=5), n_topics=2, seed=0)
    pd.testing.assert_frame_equal(first.terms, second.terms)
    pd.testing.assert_frame_equal(first.shares, second.shares)
    top_sets = [set(first.terms[first.terms.topic == t].term.head(6)) for t in (0, 1)]
    assert any(s <= set(TOPIC_WORDS["water"]) for s in top_sets)
    assert any(s <= set(TOPIC_WORDS["vote"]) for s in top_sets)
    water = next(t for t in (0, 1) if top_sets[t] <= set(TOPIC_WORDS["water"]))
    by_outlet = nv.topic_shares(first, articles, by="outlet_id", period=None)
    share = by_outlet.set_index(["group", "topic"]).share
    assert share[("tide-gazette", water)] > 0.55 and share[("ballot-courier", water)] < 0.45
    monthly = nv.topic_shares(first, articles, by="outlet_id", period="M").set_index(["group", "period", "topic"])
    assert monthly.share[("tide-gazette", "2024-01", water)] > 0.9
    assert monthly.share[("tide-gazette", "2024-03", water)] < 0.1
    assert np.allclose(monthly.groupby(level=[0, 1]).share.sum(), 1.0)


# --- same event -------------------------------------------------------------------------------

PEOPLE = {"voss": "Mara Voss", "lind": "Oskar Lind", "brenn": "Ilse Brenn", "tarak": "Jon Tarak"}
CAMP_STYLE = {"north": "the grouplet hirelings zealots", "south": "the junta puppets oppressors",
              "centre": "observers negotiators mediation"}


def event_corpus(seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Five fictional events, each covered by every camp in its own words."""
    rng = random.Random(seed)
    events = [  # (day, people, place and subject words)
        (1, ["voss", "lind"], "dam summit kessa water treaty signing sluice"),
        (2, ["brenn", "tarak"], "varn border convoy checkpoint lorries seized"),
        (2, ["voss", "lind"], "radio licence broadcast frequency auction revoked"),
        (20, ["voss", "lind"], "dam summit kessa second round treaty sluice"),
        (21, ["brenn", "voss"], "harbour strike dockers wages ferry halted"),
    ]
    articles, mentions, truth = [], [], []
    for e, (day, people, subject) in enumerate(events):
        for camp in CAMP_STYLE:
            words = subject.split() * 2 + CAMP_STYLE[camp].split() + rng.sample(FILLER, 12)
            rng.shuffle(words)
            names = [PEOPLE[p] for p in people]
            text = f"{names[0]} and {names[1]} " + " ".join(words) + "."
            article_id = f"e{e}-{camp}"
            published = pd.Timestamp("2024-05-01", tz="UTC") + pd.Timedelta(days=day, hours=rng.randint(0, 40))
            articles.append({"article_id": article_id, "outlet_id": f"{camp}-a", "camp": camp,
                             "published": published, "text": text})
            for person, name in zip(people, names, strict=True):
                mentions.append(mention(text, name, person, article_id))
            truth.append(f"event{e}")
    return pd.DataFrame(articles), pd.DataFrame(mentions), truth


def test_group_same_event_matches_planted_events() -> None:
    articles, mentions, truth = event_corpus()
    groups = nv.group_same_event(articles, mentions, window_days=3, min_shared_entities=2,
                                 min_similarity=0.2)
    assert list(groups.columns) == ["article_id", "event_group", "joined_by"]
    predicted = groups.set_index("article_id").loc[articles.article_id, "event_group"]
    assert adjusted_rand_score(truth, predicted) >= 0.99
    assert set(groups.joined_by) == {"time-window"}  # every article is dated and linked
    # without the text check, two events with the same two actors on one day merge
    loose = nv.group_same_event(articles, mentions, min_similarity=0.0).set_index("article_id")
    assert loose.event_group["e0-north"] == loose.event_group["e2-north"]
    # without the time window, the second round of the summit joins the first
    wide = nv.group_same_event(articles, mentions, window_days=40, min_similarity=0.2,
                               day_penalty=0).set_index("article_id")
    assert wide.event_group["e0-north"] == wide.event_group["e3-south"]
    # ... unless each day apart costs similarity: 19 days apart is too far
    costly = nv.group_same_event(articles, mentions, window_days=40, min_similarity=0.2,
                                 day_penalty=0.05).set_index("article_id")
    assert costly.event_group["e0-north"] != costly.event_group["e3-south"]
    again = nv.group_same_event(articles.iloc[::-1], mentions, min_similarity=0.2)
    pd.testing.assert_frame_equal(groups, again)


def undate(articles: pd.DataFrame, article_ids: list[str]) -> pd.DataFrame:
    """A copy of ``articles`` in which the given articles have lost their date."""
    out = articles.copy()
    out.loc[out.article_id.isin(article_ids), "published"] = pd.NaT
    return out


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_without_undated_matches_is_the_grouping_without_the_match(seed: int) -> None:
    articles, mentions, _ = event_corpus(seed)
    rng = random.Random(seed)
    chosen = rng.sample(articles.article_id.tolist(), 6)
    undated = undate(articles, chosen)
    undated = pd.concat([undated, undated.iloc[[0, 3]]]).sample(frac=1, random_state=seed)  # repeats, shuffled
    for settings in ({"min_similarity": 0.2}, {"min_similarity": 0.1, "undated_min_margin": 0.0},
                     dict(NEWS_SETTINGS)):
        grouping = nv.group_same_event(undated, mentions, **settings)
        assert (grouping.joined_by == "undated-match").any(), "the match must have attached something"
        expected = nv.group_same_event(undated, mentions, attach_undated=False, **settings)
        pd.testing.assert_frame_equal(nv.without_undated_matches(grouping, undated), expected)
    with pytest.raises(ValueError, match="lacks"):
        nv.without_undated_matches(grouping, undated[undated.article_id != chosen[0]])


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_grouping_by_margin_is_group_same_event_at_each_margin(seed: int) -> None:
    articles, mentions, _ = event_corpus(seed)
    undated = undate(articles, random.Random(seed).sample(articles.article_id.tolist(), 10))
    # out of order, and one twice; 2.0: more than any similarity leads by, so none attached
    margins = (0.1, 2.0, 0.0, 0.03, 0.1)
    for settings in ({"min_similarity": 0.2}, dict(NEWS_SETTINGS)):
        tables = nv.group_same_event_by_margin(undated, mentions, margins, **settings)
        assert list(tables) == [0.1, 2.0, 0.0, 0.03]
        attached = {}
        for margin, table in tables.items():
            expected = nv.group_same_event(undated, mentions, undated_min_margin=margin, **settings)
            pd.testing.assert_frame_equal(table, expected)
            attached[margin] = int((table.joined_by == "undated-match").sum())
        assert attached[0.0] > attached[2.0] == 0, attached  # the margins changed what attaches
    with pytest.raises(TypeError, match="undated_min_margins"):
        nv.group_same_event_by_margin(undated, mentions, margins, undated_min_margin=0.1)
    with pytest.raises(ValueError, match="at least one"):
        nv.group_same_event_by_margin(undated, mentions, [])
    with pytest.raises(ValueError, match="not a number"):  # min() of margins with a NaN is no margin
        nv.group_same_event_by_margin(undated, mentions, [float("nan"), 0.0])


def test_undated_articles_join_the_event_they_clearly_match() -> None:
    articles, mentions, truth = event_corpus()
    # e0 and e3 are two rounds of one summit with the same actors, 19 days apart: without a date,
    # only the wording tells them apart
    undated = undate(articles, ["e0-north", "e1-south", "e3-centre", "e4-centre"])
    groups = nv.group_same_event(undated, mentions, min_similarity=0.2).set_index("article_id")
    predicted = groups.loc[articles.article_id, "event_group"]
    assert adjusted_rand_score(truth, predicted) >= 0.99
    assert groups.joined_by[groups.joined_by == "undated-match"].index.tolist() == [
        "e0-north", "e1-south", "e3-centre", "e4-centre"]
    assert (groups.joined_by.drop(["e0-north", "e1-south", "e3-centre", "e4-centre"]) == "time-window").all()
    # switched off, undated articles stay alone (the grouping before this step)
    off = nv.group_same_event(undated, mentions, min_similarity=0.2, attach_undated=False).set_index("article_id")
    assert (off.event_group.value_counts()[off.event_group["e0-north"]] == 1)
    assert off.joined_by["e0-north"] == "alone"
    assert adjusted_rand_score(truth, off.loc[articles.article_id, "event_group"]) < 0.99
    # a match that is not clear enough (margin or similarity too small) leaves the article alone
    strict = nv.group_same_event(undated, mentions, min_similarity=0.2, undated_min_margin=0.95).set_index("article_id")
    assert (strict.joined_by[["e0-north", "e1-south", "e3-centre", "e4-centre"]] == "alone").all()
    high = nv.group_same_event(undated, mentions, min_similarity=0.2, undated_min_similarity=0.99).set_index("article_id")
    assert "undated-match" not in set(high.joined_by)
    again = nv.group_same_event(undated.iloc[::-1], mentions.iloc[::-1], min_similarity=0.2)
    pd.testing.assert_frame_equal(groups.reset_index(), again)


def test_undated_article_between_two_rounds_of_one_summit_stays_alone() -> None:
    articles, mentions, _ = event_corpus()
    # wording common to both rounds (e0 and e3), same actors, no date: no clear match
    text = "Mara Voss and Oskar Lind dam summit kessa treaty sluice dam summit kessa treaty sluice."
    extra = pd.DataFrame([{"article_id": "x-undated", "outlet_id": "north-a", "camp": "north",
                           "published": pd.NaT, "text": text}])
    extra_mentions = pd.DataFrame([mention(text, "Mara Voss", "voss", "x-undated"),
                                   mention(text, "Oskar Lind", "lind", "x-undated")])
    both = pd.concat([articles, extra], ignore_index=True)
    both_mentions = pd.concat([mentions, extra_mentions], ignore_index=True)
    groups = nv.group_same_event(both, both_mentions, min_similarity=0.2).set_index("article_id")
    assert groups.joined_by["x-undated"] == "alone"
    assert (groups.event_group == groups.event_group["x-undated"]).sum() == 1
    dated = nv.group_same_event(both, both_mentions, min_similarity=0.2, attach_undated=False)
    match = nv.undated_matches(both, both_mentions, dated, min_similarity=0.2).set_index("article_id").loc["x-undated"]
    first_round = groups.event_group["e0-north"]
    second_round = groups.event_group["e3-north"]
    assert {match.best_group, match.second_group} == {first_round, second_round}
    assert match.margin == pytest.approx(match.similarity - match.second_similarity)
    assert match.margin < 0.05 and not match.attached
    assert match.shared_entities == "lind|voss"
    # candidates share two actors: e0, e2 and e3 (Voss and Lind); not e1 (none), not e4 (only Voss)
    assert match.candidates == 3
    with pytest.raises(KeyError, match="event_group"):
        nv.undated_matches(both, both_mentions, dated.drop(columns=["event_group"]))


def test_counts_made_once_give_the_groups_and_matches_of_each_run_counting_its_own() -> None:
    articles, mentions, _ = event_corpus()
    undated = undate(articles, ["e0-north", "e1-south", "e3-centre", "e4-centre"])
    # one article without entities: counted by neither
    without = mentions[mentions.article_id != "e2-north"]
    counts = nv.event_term_counts(undated, without)
    assert "e2-north" not in counts.row and len(counts.row) == len(undated) - 1
    for similarity in (0.0, 0.2, 0.5):
        for margin in (0.0, 0.05, 0.95):
            own = nv.group_same_event(undated, without, min_similarity=similarity,
                                      undated_min_margin=margin)
            shared = nv.group_same_event(undated, without, min_similarity=similarity,
                                         undated_min_margin=margin, counts=counts)
            pd.testing.assert_frame_equal(own, shared)
    # the grid is not trivial: the settings group differently
    loose = nv.group_same_event(undated, without, min_similarity=0.0, counts=counts)
    tight = nv.group_same_event(undated, without, min_similarity=0.5, counts=counts)
    assert loose.event_group.nunique() != tight.event_group.nunique()
    dated = nv.group_same_event(undated, without, min_similarity=0.2, attach_undated=False)
    own = nv.undated_matches(undated, without, dated, min_similarity=0.2)
    shared = nv.undated_matches(undated, without, dated, min_similarity=0.2, counts=counts)
    assert len(own) == 4 and own.attached.any()
    pd.testing.assert_frame_equal(own, shared)
    # given, the counts are used: nothing is counted again (and titles count: NEWS_SETTINGS)
    titled = undated.assign(title=undated.article_id.str.split("-").str[0] + " talks")
    titled_counts = nv.event_term_counts(titled, without)
    import mediaprov.narratives.events as events_module

    own = nv.group_same_event(titled, without, **events_module.NEWS_SETTINGS)
    import mediaprov.narratives.undated as undated_module

    def no_counting(rows):
        raise AssertionError("counted again")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(events_module, "TermCounts", no_counting)
        patch.setattr(undated_module, "TermCounts", no_counting)
        shared = nv.group_same_event(titled, without, **events_module.NEWS_SETTINGS, counts=titled_counts)
        nv.undated_matches(titled, without, dated, min_similarity=0.2, counts=titled_counts)
    pd.testing.assert_frame_equal(own, shared)


def test_articles_without_entities_stay_alone_dated_or_not() -> None:
    articles, mentions, _ = event_corpus()
    undated = undate(articles, ["e0-north", "e1-north"])
    without = mentions[~mentions.article_id.isin(["e0-north", "e2-north"])]
    groups = nv.group_same_event(undated, without, min_similarity=0.2).set_index("article_id")
    for article_id in ("e0-north", "e2-north"):  # undated and dated, both without entities
        assert (groups.event_group == groups.event_group[article_id]).sum() == 1
        assert groups.joined_by[article_id] == "alone"
    assert groups.joined_by["e1-north"] == "undated-match"
    matches = nv.undated_matches(undated, without, nv.group_same_event(undated, without, min_similarity=0.2,
                                                                     attach_undated=False))
    assert matches.article_id.tolist() == ["e1-north"]  # only undated articles with entities
    assert list(matches.columns) == list(nv.UNDATED_MATCH_COLUMNS)
    # no mentions at all: nothing can be linked or matched, every article is alone
    bare = nv.group_same_event(undated, without.iloc[:0], min_similarity=0.2)
    assert set(bare.joined_by) == {"alone"} and bare.event_group.is_unique


def test_split_chains_cuts_one_weak_link_between_two_stories_of_the_same_days() -> None:
    """Two linked pairs joined by one link: cut when the pairs are of the same day.

    Kept when the second pair comes later: one story moving on in time is what the window chains.
    """
    texts = ["dam river flood", "dam river vote", "budget vote tax", "budget tax levy"]
    mentions = pd.DataFrame({"article_id": list("abcd") * 2, "entity_id": ["x"] * 4 + ["y"] * 4})

    def groups(days: list[int], **options: bool) -> list[str]:
        articles = pd.DataFrame({"article_id": list("abcd"), "text": texts,
                                 "published": pd.to_datetime("2024-03-01", utc=True)
                                 + pd.to_timedelta(days, unit="D")})
        out = nv.group_same_event(articles, mentions, min_similarity=0.1, **options)
        return out.set_index("article_id").event_group.loc[list("abcd")].tolist()

    same_day = [0, 0, 0, 0]
    assert len(set(groups(same_day))) == 1  # single linkage: a-b, b-c (one shared word), c-d
    cut = groups(same_day, split_chains=True)
    assert cut[0] == cut[1] != cut[2] == cut[3]
    later = [0, 0, 2, 2]
    assert len(set(groups(later, split_chains=True))) == 1


def test_compare_event_side_by_side() -> None:
    articles, mentions, _ = event_corpus()
    event = articles[articles.article_id.str.startswith("e0-")]
    quotes = pd.DataFrame({"article_id": ["e0-north", "e0-south"], "text": ["We stand firm.", "No deal."],
                           "start": [0, 0], "end": [1, 1], "speaker": ["Mara Voss", "Oskar Lind"],
                           "speaker_id": ["voss", pd.NA], "cue": ["said", "said"], "kind": ["direct"] * 2})
    labels = pd.DataFrame({"article_id": ["e0-north", "e0-south"], "entity_id": ["voss", "lind"],
                           "term": ["grouplet*", "junta*"], "category": ["delegitimising"] * 2})
    table = nv.compare_event(event, mentions, quotes, labels, by="camp")
    assert {"north", "south", "centre", "included_by", "omitted_by"} <= set(table.columns)
    rows = table.set_index(["kind", "item"])
    assert rows.loc[("entity", "voss"), "omitted_by"] == ""
    assert rows.loc[("quoted", "voss"), "included_by"] == "north"
    assert rows.loc[("quoted", "Oskar Lind"), "omitted_by"] == "centre|north"
    assert rows.loc[("label", "junta* (delegitimising)"), "south"] == 1
    assert table.attrs["articles"] == {"centre": 1, "north": 1, "south": 1}
    with pytest.raises(KeyError, match="attach_groups"):
        nv.compare_event(event.drop(columns=["camp"]), mentions, quotes, labels, by="camp")


# --- robustness -------------------------------------------------------------------------------

def test_term_stability_table() -> None:
    articles = synthetic_articles()
    _, mentions = frame_inputs()
    table = nv.term_stability(articles, by="camp", alpha0_grid=(10, 25000, 100000), top=5)
    assert set(table.parameter) == {"alpha0"}
    assert len(table) == 3 * 3  # three pairs of settings x three camps
    assert table.jaccard.between(0, 1).all()
    # planted terms lead at prior strengths near the corpus size (about 25,000 terms) and above
    assert (table[(table.value_a == 25000) & (table.value_b == 100000)].jaccard == 1.0).all()
    # a prior far weaker than the corpus lets frequent chance words in: shown, not hidden
    assert (table[(table.value_a == 10) & (table.value_b == 25000)].jaccard < 1.0).any()
    default = nv.term_stability(articles, by="camp", top=5)
    assert default[["value_a", "value_b"]].drop_duplicates().shape[0] == 6  # four settings, pairwise
    # counts made once by the caller (who also lists the distinctive terms): the same table
    counts = nv.group_counts(articles, by="camp", ngram_max=2)
    pd.testing.assert_frame_equal(nv.term_stability(articles, by="camp", top=5, counts=counts), default)
    pd.testing.assert_frame_equal(nv.score_groups(counts, top=5),
                                  nv.distinctive_terms(articles, by="camp", top=5))
    other = nv.group_counts(articles, by="camp", ngram_max=1)  # the counts are what is scored
    assert not nv.term_stability(articles, by="camp", top=5, counts=other).equals(default)
    frame_articles, frame_mentions = frame_inputs()
    with_windows = nv.term_stability(frame_articles, by="camp", alpha0_grid=(10, 100), top=5,
                                     min_count=1, mentions=frame_mentions, windows=(5, 40))
    window_rows = with_windows[with_windows.parameter == "window"].set_index("group")
    assert window_rows.loc["north", "only_b"] == "regime|sect"  # farther labels enter at window 40
    assert window_rows.loc["north", "jaccard"] < 1
