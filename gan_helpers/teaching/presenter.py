"""Presenter mode: the trained generators shipped with the course, for teaching in front of a class.

With ``GAN_COURSE_PRESENTER=1`` (see :func:`gan_helpers.settings.is_presenter`) each long training cell
of notebooks 04, 06, 07 and 08 copies a shipped generator into its GAN instead of training, and the
notebooks that need an earlier chapter's generator (06, 07, 08, 09, 11) take the shipped one when no saved
one is in ``artifacts/presenter/``, instead of training a stand-in. Every such cell prints one line saying so
(:func:`notice`). Presenter mode never writes into ``artifacts/``: what a learner trained stays.

The generators live in ``gan_helpers/assets/`` as ``<name>_generator.keras`` with a model card
``<name>_generator.json`` (data, steps, seed, score, the file's SHA-256); ``python -m
gan_helpers.assets.generators`` rebuilds them. Notebooks 05 and 10, which train many small runs instead of
one generator, show recorded runs in presenter mode: see :mod:`gan_helpers.teaching.recorded_runs`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keras

from ..toolkit.checkpoints import load_model
from ..toolkit.checks import check_option
from ..toolkit.data import TrainingData
from ..toolkit.models import (
    LATENT_DIM,
    NUM_CLASSES,
    build_chapter_generator,
    build_conditional_generator,
    build_dcgan_generator,
)

ASSET_DIR = Path(__file__).resolve().parent.parent / "assets"
#: the shipped generators, by the name of the ``artifacts/`` folder their notebook saves to
SHIPPED = ("mlp_gan", "mlp_gan_augmented", "dcgan", "conditional_gan", "conditional_gan_concat")
#: how long each one takes to train in its notebook's full mode on a 2-core laptop CPU (for the notice)
TRAINING_TIME = {
    "mlp_gan": "about 2 minutes",
    "mlp_gan_augmented": "about 2½ minutes",
    "dcgan": "about 7 minutes",
    "conditional_gan": "about 4½ minutes",
    "conditional_gan_concat": "about 3 minutes",
}

_REBUILD = "python -m gan_helpers.assets.generators --only {name}"

#: Each shipped generator's architecture, built by the course's own code (the recipes' defaults: width 32).
#: Used when this Keras cannot read a file's saved configuration, as an older Keras (Colab's 3.13) cannot
#: read a Sequential model saved by a newer one: the weights are then loaded into this architecture.
ARCHITECTURES: dict[str, Callable[[], keras.Model]] = {
    "mlp_gan": lambda: build_chapter_generator(LATENT_DIM),
    "mlp_gan_augmented": lambda: build_chapter_generator(LATENT_DIM),
    "dcgan": lambda: build_dcgan_generator(LATENT_DIM, 32),
    "conditional_gan": lambda: build_conditional_generator(LATENT_DIM, NUM_CLASSES, 32),
    "conditional_gan_concat": lambda: build_conditional_generator(LATENT_DIM, NUM_CLASSES, 32),
}


def _paths(name: object) -> tuple[Path, Path]:
    name = check_option(name, "name (a shipped generator)", SHIPPED)
    return ASSET_DIR / f"{name}_generator.keras", ASSET_DIR / f"{name}_generator.json"


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file's bytes (what a model card's ``sha256`` records)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def model_card(name: str) -> dict[str, Any]:
    """The model card of shipped generator ``name`` (one of :data:`SHIPPED`): a dict with ``title``,
    ``notebook``, ``steps``, ``seed``, ``trained_on`` (the training-data record), ``judged`` (``score``,
    ``fd``, ``classes`` and, for the conditional one, ``agreement`` and ``worst_agreement``),
    ``sha256``, versions and the ``rebuild`` command."""
    model_path, card_path = _paths(name)
    if not card_path.is_file():
        raise FileNotFoundError(
            f"the model card of the shipped generator {name!r} is missing ({card_path}): reinstall "
            f"gan_helpers, or rebuild it with `{_REBUILD.format(name=name)}`"
        )
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ValueError(
            f"{card_path} is not readable JSON ({err}): reinstall gan_helpers, or rebuild it with "
            f"`{_REBUILD.format(name=name)}`"
        ) from err
    if not isinstance(card, dict) or card.get("model") != model_path.name:
        raise ValueError(f"{card_path} is not the model card of {model_path.name}")
    return card


def load_generator(name: str) -> keras.Model:
    """Load shipped generator ``name`` (one of :data:`SHIPPED`) with Keras's ``safe_mode``, after checking
    the file's SHA-256 against its model card. If this Keras cannot read the file's configuration (an older
    Keras than the one that saved it, such as Colab's), the weights are loaded into the architecture that
    :data:`ARCHITECTURES` builds instead. Its input is noise ``(N, 100)`` (and, for
    ``"conditional_gan"``, labels ``(N,)``); its output ``(N, 28, 28, 1)``, in [0, 1] for ``"mlp_gan"``
    and in [-1, 1] for the others (the card's ``output`` says which)."""
    card = model_card(name)
    model_path, _ = _paths(name)
    if not model_path.is_file():
        raise FileNotFoundError(
            f"the shipped generator {name!r} is missing ({model_path}): reinstall gan_helpers, or rebuild it "
            f"with `{_REBUILD.format(name=name)}`"
        )
    digest = file_sha256(model_path)
    if digest != card.get("sha256"):
        raise ValueError(
            f"{model_path} does not match its model card (SHA-256 {digest[:12]}..., the card says "
            f"{str(card.get('sha256'))[:12]}...): the file was changed or damaged. Reinstall gan_helpers, or "
            f"rebuild it with `{_REBUILD.format(name=name)}`"
        )
    try:
        return load_model(model_path)
    except ValueError as err:  # e.g. saved by a newer Keras than this one
        generator = ARCHITECTURES[name]()
        try:
            generator.load_weights(model_path)
        except Exception as second:  # any failure here means the file is unusable
            why = f"{type(second).__name__}: {str(second)[:200]}"
            raise ValueError(
                f"{model_path} cannot be loaded with Keras {keras.__version__} ({err}), and its weights do "
                f"not fit the course's {name!r} architecture either ({why}). "
                f"Rebuild it with `{_REBUILD.format(name=name)}`"
            ) from second
        return generator


def notice(name: str) -> str:
    """The one line a presenter-mode cell prints, e.g. ``Presenter mode: using the shipped generator of
    notebook 06's DCGAN of width 32 (4,000 steps on the offline subset's 4,000 training digits, seed 42;
    score 7.53, 9 classes) instead of training it here (about 7 minutes). Set GAN_COURSE_PRESENTER=0 to
    train it yourself.``"""
    card = model_card(name)
    judged = card.get("judged", {})
    record = training_record(name)
    where = "full MNIST's" if record.source == "keras" else "the offline subset's"
    quality = f"score {judged.get('score', float('nan')):.2f}, {judged.get('classes', '?')} classes"
    if "agreement" in judged:
        quality += f", label agreement {judged['agreement']:.0%}"
    return (
        f"Presenter mode: using the shipped generator of {card['title']} ({card['steps']:,} steps on {where} "
        f"{record.count:,} training digits, seed {record.seed}; {quality}) instead of training it here "
        f"({TRAINING_TIME[name]}). Set GAN_COURSE_PRESENTER=0 to train it yourself."
    )


def training_record(name: str) -> TrainingData:
    """What shipped generator ``name`` trained on (its card's ``trained_on``), for the judge and for
    ``save_models(..., trained_on=...)``."""
    return TrainingData.from_dict(model_card(name)["trained_on"])


def use_shipped_generator(gan: Any, name: str) -> dict[str, Any]:
    """Copy shipped generator ``name``'s weights into ``gan.generator`` (a :class:`gan_helpers.training.GAN`
    built by the notebook's own code), set ``gan.trained_on`` to what it trained on, and print
    :func:`notice`; returns the model card.

    Raises ``ValueError`` when the notebook's generator is not the shipped one's architecture (say a
    changed width): presenter mode needs the notebook's default settings."""
    generator = getattr(gan, "generator", None)
    if not isinstance(generator, keras.Model):
        raise TypeError(
            f"gan must be the notebook's GAN (with a .generator Keras model), got {type(gan).__name__}"
        )
    shipped = load_generator(name)
    mine = [tuple(w.shape) for w in generator.weights]
    theirs = [tuple(w.shape) for w in shipped.weights]
    if mine != theirs:
        raise ValueError(
            f"this notebook's generator ({generator.count_params():,} parameters) is not built like the "
            f"shipped {name!r} ({shipped.count_params():,}): presenter mode needs the notebook's default "
            "settings (e.g. BASE_FILTERS = 32). Put them back, or set GAN_COURSE_PRESENTER=0 and train"
        )
    generator.set_weights(shipped.get_weights())
    gan.trained_on = training_record(name)
    print(notice(name))
    return model_card(name)


def stand_in(name: str) -> tuple[keras.Model, TrainingData]:
    """For a notebook that needs a trained generator and found none saved: shipped generator ``name`` and
    the record of what it trained on, instead of training a stand-in; prints :func:`notice`."""
    generator = load_generator(name)
    print(notice(name))
    return generator, training_record(name)
