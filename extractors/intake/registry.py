"""Which reader understands an export, and the one path from export to Profile.

An export is read as one or more units: the export itself, or, when it holds archives (several
downloads zipped together, Facebook's and Instagram's separate zips), each inner archive on its own.
Every unit must be an export some reader understands; a unit none does refuses the whole upload with
its name, so an archive of fifty archives is never read as one of them. A lone data file is matched
by its content (``sniff``) and read under the name its platform gives it, whatever it was called.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath

from extractors.errors import EmptyProfileError, ProfileParseError, UnknownFormatError
from extractors.intake.clean import clean_text, hashtags_of
from extractors.intake.lang import language_of
from extractors.intake.profile import Post, Profile
from extractors.intake.reader import RawPost, Reader
from extractors.intake.readers import ALL_READERS
from extractors.intake.sniff import SNIFF_BYTES, Signature, sniff_head, suffix_of
from extractors.intake.source import ExportFiles, is_data_file, open_export
from extractors.settings import ReadLimits

INNER_ARCHIVE = ".d"  # source unpacks an archive found inside an archive into "<its name>.d/"
_WRAPPERS = 3  # single folders around the exports that ``by_folder`` looks into
_MAC_JUNK = "__MACOSX"  # what macOS's "Compress" adds beside the folder: resource forks, never an export
_SURE = 50  # a detection score that names a platform's data file, not a guess from a suffix
EMPTY_AFTER_CLEANING = "nothing left after links, e-mail addresses, phone numbers and @handles were removed"


def readers() -> Sequence[Reader]:
    return ALL_READERS


def all_signatures() -> tuple[tuple[str, Signature], ...]:
    """Every reader's signatures as (reader name, signature), in tie-breaking order."""
    return tuple((r.name, sig) for r in readers() for sig in r.signatures)


def detect_reader(files: ExportFiles) -> Reader:
    scored = [(r.detect(files), i, r) for i, r in enumerate(readers())]
    best = max(scored, key=lambda t: (t[0], -t[1]))
    if best[0] <= 0:
        understood = "; ".join(r.description for r in readers())
        raise UnknownFormatError(f"{files.name}: not an export this installation understands. Understood: {understood}")
    return best[2]


def build_profile(platform: str, raw_posts: Iterable[RawPost], display_name: str | None = None) -> Profile:
    """Count, clean and tag: the shared end of every reader."""
    posts: list[Post] = []
    counted = 0
    for raw in raw_posts:
        if not raw.stored.strip():
            continue
        counted += 1
        if raw.created_at.tzinfo is None:
            raise ProfileParseError(f"{platform}: a post time without a time zone reached the profile")
        text = clean_text(raw.text)
        if not text:
            continue
        posts.append(
            Post(
                text=text,
                created_at=raw.created_at,
                lang=language_of(raw.lang, text),
                kind=raw.kind,
                platform=raw.platform or platform,
                hashtags=hashtags_of(raw.text),
            )
        )
    posts.sort(key=lambda p: p.created_at)
    left = counted - len(posts)
    return Profile(platform=platform, posts=tuple(posts), post_count=counted, display_name=display_name,
                   left_out=((EMPTY_AFTER_CLEANING, left),) if left else ())


def merge_profiles(profiles: Sequence[Profile], display_name: str | None = None) -> Profile:
    """One person's profiles from several exports as one: each post keeps its platform."""
    if len(profiles) == 1:
        return replace(profiles[0], display_name=display_name)
    platforms = sorted({p.platform for p in profiles})
    left: dict[str, int] = {}
    for profile in profiles:
        for why, n in profile.left_out:
            left[why] = left.get(why, 0) + n
    return Profile(
        platform="+".join(platforms),
        posts=tuple(sorted((post for p in profiles for post in p.posts), key=lambda p: p.created_at)),
        post_count=sum(p.post_count for p in profiles),
        display_name=display_name,
        left_out=tuple(left.items()),
    )


def units(files: ExportFiles) -> list[ExportFiles]:
    """The exports inside ``files``: each inner archive on its own, and the files around them; an
    archive or folder holding several platforms' exports in its top-level folders, one per folder."""
    return [part for unit in _archive_units(files) for part in by_folder(unit)]


def by_folder(unit: ExportFiles) -> list[ExportFiles]:
    """``unit`` split into its top-level folders where they hold different platforms' exports
    (``facebook/`` and ``instagram/`` in one zip); otherwise ``unit`` itself.

    A folder counts when a reader is sure of it (score ``_SURE`` or more: a guess such as plain text
    never splits an export). What no such folder holds stays together as the rest, read when a reader
    knows it (Substack's ``posts.csv`` with its ``posts/`` bodies stays whole). Only when these parts
    need two different readers is the export split: one platform's folders (Instagram's ``content/``
    and ``comments/``) are read together as before. A single folder wrapping everything (a zipped
    "my exports" folder, macOS's ``__MACOSX`` beside it) is looked into, a few levels deep at most;
    only one level of folders is ever tried with the readers, so a big export costs one extra look.
    """
    inner, prefix = unit, ""
    for _ in range(_WRAPPERS):
        tops = {rel.split("/", 1)[0] for rel in inner.files if "/" in rel} - {_MAC_JUNK}
        if len(tops) != 1 or any("/" not in rel for rel in inner.files):
            break
        [top] = tops
        prefix += top + "/"
        inner = ExportFiles(name=inner.name, root=inner.root / top,
                            files=tuple(rel[len(top) + 1:] for rel in inner.files if rel.startswith(top + "/")))
    tops = {rel.split("/", 1)[0] for rel in inner.files if "/" in rel} - {_MAC_JUNK}
    if len(tops) < 2:
        return [unit]
    parts: list[tuple[ExportFiles, str]] = []
    taken: set[str] = set()
    for top in sorted(tops):
        inside = tuple(rel[len(top) + 1:] for rel in inner.files if rel.startswith(top + "/"))
        part = ExportFiles(name=f"{unit.name}: {prefix}{top}", root=inner.root / top, files=inside)
        if (reader := _sure_reader(part)) is not None:
            parts.append((part, reader))
            taken.add(top)
    rest = ExportFiles(name=unit.name, root=inner.root,
                       files=tuple(rel for rel in inner.files if rel.split("/", 1)[0] not in taken))
    if rest.files and (reader := _sure_reader(rest)) is not None:
        parts.append((rest, reader))
    if len({reader for _, reader in parts}) < 2:
        return [unit]
    return [part for part, _ in parts]


