"""A short history of GANs: the milestones the course refers to, as data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Milestone:
    """One step in the history of generative adversarial networks."""

    year: int
    name: str
    authors: str
    contribution: str
    diffusion: bool = False  # a diffusion model rather than a GAN


MILESTONES: tuple[Milestone, ...] = (
    Milestone(
        2014, "GAN", "Goodfellow et al.", "a generator and a discriminator trained as a two-player game"
    ),
    Milestone(
        2014, "Conditional GAN", "Mirza & Osindero", "feed a label to G and D to choose what is generated"
    ),
    Milestone(
        2015,
        "DCGAN",
        "Radford, Metz & Chintala",
        "convolutional G and D with rules that make training stable",
    ),
    Milestone(2016, "pix2pix", "Isola et al.", "image-to-image translation from paired examples"),
    Milestone(
        2017,
        "WGAN / WGAN-GP",
        "Arjovsky et al.; Gulrajani et al.",
        "Wasserstein distance and a gradient penalty",
    ),
    Milestone(2017, "CycleGAN", "Zhu et al.", "translation between two image domains without pairs"),
    Milestone(2017, "Progressive GAN", "Karras et al.", "grow G and D from 4x4 to 1024x1024 during training"),
    Milestone(
        2018, "BigGAN", "Brock, Donahue & Simonyan", "large-scale class-conditional ImageNet generation"
    ),
    Milestone(2018, "StyleGAN", "Karras, Laine & Aila", "a style-based generator; photorealistic faces"),
    Milestone(2020, "DDPM", "Ho, Jain & Abbeel", "denoising diffusion models start to rival GANs", True),
    Milestone(
        2021,
        "Diffusion beats GANs",
        "Dhariwal & Nichol",
        "diffusion overtakes GANs on ImageNet sample quality",
        True,
    ),
    Milestone(2023, "GigaGAN", "Kang et al.", "GANs scaled up for fast text-to-image generation"),
)
