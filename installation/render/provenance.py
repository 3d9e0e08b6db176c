"""Provenance on every image: a signed C2PA manifest embedded in the PNG, and the IPTC source type in XMP.

The EU AI Act (Article 50) asks that AI-generated images be marked as such in a machine-readable way.
Every PNG the renderer writes carries:

- a C2PA manifest (``c2pa-python``): one ``c2pa.created`` action with digital source type
  ``trainedAlgorithmicMedia``, the model and backend that painted it and the installation's name;
- an XMP packet with ``Iptc4xmpExt:DigitalSourceType`` (for viewers that read XMP, not C2PA);
- the A1111 ``parameters`` text, as before (``installation.render.pngmeta``).

The manifest holds nothing about the visitor: no prompt, keywords or mood (they come from the
visitor's posts), no nickname, no job id. It is signed with the technician's certificate
(``[render.provenance] certificate`` and ``private_key``); without one, a local CA and a signing
certificate under it are generated once (``key_dir``), and every start warns that viewers will find
the manifest intact but its signer unknown. c2pa refuses a self-signed end-entity certificate, hence
the CA and a leaf rather than one self-signed certificate.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from installation.config import ProvenanceConfig
from installation.errors import RenderError
from installation.render.pngmeta import encode_png

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
LOCAL_CA_NAME = "social-portrait local CA (not publicly trusted)"
_LIFETIME_DAYS = 3650


def xmp_packet() -> str:
    """An XMP packet saying the image is trained algorithmic media (IPTC Digital Source Type)."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
        f'Iptc4xmpExt:DigitalSourceType="{TRAINED_ALGORITHMIC_MEDIA}"/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="r"?>'
    )


def manifest_for(installation: str, model: str, backend: str, title: str) -> dict[str, Any]:
    """The C2PA manifest definition: who made the image and with what, nothing about whom it portrays."""
    return {
        "claim_generator_info": [{"name": "social-portrait", "version": _version()}],
        "title": title,
        "format": "image/png",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": {"name": model},
                            "description": f"painted by the installation {installation}",
                            "parameters": {"model": model, "backend": backend, "installation": installation},
                        }
                    ]
                },
            }
        ],
    }


@dataclass(frozen=True)
class Credentials:
    """A signing certificate chain and its key, as PEM, and where they came from."""

    chain: bytes  # the signing certificate first, then the CAs above it
    key: bytes
    algorithm: str  # c2pa's name: es256, es384, es512, ps256, ed25519
    local_ca: bytes | None  # the generated CA, when the chain is our own (a trust anchor for checks)
    source: str  # for messages: a path, never the key


class ProvenanceSigner:
    """Signs PNG bytes with one certificate; safe to share between threads."""

    def __init__(self, settings: ProvenanceConfig, credentials: Credentials) -> None:
        import c2pa

        self.settings = settings
        self.credentials = credentials
        info = c2pa.C2paSignerInfo(credentials.algorithm, credentials.chain, credentials.key, settings.timestamp_url)
        try:
            self._signer = c2pa.Signer.from_info(info)
            no_thumbnail = c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}})
            self._context = c2pa.Context(settings=no_thumbnail)
        except c2pa.C2paError as exc:
            raise RenderError(f"C2PA: the certificate {credentials.source} cannot sign: {_one_line(exc)}") from exc
        self._lock = threading.Lock()

    def sign_png(self, png: bytes, *, model: str, backend: str, title: str | None = None) -> bytes:
        """``png`` with the manifest embedded (its other chunks, A1111 text and XMP included, kept).

        The title defaults to "<installation> portrait": a file name carries the style and seed, and a
        style chosen by mood would tell the visitor's mood.
        """
        import c2pa

        name = self.settings.installation
        manifest = manifest_for(name, model, backend, title or f"{name} portrait")
        out = io.BytesIO()
        try:
            with self._lock, c2pa.Builder(manifest, context=self._context) as builder:
                builder.sign(self._signer, "image/png", io.BytesIO(png), out)
        except c2pa.C2paError as exc:
            raise RenderError(f"C2PA: signing the artwork failed: {_one_line(exc)}") from exc
        return out.getvalue()


@dataclass(frozen=True)
class Provenance:
    """What a reader finds in a PNG's C2PA manifest."""

    state: str  # c2pa's validation_state: "Invalid", "Valid" (intact, signer not trusted) or "Trusted"
    manifest: dict[str, Any]  # the active manifest
    # Codes of failed checks. A manifest signed under a CA the reader does not trust is "Valid" with
    # the one failure "signingCredential.untrusted"; a changed pixel adds "assertion.dataHash.mismatch".
    failures: tuple[str, ...]

    @property
    def digital_source_type(self) -> str | None:
        for assertion in self.manifest.get("assertions", []):
            if str(assertion.get("label", "")).startswith("c2pa.actions"):
                for action in assertion.get("data", {}).get("actions", []):
                    if action.get("action") == "c2pa.created":
                        return str(action.get("digitalSourceType"))
        return None


