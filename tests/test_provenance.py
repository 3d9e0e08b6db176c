"""C2PA provenance on every PNG: the manifest reads back with c2pa and validates; XMP and A1111 text stay."""

from __future__ import annotations

import datetime
import io
import json
import logging
from pathlib import Path

import c2pa
import pytest
from PIL import Image

from installation.compose.prompt import Prompt
from installation.config import ProvenanceConfig, RenderConfig, parse_config
from installation.errors import ConfigError, RenderError
from installation.render.pngmeta import parse_parameters, read_parameters, read_xmp
from installation.render.provenance import (
    TRAINED_ALGORITHMIC_MEDIA,
    ProvenanceSigner,
    load_credentials,
    open_signer,
    read_provenance,
)
from installation.render.run import render, vary

PROMPT = Prompt(
    positive="an oil portrait of a beekeeper, lavender, thunderstorms",
    negative="blurry",
    style="oil-portrait",
    seed=77,
    width=64,
    height=64,
    steps=1,
    guidance=0.0,
    keywords_used=("lavender", "thunderstorms"),
    mood="wistful",
)


class Painter:
    """A renderer that paints a flat colour: fast, and enough for what the files carry."""

    name = "local"
    model = "stabilityai/sd-turbo"
    is_test_noise = False

    def warm_up(self) -> None:
        pass

    def sampler(self, prompt: Prompt) -> str:
        return "Euler"

    def generate(self, prompt: Prompt) -> Image.Image:
        return Image.new("RGB", (prompt.width, prompt.height), (200, 120, 40))

    def vary(self, image: Image.Image, prompt: Prompt, strength: float) -> Image.Image:
        return image.rotate(90)


@pytest.fixture
def config(tmp_path: Path) -> RenderConfig:
    provenance = ProvenanceConfig(installation="Museum of Feeds", key_dir=tmp_path / "c2pa")
    return RenderConfig(output_dir=tmp_path / "art", provenance=provenance, warm_up=False)


def test_every_render_carries_a_manifest_that_validates(config: RenderConfig) -> None:
    artwork = render(PROMPT, config, renderer=Painter())
    data = artwork.image_path.read_bytes()
    # Read back with the library itself: intact (the signer is our own CA, so "Valid", not "Trusted").
    with c2pa.Reader("image/png", io.BytesIO(data)) as reader:
        assert reader.get_validation_state() == "Valid"
        failures = (reader.get_validation_results() or {}).get("activeManifest", {}).get("failure", [])
        # The signature and every hash check out; only the signer is unknown to this reader.
        assert [f["code"] for f in failures] == ["signingCredential.untrusted"]
        manifest = reader.get_active_manifest()
    assert manifest is not None
    (actions,) = [a for a in manifest["assertions"] if a["label"].startswith("c2pa.actions")]
    (created,) = actions["data"]["actions"]
    assert created["action"] == "c2pa.created" and created["digitalSourceType"] == TRAINED_ALGORITHMIC_MEDIA
    assert created["parameters"] == {"model": "stabilityai/sd-turbo", "backend": "local",
                                     "installation": "Museum of Feeds"}  # fmt: skip
    assert manifest["signature_info"]["issuer"] == "Museum of Feeds"
    # Under our local CA as trust anchor the same manifest is trusted.
    ca = (config.provenance.key_dir or Path()) / "ca.pem"
    trusted = read_provenance(artwork.image_path, trust_anchors=ca.read_bytes())
    assert trusted is not None and trusted.state == "Trusted" and trusted.failures == ()
    assert trusted.digital_source_type == TRAINED_ALGORITHMIC_MEDIA


def test_a1111_text_and_xmp_stay(config: RenderConfig) -> None:
    artwork = render(PROMPT, config, renderer=Painter())
    positive, negative, settings = parse_parameters(read_parameters(artwork.image_path) or "")
    assert (positive, negative, settings["Seed"], settings["Model"]) == (PROMPT.positive, "blurry", "77",
                                                                         "stabilityai/sd-turbo")  # fmt: skip
    xmp = read_xmp(artwork.image_path) or ""
    assert f'Iptc4xmpExt:DigitalSourceType="{TRAINED_ALGORITHMIC_MEDIA}"' in xmp
    with Image.open(artwork.image_path) as image:
        assert image.getpixel((3, 3)) == (200, 120, 40)


