"""mediaprov.narratives on real text: the Narrative Frames corpus (Frermann et al., ACL 2023).

The corpus lives in ``../shared/corpora/narrative_frames/articles_metadata.tsv`` (428 climate
articles, outlets under several spellings, Media Bias/Fact Check ratings in ``mbfc``); it is read
from there and never copied. Tests skip when it is absent.

The outlet alias table is built here (the project's ``outlets.csv`` covers other outlets), so the
test shows the merge the narratives code relies on: every spelling resolves to one outlet id
through :class:`mediaprov.ingest.outlets.OutletRegistry`, and comparisons group by that id.

The ``demo`` tests check the issue's targets on the demo corpus when its truth is present
(``data/raw/demo/truth/``): >= 90 % of the planted camp labels are among their camp's top-20
terms, and same-event grouping reaches an adjusted Rand index >= 0.8 against the planted events.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from mediaprov import narratives as nv
from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.narratives.tokens import extract_terms
from mediaprov.paths import raw_dir, reference_dir

# outlet id -> (name as the corpus writes it, aliases: the other spellings seen in the corpus)
ALIAS_TABLE: dict[str, tuple[str, str]] = {
    "bbc": ("BBC", "bbc"),
    "bipartisan-report": ("Bipartisan Report", ""),
    "breitbart": ("Breitbart", "breitbart"),
    "buzzfeed": ("BuzzFeed", "buzzfeed"),
    "cbs-news": ("CBS News", "cbsnews"),
    "cnbc": ("CNBC", "cnbc"),
    "cnn": ("CNN", "cnn"),
    "daily-kos": ("Daily Kos", "dailykos"),
    "daily-mail": ("Daily Mail", "dailymail"),
    "drudge-report": ("Drudge Report", "drudgereport"),
    "fox-news": ("Fox News", "foxnews"),
    "fusion": ("Fusion", ""),
    "mother-jones": ("MotherJones", "motherjones|Mother Jones"),
    "npr": ("NPR", "npr"),
    "national-review": ("National Review", "nationalreview"),
    "newsbusters": ("NewsBusters", ""),
    "pbs": ("PBS", "pbs"),
    "palmer-report": ("Palmer Report", "palmerreport"),
    "politicus-usa": ("Politicus USA", "politicususa"),
    "rt": ("RT", "rt"),
    "redstate": ("RedState", "redstate"),
    "shareblue": ("Shareblue", "shareblue"),
    "slate": ("Slate", "slate"),
    "talking-points-memo": ("Talking Points Memo", "talkingpointsmemo"),
    "daily-caller": ("The Daily Caller", "thedailycaller"),
    "the-duran": ("The Duran", "theduran"),
    "guardian": ("The Guardian", "theguardian"),
    "the-hill": ("The Hill", "thehill"),
    "huffington-post": ("The Huffington Post", "thehuffingtonpost|HuffPost"),
    "new-york-times": ("The New York Times", "thenewyorktimes"),
    "political-insider": ("The Political Insider", "thepoliticalinsider"),
    "right-scoop": ("The Right Scoop", "therightscoop"),
    "the-blaze": ("TheBlaze", "theblaze"),
    "usa-today": ("USA Today", "usatoday"),
    "vox": ("Vox", "vox"),
    "yahoo-news": ("Yahoo News", "yahoonews"),
}


@pytest.fixture(scope="module")
def frames_articles(shared_corpus) -> pd.DataFrame:
    """The corpus as an ``articles``-like table, outlets resolved through the alias table."""
    path = shared_corpus("narrative_frames/articles_metadata.tsv")
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    registry = OutletRegistry.from_table(pd.DataFrame(
        [{"outlet_id": k, "name": name, "aliases": aliases, "domains": ""}
         for k, (name, aliases) in ALIAS_TABLE.items()]))
    return pd.DataFrame({
        "article_id": "nf-" + raw["ID"],
        "source": raw["source"],
        "outlet_id": raw["source"].map(registry.resolve).astype("string"),
        "mbfc": raw["mbfc"],
        "published": pd.to_datetime(raw["date"], utc=True),
        "text": raw["text"],
    })


def test_outlet_spellings_merge_through_the_alias_table(frames_articles: pd.DataFrame) -> None:
    unresolved = sorted(frames_articles.loc[frames_articles.outlet_id.isna(), "source"].unique())
    assert not unresolved, f"spellings missing from the alias table: {unresolved}"
    spellings = frames_articles.groupby("outlet_id").source.nunique()
    assert frames_articles.source.nunique() > frames_articles.outlet_id.nunique()
    assert spellings["huffington-post"] == 2 and spellings["breitbart"] == 2
    # one outlet, one rating: the merge never joins outlets the raters kept apart
    assert (frames_articles.groupby("outlet_id").mbfc.nunique() == 1).all()
    by_outlet = nv.distinctive_terms(frames_articles, by="outlet_id", top=10)
    assert "thehuffingtonpost" not in set(by_outlet.group)
    assert set(by_outlet.group) <= set(ALIAS_TABLE)


def test_left_versus_right_rated_outlets(frames_articles: pd.DataFrame) -> None:
    outlets = (frames_articles.drop_duplicates("outlet_id")[["outlet_id", "mbfc"]]
               .assign(rating=lambda t: t.mbfc.map({"left_bias": "left", "right_bias": "right"})))
    articles = nv.attach_groups(frames_articles, outlets, by="rating")
    assert set(articles.rating.dropna()) == {"left", "right"}
    table = nv.distinctive_terms(articles, by="rating", groups=("left", "right"))
    assert list(table.columns) == list(nv.DISTINCTIVE_COLUMNS)
    assert np.isfinite(table.z).all() and len(table) > 1000
    left = table[table.group == "left"].set_index("term")
    right = table[table.group == "right"].set_index("term").loc[left.index]
    np.testing.assert_allclose(left.z.to_numpy(), -right.z.to_numpy())
    assert (left.head(20).z > 1.96).all() and (right.sort_values("rank").head(20).z > 1.96).all()
    # counts are what the shared tokeniser sees in each side's texts
    compared = articles[articles.rating.isin(["left", "right"])]
    for term in left.head(3).index.tolist() + right.sort_values("rank").head(3).index.tolist():
        counts = Counter()
        for rating, text in zip(compared.rating, compared.text):
            counts[rating] += extract_terms(text).count(term)
        assert (left.loc[term, "count_group"], left.loc[term, "count_rest"]) == (counts["left"], counts["right"])
    stability = nv.term_stability(articles[articles.rating.notna()], by="rating", top=20)
    assert stability.jaccard.between(0, 1).all() and set(stability.group) == {"left", "right"}


def test_topics_by_outlet_and_month_are_reproducible(frames_articles: pd.DataFrame) -> None:
    first = nv.fit_topics(frames_articles, n_topics=6, seed=0)
    second = nv.fit_topics(frames_articles, n_topics=6, seed=0)
    pd.testing.assert_frame_equal(first.shares, second.shares)
    monthly = nv.topic_shares(first, frames_articles, by="outlet_id", period="M")
    sums = monthly.groupby(["group", "period"]).share.sum()
    assert np.allclose(sums, 1.0)


# --- demo corpus targets (skip until the demo truth exists) ------------------------------------

@pytest.fixture(scope="module")
def demo_truth() -> pd.DataFrame:
    """Ingested records of the demo truth, with text, outlet, camp (from outlets.csv) and event."""
    truth = raw_dir("demo") / "truth"
    if not (truth / "labels.csv").exists() or not (truth / "documents.jsonl").exists():
        pytest.skip("data/raw/demo/truth/ is absent: run `mediaprov demo` first")
    lines = (truth / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    table = pd.DataFrame([json.loads(line) for line in lines if line.strip()])
    table = table[(table.expected_status == "ingested") & table.text.notna()].reset_index(drop=True)
    outlets = pd.read_csv(reference_dir() / "outlets.csv", dtype=str, keep_default_na=False)
    articles = pd.DataFrame({
        "article_id": table.raw_path + "#" + table.record.astype(str),
        "outlet_id": table.outlet.astype("string"),
        "published": pd.to_datetime(table.true_published, utc=True),
        "text": table.text,
        "event_id": table.event_id,
        "entities": table.entities,
    })
    return nv.attach_groups(articles, outlets, by="camp")


def label_term(label: str) -> str:
    """A planted label as one term: its words from the first to the last non-stopword.

    "the terrorist grouplet" -> "terrorist grouplet"; "the government in Orlet" ->
    "government in orlet"; "the regime's front group" -> "regime front group".
    """
    terms = extract_terms(label, ngram_max=3)
    return max(terms, key=lambda t: (len(t.split()), t))


def test_demo_planted_camp_labels_in_top_20(demo_truth: pd.DataFrame) -> None:
    labels = pd.read_csv(raw_dir("demo") / "truth" / "labels.csv", dtype=str, keep_default_na=False)
    articles = demo_truth[demo_truth.camp.notna()]
    # compare words, not names: people's names found by the entity matcher are masked
    entities_module = pytest.importorskip("mediaprov.entities")
    entities = entities_module.load_entities(packs=["demo"])
    mentions = entities_module.find_mentions(articles, entities_module.Gazetteer.from_entities(entities))
    people = mentions[mentions.entity_id.isin(entities.loc[entities.kind == "person", "entity_id"])]
    top = nv.distinctive_terms(articles, by="camp", ngram_max=3, nested=True, mask=people, top=20)
    found = [label_term(row.label) in set(top[top.group == row.camp].term) for row in labels.itertuples()]
    missed = [row.label for row, ok in zip(labels.itertuples(), found) if not ok]
    assert len(found) >= 10
    assert sum(found) / len(found) >= 0.9, f"missed {missed}"


def test_demo_same_event_grouping_matches_planted_events(demo_truth: pd.DataFrame) -> None:
    # entity ids per article from the truth (the entity matcher is tested on its own)
    mentions = pd.DataFrame(
        [{"article_id": a, "entity_id": e, "start": 0, "end": 0}
         for a, entities in zip(demo_truth.article_id, demo_truth.entities) for e in sorted(entities)])
    groups = nv.group_same_event(demo_truth, mentions, window_days=3, min_shared_entities=2,
                                 min_similarity=0.4).set_index("article_id").event_group
    predicted = groups.loc[demo_truth.article_id].to_numpy()
    # articles outside any planted event are each their own group in the truth
    truth = [e if isinstance(e, str) else f"alone-{k}" for k, e in enumerate(demo_truth.event_id)]
    assert adjusted_rand_score(truth, predicted) >= 0.8