def _sure_reader(files: ExportFiles) -> str | None:
    scored = [(r.detect(files), -i, r.name) for i, r in enumerate(readers())]
    best = max(scored)
    return best[2] if best[0] >= _SURE else None


def _archive_units(files: ExportFiles) -> list[ExportFiles]:
    inner = sorted({_inner_root(rel) for rel in files.files} - {""})
    if not inner:
        return [files]
    groups: dict[str, list[str]] = {root: [] for root in ["", *inner]}
    for rel in files.files:
        root = _inner_root(rel)
        groups[root].append(rel[len(root) + 1:] if root else rel)
    out: list[ExportFiles] = []
    for root, rels in groups.items():
        if not rels:
            continue
        name = files.name if not root else f"{files.name}: {root.removesuffix(INNER_ARCHIVE)}"
        out.append(ExportFiles(name=name, root=files.root / root if root else files.root, files=tuple(rels)))
    return out


def _inner_root(rel: str) -> str:
    """The folder of the innermost archive ``rel`` came from ("" for the export's own files)."""
    parts = PurePosixPath(rel).parts[:-1]
    for i in range(len(parts), 0, -1):
        if parts[i - 1].endswith(INNER_ARCHIVE):
            return "/".join(parts[:i])
    return ""


@contextmanager
def by_content(files: ExportFiles) -> Iterator[ExportFiles]:
    """A lone data file under the name its content shows ("export.json" holding Instagram posts is
    read as posts_1.json); an export of several files, or one that matches nothing, is left as it is."""
    if len(files.files) != 1:
        yield files
        return
    rel = files.files[0]
    with files.path(rel).open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    name = PurePosixPath(rel).name
    sniffed = sniff_head(head, all_signatures(), name)
    target = sniffed.matches[0][1].canonical if sniffed.matches else None
    if target is None and not is_data_file(name):
        target = PurePosixPath(name).stem + suffix_of(sniffed.container)  # "export" holding CSV: export.csv
    if target is None or target == name:
        yield files
        return
    with tempfile.TemporaryDirectory(prefix="portrait-file-") as tmp:
        os.chmod(tmp, 0o700)
        # A link we made, in a folder only we can write, to the one file we were given.
        (Path(tmp) / target).symlink_to(files.path(rel).resolve())
        yield ExportFiles(name=files.name, root=Path(tmp), files=(target,))


def read_export(path: Path, limits: ReadLimits | None = None, display_name: str | None = None) -> Profile:
    """Read an export (archive, folder or data file) into a Profile."""
    with open_export(path, limits) as files:
        if not files.files:
            raise UnknownFormatError(
                f"{files.name}: holds no data files. Understood: "
                + "; ".join(r.description for r in readers())
            )
        parts = units(files)
        # 1. Every unit must be something we read: refuse with the names of those that are not.
        chosen: list[tuple[ExportFiles, Reader | None]] = []
        for unit in parts:
            try:
                with by_content(unit) as seen:
                    chosen.append((unit, detect_reader(seen)))
            except UnknownFormatError:
                chosen.append((unit, None))
        unknown = [u.name for u, r in chosen if r is None]
        if unknown and (len(parts) == 1 or len(unknown) == len(parts) or _has_inner(unknown, files)):
            if len(parts) == 1:
                with by_content(parts[0]) as seen:
                    detect_reader(seen)  # raises with the list of understood formats
            raise UnknownFormatError(
                f"{files.name}: holds {len(parts)} exports, of which {len(unknown)} no reader understands: "
                + ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
                + ". Upload the platforms' archives as they came."
            )
        # 2. Read each unit with its reader.
        profiles: list[Profile] = []
        for unit, reader in chosen:
            if reader is None:
                continue  # loose files beside the inner archives (a README, a checksum list)
            with by_content(unit) as seen:
                profile = build_profile(reader.name, reader.read(seen))
            if profile.post_count == 0 and len(chosen) == 1:
                raise EmptyProfileError(f"{path.name}: a {reader.description} with no posts of the person's own")
            profiles.append(profile)
    merged = merge_profiles(profiles, display_name)
    if merged.post_count == 0:
        raise EmptyProfileError(f"{path.name}: {len(profiles)} exports with no posts of the person's own")
    return merged


def _has_inner(unknown: list[str], files: ExportFiles) -> bool:
    """Whether an unread unit is an inner archive (the files around them may be a readme)."""
    return any(name != files.name for name in unknown)