def test_no_personal_data_in_the_manifest(config: RenderConfig) -> None:
    artwork = render(PROMPT, config, renderer=Painter())
    with c2pa.Reader("image/png", io.BytesIO(artwork.image_path.read_bytes())) as reader:
        store = reader.json().lower()
    for word in ("beekeeper", "lavender", "thunderstorms", "wistful", "blurry", "oil-portrait"):
        assert word not in store, f"{word!r} from the prompt is in the manifest"


def test_a_changed_pixel_fails_validation(config: RenderConfig) -> None:
    artwork = render(PROMPT, config, renderer=Painter())
    signed = artwork.image_path.read_bytes()
    # Re-encode the same chunks with one pixel changed: the manifest's data hash no longer matches.
    with Image.open(io.BytesIO(signed)) as image:
        image.load()
        tampered = image.copy()
    tampered.putpixel((0, 0), (0, 0, 0))
    start = signed.index(b"IDAT") - 4
    buffer = io.BytesIO()
    tampered.save(buffer, format="PNG")
    fresh = buffer.getvalue()
    fresh_idat = fresh[fresh.index(b"IDAT") - 4 : fresh.index(b"IEND") - 4]
    end = signed.index(b"IEND") - 4
    found = read_provenance(signed[:start] + fresh_idat + signed[end:])
    assert found is not None and found.state == "Invalid"
    assert any("dataHash" in code for code in found.failures)


def test_variations_are_signed_too(config: RenderConfig) -> None:
    artwork = render(PROMPT, config, renderer=Painter())
    (varied,) = vary(artwork.image_path, config, count=1, renderer=Painter())
    found = read_provenance(varied.image_path)
    assert found is not None and found.state == "Valid"


def test_local_ca_made_once_with_a_warning(config: RenderConfig, caplog: pytest.LogCaptureFixture) -> None:
    folder = config.provenance.key_dir or Path()
    with caplog.at_level(logging.WARNING, "installation.render.provenance"):
        first = load_credentials(config.provenance)
    assert "generated a local CA" in caplog.text and "signer unknown" in caplog.text
    assert (folder / "key.pem").stat().st_mode & 0o777 == 0o600
    caplog.clear()
    with caplog.at_level(logging.WARNING, "installation.render.provenance"):
        again = load_credentials(config.provenance)
    assert again.chain == first.chain and "generated a local CA" not in caplog.text and "signer unknown" in caplog.text
    assert first.algorithm == "es256" and b"PRIVATE KEY" not in first.chain
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".c2pa-")], "staging folder left behind"


def test_a_configured_certificate_signs(tmp_path: Path) -> None:
    made = load_credentials(ProvenanceConfig(installation="Elsewhere CA", key_dir=tmp_path / "theirs"))
    (tmp_path / "chain.pem").write_bytes(made.chain)
    (tmp_path / "key.pem").write_bytes(made.key)
    settings = ProvenanceConfig(certificate=tmp_path / "chain.pem", private_key=tmp_path / "key.pem")
    png = _png()
    signed = ProvenanceSigner(settings, load_credentials(settings)).sign_png(png, model="m", backend="b", title="t.png")
    found = read_provenance(signed)
    assert found is not None and found.state == "Valid"
    assert found.manifest["signature_info"]["issuer"] == "Elsewhere CA"
    assert read_provenance(png) is None  # an unsigned PNG has no manifest


def test_a_self_signed_leaf_is_refused_in_one_line(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=9))
            .sign(key, hashes.SHA256()))  # fmt: skip
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())  # fmt: skip
    (tmp_path / "k.pem").write_bytes(pem)
    settings = ProvenanceConfig(certificate=tmp_path / "c.pem", private_key=tmp_path / "k.pem")
    with pytest.raises(RenderError, match=r"^C2PA: .*certificate") as caught:
        open_signer(settings).sign_png(_png(), model="m", backend="b", title="t.png")
    assert "\n" not in str(caught.value) and "PRIVATE" not in str(caught.value)


def test_config_wants_certificate_and_key_together(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="certificate and private_key are set together"):
        parse_config({"render": {"provenance": {"certificate": "c.pem"}}}, tmp_path / "c.toml")


def test_disabled_provenance_writes_no_manifest(config: RenderConfig) -> None:
    off = config.model_copy(update={"provenance": ProvenanceConfig(enabled=False)})
    artwork = render(PROMPT, off, renderer=Painter())
    assert read_provenance(artwork.image_path) is None
    assert json.loads(artwork.metadata_path.read_text())["model"] == "stabilityai/sd-turbo"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buffer, format="PNG")
    return buffer.getvalue()
