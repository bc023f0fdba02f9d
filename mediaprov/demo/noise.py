"""Page-template noise planted in the demo's text scrapes, with its truth.

Real scrapes keep what the page showed around the article: photo galleries with their captions,
video strips ("Replay more videos"), newsletter widgets with a region list, newsletter sidebars,
contributor bios, licence lines and advertisement slots; some crawlers also repeat the whole body
several times. Each fictional outlet here has its own kit of such lines (the same lines recur
across its pages, as on a real site); a text scrape gets a few of them between its body
paragraphs (a re-scrape of the same page shows the same lines), and about one in a hundred has its
body repeated three times. The truth row lists
every planted line (``template_lines``, the repeated copies included) and ``body_copies``, so the
template cleaner (:mod:`mediaprov.ingest.templates`) can be scored line by line.

Press releases, agency items and their copies, and articles that also come as a near duplicate,
carry no noise: reuse and duplicate detection still compare raw texts, and their demo targets
would then measure the noise rather than the detectors (the cleaner runs over those articles all
the same and must leave them whole).

All text is fictional. Noise draws come from their own random source, so the articles, dates and
truth of the rest of the corpus do not depend on it.

Example:
    >>> import random
    >>> from mediaprov.demo.world import Outlet
    >>> outlet = Outlet("x", "Valley Gazette", (), "valleygazette.example", "international")
    >>> kit = outlet_kit(outlet)
    >>> kit["licence"][0]
    'All content by Valley Gazette is licensed under a Creative Commons Attribution 4.0 International licence.'
    >>> noise = pick_noise(outlet, random.Random(1), paragraphs=5, forbidden=set())
    >>> all(1 <= at <= 4 for at, _ in noise)
    True
"""

from __future__ import annotations

import random
from zlib import crc32

from mediaprov.demo.world import Outlet

REGIONS: tuple[str, ...] = (
    "Northmarch", "Eastvale", "Southreach", "Westfold", "Lowmere", "Highcrag", "Saltmarsh Islands",
    "Fenwick Islands", "Orrin Coast", "Dunmere", "Brackwater", "Kessel Bay", "Tarn Valley",
    "Mirefield", "Ashcombe", "Greyhaven", "Stonebridge", "Coldharbour Islands", "Larkspur",
    "Windmere", "Harrowdale", "Eldham", "Rookwood", "Thornbury Isles", "Marrow Point",
)
GALLERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Pictures of the week", ("A fishing boat returns to harbour at dawn after a storm.",
                              "Children ride a carousel at the autumn fair.",
                              "Snow covers the old railway bridge on a quiet morning.",
                              "Market traders set up their stalls before sunrise.")),
    ("Life on the coast", ("Nets dry in the sun on the harbour wall.",
                           "A lighthouse keeper climbs the spiral stairs.",
                           "Gulls follow a ferry out of the bay.",
                           "A baker loads bread into a van before the ferry leaves.")),
    ("Festival season", ("Dancers rehearse in the town square.",
                         "Lanterns are hung along the river path.",
                         "A brass band marches past the town hall.",
                         "Visitors queue for the evening concert.")),
    ("The harvest", ("Farmers bring in the last of the barley.",
                     "Apples are sorted by hand in an orchard shed.",
                     "A tractor crosses a field under heavy clouds.",
                     "Volunteers press grapes at a village cooperative.")),
)
VIDEOS: tuple[str, ...] = ("Inside the new ferry terminal", "How the flood barrier works",
                           "A day at the fish market", "The bridge repairs explained",
                           "Voices from the harvest fair", "Why the tram line closed")
BEATS: tuple[str, ...] = ("the harbour and its trade", "farming in the valleys", "the coastal towns",
                          "culture and the arts", "transport and planning", "schools and youth")
BOOKS: tuple[str, ...] = ("the salt roads", "river trade", "the lighthouse keepers", "mountain villages",
                          "the old railways", "coastal storms")

WEIGHTS: dict[str, float] = {"licence": 0.4, "widget": 0.2, "newsletter": 0.25, "bio": 0.25,
                             "video": 0.25, "gallery": 0.15, "advertisement": 0.3}
"""Chance that a text scrape carries each kind of noise."""

REPEATED_BODY_RATE = 0.01
"""Share of text scrapes (without embedded posts) whose body is written three times."""


def _pick(outlet: Outlet, salt: str, options: tuple, k: int = 1) -> list:
    """``k`` options chosen by a stable hash of the outlet (no random draw)."""
    start = crc32(f"{outlet.outlet_id}:{salt}".encode()) % len(options)
    return [options[(start + 2 * i) % len(options)] for i in range(k)]


def outlet_kit(outlet: Outlet) -> dict[str, list[str]]:
    """The page chrome of one outlet: a few variants of each kind of noise line.

    Example:
        >>> from mediaprov.demo.world import Outlet
        >>> kit = outlet_kit(Outlet("x", "Valley Gazette", (), "valleygazette.example", "international"))
        >>> sorted(kit)
        ['advertisement', 'bio', 'gallery', 'licence', 'newsletter', 'video', 'widget']
    """
    name = outlet.name
    galleries = []
    for title, captions in _pick(outlet, "gallery", GALLERIES, 2):
        parts = [f"Photos: {title} Photos: {title}"]
        captions = captions[:3]
        for i, caption in enumerate(captions, start=1):
            parts.append(f"{title} – {caption} Hide Caption {i} of {len(captions)}")
            if i < len(captions):
                parts.append(f"Photos: {title}")
        galleries.append(" ".join(parts))
    regions = " ".join(_pick(outlet, "regions", REGIONS, 12))
    videos = [f"JUST WATCHED {v} Replay More Videos ... MUST WATCH {v} on {name} TV 0{1 + i}:{17 + 9 * i}"
              for i, v in enumerate(_pick(outlet, "video", VIDEOS, 2))]
    beats = _pick(outlet, "beat", BEATS, 2)
    books = _pick(outlet, "book", BOOKS, 2)
    return {
        "licence": [f"All content by {name} is licensed under a Creative Commons Attribution 4.0 "
                    f"International licence."],
        "widget": [f"Get the {name} Morning Brief. Sign up to receive the stories you need to know "
                   f"right now. Choose your region {regions} Please enter a valid email address."],
        "newsletter": [f"{name} Weekly: the editors' pick of the week's stories, in your inbox every "
                       f"Friday. Sign up now"],
        "bio": [f"Our correspondent has reported on {beat} for {name} since 2009. "
                f"Her book on {book} is out this spring." for beat, book in zip(beats, books, strict=True)],
        "video": videos,
        "gallery": galleries,
        "advertisement": ["Advertisement"],
    }


def pick_noise(outlet: Outlet, rng: random.Random, *, paragraphs: int,
               forbidden: set[int]) -> list[tuple[int, str]]:
    """Choose the noise lines of one scrape and where they go.

    Args:
        outlet: the publisher (its kit is used).
        rng: the noise's own random source.
        paragraphs: number of body paragraphs.
        forbidden: insertion points not to use (before an embedded post's signature line).

    Returns:
        ``(position, line)`` pairs: insert ``line`` before body paragraph ``position`` (never
        before the first paragraph nor after the last, so the page's top and bottom chrome stay
        where the scrape parser expects them).

    Example: see the module docstring.
    """
    kit = outlet_kit(outlet)
    places = [i for i in range(1, paragraphs) if i not in forbidden]
    out: list[tuple[int, str]] = []
    for kind in sorted(WEIGHTS):
        if rng.random() < WEIGHTS[kind] and places:
            out.append((rng.choice(places), rng.choice(kit[kind])))
    return out
