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


# --- wall --------------------------------------------------------------------------------------------


def _add_wall(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "wall", parents=[common], help="show the finished portraits full-screen",
        description="The gallery wall: finished, approved portraits from the job store, a new one at once. "
        "Keys: Esc/q quit, space pause, left/right previous/next, f full screen.",
    )
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--store", type=Path, default=None, metavar="PATH",
                   help="the job store (default: [store] path in the config)")
    p.add_argument("--seconds", type=float, default=None, metavar="N", help="stop after N seconds")
    p.set_defaults(handler=_cmd_wall)


def _cmd_wall(args: argparse.Namespace) -> int:
    from installation.store import open_store
    from installation.wall import run_wall

    config = _config(args)
    wall = config.wall
    if wall.kiosk_url is None and config.kiosk.public_url:
        wall = wall.model_copy(update={"kiosk_url": config.kiosk.public_url})
    store = open_store(args.store or config.store.path, lease_seconds=config.store.lease_seconds,
                       max_attempts=config.store.max_attempts)
    run_wall(store, wall, windowed=args.windowed, max_seconds=args.seconds)
    return 0


# --- queue: worker, kiosk, serve, forget -----------------------------------------------------------


def _log_to_stderr() -> None:
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")


def _add_worker(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "worker", parents=[common], help="advance queued jobs: read, describe, compose, render",
        description="Claim jobs from the job store and run each from export to artwork, until stopped.",
    )
    p.add_argument("--once", action="store_true", help="stop when the queue is empty")
    p.add_argument("--model", default=None, metavar="ID|PATH|tiny", help="render with this model instead")
    p.set_defaults(handler=_cmd_worker)


def _cmd_worker(args: argparse.Namespace) -> int:
    from installation.worker import real_pipeline, run_worker

    _log_to_stderr()
    config = _config(args)
    run_worker(config, real_pipeline(config, model=args.model), once=args.once)
    return 0


def _add_kiosk(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "kiosk", parents=[common], help="serve the visitors' web intake",
        description="Serve the kiosk (welcome, upload, progress, result, forget, curator pages) on the "
                    "address in config.toml [kiosk].",
    )
    p.set_defaults(handler=_cmd_kiosk)


def _cmd_kiosk(args: argparse.Namespace) -> int:
    from installation.kiosk import run_kiosk

    _log_to_stderr()
    run_kiosk(_config(args))
    return 0


def _add_serve(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "serve", parents=[common], help="run kiosk, worker and wall together, restarting any that dies",
        description="Start kiosk, worker and wall as supervised processes; Ctrl-C stops them all.",
    )
    wall = p.add_mutually_exclusive_group()
    wall.add_argument("--no-wall", dest="wall", action="store_false", default=None, help="do not start the wall")
    wall.add_argument("--wall", dest="wall", action="store_true", help="start the wall even without a display")
    p.set_defaults(handler=_cmd_serve)


def _cmd_serve(args: argparse.Namespace) -> int:
    from installation.serve import run_serve

    _log_to_stderr()
    _config(args)  # a broken config stops here, once, not in three restarting children
    return run_serve(args.config, wall=args.wall)


def _add_forget(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "forget", parents=[common], help="delete a visitor's job, portrait and files by forget-me code",
        description="Remove the job with this forget-me code: its record, verbal portrait, artwork and files.",
    )
    p.add_argument("code", help="the forget-me code shown to the visitor, e.g. ABCD-EFGH")
    p.set_defaults(handler=_cmd_forget)


def _cmd_forget(args: argparse.Namespace) -> int:
    from installation.store import forget
    from installation.worker import open_configured_store

    removed = forget(open_configured_store(_config(args)), args.code)
    print(f"forgotten: job {removed.id} and its files")
    return 0


# --- compose: prompt, styles ------------------------------------------------------------------------


def _add_prompt(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "prompt", parents=[common], help="compose the prompt for an export",
        description="Read an export, draw its verbal portrait and compose the prompt: positive and negative "
        "text, style, seed, render parameters, and which keywords made it in or were dropped and why. "
        "config.toml is read afresh each time, so an edited style shows at once.",
    )
    p.add_argument("export", type=Path, help="the export: archive, unpacked folder or one data file")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--style", metavar="NAME", help="this style (default: chosen by [compose] selection)")
    which.add_argument("--all-styles", action="store_true", help="one prompt for every style")
    p.add_argument("--json", action="store_true", help="print JSON (a list with --all-styles)")
    p.set_defaults(handler=_cmd_prompt)


def _cmd_prompt(args: argparse.Namespace) -> int:
    from extractors import read_export
    from extractors.describe import describe
    from installation.compose import check_config, compose

    config = _config(args)
    check_config(config)
    portrait = describe(read_export(args.export, config.extract.limits()), config.describe)
    styles: list[str | None] = list(config.styles) if args.all_styles else [args.style]
    prompts = [compose(portrait, style, config) for style in styles]
    if args.json:
        _print_json([p.to_dict() for p in prompts] if args.all_styles else prompts[0].to_dict())
        return 0
    for n, prompt in enumerate(prompts):
        if n:
            print()
        dropped = ", ".join(f"{k} ({why})" for k, why in prompt.keywords_dropped) or "none"
        print(f"style:    {prompt.style} ({config.styles[prompt.style].label or prompt.style})")
        print(f"prompt:   {prompt.positive}")
        print(f"negative: {prompt.negative}")
        print(f"tokens:   {prompt.tokens} of {config.compose.max_tokens} ({prompt.counted_by})")
        print(f"keywords: {', '.join(prompt.keywords_used) or 'none'}")
        print(f"dropped:  {dropped}")
        print(f"render:   {prompt.width}x{prompt.height}, {prompt.steps} steps, guidance {prompt.guidance}, "
              f"scheduler {prompt.scheduler or 'the model default'}, seed {prompt.seed}")
    return 0


def _add_styles(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "styles", parents=[common], help="work with curator styles",
        description="Curator styles. `portrait styles import FILE` prints [styles.*] tables to add to config.toml.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import", parents=[common], help="convert an A1111 styles.csv or a Fooocus style JSON to TOML",
        description="Read an A1111 styles.csv (name,prompt,negative_prompt) or a Fooocus style JSON and print "
        "the styles as TOML tables for config.toml. Names already in the config get a numbered suffix.",
    )
    imp.add_argument("file", type=Path, help="styles.csv or a Fooocus styles .json")
    imp.set_defaults(handler=_cmd_styles_import)


def _cmd_styles_import(args: argparse.Namespace) -> int:
    from installation.styles import import_styles

    config = _config(args)
    imported = import_styles(args.file, frozenset(config.styles))
    print(f"# {len(imported.styles)} style(s) from {args.file.name} ({imported.source})")
    for name, why in imported.skipped:
        print(f"# skipped {name!r}: {why}")
    if imported.styles:
        print(imported.to_toml(), end="")
    return 0


# --- the command table -----------------------------------------------------------------------------

_COMMANDS: list[Callable[[Any, argparse.ArgumentParser], None]] = [
    _add_extract,
    _add_wall,
    _add_worker, _add_kiosk, _add_serve, _add_forget,
    _add_prompt,
    _add_styles,
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
