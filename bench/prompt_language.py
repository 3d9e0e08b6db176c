"""What a prompt in the portrait's own language costs in tokens. ``python bench/prompt_language.py``

1. The lexicon's motifs and settings in English, German and Russian (data/lang_*.toml): CLIP tokens per
   text and per letter. CLIP's byte-level BPE has few merges outside English, so the same scene costs a
   German prompt more and a Russian one about a token a letter.
2. Every sample profile in the Kandinsky style (prompt_language = "portrait") and in oil-portrait: the
   prompt's language, its CLIP tokens, how many motifs and whether the setting survived, at CLIP's 77-token
   window (Kandinsky 2.2's prior) and at 128 (Kandinsky 3's T5 window, still counted with CLIP here: no T5
   tokenizer is on this machine, so the column says what CLIP's count would allow, not T5's).
"""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import read_export  # noqa: E402
from extractors.describe.portray import describe  # noqa: E402
from installation.compose.composer import compose  # noqa: E402
from installation.compose.language import load_language  # noqa: E402
from installation.compose.motifs import SHIPPED_LEXICON  # noqa: E402
from installation.compose.tokens import shipped_clip_counter  # noqa: E402
from installation.config import Config, load_config  # noqa: E402
from installation.demo import find_exports  # noqa: E402

STYLES = ("kandinsky-native", "oil-portrait")


def token_table() -> None:
    count = shipped_clip_counter().count
    lexicon = tomllib.loads(SHIPPED_LEXICON.read_text(encoding="utf-8"))
    print("| texts | language | texts | CLIP tokens per text | CLIP tokens per letter |")
    print("|---|---|---|---|---|")
    for table in ("motifs", "settings"):
        english = sorted({str(v) for v in lexicon[table].values() if v})
        for code in ("en", "de", "ru"):
            text = load_language(code) if code != "en" else None
            local = [e if text is None else getattr(text, table).get(e, "") for e in english]
            local = [t for t in local if t]
            tokens = sum(count(t) - 2 for t in local)
            letters = sum(sum(c.isalpha() for c in t) for t in local)
            print(f"| {table} | {code} | {len(local)} | {tokens / len(local):.1f} | {tokens / letters:.2f} |")


def with_budget(config: Config, tokens: int) -> Config:
    return config.model_copy(update={"compose": config.compose.model_copy(update={"max_tokens": tokens})})


def profile_table(config: Config) -> None:
    counter = shipped_clip_counter()
    print("\n| export | language | style | budget | prompt in | tokens | motifs | setting |")
    print("|---|---|---|---|---|---|---|---|")
    for export in find_exports(ROOT / "sample_profiles"):
        portrait = describe(read_export(export, config.extract.limits()), config.describe)
        for style in STYLES:
            for budget in (77, 128):
                prompt = compose(portrait, with_budget(config, budget), counter=counter, style=style)
                setting = "yes" if prompt.setting else "no"
                print(
                    f"| {export.parent.name}/{export.name[:24]} | {portrait.language.main} | {style} | {budget} | "
                    f"{prompt.language} | {prompt.tokens} | {len(prompt.motifs)} | {setting} |"
                )


def main() -> None:
    started = time.perf_counter()
    config = load_config(ROOT / "config.toml")
    token_table()
    profile_table(config)
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
