"""Commands for curators' prompts: prompt (one style or all) and styles import."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from installation.cli.common import config_of, print_json
from installation.jobs.pipeline import PortraitPipeline

# --- compose: prompt, styles ------------------------------------------------------------------------


def add_prompt(sub: Any, common: argparse.ArgumentParser) -> None:
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
    p.add_argument("--explain", action="store_true",
                   help="which posts gave which words, which word became which motif, which were kept off and why")
    p.add_argument(
        "--for", dest="paste_for", choices=("midjourney", "nightcafe"), metavar="SERVICE",
        help="print the prompt ready to paste into midjourney or nightcafe (services without an API)",
    )
    p.set_defaults(handler=_cmd_prompt)


def _cmd_prompt(args: argparse.Namespace) -> int:
    from installation.compose.composer import check_config

    config = config_of(args)
    check_config(config)
    pipeline = PortraitPipeline(config)
    portrait = pipeline.portrait(args.export)
    styles: list[str | None] = list(config.styles) if args.all_styles else [args.style]
    prompts = [pipeline.compose(portrait, style=style) for style in styles]
    if args.paste_for:
        from installation.render.paste import for_service

        print("\n\n".join(for_service(prompt, args.paste_for) for prompt in prompts))
        return 0
    if args.json:
        print_json([p.to_dict() for p in prompts] if args.all_styles else prompts[0].to_dict())
        return 0
    for n, prompt in enumerate(prompts):
        if n:
            print()
        dropped = ", ".join(f"{k} ({why})" for k, why in prompt.keywords_dropped) or "none"
        print(f"style:    {prompt.style} ({config.styles[prompt.style].label or prompt.style})")
        print(f"prompt:   {prompt.positive}")
        print(f"negative: {prompt.negative}")
        print(f"tokens:   {prompt.tokens} of {prompt.token_budget} ({prompt.counted_by})")
        print(f"language: {prompt.language}")
        set_by = f" (from {prompt.setting_from!r})" if prompt.setting_from else ""
        print(f"scene:    set {prompt.setting or 'nowhere in particular'}{set_by}; "
              + ("; ".join(f"{k} -> {m}" for k, m in prompt.motifs) or "no motifs"))
        print(f"keywords: {', '.join(prompt.keywords_used) or 'none'}")
        print(f"dropped:  {dropped}")
        if prompt.withheld or prompt.hold_reason:
            print(f"wall:     {prompt.withheld} word(s) kept off the wall" + (
                f"; held: {prompt.hold_reason}" if prompt.hold_reason else ""))
        if args.explain:
            from installation.compose.explain import explain, lines

            print("\n".join(lines(explain(portrait, prompt))))
        print(f"render:   {prompt.width}x{prompt.height}, {prompt.steps} steps, guidance {prompt.guidance}, "
              f"scheduler {prompt.scheduler or 'the model default'}, seed {prompt.seed}")
    return 0


def add_styles(sub: Any, common: argparse.ArgumentParser) -> None:
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

    config = config_of(args)
    imported = import_styles(args.file, frozenset(config.styles))
    print(f"# {len(imported.styles)} style(s) from {args.file.name} ({imported.source})")
    for name, why in imported.skipped:
        print(f"# skipped {name!r}: {why}")
    if imported.styles:
        print(imported.to_toml(), end="")
    return 0
