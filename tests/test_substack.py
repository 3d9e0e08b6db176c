"""Substack: published posts with a body; drafts, subscriber lists and tracking never read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import read_export
from extractors.errors import EmptyProfileError

SAMPLE = next((Path(__file__).parents[1] / "sample_profiles" / "substack").glob("*-export-*.zip"))


def test_sample_reads_published_posts_with_a_body() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "substack" and profile.post_count == 12 == len(profile.posts)
    texts = [p.text for p in profile.posts]
    assert texts[0].startswith("Breaking ground\n\nA first winter on plot 14\n\nThe allotment came")
    assert not any("Draft" in t or "Podcast" in t for t in texts)


def test_subscribers_and_tracking_are_never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", spy)
    profile = read_export(SAMPLE)
    monkeypatch.undo()
    assert not any(n.startswith("email_list") or n.endswith((".opens.csv", ".delivers.csv")) for n in opened)
    assert "example.com" not in json.dumps(profile.to_dict(complete=True))


def test_posts_csv_alone_without_bodies_has_no_posts(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("post_id,post_date,is_published,type,audience,title,subtitle\n"
                    "1.a,2024-01-01T00:00:00Z,true,newsletter,everyone,A title,\n")
    with pytest.raises(EmptyProfileError, match="no posts"):
        read_export(path)
