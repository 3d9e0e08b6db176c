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
from installation.jobs.pipeline import PortraitPipeline

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
    profile = PortraitPipeline(_config(args)).read(args.export)
    if args.json:
        _print_json(profile.to_dict())
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


# --- describe ----------------------------------------------------------------------------------------


def _add_describe(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "describe", parents=[common], help="read an export and print its verbal portrait",
        description="Read an export and print the words the installation paints from: keywords (with the "
        "posts they came from), mood and themes.",
    )
    p.add_argument("export", type=Path, help="the export: archive, unpacked folder or one data file")
    p.add_argument("--json", action="store_true", help="print the verbal portrait as JSON")
    p.set_defaults(handler=_cmd_describe)


def _cmd_describe(args: argparse.Namespace) -> int:
    portrait = PortraitPipeline(_config(args)).portrait(args.export)
    if args.json:
        _print_json(portrait.to_dict())
        return 0
    lang = portrait.language
    stats = portrait.stats
    print(f"{portrait.platform}: {stats.posts_used} posts read", end="")
    if stats.first_post and stats.last_post:
        print(f", {stats.first_post:%Y-%m-%d} to {stats.last_post:%Y-%m-%d}", end="")
    print(f"; language {lang.main} ({lang.share:.0%}), analysed with {lang.analyser}")
    if lang.note:
        print(f"  note: {lang.note}")
    print("\nkeywords")
    for kw in portrait.keywords:
        print(f"  {kw.phrase:<28} {kw.score:.2f}  ({len(kw.post_indices)} posts)")
        if kw.evidence:
            print(f"      \u201c{kw.evidence[0]}\u201d")
    mood = portrait.mood
    print(f"\nmood: {mood.label} (valence {mood.valence:+.2f}, arousal {mood.arousal:+.2f})")
    if mood.emotions:
        print("  emotions: " + ", ".join(f"{e.name} {e.weight:.0%}" for e in mood.emotions))
    print("  palette:  " + ", ".join(mood.palette))
    print("  lighting: " + ", ".join(mood.lighting))
    if portrait.themes:
        print("\nthemes")
        for theme in portrait.themes:
            print(f"  {theme.name:<28} {theme.weight:.2f}  ({theme.source})")
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
    from installation.jobs.store import open_store
    from installation.wall.loop import run_wall, wall_config

    config = _config(args)
    store = open_store(args.store or config.store.path, lease_seconds=config.store.lease_seconds,
                       max_attempts=config.store.max_attempts)
    run_wall(store, wall_config(config), windowed=args.windowed, max_seconds=args.seconds)
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
    from installation.jobs.worker import run_worker

    _log_to_stderr()
    run_worker(_config(args), once=args.once, model=args.model)
    return 0


def _add_kiosk(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "kiosk", parents=[common], help="serve the visitors' web intake",
        description="Serve the kiosk (welcome, upload, progress, result, forget, curator pages) on the "
                    "address in config.toml [kiosk].",
    )
    p.set_defaults(handler=_cmd_kiosk)


def _cmd_kiosk(args: argparse.Namespace) -> int:
    from installation.kiosk.app import run_kiosk

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
    from installation.jobs.store import forget
    from installation.jobs.worker import open_configured_store

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
    from installation.compose.composer import check_config

    config = _config(args)
    check_config(config)
    pipeline = PortraitPipeline(config)
    portrait = pipeline.portrait(args.export)
    styles: list[str | None] = list(config.styles) if args.all_styles else [args.style]
    prompts = [pipeline.compose(portrait, style=style) for style in styles]
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
    from installation.compose.styles import import_styles

    config = _config(args)
    imported = import_styles(args.file, frozenset(config.styles))
    print(f"# {len(imported.styles)} style(s) from {args.file.name} ({imported.source})")
    for name, why in imported.skipped:
        print(f"# skipped {name!r}: {why}")
    if imported.styles:
        print(imported.to_toml(), end="")
    return 0


# --- render: render, vary, models pull ---------------------------------------------------------------


