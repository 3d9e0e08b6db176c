"""``portrait party``: a neural generation party (start, host, worker, list, stream, wall, publish)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from installation.cli.common import config_of, log_to_stderr, print_json


def add_party(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "party", parents=[common], help="a neural generation party: a theme, the room's ideas, every step kept",
        description="A party session: the prompt master refines a prompt on the host screen while the room "
                    "suggests and votes from their phones; every step is kept in [party] store_path.",
    )
    party = p.add_subparsers(dest="party_command", metavar="PARTY_COMMAND", required=True)

    start = party.add_parser("start", parents=[common], help="start a party session with a theme",
                             description="Start a party session with THEME; prints its id and host screen.")
    start.add_argument("theme", metavar="THEME")
    start.set_defaults(handler=_cmd_start)

    host = party.add_parser(
        "host", parents=[common], help="serve the host screen and the phones' pages, and paint the steps",
        description="Serve the host screen (/host) and the phones' pages on [party] host:port; a worker "
                    "thread paints the steps unless --no-worker.",
    )
    host.add_argument("--model", default=None, metavar="ID|PATH|tiny", help="paint with this model instead")
    host.add_argument("--no-worker", action="store_true", help="only serve; `portrait party worker` paints")
    host.set_defaults(handler=_cmd_host)

    worker = party.add_parser("worker", parents=[common], help="paint queued party steps",
                              description="Paint the party steps waiting in the party store, until stopped.")
    worker.add_argument("--once", action="store_true", help="stop when no step is waiting")
    worker.add_argument("--model", default=None, metavar="ID|PATH|tiny", help="paint with this model instead")
    worker.set_defaults(handler=_cmd_worker)

    listing = party.add_parser("list", parents=[common], help="list the party sessions",
                               description="The party sessions, newest first, with their step counts.")
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(handler=_cmd_list)

    stream = party.add_parser("stream", parents=[common], help="print a party's stream as the wall sees it",
                              description="The painted steps of SESSION (default: the newest party) as "
                                          "(image, caption), oldest first, as JSON.")
    stream.add_argument("session", nargs="?", default=None, metavar="SESSION")
    stream.set_defaults(handler=_cmd_stream)

    wall = party.add_parser(
        "wall", parents=[common], help="show a party's images live on the gallery wall",
        description="The gallery wall showing SESSION's painted steps (default: the newest party) as they "
                    "arrive, each captioned with its prompt; the QR code sends phones to the party. "
                    "Keys as for `portrait wall`.",
    )
    wall.add_argument("session", nargs="?", default=None, metavar="SESSION")
    wall.add_argument("--with-portraits", action="store_true", help="keep the visitors' portraits in the rotation")
    wall.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    wall.add_argument("--seconds", type=float, default=None, metavar="N", help="stop after N seconds")
    wall.set_defaults(handler=_cmd_wall)

    publish = party.add_parser(
        "publish", parents=[common], help="write a party's static gallery",
        description="Write SESSION's gallery into DIR: index.html (best first, the prompts that led to each, "
                    "the whole tree), images/, lineage.json and contact-sheet.png (signed with [render.provenance] "
                    "like every artwork). It opens from disk.",
    )
    publish.add_argument("session", metavar="SESSION")
    publish.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    publish.set_defaults(handler=_cmd_publish)


def _cmd_start(args: argparse.Namespace) -> int:
    from installation.errors import PartyError
    from installation.party.store import open_party_store
    from installation.party.words import wall_words

    config = config_of(args)
    theme = " ".join(str(args.theme).split())
    refusal = wall_words(config).refusal(theme) if theme else "the theme is empty"
    if refusal:
        raise PartyError(f"the theme cannot be shown: {refusal}")
    store = open_party_store(config.party.store_path)
    session = store.create_session(theme)
    print(f"{session.id}\t{session.theme}\thttp://{config.party.host}:{config.party.port}/host/{session.id}")
    return 0


def _cmd_host(args: argparse.Namespace) -> int:
    from installation.party.app import run_party

    log_to_stderr("party")
    run_party(config_of(args), model=args.model, worker=not args.no_worker)
    return 0


def _cmd_worker(args: argparse.Namespace) -> int:
    from installation.party.worker import run_party_worker

    log_to_stderr("party-worker")
    painted = run_party_worker(config_of(args), once=args.once, model=args.model)
    if args.once:
        failed = sum(1 for p in painted if p.error)
        print(f"painted {len(painted) - failed} step(s), {failed} failed")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from installation.party.store import open_party_store

    store = open_party_store(config_of(args).party.store_path)
    rows = [{"id": s.id, "theme": s.theme, "steps": len(store.steps(s.id))} for s in store.sessions()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']}\t{row['steps']} steps\t{row['theme']}")
    return 0


def _cmd_stream(args: argparse.Namespace) -> int:
    from installation.party.store import open_party_store
    from installation.party.stream import party_stream
    from installation.party.words import wall_words

    config = config_of(args)
    slides = party_stream(open_party_store(config.party.store_path), wall_words(config), args.session)
    print_json([{"image": str(s.image_path), "caption": s.caption, "step": s.number, "theme": s.theme}
                for s in slides])  # fmt: skip
    return 0


def _cmd_wall(args: argparse.Namespace) -> int:
    from installation.party.store import open_party_store
    from installation.party.stream import join_url
    from installation.party.wallfeed import PartyWallFeed
    from installation.party.words import wall_words
    from installation.wall.loop import run_wall, wall_config

    config = config_of(args)
    store = open_party_store(config.party.store_path)
    session = store.session(args.session) if args.session else next(iter(store.sessions()), None)
    portraits = None
    if args.with_portraits:
        from installation.jobs.worker import open_configured_store

        # The portraits come from the store ``[store]`` names: on PostgreSQL, the queue of every machine
        portraits = open_configured_store(config).wall_artworks
    feed = PartyWallFeed(store, wall_words(config), session.id if session else None, portraits=portraits)
    shown = wall_config(config)
    if session is not None:  # the QR code and the idle screen invite the room to the party
        shown = shown.model_copy(update={
            "kiosk_url": join_url(config, session.id),
            "idle_text": f"{session.theme}: scan the code to suggest words and vote",
        })
    run_wall(feed, shown, windowed=args.windowed, max_seconds=args.seconds)
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from installation.party.publish import publish_session
    from installation.party.store import open_party_store
    from installation.party.words import wall_words

    log_to_stderr("party")  # the local-CA warning, when no certificate is configured, names this process
    config = config_of(args)
    gallery = publish_session(open_party_store(config.party.store_path), args.session, args.output, wall_words(config),
                              provenance=config.render.provenance)  # fmt: skip
    print(f"{gallery.index} ({len(gallery.images)} images; best: {', '.join(map(str, gallery.best)) or 'none marked'})")
    return 0