def read_provenance(png: bytes | Path, *, trust_anchors: bytes | None = None) -> Provenance | None:
    """The manifest of a PNG and whether it validates (``Trusted`` when signed under ``trust_anchors``)."""
    import c2pa

    data = png.read_bytes() if isinstance(png, Path) else png
    try:
        if trust_anchors:
            settings = c2pa.Settings.from_dict({"trust": {"trust_anchors": trust_anchors.decode()},
                                                "verify": {"verify_trust": True}})  # fmt: skip
            reader = c2pa.Reader("image/png", io.BytesIO(data), context=c2pa.Context(settings=settings))
        else:
            reader = c2pa.Reader("image/png", io.BytesIO(data))
    except c2pa.C2paError.ManifestNotFound:
        return None
    except c2pa.C2paError as exc:
        raise RenderError(f"C2PA: the manifest cannot be read: {_one_line(exc)}") from exc
    with reader:
        store = json.loads(reader.json())
        results = store.get("validation_results", {}).get("activeManifest", {})
        failures = tuple(str(item.get("code")) for item in results.get("failure", []))
        return Provenance(str(store.get("validation_state")), reader.get_active_manifest() or {}, failures)


# --- the certificate -----------------------------------------------------------------------------------


def default_key_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "social-portrait" / "c2pa"


def load_credentials(settings: ProvenanceConfig) -> Credentials:
    """The configured certificate and key, or the local CA's (generated on first use, with a warning)."""
    if settings.certificate is not None and settings.private_key is not None:
        try:
            chain, key = settings.certificate.read_bytes(), settings.private_key.read_bytes()
        except OSError as exc:
            raise RenderError(f"C2PA: cannot read the certificate or key ({exc})") from exc
        return Credentials(chain, key, key_algorithm(key, settings.private_key), None, str(settings.certificate))
    folder = settings.key_dir or default_key_dir()
    if not (folder / "chain.pem").is_file():
        _generate_local_ca(folder, settings.installation)
        logger.warning("C2PA: generated a local CA and signing certificate in %s", folder)
    logger.warning(
        "C2PA: signing with the locally generated certificate in %s ([render.provenance] names no certificate): "
        "viewers will find the manifest intact but its signer unknown; for a public show configure a certificate "
        "from a CA on the C2PA trust list", folder,
    )  # fmt: skip
    key = (folder / "key.pem").read_bytes()
    return Credentials((folder / "chain.pem").read_bytes(), key, key_algorithm(key, folder / "key.pem"),
                       (folder / "ca.pem").read_bytes(), str(folder / "chain.pem"))  # fmt: skip


def key_algorithm(key_pem: bytes, where: Path) -> str:
    """c2pa's algorithm name for a PEM private key (EC P-256/384/521, RSA-PSS, Ed25519)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise RenderError(f"C2PA: {where} is not an unencrypted PEM private key") from exc
    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise RenderError(f"C2PA: {where}: the key type is not one C2PA signs with (EC P-256/384/521, RSA, Ed25519)")


def _generate_local_ca(folder: Path, installation: str) -> None:
    """A CA and a signing certificate under it (C2PA's profile: digitalSignature, emailProtection EKU)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, installation)])  # fmt: skip

    def usage(sign: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=sign, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=not sign,
                             crl_sign=not sign, encipher_only=False, decipher_only=False)  # fmt: skip

    now = datetime.datetime.now(datetime.UTC)
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder().subject_name(name(LOCAL_CA_NAME)).issuer_name(name(LOCAL_CA_NAME))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(_LIFETIME_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        x509.CertificateBuilder().subject_name(name(f"{installation} artwork signing")).issuer_name(ca.subject)
        .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(_LIFETIME_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # Into a private staging folder, then renamed into place: a second process never sees half a CA.
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".c2pa-", dir=folder.parent))
    try:
        (staging / "ca.pem").write_bytes(ca.public_bytes(pem))
        (staging / "chain.pem").write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
        key_path = staging / "key.pem"
        key_path.write_bytes(key)
        key_path.chmod(0o600)
        try:
            os.replace(staging, folder)
        except OSError:
            if not (folder / "chain.pem").is_file():  # another process finished first: keep its CA
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    # The CA's key signed the leaf and is needed no more: it is never written, so nothing else is signed under it.


_SIGNERS: dict[ProvenanceConfig, ProvenanceSigner] = {}
_LOCK = threading.Lock()


def open_signer(settings: ProvenanceConfig) -> ProvenanceSigner:
    """This process's signer for ``settings``, made once (the local CA warning is logged then)."""
    with _LOCK:
        signer = _SIGNERS.get(settings)
        if signer is None:
            signer = _SIGNERS[settings] = ProvenanceSigner(settings, load_credentials(settings))
    return signer


def marked_png(
    image: Image.Image, parameters: str, provenance: ProvenanceConfig, *, model: str, backend: str, title: str,
    compress_level: int = 6,
) -> bytes:
    """``image`` as PNG bytes marked like every artwork: ``parameters`` as the A1111 text, the IPTC source type
    in XMP, and the signed C2PA manifest unless ``[render.provenance] enabled`` is off.

    For pictures made of generated pictures (the contact sheets) and the live painting's steps: ``title``
    names what it is, never whom it shows, because the manifest travels with the file.
    """
    # Level 6 by default: a sheet is written once and kept, so a smaller file is worth the longer encode
    # (a live step, gone within seconds, takes level 1).
    png = encode_png(image, parameters, compress_level=compress_level, xmp=xmp_packet())
    if provenance.enabled:
        png = open_signer(provenance).sign_png(png, model=model, backend=backend, title=title)
    return png


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("social-portrait")
    except PackageNotFoundError:
        return "unknown"


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
