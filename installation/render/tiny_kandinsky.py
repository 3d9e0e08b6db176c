"""Tiny untrained Kandinsky pipelines (2.2 prior + decoder, and 3), built from configs for tests.

As with the tiny Stable Diffusion (``installation.render.tiny``): every component is built after
``torch.manual_seed(0)``, so two builds hold the same weights; the sizes follow diffusers' own
Kandinsky tests. They paint noise. ``save_pretrained`` them into a folder and load the folder through
``LocalRenderer.load`` like real weights. The text side uses our in-memory CLIP tokenizer (Kandinsky 3
ships a T5 tokenizer, whose files we cannot build without a download); its vocabulary is not what a
real model reads, which an untrained model does not mind.
"""

from __future__ import annotations

from typing import Any

from installation.render.families import combine_kandinsky22
from installation.render.tiny import build_tiny_tokenizer

# Four blocks, as in the real MoVQ: 8x smaller latents (Kandinsky 3 assumes that factor).
TINY_MOVQ_CONFIG = {
    "block_out_channels": (32, 32, 32, 32),  # SpatialNorm groups by 32
    "down_block_types": ("DownEncoderBlock2D",) * 3 + ("AttnDownEncoderBlock2D",),
    "up_block_types": ("AttnUpDecoderBlock2D",) + ("UpDecoderBlock2D",) * 3,
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 4,
    "layers_per_block": 1,
    "norm_num_groups": 8,
    "norm_type": "spatial",
    "num_vq_embeddings": 12,
    "vq_embed_dim": 4,
}
_HIDDEN = 32


def build_tiny_movq() -> Any:
    """The MoVQ image decoder both Kandinsky versions use (a ``VQModel`` with spatial norms)."""
    import torch
    from diffusers import VQModel

    torch.manual_seed(0)
    return VQModel(**TINY_MOVQ_CONFIG)  # type: ignore[no-untyped-call]


def build_tiny_kandinsky22_prior() -> Any:
    """``KandinskyV22PriorPipeline``: CLIP text -> a CLIP image embedding (the prior)."""
    import torch
    from diffusers import KandinskyV22PriorPipeline, PriorTransformer, UnCLIPScheduler
    from transformers import (
        CLIPTextConfig,
        CLIPTextModelWithProjection,
        CLIPVisionConfig,
        CLIPVisionModelWithProjection,
    )

    tokenizer = build_tiny_tokenizer()
    tokenizer.model_max_length = 77  # the prior's positional table is sized for CLIP's window
    torch.manual_seed(0)
    text_encoder = CLIPTextModelWithProjection(
        CLIPTextConfig(
            bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id, hidden_size=_HIDDEN, projection_dim=_HIDDEN,
            intermediate_size=37, layer_norm_eps=1e-05, num_attention_heads=4, num_hidden_layers=2,
            vocab_size=len(tokenizer), max_position_embeddings=77,
        )
    )  # fmt: skip
    torch.manual_seed(0)
    prior: Any = PriorTransformer(  # type: ignore[no-untyped-call]
        num_attention_heads=2, attention_head_dim=12, embedding_dim=_HIDDEN, num_layers=1, num_embeddings=77
    )
    # An untrained prior's clip_std of zeros would make every embedding zero; diffusers' tests use ones.
    with torch.no_grad():
        torch.nn.init.ones_(prior.get_parameter("clip_std"))
    torch.manual_seed(0)
    image_encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=_HIDDEN, image_size=32, projection_dim=_HIDDEN, intermediate_size=37, num_attention_heads=4,
            num_channels=3, num_hidden_layers=2, patch_size=8,
        )
    )  # fmt: skip
    scheduler = UnCLIPScheduler(  # type: ignore[no-untyped-call]
        variance_type="fixed_small_log", prediction_type="sample", num_train_timesteps=1000, clip_sample=True,
        clip_sample_range=10.0,
    )  # fmt: skip
    image_encoder.eval()  # type: ignore[no-untyped-call]
    text_encoder.eval()  # type: ignore[no-untyped-call]
    return KandinskyV22PriorPipeline(  # type: ignore[no-untyped-call]
        prior=prior, image_encoder=image_encoder, text_encoder=text_encoder, tokenizer=tokenizer,
        scheduler=scheduler, image_processor=_image_processor(),
    )  # fmt: skip


