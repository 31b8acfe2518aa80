"""WGAN-GP against the non-saturating GAN at about equal training time (notebook 10): the ring and MNIST.

    python benchmarks/wgan_gp.py                       # both parts at notebook 10's full-mode budgets
    python benchmarks/wgan_gp.py --part ring --seeds 0 1 2 3 4 5 6 7 8 9
    python benchmarks/wgan_gp.py --part mnist --scale 3   # three times notebook 10's MNIST steps

Ring (notebook 05's 8 Gaussians): the non-saturating GAN, the same with a minibatch standard deviation
layer in D, and WGAN-GP (5 critic steps, λ 10, Adam betas 0 / 0.9), all with the same networks, batch 256
and a cosine decay of the learning rate, each for its step count in gh.wgan_experiments.RING_STEPS (chosen
so the runs take about as long). One line per method:

    ring <method>: steps=… seconds_per_run=… modes=<mean> ± <std> high_quality=<mean> ± <std> seeds=…

MNIST (offline subset unless --source keras): notebook 06's DCGAN trained with the non-saturating loss, and
the same generator with a critic as WGAN-GP, for gh.wgan_experiments.MNIST_STEPS generator steps each (times
--scale), judged by the reference classifier on 500 samples from fixed noise against held-out digits at
--chunks points during training. One line per judgement:

    mnist <method>: steps=… seconds=… score=… fd=… floor=… classes=… gap=…

gap is the last chunk's E D(x) - E D(G(z)); for the critic, its estimate of the Wasserstein-1 distance.
"""

from __future__ import annotations

import argparse

import numpy as np

import gan_helpers as gh
from gan_helpers.teaching import wgan_experiments as wx
from gan_helpers.teaching.ring_experiments import compare_settings
from gan_helpers.toolkit.evaluation import SAMPLES, Judge
from gan_helpers.toolkit.recipes import LATENT_DIM


def ring(seeds: list[int]) -> None:
    for summary in compare_settings(wx.ring_methods(), seeds, progress=False):
        seconds = np.mean([run.seconds for run in summary.runs])
        steps = summary.runs[0].settings.steps
        print(
            f"ring {summary.name}: steps={steps} seconds_per_run={seconds:.1f} "
            f"modes={summary.modes_mean:.1f} ± {summary.modes_std:.1f} "
            f"high_quality={summary.quality_mean:.1%} ± {summary.quality_std:.1%} seeds={len(seeds)}",
            flush=True,
        )


def mnist(source: str, scale: float, chunks: int, seed: int) -> None:
    data = gh.load_mnist(source=source, scale=(0, 1))
    record = data.record.with_seed(seed)
    judge = Judge(samples=SAMPLES, trained_on=record)
    floor = judge.judge_real().fd
    z = np.random.default_rng(seed).standard_normal((SAMPLES, LATENT_DIM)).astype("float32")
    for name, (gan, batch) in wx.race_contenders(seed=seed).items():
        steps = max(1, round(wx.MNIST_STEPS[name] * scale / chunks)) * chunks
        dataset = gh.make_dataset(data.images * 2 - 1, batch_size=batch, seed=seed).repeat()
        result = wx.race(name, gan, dataset, steps, steps // chunks, judge, z, trained_on=record)
        for i, done in enumerate(result.steps):
            print(
                f"mnist {name}: steps={done} seconds={result.seconds[i]:.0f} score={result.score[i]:.2f} "
                f"fd={result.fd[i]:.2f} floor={floor:.2f} classes={result.classes[i]} "
                f"gap={result.gap[i]:.3f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=("ring", "mnist", "all"), default="all")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4], help="ring seeds")
    parser.add_argument("--source", default="subset", help="MNIST source: subset (offline) or keras")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply notebook 10's MNIST steps")
    parser.add_argument("--chunks", type=int, default=8, help="judgements per MNIST run")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.scale <= 0 or args.chunks < 1:
        parser.error("--scale must be > 0 and --chunks >= 1")
    gh.setup(seed=args.seed, verbose=False)
    if args.part in ("ring", "all"):
        ring(args.seeds)
    if args.part in ("mnist", "all"):
        mnist(args.source, args.scale, args.chunks, args.seed)


if __name__ == "__main__":
    main()