def _add_render(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "render", parents=[common], help="paint the portrait of an export into a PNG",
        description="Read an export, describe it, compose the prompt and render it: a PNG with its generation "
        "data (A1111 'parameters' text) and a sidecar JSON. '--model tiny' uses the untrained test model: "
        "it paints noise, to check the wiring without weights.",
    )
    p.add_argument("export", type=Path, help="the export: archive, unpacked folder or one data file")
    p.add_argument("--style", metavar="NAME", help="this style (default: chosen by [compose] selection)")
    p.add_argument("--model", metavar="ID|PATH|tiny", help="a local model instead of [render] (id, folder or tiny)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.png", help="where to write (default: render.output_dir)")
    p.set_defaults(handler=_cmd_render)


def _cmd_render(args: argparse.Namespace) -> int:
    from installation.compose.composer import check_config
    from installation.render.run import TEST_NOISE_NOTE

    pipeline = PortraitPipeline(_config(args), model=args.model)
    check_config(pipeline.config)
    made = pipeline.run(args.export, style=args.style, output=args.output)
    prompt, artwork = made.prompt, made.artwork
    if artwork.is_test_noise:
        print(f"portrait: note: {TEST_NOISE_NOTE}", file=sys.stderr)
    held = " (flagged by the safety checker: held for a curator)" if artwork.flagged else ""
    print(f"{artwork.image_path}: {prompt.style}, seed {prompt.seed}, {artwork.model}, {artwork.seconds:.1f} s{held}")
    return 0


def _add_vary(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "vary", parents=[common], help="variations of a finished portrait (image-to-image)",
        description="Repaint a finished portrait with the image-to-image pipeline of the weights that made it "
        "(read from its metadata), once per seed after the original's.",
    )
    p.add_argument("artwork", type=Path, help="a PNG written by 'portrait render' or the worker")
    p.add_argument("--strength", type=float, default=0.4, help="how far from the original, 0-1 (default: 0.4)")
    p.add_argument("-n", "--count", type=int, default=4, help="how many variations (default: 4)")
    p.add_argument("--model", metavar="ID|PATH|tiny", help="these weights instead of the artwork's own")
    p.add_argument("-o", "--output-dir", type=Path, metavar="DIR", help="where to write (default: beside it)")
    p.set_defaults(handler=_cmd_vary)


def _cmd_vary(args: argparse.Namespace) -> int:
    from installation.render.run import TEST_NOISE_NOTE, vary

    config = _config(args)
    artworks = vary(
        args.artwork, config.render, strength=args.strength, count=args.count, output_dir=args.output_dir,
        model=args.model,
    )
    if any(a.is_test_noise for a in artworks):
        print(f"portrait: note: {TEST_NOISE_NOTE}", file=sys.stderr)
    for artwork in artworks:
        print(f"{artwork.image_path}: seed {artwork.prompt.seed}, {artwork.seconds:.1f} s")
    return 0


def _add_models(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "models", parents=[common], help="download model weights before opening",
        description="Fetch weights into the local cache so that rendering needs no network.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    pull = actions.add_parser(
        "pull", parents=[common], help="download a model (default: [render] model and, if on, the safety checker)",
        description="Download a Hugging Face model (diffusers folders, safetensors weights) with a progress bar.",
    )
    pull.add_argument("model", nargs="?", metavar="ID", help="a Hugging Face id, or tiny (built, not downloaded)")
    pull.set_defaults(handler=_cmd_models_pull)


def _cmd_models_pull(args: argparse.Namespace) -> int:
    from installation.render.weights import pull_model

    render = _config(args).render
    wanted = [(args.model, False)] if args.model else [(render.model, False)]
    if not args.model and render.safety_checker:
        wanted.append((render.safety_model, True))
    for model, checker in wanted:
        print(f"{model}: {pull_model(model, render, checker=checker)}")
    return 0


