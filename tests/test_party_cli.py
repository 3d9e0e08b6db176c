"""A party with the tiny model, through the ``portrait party`` commands: start, paint (from noise, image to
image, a variation), list, stream, publish; bad input is one line on stderr and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from installation.cli import main
from installation.config import load_config
from installation.party.app import create_party_app
from installation.party.store import open_party_store
from installation.render.provenance import TRAINED_ALGORITHMIC_MEDIA, read_provenance


@pytest.fixture(autouse=True)
def _local_signing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f"""
[render]
model = "tiny"
width = 64
height = 64
steps = 2
warm_up = false
output_dir = "{tmp_path / 'art'}"

[party]
store_path = "{tmp_path / 'party.sqlite3'}"
image_dir = "{tmp_path / 'party'}"
""")
    return path


def test_a_party_with_the_tiny_model_from_start_to_gallery(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_path = write_config(tmp_path)
    assert main(["party", "start", "the meaning of life", "--config", str(config_path)]) == 0
    session, theme, url = capsys.readouterr().out.strip().split("\t")
    assert theme == "the meaning of life" and url.endswith(f"/host/{session}")
    config = load_config(config_path)
    store = open_party_store(config.party.store_path)
    with TestClient(create_party_app(config, store), client=("127.0.0.1", 1)) as host:
        def step(**body: object) -> dict[str, object]:
            response = host.post(f"/api/host/{session}/steps", json=body)
            assert response.status_code == 201, response.text
            return dict(response.json())

        first = step(text="life", seed=1)
        second = step(text="life, a long road at dawn", parent=first["id"], seed=2)
        assert main(["party", "worker", "--once", "--config", str(config_path)]) == 0
        assert capsys.readouterr().out.strip() == "painted 2 step(s), 0 failed"
        step(text="life, a long road at dawn, in fog", kind="img2img", source_step=second["id"],
             parent=second["id"], seed=3, strength=0.5)  # fmt: skip
        step(kind="variation", source_step=second["id"], parent=second["id"], seed=4)
        assert main(["party", "worker", "--once", "--config", str(config_path)]) == 0
        assert capsys.readouterr().out.strip() == "painted 2 step(s), 0 failed"
        host.post(f"/api/host/steps/{second['id']}/best", json={"best": True})
    steps = store.steps(session)
    assert [s.state for s in steps] == ["done"] * 4
    assert {s.model for s in steps} == {"tiny"} and all(s.metadata and s.metadata["is_test_noise"] for s in steps)
    for s in steps:
        assert s.image_path is not None
        with Image.open(s.image_path) as image:
            assert image.size == (64, 64) and "parameters" in image.info
    assert main(["party", "list", "--json", "--config", str(config_path)]) == 0
    assert json.loads(capsys.readouterr().out) == [{"id": session, "theme": "the meaning of life", "steps": 4}]
    assert main(["party", "stream", "--config", str(config_path)]) == 0
    stream = json.loads(capsys.readouterr().out)
    assert [s["step"] for s in stream] == [1, 2, 3, 4] and stream[0]["caption"] == "life"
    out = tmp_path / "gallery"
    assert main(["party", "publish", session, "-o", str(out), "--config", str(config_path)]) == 0
    assert "4 images; best: 2" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["contact-sheet.png", "images", "index.html", "lineage.json"]
    assert len(list((out / "images").glob("step-*.png"))) == 4
    # The contact sheet is signed with [render.provenance], made by the tiny model, like every artwork.
    found = read_provenance(out / "contact-sheet.png")
    assert found is not None and found.state == "Valid" and found.failures == ("signingCredential.untrusted",)
    assert found.digital_source_type == TRAINED_ALGORITHMIC_MEDIA and '"model": "tiny"' in json.dumps(found.manifest)
    # Publishing again into the same gallery folder is allowed; into someone else's folder it is not.
    assert main(["party", "publish", session, "-o", str(out), "--config", str(config_path)]) == 0
    capsys.readouterr()
    other = tmp_path / "someone-elses"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main(["party", "publish", session, "-o", str(other), "--config", str(config_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty and not an earlier party gallery" in err
    store.close()


def test_bad_party_input_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config_path = write_config(tmp_path)
    assert main(["party", "publish", "nosuch", "-o", str(tmp_path / "g"), "--config", str(config_path)]) == 2
    assert capsys.readouterr().err == "portrait: error: no party session 'nosuch'\n"
    assert main(["party", "start", "nude", "--config", str(config_path)]) == 2
    assert "the wall policy keeps 'nude' off the wall" in capsys.readouterr().err
    assert main(["party", "start", "love", "--config", str(config_path)]) == 0
    session = capsys.readouterr().out.split("\t")[0]
    assert main(["party", "publish", session, "-o", str(tmp_path / "g"), "--config", str(config_path)]) == 2
    assert "has no painted step to publish yet" in capsys.readouterr().err