def build_tiny_kandinsky22_decoder() -> Any:
    """``KandinskyV22Pipeline``: an image embedding -> latents (UNet) -> pixels (MoVQ)."""
    import torch
    from diffusers import DDIMScheduler, KandinskyV22Pipeline, UNet2DConditionModel

    torch.manual_seed(0)
    unet = UNet2DConditionModel(  # type: ignore[no-untyped-call]
        in_channels=4, out_channels=8, addition_embed_type="image",
        down_block_types=("ResnetDownsampleBlock2D", "SimpleCrossAttnDownBlock2D"),
        up_block_types=("SimpleCrossAttnUpBlock2D", "ResnetUpsampleBlock2D"),
        mid_block_type="UNetMidBlock2DSimpleCrossAttn", block_out_channels=(32, 64), layers_per_block=1,
        encoder_hid_dim=_HIDDEN, encoder_hid_dim_type="image_proj", cross_attention_dim=32, attention_head_dim=4,
        resnet_time_scale_shift="scale_shift", class_embed_type=None,
    )  # fmt: skip
    scheduler = DDIMScheduler(  # type: ignore[no-untyped-call]
        num_train_timesteps=1000, beta_schedule="linear", beta_start=0.00085, beta_end=0.012, clip_sample=False,
        set_alpha_to_one=False, steps_offset=1, prediction_type="epsilon", thresholding=False,
    )  # fmt: skip
    return KandinskyV22Pipeline(unet=unet, scheduler=scheduler, movq=build_tiny_movq())  # type: ignore[no-untyped-call]


def build_tiny_kandinsky22() -> Any:
    """``KandinskyV22CombinedPipeline``: the prior and the decoder in one text-to-image pipeline."""
    return combine_kandinsky22(build_tiny_kandinsky22_prior(), build_tiny_kandinsky22_decoder())


def build_tiny_kandinsky3() -> Any:
    """``Kandinsky3Pipeline``: a T5 text encoder, the Kandinsky 3 UNet and MoVQ."""
    import torch
    from diffusers import DDPMScheduler, Kandinsky3Pipeline, Kandinsky3UNet
    from transformers import T5Config, T5EncoderModel

    tokenizer = build_tiny_tokenizer()
    tokenizer.model_max_length = 128  # Kandinsky 3 reads 128 tokens
    torch.manual_seed(0)
    unet = Kandinsky3UNet(  # type: ignore[no-untyped-call]
        in_channels=4, time_embedding_dim=4, groups=2, attention_head_dim=4, layers_per_block=3,
        block_out_channels=(32, 64), cross_attention_dim=4, encoder_hid_dim=_HIDDEN,
    )  # fmt: skip
    torch.manual_seed(0)
    t5 = T5Config(
        vocab_size=len(tokenizer), d_model=_HIDDEN, d_kv=8, d_ff=37, num_layers=2, num_heads=4,
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
    )  # fmt: skip
    text_encoder = T5EncoderModel(t5)
    scheduler = DDPMScheduler(  # type: ignore[no-untyped-call]
        beta_start=0.00085, beta_end=0.012, steps_offset=1, beta_schedule="squaredcos_cap_v2", clip_sample=True,
        thresholding=False,
    )  # fmt: skip
    text_encoder.eval()  # type: ignore[no-untyped-call]
    return Kandinsky3Pipeline(  # type: ignore[no-untyped-call]
        tokenizer=tokenizer, text_encoder=text_encoder, unet=unet, scheduler=scheduler, movq=build_tiny_movq()
    )


def _image_processor() -> Any:
    import transformers

    # transformers 5 names the torchvision-free processor CLIPImageProcessorPil; older ones CLIPImageProcessor.
    cls = getattr(transformers, "CLIPImageProcessorPil", None) or transformers.CLIPImageProcessor
    return cls(
        crop_size=32, do_center_crop=True, do_normalize=True, do_resize=True, resample=3, size=32,
        image_mean=[0.48145466, 0.4578275, 0.40821073], image_std=[0.26862954, 0.26130258, 0.27577711],
    )  # fmt: skip
