"""A seeded corpus of personal data, hidden in ordinary posts, run through the whole installation (real
reader, describe, compose, the tiny model, the store, the PNG, its sidecar, the wall and the logs): none
of it may come out anywhere."""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path

import pytest
from test_worker import queue_upload, real_config

from extractors.intake.clean import clean_text
from installation.jobs.worker import Worker, open_configured_store, real_pipeline

# Each item: the text written in a post, and the pieces of it that must never surface again.
PERSONAL: list[tuple[str, tuple[str, ...]]] = [
    ("mail me at ana.lopez@example.com", ("ana.lopez", "example.com")),
    ("write to ana.lopez at example dot com", ("ana.lopez", "example dot")),
    ("or ana [at] clayworks [dot] org", ("clayworks",)),
    ("call +44 20 7946 0958", ("7946", "0958")),
    ("ring me on +49 30 12345678", ("12345678",)),
    ("my number is (555) 123-4567", ("123-4567",)),
    ("text +45 12 34 56 78 after six", ("34 56 78",)),
    ("photos at https://example.org/kiln?id=9", ("example.org", "kiln?id")),
    ("more on www.potterypages.net", ("potterypages",)),
    ("see bit.ly/3xYzKiln", ("3xYzKiln",)),
    ("thanks @clayfriend", ("clayfriend",)),
    ("ask @glazequeen@mastodon.social", ("glazequeen",)),
    ("follow @seaturtle.bsky.social", ("seaturtle",)),
    ("find her as wheelwoman.bsky.social", ("wheelwoman",)),
    ("the studio is at 221B Baker Street", ("Baker Street", "221B")),
    ("Atelier in der Hauptstraße 17", ("Hauptstraße 17",)),
    ("IBAN DE89 3704 0044 0532 0130 00 for the fees", ("DE89", "3704 0044")),
    ("card 4111 1111 1111 1111 was refused", ("4111",)),
    ("lunch with Maria Gonzalez", ("Gonzalez",)),
    ("Peter Jensen lent me his wheel", ("Jensen",)),
]
CHATTER = [
    "Threw six bowls on the wheel today, the stoneware clay was perfect.",
    "Glazing day: celadon and tenmoku, the kiln is loaded for tomorrow.",
    "Trimming the foot rings of yesterday's mugs, slow and happy work.",
    "The raku firing cracked two pots but the crackle glaze on the rest is stunning.",
    "Wedging clay in the cold studio, tea first, then the wheel.",
    "Opened the kiln: the ash glaze ran beautifully down the vase.",
]


def _found(secret: str, text: str) -> bool:
    """Whether ``secret`` is in ``text``; digits only as a number of their own, not inside a longer one
    (a timestamp or a job's random id may hold "0958" by chance)."""
    if re.fullmatch(r"[0-9 -]+", secret):
        return re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", text) is not None
    return secret.casefold() in text.casefold()


def corpus(seed: int = 7) -> str:
    rng = random.Random(seed)
    posts = []
    for text, _ in PERSONAL:
        posts.append(f"{rng.choice(CHATTER)} By the way, {text}. {rng.choice(CHATTER)}")
    posts.extend(rng.choice(CHATTER) for _ in range(20))
    rng.shuffle(posts)
    return "\n\n".join(posts)


@pytest.mark.parametrize(("text", "secrets"), PERSONAL)
def test_cleaning_removes_each_kind(text: str, secrets: tuple[str, ...]) -> None:
    cleaned = clean_text(f"A bowl today. {text}. Tea.")
    assert "A bowl today" in cleaned and "Tea" in cleaned
    assert [s for s in secrets if s.casefold() in cleaned.casefold()] == []


def test_everyday_words_survive_the_cleaning() -> None:
    for post in (*CHATTER, "Meet at 5 at the harbour.", "Rose Garden in bloom", "Baked at 200 degrees for 40 min",
                 "Star Wars at the cinema", "We met in 2019 and again in 2024", "Node.js and e.g. this"):
        assert clean_text(post) == post


def test_no_personal_data_leaves_the_installation(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = real_config(tmp_path)
    store = open_configured_store(config)
    job = queue_upload(config, store, text=corpus(), name="posts.txt")
    with caplog.at_level(logging.DEBUG):
        Worker(store, real_pipeline(lambda: config, model="tiny"), config).run(once=True)
    done = store.get(job.id)
    assert done is not None and done.state == "done", done and done.error
    assert done.image_path is not None and done.sidecar_path is not None
    places = {
        "portrait": repr(done.portrait),
        "prompt": repr(done.prompt),
        "keywords": repr(done.keywords),
        "wall": repr(store.wall_artworks()),
        "png": done.image_path.read_bytes().decode("latin-1"),
        "sidecar": done.sidecar_path.read_text(encoding="utf-8"),
        "logs": caplog.text,
    }
    for db in config.store.path.parent.glob(config.store.path.name + "*"):  # the database, its WAL and SHM
        places[db.name] = db.read_bytes().decode("utf-8", "replace")
    leaks = [
        (where, secret)
        for where, text in places.items()
        for _, secrets in PERSONAL
        for secret in secrets
        if _found(secret, text)
    ]
    # a number run together ("442079460958") is the same leak; that many digits never match by chance
    numbers = ["".join(re.findall(r"[0-9]", item)) for item, _ in PERSONAL]
    leaks += [(where, n) for where, text in places.items() for n in numbers if len(n) >= 8 and n in text]
    assert leaks == []
    assert "kiln" in places["portrait"] or "glaze" in places["portrait"]  # the portrait is still of a potter


def test_a_number_counts_as_found_on_its_own_not_inside_a_longer_one() -> None:
    assert _found("0958", "call 7946 0958 now") and _found("0958", "(0958)")
    assert not _found("0958", "created 1764740958.25") and not _found("0958", "job a0958f")
    assert _found("Jensen", "peter JENSEN")