def _add_sheet(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sheet", parents=[common], help="render a contact sheet of styles x profiles",
        description="Render every chosen style for every chosen export onto one labelled image, for curators "
        "to compare styles. Works with the tiny test model (noise) to check the wiring.",
    )
    p.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE",
                   help="exports to paint (default: every export in ./sample_profiles)")
    p.add_argument("--styles", metavar="A,B,C", help="comma-separated style names (default: every style)")
    p.add_argument("--model", metavar="ID|PATH|tiny", help="a local model instead of [render] (tiny: test noise)")
    p.add_argument("--cell", type=int, default=256, metavar="PIXELS", help="size of each picture (default 256)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png", help="where to write the sheet")
    p.set_defaults(handler=_cmd_sheet)


def _cmd_sheet(args: argparse.Namespace) -> int:
    from installation.compose.composer import check_config
    from installation.errors import ComposeError, IntakeError
    from installation.render.run import TEST_NOISE_NOTE
    from installation.sheet import contact_sheet

    pipeline = PortraitPipeline(_config(args), model=args.model)
    config = pipeline.config
    check_config(config)
    exports: list[Path] = args.profiles or [
        export for folder in sorted(Path("sample_profiles").iterdir()) if folder.is_dir() and folder.name != "build"
        for export in sorted(folder.iterdir())
    ] if Path("sample_profiles").is_dir() else []
    if not exports:
        raise IntakeError("no exports given and none in ./sample_profiles")
    styles = [s.strip() for s in args.styles.split(",") if s.strip()] if args.styles else list(config.styles)
    if unknown := [s for s in styles if s not in config.styles]:  # before the slow part
        raise ComposeError(f"no style named {unknown[0]!r}; styles: {', '.join(config.styles)}")
    portraits = [(f"{export.parent.name}/{export.name}", pipeline.portrait(export)) for export in exports]
    renderer = pipeline.renderer(warm_up=False)  # its first picture warms it up
    sheet = contact_sheet(portraits, styles, pipeline, renderer.generate, cell=args.cell)
    sheet.image.save(args.output, format="PNG")
    print(f"{args.output}: {len(portraits)} profiles x {len(styles)} styles")
    if renderer.is_test_noise:
        print(f"note: {TEST_NOISE_NOTE}")
    return 0


# --- demo ------------------------------------------------------------------------------------------


def _add_demo(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="paint the sample profiles and show them on the wall",
        description="Run every sample export through the whole installation (read, describe, compose, "
                    "render) in a demo store of its own, then open the wall on the results.",
    )
    p.add_argument("--profiles", type=Path, default=Path("sample_profiles"), metavar="DIR",
                   help="folder of exports, one sub-folder per platform (default: sample_profiles)")
    p.add_argument("--model", default=None, metavar="ID|PATH|tiny",
                   help="render with this model instead of [render] model; tiny: the untrained test model")
    p.add_argument("--no-wall", action="store_true", help="stop after rendering")
    p.add_argument("--windowed", action="store_true", help="open the wall in a window, not full-screen")
    p.add_argument("--seconds", type=float, default=None, help="close the wall after this many seconds")
    p.set_defaults(handler=_cmd_demo)


def _cmd_demo(args: argparse.Namespace) -> int:
    from installation.demo import demo_config, run_demo

    _log_to_stderr()
    config = _config(args)
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


# --- the command table -----------------------------------------------------------------------------

_COMMANDS: list[Callable[[Any, argparse.ArgumentParser], None]] = [
    _add_extract,
    _add_demo,
    _add_describe,
    _add_wall,
    _add_worker, _add_kiosk, _add_serve, _add_forget,
    _add_prompt,
    _add_styles,
    _add_sheet,
    _add_render, _add_vary, _add_models,
]


def build_parser() -> argparse.ArgumentParser:
    # --config works before and after the command; the sub-command's copy only overrides when given.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, metavar="PATH",
        help="config file (default: ./config.toml)",
    )
    parser = argparse.ArgumentParser(
        prog="portrait",
        description="social-portrait: read a social-media export and paint the person.",
    )
    parser.add_argument(
        "--config", type=Path, default=None, metavar="PATH", help="config file (default: ./config.toml)"
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
    except BrokenPipeError:
        # The reader of our output went away (`portrait extract X | head`): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
