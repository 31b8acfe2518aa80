"""The course's map and where it lives: defined once, used by notebooks, README and tests.

If you fork the course, change :data:`REPOSITORY` here and run
``python scripts/refresh_notebooks.py --set-repository`` so every notebook's Colab badge and
install line follow.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The GitHub repository that holds the course (``owner/name``).
REPOSITORY = "gan-course/gan-course"
#: The branch that Colab badges open.
BRANCH = "main"


@dataclass(frozen=True)
class Chapter:
    """One notebook of the course: its number, file stem and what the learner gets."""

    number: int
    slug: str
    title: str
    summary: str

    @property
    def filename(self) -> str:
        """The notebook's file name, e.g. ``"00_start_here.ipynb"``."""
        return f"{self.number:02d}_{self.slug}.ipynb"


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(0, "start_here", "Start here", "how to use the course, your environment, the data, a glossary"),
    Chapter(1, "what_is_a_gan", "What is a GAN?", "generator, discriminator and their game, on a 1-D toy"),
    Chapter(
        2, "loss_functions", "Loss functions", "L_D, L_G, the minimax value and why the non-saturating loss"
    ),
    Chapter(3, "mnist_data", "MNIST data", "loading, pixel ranges, grids, a tf.data pipeline"),
    Chapter(
        4, "first_gan_mnist", "Your first GAN", "the chapter's model, the Keras 3 pitfall, a fast trainer"
    ),
    Chapter(5, "training_dynamics", "Training dynamics", "vanishing gradients, mode collapse, remedies"),
    Chapter(6, "dcgan", "DCGAN", "convolutional G and D sized for a CPU"),
    Chapter(7, "evaluating_gans", "Evaluating GANs", "classifier score, Frechet distance, coverage"),
    Chapter(8, "conditional_gan", "Conditional GAN", "ask for any digit"),
    Chapter(9, "latent_space", "Latent space", "interpolation, arithmetic, sliders"),
    Chapter(10, "wgan_gp", "WGAN-GP", "Wasserstein distance, critic, gradient penalty"),
    Chapter(11, "applications", "Applications", "inpainting by latent search; where to go next"),
)


def repository_url() -> str:
    """The course repository's web address, e.g. ``https://github.com/owner/name``."""
    return f"https://github.com/{REPOSITORY}"


def colab_url(notebook_filename: str) -> str:
    """The address that opens ``notebooks/<notebook_filename>`` of this course in Google Colab."""
    if (
        not isinstance(notebook_filename, str)
        or not notebook_filename.endswith(".ipynb")
        or "/" in notebook_filename
    ):
        raise ValueError(
            f"expected a notebook file name such as '00_start_here.ipynb', got {notebook_filename!r}"
        )
    return (
        f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook_filename}"
    )


def colab_badge_markdown(notebook_filename: str) -> str:
    """The Markdown of the "Open in Colab" badge for one notebook."""
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    return f"[![Open In Colab]({badge})]({colab_url(notebook_filename)})"


def pip_install_target() -> str:
    """What ``pip install`` takes to install ``gan_helpers`` straight from the repository (used in Colab)."""
    return f"gan-helpers @ git+{repository_url()}.git@{BRANCH}"


def chapter(number: int) -> Chapter:
    """The chapter with this number (0 to 11); ``ValueError`` for any other number."""
    for ch in CHAPTERS:
        if ch.number == number and isinstance(number, int) and not isinstance(number, bool):
            return ch
    raise ValueError(
        f"no chapter {number!r}: number must be one of the course's chapters 0 to {CHAPTERS[-1].number}"
    )
