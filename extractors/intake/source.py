"""Opening an untrusted export: an archive, an unpacked folder or one data file.

Archives are never unpacked wholesale. Only the data files a reader could need (JSON, JavaScript,
CSV, text, CAR) are copied, under caps, into a private temporary folder that is deleted when the
``ExportFiles`` context ends; media are skipped without being decompressed. Every rule that protects
the machine lives here, so a reader never sees an unsafe path.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from extractors.errors import ExportTooLargeError, ProfileParseError, UnsafeArchiveError
from extractors.settings import ReadLimits

DATA_SUFFIXES = (".js", ".json", ".jsonl", ".ndjson", ".csv", ".txt", ".car")
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ExportFiles:
    """The data files of one export, as POSIX paths relative to ``root``."""

    name: str  # the export's file or folder name, for messages
    root: Path
    files: tuple[str, ...]

    def path(self, rel: str) -> Path:
        return self.root / rel

    def find(self, *names: str) -> list[str]:
        """Files whose base name is one of ``names``, shallowest first."""
        wanted = set(names)
        hits = [f for f in self.files if PurePosixPath(f).name in wanted]
        return sorted(hits, key=lambda f: (f.count("/"), f))

    def glob(self, pattern: str) -> list[str]:
        """Files whose base name matches a glob ``pattern``, shallowest first, then in name order."""
        hits = [f for f in self.files if PurePosixPath(f).match(pattern)]
        return sorted(hits, key=lambda f: (f.count("/"), f))

    def label(self, rel: str) -> str:
        """How a file is named in an error: the export, then the file inside it."""
        return rel if rel == self.name else f"{self.name}: {rel}"


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def is_data_file(name: str) -> bool:
    return name.lower().endswith(DATA_SUFFIXES)


@contextmanager
def open_export(path: Path, limits: ReadLimits | None = None) -> Iterator[ExportFiles]:
    """Yield the data files of the export at ``path``; temporary copies vanish on exit."""
    limits = limits or ReadLimits()
    if not path.exists():
        raise ProfileParseError(f"{path}: no such file or folder")
    if path.is_dir():
        found, archives = _folder_files(path, limits)
        if not archives:
            yield found
            return
        with _folder_with_archives(path, found, archives, limits) as unpacked:
            yield unpacked
        return
    if not path.is_file():
        raise UnsafeArchiveError(f"{path.name}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise ProfileParseError(f"{path.name}: the file is empty (0 bytes)")
    if size > limits.max_input_bytes:
        raise ExportTooLargeError(
            f"{path.name}: {size} bytes is over the limit of {limits.max_input_bytes} bytes"
        )
    kind = _sniff_archive(path)
    if kind is None:
        if not is_data_file(path.name) and not _text_by_content(path):
            raise ProfileParseError(
                f"{path.name}: not an export this installation reads (expected a .zip or .tar.gz "
                f"archive, a folder, or a {', '.join(DATA_SUFFIXES)} file)"
            )
        if size > limits.max_file_bytes:
            raise ExportTooLargeError(
                f"{path.name}: {size} bytes is over the per-file limit of {limits.max_file_bytes} bytes"
            )
        yield ExportFiles(name=path.name, root=path.parent, files=(path.name,))
        return
    with tempfile.TemporaryDirectory(prefix="portrait-export-") as tmp:
        root = Path(tmp)
        os.chmod(root, 0o700)
        budget = _Budget(limits)
        _unpack(path, path.name, kind, root, limits, budget, depth=0)
        files = tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))
        yield ExportFiles(name=path.name, root=root, files=files)


class _Budget:
    """Bytes taken out of archives so far, across nesting levels."""

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.total = 0

    def spend(self, n: int, where: str) -> None:
        self.total += n
        if self.total > self.limits.max_total_bytes:
            raise ExportTooLargeError(
                f"{where}: the export's data files exceed {self.limits.max_total_bytes} bytes uncompressed"
            )


def _sniff_archive(path: Path) -> str | None:
    """Archive kind by content, not by name: a renamed zip is still a zip."""
    with path.open("rb") as f:
        head = f.read(262)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "tar.gz"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    if path.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise ProfileParseError(f"{path.name}: named like an archive but is not a zip or tar.gz archive")
    return None


def _text_by_content(path: Path) -> bool:
    """A data file under a name without a data suffix ("export", "posts.dat") is judged by its bytes."""
    from extractors.intake.sniff import SNIFF_BYTES, container_of

    with path.open("rb") as f:
        return container_of(f.read(SNIFF_BYTES)) in ("json", "jsonl", "js", "csv", "txt", "car")


@contextmanager
def _folder_with_archives(
    folder: Path, files: ExportFiles, archives: list[str], limits: ReadLimits
) -> Iterator[ExportFiles]:
    """A folder of separate downloads (facebook-x.zip beside instagram-x.zip): each archive unpacked
    under the same caps as one inside a zip, into ``<name>.d/`` where ``units`` finds it, and the
    folder's own data files copied beside them, all in one private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="portrait-export-") as tmp:
        root = Path(tmp)
        os.chmod(root, 0o700)
        budget = _Budget(limits)
        for rel in files.files:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / rel, target)
            budget.spend(target.stat().st_size, f"{folder.name}: {rel}")
        for rel in archives:
            where = f"{folder.name}: {rel}"
            kind = _sniff_archive(folder / rel)  # named like an archive and not one: refused by name
            if kind is None:
                continue
            sub = root / (rel + ".d")
            sub.mkdir(parents=True)
            _unpack(folder / rel, where, kind, sub, limits, budget, depth=1)
        unpacked = tuple(sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()))
        yield ExportFiles(name=folder.name, root=root, files=unpacked)


