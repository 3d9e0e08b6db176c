"""The visitor's languages: every marked message in every catalogue, translated, and pages in two languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from installation.config import KioskConfig, WallConfig
from installation.i18n import CONSENT_DEFAULT, LANGUAGES, LOCALES, WALL_MESSAGES, choose, source_messages, translator


def test_the_sources_mark_the_messages_a_visitor_reads() -> None:
    found = source_messages()
    for message in ("Paint my portrait", "Your portrait could not be made", "Try again", CONSENT_DEFAULT,
                    "Upload one export at a time.", ("About %(num)d minute to go.", "About %(num)d minutes to go.")):
        assert message in found


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_catalogue_has_every_message_translated(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=lang)
    missing, empty, placeholders = [], [], []
    for message in source_messages():
        entry = catalogue.get(message[0] if isinstance(message, tuple) else message)
        if entry is None:
            missing.append(message)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings) or len(strings) != (catalogue.num_plurals if isinstance(message, tuple) else 1):
            empty.append(message)
        wanted = set(re.findall(r"%\(\w+\)\w|\{\w+\}", message[0] if isinstance(message, tuple) else message))
        if any(set(re.findall(r"%\(\w+\)\w|\{\w+\}", str(s))) != wanted for s in strings):
            placeholders.append(message)
    assert (missing, empty, placeholders) == ([], [], [])


def test_the_copies_of_the_walls_and_the_configs_texts_match_them() -> None:
    assert KioskConfig().consent_text == CONSENT_DEFAULT
    assert {WallConfig().arrival_text, WallConfig().idle_text} <= set(WALL_MESSAGES)
    from installation.wall.show import WORDS

    assert set(WORDS.values()) <= set(WALL_MESSAGES)


def test_translator_speaks_each_language_and_passes_unknown_text_through() -> None:
    assert translator("de")("Paint my portrait") == "Mein Porträt malen"
    assert translator("zh")("Being painted") == "正在绘制"
    assert translator("ru")("step {step} of {total}").format(step=3, total=8) == "шаг 3 из 8"
    assert translator("fr")("A curator's own idle text") == "A curator's own idle text"
    with pytest.raises(ValueError, match="language must be one of"):
        translator("xx")


@pytest.mark.parametrize(("asked", "cookie", "header", "lang"), [
    (None, None, "de-AT,de;q=0.9,en;q=0.5", "de"), (None, None, "pt-BR,es;q=0.4", "es"),
    (None, None, "zh-CN,zh;q=0.9", "zh"), (None, None, None, "en"), (None, None, "pt-BR", "en"),
    (None, "ru", "de", "ru"), ("fr", "ru", "de", "fr"), ("xx", "yy", "fr-CA", "fr"),
])
def test_the_language_is_the_one_picked_else_remembered_else_the_browsers(
    asked: str | None, cookie: str | None, header: str | None, lang: str
) -> None:
    assert choose(asked, cookie, header) == lang


def test_pages_render_in_two_languages_and_the_pick_is_remembered(tmp_path: Path) -> None:
    from worker_fakes import config_for

    from installation.jobs.store import SqliteJobStore
    from installation.kiosk.app import create_app

    config = config_for(tmp_path)
    client = TestClient(create_app(config, SqliteJobStore(tmp_path / "jobs.db")))
    german = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in german.text and "Mein Porträt malen" in german.text
    assert "Wir lesen die Beiträge" in german.text  # the default consent text, translated
    chinese = client.get("/forget?lang=zh", headers={"Accept-Language": "de"})
    assert '<html lang="zh">' in chinese.text and "删除我的肖像" in chinese.text
    assert client.cookies.get("portrait_lang") == "zh"
    again = client.get("/", headers={"Accept-Language": "de"})
    assert '<html lang="zh">' in again.text and "为我画像" in again.text and "Paint my portrait" not in again.text
    refused = client.post("/submit", data={"csrf": "x"})
    assert refused.status_code == 403 and "此表单已过期" in refused.text
