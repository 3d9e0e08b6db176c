# mypy: disable-error-code="no-untyped-call, attr-defined, arg-type"
# (diffusers and transformers type their models only in part; the benchmark builds them from dicts.)
"""What does a portrait cost besides the diffusion model? And how fast is the model on a GPU?

    python bench/render.py                 # CPU: job overhead around the pipeline call, tiny model
    python bench/render.py --gpu           # GPU: an SD-Turbo-sized model, random weights, fp16, 512x512
    python bench/render.py --gpu --dry-run # only build the GPU model on the meta device and count parameters

CPU mode times what a job spends outside ``pipe(...)``: compose, the render wrapper (safety, PNG encode
with the parameters chunk, sidecar, atomic writes) and the store insert (``SqliteJobStore.finish``). The
tiny model paints the 512x512 image so the PNG is real size. Target: <= 50 ms a job.

GPU mode builds UNet, VAE and text encoder of SD-Turbo (= SD 2.1 base) from their published configs with
random weights (no download; the speed is the same as with trained weights) and times 1 and 4 steps:
ms per image at batch 1 and images/s batched, with every speed-up on, with each one off in turn, and with
all off: SDPA attention, channels_last, torch.compile of the UNet, the tiny autoencoder (TAESD) decoding.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_profiles" / "mastodon" / "api-statuses.json"

# --- the published SD-Turbo configs (stabilityai/sd-turbo: unet/, vae/, text_encoder/, scheduler/) ----

SD_TURBO_UNET = {
    "act_fn": "silu",
    "attention_head_dim": [5, 10, 20, 20],
    "block_out_channels": [320, 640, 1280, 1280],
    "center_input_sample": False,
    "cross_attention_dim": 1024,
    "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    "downsample_padding": 1,
    "dual_cross_attention": False,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
    "in_channels": 4,
    "layers_per_block": 2,
    "mid_block_scale_factor": 1,
    "norm_eps": 1e-05,
    "norm_num_groups": 32,
    "num_class_embeds": None,
    "only_cross_attention": False,
    "out_channels": 4,
    "sample_size": 64,
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
    "upcast_attention": False,
    "use_linear_projection": True,
}
SD_TURBO_VAE = {
    "act_fn": "silu",
    "block_out_channels": [128, 256, 512, 512],
    "down_block_types": ["DownEncoderBlock2D"] * 4,
    "in_channels": 3,
    "latent_channels": 4,
    "layers_per_block": 2,
    "norm_num_groups": 32,
    "out_channels": 3,
    "sample_size": 768,
    "up_block_types": ["UpDecoderBlock2D"] * 4,
}
SD_TURBO_TEXT_ENCODER = {  # OpenCLIP ViT-H/14 text tower, penultimate layer (23 of 24)
    "hidden_act": "gelu",
    "hidden_size": 1024,
    "intermediate_size": 4096,
    "layer_norm_eps": 1e-05,
    "max_position_embeddings": 77,
    "num_attention_heads": 16,
    "num_hidden_layers": 23,
    "projection_dim": 512,
    "vocab_size": 49408,
    "bos_token_id": 0,
    "eos_token_id": 2,
    "pad_token_id": 1,
}
SD_TURBO_SCHEDULER = {
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "num_train_timesteps": 1000,
    "prediction_type": "epsilon",
    "steps_offset": 1,
    "timestep_spacing": "trailing",
}
SPEEDUPS = ("sdpa", "channels_last", "compile", "tiny_vae")


# --- CPU: the job overhead ---------------------------------------------------------------------------


def cpu_overhead(runs: int) -> dict[str, Any]:
    import torch

    from installation.config import load_config
    from installation.jobs.pipeline import PortraitPipeline
    from installation.jobs.store import SqliteJobStore
    from installation.render.run import open_renderer, render

    torch.set_num_threads(1)  # the tiny model needs no more, and timings are steadier
    work = Path(tempfile.mkdtemp(prefix="bench-render-"))
    config = load_config(ROOT / "config.toml")
    render_config = config.render.model_copy(update={"model": "tiny", "device": "cpu", "cache_dir": work / "models"})
    config = config.model_copy(update={"render": render_config})
    # Untimed: models, the portrait, and one job through everything so that caches are warm.
    renderer = _Stopwatch(open_renderer(render_config, warm_up=True))
    pipeline = PortraitPipeline(config)
    portrait = pipeline.portrait(SAMPLE)
    store = SqliteJobStore(work / "jobs.sqlite3")
    keys = ("compose", "render_overhead", "store", "job_overhead")
    wall: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    generate: list[float] = []
    for n in range(runs + 1):
        export = work / f"export-{n}.json"
        export.write_text("[]")
        store.submit(uuid.uuid4().hex, work_dir=work, source="upload", export_path=export)
        claim = store.claim()
        assert claim is not None
        marks = [_now()]
        prompt = pipeline.compose(portrait)
        marks.append(_now())
        artwork = render(prompt, render_config, work / "out" / f"{n}.png", renderer=renderer)
        marks.append(_now())
        store.finish(
            claim,
            artwork,
            keywords=prompt.keywords_used,
            themes=(),
            approve=True,
            evidence_until=time.time(),
        )
        marks.append(_now())
        if n == 0:
            continue  # the first job warms file-system and SQLite caches
        generate.append(renderer.last[0])
        for table, i in ((wall, 0), (cpu, 1)):
            spans = {
                "compose": marks[1][i] - marks[0][i],
                "render_overhead": marks[2][i] - marks[1][i] - renderer.last[i],
                "store": marks[3][i] - marks[2][i],
            }
            spans["job_overhead"] = sum(spans.values())
            for key, value in spans.items():
                table[key].append(value)
    return {
        "mode": "cpu",
        "image": f"{prompt.width}x{prompt.height}",
        "runs": runs,
        "wall_median_ms": _medians(wall),
        "wall_p90_ms": {k: round(sorted(v)[int(0.9 * (len(v) - 1))], 2) for k, v in wall.items()},
        "cpu_median_ms": _medians(cpu),
        "pipeline_call_median_ms": round(statistics.median(generate), 1),
        "last_render_timings_ms": {k: round(v, 2) for k, v in artwork.timings.items()},
        "note": "job_overhead = compose + render() outside the pipeline call + store insert (finish)",
    }


class _Stopwatch:
    """A renderer that remembers the (wall, CPU) milliseconds of its last pipeline call."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.model, self.is_test_noise = inner.name, inner.model, inner.is_test_noise
        self.last = (0.0, 0.0)

    def warm_up(self) -> None:
        self.inner.warm_up()

    def sampler(self, prompt: Any) -> str:
        return str(self.inner.sampler(prompt))

    def generate(self, prompt: Any) -> Any:
        start = _now()
        image = self.inner.generate(prompt)
        end = _now()
        self.last = (end[0] - start[0], end[1] - start[1])
        return image