def _folder_files(root: Path, limits: ReadLimits) -> tuple[ExportFiles, list[str]]:
    """The folder's data files, and the archives in it (relative paths); links are never followed."""
    files: list[str] = []
    archives: list[str] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for fn in filenames:
            full = Path(dirpath) / fn
            st = full.lstat()
            if stat.S_ISREG(st.st_mode) and is_archive(fn):
                if st.st_size > limits.max_input_bytes:
                    raise ExportTooLargeError(f"{root.name}: {full.relative_to(root).as_posix()} is {st.st_size} "
                                              f"bytes, over the limit of {limits.max_input_bytes} bytes")
                archives.append(full.relative_to(root).as_posix())
                continue
            if not stat.S_ISREG(st.st_mode) or not (is_data_file(fn) or is_post_body(Path(dirpath).name, fn)):
                continue  # links, devices and media are never read from a folder
            if st.st_size > limits.max_file_bytes:
                raise ExportTooLargeError(
                    f"{root.name}: {full.relative_to(root).as_posix()} is {st.st_size} bytes, over the "
                    f"per-file limit of {limits.max_file_bytes} bytes"
                )
            total += st.st_size
            if total > limits.max_total_bytes:
                raise ExportTooLargeError(
                    f"{root.name}: the data files exceed {limits.max_total_bytes} bytes"
                )
            files.append(full.relative_to(root).as_posix())
            if len(files) + len(archives) > limits.max_files:
                raise ExportTooLargeError(f"{root.name}: more than {limits.max_files} files")
    return ExportFiles(name=root.name, root=root, files=tuple(sorted(files))), sorted(archives)


def safe_member_path(name: str, where: str) -> PurePosixPath:
    """The member's path if it stays inside the archive; otherwise refuse the archive."""
    cleaned = name.replace("\\", "/")
    p = PurePosixPath(cleaned)
    if cleaned.startswith("/") or (len(cleaned) > 1 and cleaned[1] == ":"):
        raise UnsafeArchiveError(f"{where}: member {name!r} has an absolute path")
    if any(part == ".." for part in p.parts):
        raise UnsafeArchiveError(f"{where}: member {name!r} points outside the archive")
    if any(ord(c) < 32 for c in cleaned):
        raise UnsafeArchiveError(f"{where}: member {name!r} has control characters in its name")
    return p


def _unpack(
    archive: Path, label: str, kind: str, dest: Path, limits: ReadLimits, budget: _Budget, depth: int
) -> None:
    if depth > limits.max_nesting:
        raise ExportTooLargeError(f"{label}: archives nested more than {limits.max_nesting} deep")
    try:
        if kind == "zip":
            _unpack_zip(archive, label, dest, limits, budget, depth)
        else:
            _unpack_tar(archive, label, dest, limits, budget, depth)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and not _is_corrupt_stream_error(exc):
            raise
        raise ProfileParseError(f"{label}: the archive is truncated or damaged ({exc})") from exc


def _is_corrupt_stream_error(exc: OSError) -> bool:
    import gzip
    import zlib

    return isinstance(exc, gzip.BadGzipFile | zlib.error) or "compressed" in str(exc).lower()


