"""What marking a PNG costs: ``python bench/provenance_cost.py [REPEATS]``

For picture sizes from a live-painting frame (64 px: the latent preview of a 512 px render) to a 1024 px
artwork and a party contact sheet of 30 steps, the median milliseconds of
1. ``encode_png`` alone (the A1111 parameters chunk only), and
2. ``marked_png`` (the same, the IPTC source type in XMP and the signed C2PA manifest), with the local CA;
and how many bytes the manifest adds. The question it answers: can every live frame be signed too, or only
the finished images? The signing key is generated into a temporary folder, never the user's.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from installation.config import ProvenanceConfig
    from installation.render.pngmeta import encode_png
    from installation.render.provenance import marked_png

    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    sizes = [("live frame", 64, 64), ("small artwork", 512, 512), ("artwork", 1024, 1024),
             ("party sheet, 30 steps", 8 + 6 * 200, 8 + 5 * 222)]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        settings = ProvenanceConfig(key_dir=Path(folder) / "c2pa")
        marked_png(Image.new("RGB", (8, 8)), "warm-up", settings, model="m", backend="b", title="t")  # the CA
        print(f"cpu cores: {os.cpu_count()}; {repeats} repeats each; median ms")
        print("| picture | pixels | encode ms | encode+XMP+C2PA ms | manifest adds |")
        print("|---|---|---|---|---|")
        for name, width, height in sizes:
            # Noise, not a flat colour: a flat picture deflates to nothing and hides the encode cost.
            image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))

            def encode(picture: Image.Image = image) -> bytes:
                return encode_png(picture, "steps: 20", compress_level=6)

            def mark(picture: Image.Image = image) -> bytes:
                return marked_png(picture, "steps: 20", settings, model="m", backend="b", title="t")

            plain, signed = _median(encode, repeats), _median(mark, repeats)
            extra = len(mark()) - len(encode())
            print(f"| {name} | {width}x{height} | {plain:.1f} | {signed:.1f} | {extra / 1024:.1f} KiB |")
    return 0


def _median(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    sys.exit(main())
