"""Commands on one export or artwork: extract, describe, render, vary, models pull, sheet."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from installation.cli.common import config_of, print_json
from installation.jobs.pipeline import PortraitPipeline

# --- extract -----------------------------------------------------------------------------------------


def add_extract(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "extract", parents=[common], help="read an export and list the person's posts",
        description="Read an export (zip, tar.gz, folder or data file) and print its posts.",
    )
    p.add_argument("export", type=Path, help="the export: archive, unpacked folder or one data file")
    p.add_argument("--json", action="store_true", help="print JSON: platform, post_count, posts")
    p.set_defaults(handler=_cmd_extract)


def _cmd_extract(args: argparse.Namespace) -> int:
    profile = PortraitPipeline(config_of(args)).read(args.export)
    if args.json:
        print_json(profile.to_dict())
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


def add_describe(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "describe", parents=[common], help="read an export and print its verbal portrait",
        description="Read an export and print the words the installation paints from: keywords (with the "
        "posts they came from), mood and themes.",
    )
    p.add_argument("export", type=Path, help="the export: archive, unpacked folder or one data file")
    p.add_argument("--json", action="store_true", help="print the verbal portrait as JSON")
    p.set_defaults(handler=_cmd_describe)


def _cmd_describe(args: argparse.Namespace) -> int:
    portrait = PortraitPipeline(config_of(args)).portrait(args.export)
    if args.json:
        print_json(portrait.to_dict())
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


# --- render: render, vary, models pull ---------------------------------------------------------------


def add_render(sub: Any, common: argparse.ArgumentParser) -> None:
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

    pipeline = PortraitPipeline(config_of(args), model=args.model)
    check_config(pipeline.config)
    made = pipeline.run(args.export, style=args.style, output=args.output)
    prompt, artwork = made.prompt, made.artwork
    if artwork.is_test_noise:
        print(f"portrait: note: {TEST_NOISE_NOTE}", file=sys.stderr)
    held = " (flagged by the safety checker: held for a curator)" if artwork.flagged else ""
    print(f"{artwork.image_path}: {prompt.style}, seed {prompt.seed}, {artwork.model}, {artwork.seconds:.1f} s{held}")
    return 0


def add_vary(sub: Any, common: argparse.ArgumentParser) -> None:
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

    config = config_of(args)
    artworks = vary(
        args.artwork, config.render, strength=args.strength, count=args.count, output_dir=args.output_dir,
        model=args.model,
    )
    if any(a.is_test_noise for a in artworks):
        print(f"portrait: note: {TEST_NOISE_NOTE}", file=sys.stderr)
    for artwork in artworks:
        print(f"{artwork.image_path}: seed {artwork.prompt.seed}, {artwork.seconds:.1f} s")
    return 0


def add_models(sub: Any, common: argparse.ArgumentParser) -> None:
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
    listing = actions.add_parser(
        "list", parents=[common], help="every backend and model family, whether it can run here, its licence",
        description="List every backend and local model family: whether it can run here (weights on disk, key "
        "set, GPU) and its licence as its model card or terms state it. Nothing is loaded or downloaded.",
    )
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=_cmd_models_list)


def _cmd_models_list(args: argparse.Namespace) -> int:
    from installation.render.catalogue import accelerator, catalogue, format_rows

    rows = catalogue(config_of(args).render, accelerator())
    if args.json:
        print_json([row.to_dict() for row in rows])
    else:
        print(format_rows(rows))
    return 0


def _cmd_models_pull(args: argparse.Namespace) -> int:
    from installation.render.weights import pull_model

    render = config_of(args).render
    wanted = [(args.model, False)] if args.model else [(render.model, False)]
    if not args.model and render.safety_checker:
        wanted.append((render.safety_model, True))
    for model, checker in wanted:
        print(f"{model}: {pull_model(model, render, checker=checker)}")
    return 0


def add_sheet(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sheet", parents=[common], help="render a contact sheet of styles x profiles",
        description="Render every chosen style for every chosen export onto one labelled image, for curators "
        "to compare styles. Works with the tiny test model (noise) to check the wiring.",
    )
    p.add_argument("profiles", nargs="*", type=Path, metavar="PROFILE",
                   help="exports to paint (default: every sample export, as for `portrait demo`)")
    p.add_argument("--styles", metavar="A,B,C", help="comma-separated style names (default: every style)")
    p.add_argument("--model", metavar="ID|PATH|tiny", help="a local model instead of [render] (tiny: test noise)")
    p.add_argument("--cell", type=int, default=256, metavar="PIXELS", help="size of each picture (default 256)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png", help="where to write the sheet")
    p.set_defaults(handler=_cmd_sheet)


def _cmd_sheet(args: argparse.Namespace) -> int:
    from installation.compose.composer import check_config
    from installation.demo import default_samples, find_exports
    from installation.errors import ComposeError, IntakeError
    from installation.render.run import TEST_NOISE_NOTE
    from installation.sheet import contact_sheet, save_sheet

    pipeline = PortraitPipeline(config_of(args), model=args.model)
    config = pipeline.config
    check_config(config)
    exports: list[Path] = args.profiles or find_exports(default_samples())
    if not exports:
        raise IntakeError("no exports given and none in the sample profiles")
    styles = [s.strip() for s in args.styles.split(",") if s.strip()] if args.styles else list(config.styles)
    if unknown := [s for s in styles if s not in config.styles]:  # before the slow part
        raise ComposeError(f"no style named {unknown[0]!r}; styles: {', '.join(config.styles)}")
    portraits = [(f"{export.parent.name}/{export.name}", pipeline.portrait(export)) for export in exports]
    renderer = pipeline.renderer(warm_up=False)  # its first picture warms it up
    sheet = contact_sheet(portraits, styles, pipeline, renderer.generate, cell=args.cell)
    save_sheet(sheet, args.output, config.render.provenance, model=renderer.model, backend=renderer.name)
    print(f"{args.output}: {len(portraits)} profiles x {len(styles)} styles")
    if renderer.is_test_noise:
        print(f"note: {TEST_NOISE_NOTE}")
    return 0