def _unpack_zip(
    archive: Path, label: str, dest: Path, limits: ReadLimits, budget: _Budget, depth: int
) -> None:
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_files:
            raise ExportTooLargeError(f"{label}: {len(infos)} entries, over the limit of {limits.max_files}")
        for info in infos:
            member = safe_member_path(info.filename, label)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UnsafeArchiveError(f"{label}: member {info.filename!r} is a symbolic link")
            kind = stat.S_IFMT(mode)  # 0 when the archiver recorded permissions only
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                raise UnsafeArchiveError(f"{label}: member {info.filename!r} is not a regular file")
            if info.is_dir() or not _wanted(member):
                continue
            if info.file_size > limits.max_file_bytes:
                raise ExportTooLargeError(
                    f"{label}: {info.filename} is {info.file_size} bytes, over the per-file limit of "
                    f"{limits.max_file_bytes} bytes"
                )
            if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise UnsafeArchiveError(
                    f"{label}: {info.filename} expands {info.file_size // max(info.compress_size, 1)}x, "
                    f"a likely zip bomb (limit {limits.max_ratio:g}x)"
                )
            with zf.open(info) as src:
                # The header's sizes can lie: the copy counts real bytes against the same caps.
                _copy_member(src, dest, member, f"{label}: {info.filename}", limits, budget,
                             declared=info.file_size)
            _maybe_recurse(dest, member, f"{label}: {info.filename}", limits, budget, depth)


def _unpack_tar(
    archive: Path, label: str, dest: Path, limits: ReadLimits, budget: _Budget, depth: int
) -> None:
    compressed = archive.stat().st_size
    seen = 0
    # Stream mode reads the tar once, front to back, and never seeks: a bomb cannot make it rewind.
    with tarfile.open(archive, mode="r|*") as tf:
        for ti in tf:
            seen += 1
            if seen > limits.max_files:
                raise ExportTooLargeError(f"{label}: more than {limits.max_files} entries")
            member = safe_member_path(ti.name, label)
            if ti.issym() or ti.islnk():
                raise UnsafeArchiveError(f"{label}: member {ti.name!r} is a link")
            if ti.isdev() or ti.isfifo():
                raise UnsafeArchiveError(f"{label}: member {ti.name!r} is a device or pipe")
            if not ti.isfile() or not _wanted(member):
                continue
            if ti.size > limits.max_file_bytes:
                raise ExportTooLargeError(
                    f"{label}: {ti.name} is {ti.size} bytes, over the per-file limit of "
                    f"{limits.max_file_bytes} bytes"
                )
            src = tf.extractfile(ti)
            if src is None:
                continue
            _copy_member(src, dest, member, f"{label}: {ti.name}", limits, budget, declared=ti.size)
            if budget.total > 1 << 20 and budget.total > limits.max_ratio * compressed:
                raise UnsafeArchiveError(
                    f"{label}: expands more than {limits.max_ratio:g}x its size, a likely archive bomb"
                )
            _maybe_recurse(dest, member, f"{label}: {ti.name}", limits, budget, depth)


def _wanted(member: PurePosixPath) -> bool:
    return is_data_file(member.name) or is_archive(member.name) or is_post_body(member.parent.name, member.name)


def is_post_body(folder: str, name: str) -> bool:
    """Substack keeps each post's body as ``posts/<post_id>.html``: the only HTML ever copied."""
    return folder == "posts" and name.lower().endswith(".html")


def _copy_member(
    src: IO[bytes], dest: Path, member: PurePosixPath, where: str, limits: ReadLimits, budget: _Budget,
    declared: int,
) -> None:
    target = dest.joinpath(*member.parts)
    # Belt and braces: the resolved target must stay under dest even if a check above is ever loosened.
    if not target.resolve().is_relative_to(dest.resolve()):
        raise UnsafeArchiveError(f"{where}: path leaves the export folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "wb") as out:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > declared or written > limits.max_file_bytes:
                raise UnsafeArchiveError(f"{where}: holds more data than its header declares")
            budget.spend(len(chunk), where)
            out.write(chunk)


def _maybe_recurse(
    dest: Path, member: PurePosixPath, where: str, limits: ReadLimits, budget: _Budget, depth: int
) -> None:
    if not is_archive(member.name):
        return
    inner = dest.joinpath(*member.parts)
    kind = _sniff_archive(inner)
    if kind is None:
        inner.unlink()
        return
    sub = inner.parent / (inner.name + ".d")
    sub.mkdir()
    _unpack(inner, where, kind, sub, limits, budget, depth + 1)
    inner.unlink()


def remove_export(path: Path) -> None:
    """Delete a raw export (file or folder) once it has been read."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