def _now() -> tuple[float, float]:
    """(wall, this process's CPU) in milliseconds: on a shared machine the CPU time shows the work itself."""
    return time.perf_counter() * 1000, time.process_time() * 1000


def _medians(table: dict[str, list[float]]) -> dict[str, float]:
    return {k: round(statistics.median(v), 2) for k, v in table.items()}


# --- GPU: an SD-Turbo-sized model ----------------------------------------------------------------------


def build_sd_turbo(device: str, dtype: Any) -> Any:
    """StableDiffusionPipeline with SD-Turbo's geometry and random weights, built on ``device``."""
    import torch
    from diffusers import AutoencoderKL, EulerDiscreteScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    from installation.render.tiny import build_tiny_tokenizer

    with torch.device(device):
        torch.manual_seed(0)
        unet = UNet2DConditionModel(**SD_TURBO_UNET)
        vae = AutoencoderKL(**SD_TURBO_VAE)
        text_encoder = CLIPTextModel(CLIPTextConfig(**SD_TURBO_TEXT_ENCODER))
    pipe = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=build_tiny_tokenizer(),  # ids stay inside the real vocabulary; the text is irrelevant here
        unet=unet,
        scheduler=EulerDiscreteScheduler(**SD_TURBO_SCHEDULER),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    if device != "meta":
        pipe.to(device, dtype)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def configure(pipe: Any, on: set[str], compile_mode: str) -> Any:
    """A copy of ``pipe`` (sharing weights) with the named speed-ups on."""
    import torch
    from diffusers import AutoencoderTiny, StableDiffusionPipeline
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0

    unet = pipe.unet
    unet.set_attn_processor(AttnProcessor2_0() if "sdpa" in on else AttnProcessor())
    unet.to(memory_format=torch.channels_last if "channels_last" in on else torch.contiguous_format)
    vae = pipe.vae
    if "tiny_vae" in on:
        with torch.device(unet.device):
            torch.manual_seed(0)
            vae = AutoencoderTiny().to(unet.device, unet.dtype)  # TAESD's config; random weights
    else:
        vae.set_attn_processor(AttnProcessor2_0() if "sdpa" in on else AttnProcessor())
    if "compile" in on:
        unet = torch.compile(unet, mode=compile_mode)
    variant = StableDiffusionPipeline(
        vae=vae,
        text_encoder=pipe.text_encoder,
        tokenizer=pipe.tokenizer,
        unet=unet,
        scheduler=pipe.scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    variant.set_progress_bar_config(disable=True)
    return variant


def time_pipe(pipe: Any, *, steps: int, batch: int, size: int, repeats: int, sync: Callable[[], None]) -> float:
    """Median seconds of one call rendering ``batch`` images."""
    import torch

    def call() -> None:
        pipe(
            prompt=["a portrait of a gardener, oil painting"] * batch,
            num_inference_steps=steps,
            guidance_scale=0.0,
            width=size,
            height=size,
            generator=torch.Generator("cpu").manual_seed(0),
            output_type="pil",
        )
        sync()

    for _ in range(3):  # warm-up: kernel selection, compilation, CUDA graphs capture
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gpu_speed(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    dtype = torch.float16 if args.device == "cuda" else torch.float32
    if args.dry_run:
        pipe = build_sd_turbo("meta", dtype)
        return {
            "mode": "dry-run",
            "parameters_millions": {
                name: round(sum(p.numel() for p in getattr(pipe, name).parameters()) / 1e6, 1)
                for name in ("unet", "vae", "text_encoder")
            },
        }
    if args.device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--gpu needs a CUDA GPU (or --device cpu for a smoke run)")
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    card = torch.cuda.get_device_name() if args.device == "cuda" else "cpu"
    if args.device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    base = build_sd_turbo(args.device, dtype)
    wanted = {"all on": set(SPEEDUPS), "all off": set()}
    wanted.update({f"{s} off": set(SPEEDUPS) - {s} for s in SPEEDUPS})
    names = args.configs or list(wanted)
    results: dict[str, Any] = {}
    for name in names:
        on = wanted[name]
        pipe = configure(base, on, args.compile_mode)
        row: dict[str, Any] = {}
        for steps in args.steps:
            one = time_pipe(pipe, steps=steps, batch=1, size=args.size, repeats=args.repeats, sync=sync)
            many = time_pipe(pipe, steps=steps, batch=args.batch, size=args.size, repeats=args.repeats, sync=sync)
            row[f"{steps} step(s)"] = {
                "ms_per_image_batch1": round(one * 1000, 1),
                f"images_per_s_batch{args.batch}": round(args.batch / many, 1),
            }
        results[name] = row
        print(json.dumps({name: row}), file=sys.stderr, flush=True)
        if "compile" in on:
            torch._dynamo.reset()  # each compiled variant starts clean
    return {
        "mode": "gpu",
        "card": card,
        "dtype": str(dtype),
        "size": f"{args.size}x{args.size}",
        "speedups": list(SPEEDUPS),
        "compile_mode": args.compile_mode,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="CPU mode: jobs to time (default: 30)")
    parser.add_argument("--gpu", action="store_true", help="time an SD-Turbo-sized model instead")
    parser.add_argument("--dry-run", action="store_true", help="GPU mode: build on the meta device and count")
    parser.add_argument("--device", default="cuda", help="GPU mode: cuda, or cpu for a (slow) smoke run")
    parser.add_argument("--size", type=int, default=512, help="GPU mode: image side (default: 512)")
    parser.add_argument("--steps", type=int, nargs="+", default=[1, 4], help="GPU mode (default: 1 4)")
    parser.add_argument("--batch", type=int, default=8, help="GPU mode: batch for images/s (default: 8)")
    parser.add_argument("--repeats", type=int, default=10, help="GPU mode: timed calls each (default: 10)")
    parser.add_argument("--compile-mode", default="max-autotune", help="torch.compile mode (default: max-autotune)")
    parser.add_argument(
        "--configs", nargs="+", metavar="NAME",
        help="GPU mode: which of 'all on', 'all off', '<speed-up> off' (default: all of them)",
    )  # fmt: skip
    args = parser.parse_args()
    result = gpu_speed(args) if args.gpu or args.dry_run else cpu_overhead(args.runs)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
