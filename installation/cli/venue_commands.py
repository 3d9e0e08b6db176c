"""Commands that run the installation: wall, worker, kiosk, serve, forget, demo."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from installation.cli.common import config_of, log_to_stderr

if TYPE_CHECKING:
    from installation.config import Config

# --- wall --------------------------------------------------------------------------------------------


def add_wall(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "wall", parents=[common], help="show the finished portraits full-screen",
        description="The gallery wall: finished, approved portraits from the job store, a new one at once. "
        "Keys: Esc/q quit, space pause, left/right previous/next, f full screen.",
    )
    p.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    p.add_argument("--store", default=None, metavar="PATH|URL",
                   help="the job store: a SQLite file or a postgresql:// URL (default: [store] in the config)")
    p.add_argument("--seconds", type=float, default=None, metavar="N", help="stop after N seconds")
    p.set_defaults(handler=_cmd_wall)


def _cmd_wall(args: argparse.Namespace) -> int:
    from installation.jobs.worker import open_configured_store
    from installation.wall.loop import run_wall, wall_config

    config = _store_at(config_of(args), args.store)
    run_wall(open_configured_store(config), wall_config(config), windowed=args.windowed, max_seconds=args.seconds)
    return 0


def _store_at(config: Config, where: str | None) -> Config:
    """``config`` with ``--store`` (a SQLite file or a ``postgresql://`` URL) in place of its ``[store]``."""
    if where is None:
        return config
    from installation.jobs.store import is_postgres_url

    update: dict[str, Any] = {"url": where} if is_postgres_url(where) else {"url": None, "path": Path(where)}
    return config.model_copy(update={"store": config.store.model_copy(update=update)})


# --- queue: worker, kiosk, serve, forget -----------------------------------------------------------


def add_worker(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "worker", parents=[common], help="advance queued jobs: read, describe, compose, render",
        description="Claim jobs from the job store and run each from export to artwork, until stopped.",
    )
    p.add_argument("--once", action="store_true", help="stop when the queue is empty")
    p.add_argument("--model", default=None, metavar="ID|PATH|tiny", help="render with this model instead")
    p.add_argument("--store", default=None, metavar="URL|PATH",
                   help="the job store: a postgresql:// URL (a render node) or a SQLite file "
                        "(default: [store] in the config)")
    p.set_defaults(handler=_cmd_worker)


def _cmd_worker(args: argparse.Namespace) -> int:
    from installation.jobs.worker import run_worker

    log_to_stderr("worker")
    run_worker(_store_at(config_of(args), args.store), once=args.once, model=args.model)
    return 0


def add_kiosk(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "kiosk", parents=[common], help="serve the visitors' web intake",
        description="Serve the kiosk (welcome, upload, progress, result, forget, curator pages) on the "
                    "address in config.toml [kiosk].",
    )
    p.set_defaults(handler=_cmd_kiosk)


def _cmd_kiosk(args: argparse.Namespace) -> int:
    from installation.kiosk.app import run_kiosk

    log_to_stderr("kiosk")
    run_kiosk(config_of(args))
    return 0


def add_serve(sub: Any, common: argparse.ArgumentParser) -> None:
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

    log_to_stderr("serve")
    config_of(args)  # a broken config stops here, once, not in three restarting children
    return run_serve(args.config, wall=args.wall)


def add_forget(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "forget", parents=[common], help="delete a visitor's job, portrait and files by forget-me code",
        description="Remove the job with this forget-me code: its record, verbal portrait, artwork and files.",
    )
    p.add_argument("code", help="the forget-me code shown to the visitor, e.g. ABCD-EFGH")
    p.set_defaults(handler=_cmd_forget)


def _cmd_forget(args: argparse.Namespace) -> int:
    from installation.jobs.store import forget
    from installation.jobs.worker import open_configured_store

    removed = forget(open_configured_store(config_of(args)), args.code)
    print(f"forgotten: job {removed.id} and its files")
    return 0


# --- demo ------------------------------------------------------------------------------------------


def add_demo(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="paint the sample profiles and show them on the wall",
        description="Run every sample export through the whole installation (read, describe, compose, "
                    "render) in a demo store of its own, then open the wall on the results.",
    )
    p.add_argument("--profiles", type=Path, default=None, metavar="DIR",
                   help="folder of exports, one sub-folder per platform "
                        "(default: ./sample_profiles, else the checkout's sample_profiles)")
    p.add_argument("--model", default=None, metavar="ID|PATH|tiny",
                   help="render with this model instead of [render] model; tiny: the untrained test model")
    p.add_argument("--no-wall", action="store_true", help="stop after rendering")
    p.add_argument("--windowed", action="store_true", help="open the wall in a window, not full-screen")
    p.add_argument("--seconds", type=float, default=None, help="close the wall after this many seconds")
    p.set_defaults(handler=_cmd_demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    from installation.demo import demo_config, run_demo

    log_to_stderr("demo")
    config = config_of(args)
    result = run_demo(config, args.profiles, args.model)
    print(f"demo: {len(result.artworks)} portraits painted, {len(result.failures)} failed, "
          f"in {result.seconds:.0f} s (store: {result.store_path})")
    if result.failures:
        return 1
    if args.no_wall:
        return 0
    from installation.serve import has_display

    if not has_display():
        print("demo: no display here, so the wall stays closed. On a machine with a screen: "
              f"portrait wall --store {result.store_path}")
        return 0
    from installation.jobs.worker import open_configured_store
    from installation.wall.loop import run_wall, wall_config

    store = open_configured_store(demo_config(config, args.model))
    run_wall(store, wall_config(config), windowed=args.windowed, max_seconds=args.seconds)
    return 0
