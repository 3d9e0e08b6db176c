"""Pixelfed statuses: content_text or HTML content; shares and direct messages left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import read_export

SAMPLE = Path(__file__).parents[1] / "sample_profiles" / "pixelfed" / "pixelfed-statuses.json"


def test_sample_reads_own_posts_and_replies() -> None:
    profile = read_export(SAMPLE)
    assert profile.platform == "pixelfed" and profile.post_count == 22 == len(profile.posts)
    assert profile.replies == 5
    blob = json.dumps(profile.to_dict())
    assert "owl photo" not in blob and "location of the hide" not in blob  # a share and a direct message


@pytest.mark.parametrize("name", ["outbox.json", "export.json"])
def test_outbox_with_html_content_is_pixelfed_not_mastodon(tmp_path: Path, name: str) -> None:
    statuses = [
        {"id": "1", "created_at": "2025-01-01T10:00:00Z", "content": "<p>Herons &amp; egrets at dawn</p>",
         "account": {"id": "9"}, "reblog": None, "pf_type": "photo", "visibility": "public"},
        {"id": "2", "created_at": "2025-01-02T10:00:00Z", "content": "<p>someone else's</p>",
         "account": {"id": "9"}, "reblog": None, "pf_type": "share", "visibility": "public"},
    ]
    path = tmp_path / name
    path.write_text(json.dumps(statuses))
    profile = read_export(path)
    assert profile.platform == "pixelfed"
    assert [p.text for p in profile.posts] == ["Herons & egrets at dawn"]
