"""The ``portrait`` command.

Every subcommand takes ``--config PATH``; a ``PortraitError`` becomes one line on stderr and exit
code 2. Each subcommand is a pair: ``_add_NAME(sub, common)`` declares it, ``_cmd_NAME(args)`` runs it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from installation.config import Config, load_config
from installation.errors import PortraitError

Handler = Callable[[argparse.Namespace], int]


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _config(args: argparse.Namespace) -> Config:
    path: Path | None = args.config
    return load_config(path)


# --- extract -----------------------------------------------------------------------------------------


def _add_extract(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "extract", parents=[common], help="read an export and list the person's posts",
        description="Read an export (zip, tar.gz, folder or data file) and print its posts.",
    )
    p.add_argument("export", type=Path, help="the export: archive, unpacked folder or one data file")
    p.add_argument("--json", action="store_true", help="print JSON: platform, post_count, posts")
    p.set_defaults(handler=_cmd_extract)


def _cmd_extract(args: argparse.Namespace) -> int:
    from extractors import read_export

    config = _config(args)
    profile = read_export(args.export, config.extract.limits())
    if args.json:
        _print_json(profile.to_json())
        return 0
    langs = Counter(p.lang or "unknown" for p in profile.posts)
    print(f"platform:  {profile.platform}")
    print(f"counted:   {profile.post_count} posts and replies with text")
    print(f"readable:  {len(profile.posts)} after cleaning ({profile.replies} replies)")
    if profile.posts:
        first, last = profile.posts[0].created_at, profile.posts[-1].created_at
        print(f"dates:     {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    print("languages: " + ", ".join(f"{code} {n}" for code, n in langs.most_common(5)))
    return 0


# --- the command table -----------------------------------------------------------------------------

_COMMANDS: list[Callable[[Any, argparse.ArgumentParser], None]] = [
    _add_extract,
]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=None, metavar="PATH", help="config file (default: ./config.toml)"
    )
    parser = argparse.ArgumentParser(
        prog="portrait",
        description="social-portrait: read a social-media export and paint the person.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _COMMANDS:
        add(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except PortraitError as exc:
        print(f"portrait: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("portrait: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
