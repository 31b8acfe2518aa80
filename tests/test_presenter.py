"""Presenter mode: the switch, budgets, where it saves, and the shipped generators it loads.

The quality tests judge every shipped generator with the reference classifier, as its model card says it
was judged, and hold each one to what its chapter claims (notebook 08's targets for the projection
generator; for the others, the levels their notebooks' full runs reach, since the course's own targets for
the MLP and the DCGAN are not met on a CPU, as the README says).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import presenter
from gan_helpers.toolkit.evaluation import Judge, benchmark_samples
from gan_helpers.toolkit.recipes import LATENT_DIM


def _version(text: str) -> tuple[int, ...]:
    """``"3.13.2"`` -> ``(3, 13, 2)`` (pre-release tags dropped)."""
    return tuple(int("".join(c for c in part if c.isdigit()) or 0) for part in text.split(".")[:3])


# -- the switch and the budgets ----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_presenter_mode_on(monkeypatch, value):
    monkeypatch.setenv("GAN_COURSE_FAST", "0")
    monkeypatch.setenv("GAN_COURSE_PRESENTER", value)
    assert gh.is_presenter()
    assert gh.budget(full=3000, fast=20, presenter=200) == 200
    assert gh.budget(full=3000, fast=20) == 3000  # no presenter value: the full one


@pytest.mark.parametrize("value", ["0", "", "false", "off"])
def test_presenter_mode_off(monkeypatch, value):
    monkeypatch.setenv("GAN_COURSE_FAST", "0")
    monkeypatch.setenv("GAN_COURSE_PRESENTER", value)
    assert not gh.is_presenter()
    assert gh.budget(full=3000, fast=20, presenter=200) == 3000


def test_fast_mode_wins_over_presenter_mode(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "1")
    assert gh.budget(full=3000, fast=20, presenter=200) == 20


def test_presenter_typo_is_an_error_that_says_what_to_write(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "presenter")
    with pytest.raises(ValueError, match=r"GAN_COURSE_PRESENTER='presenter' is not understood.*use 1"):
        gh.is_presenter()


def test_budget_refuses_a_presenter_value_of_another_kind(monkeypatch):
    with pytest.raises(TypeError, match=r"same kind.*presenter=str"):
        gh.budget(full=[0, 1], fast=[0], presenter="0")
    assert gh.budget(full=2e-4, fast=1, presenter=3) == 1  # numbers mix


def test_the_environment_line_says_presenter_mode_only_when_on(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "0")
    assert "presenter" not in str(gh.summarize_environment(seed=1))
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "1")
    assert "presenter mode on (shipped generators)" in str(gh.summarize_environment(seed=1))
    assert ("Presenter mode", "on (GAN_COURSE_PRESENTER=1: shipped generators)") in gh.environment_report()


def test_presenter_mode_saves_beside_the_learners_artifacts_never_over_them(monkeypatch, tmp_path):
    monkeypatch.setenv("GAN_COURSE_ARTIFACTS", str(tmp_path))
    monkeypatch.setenv("GAN_COURSE_FAST", "0")
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "0")
    learners = gh.checkpoints.artifacts_dir("dcgan")
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "1")
    demo = gh.checkpoints.artifacts_dir("dcgan")
    assert learners == tmp_path / "dcgan"
    assert demo == tmp_path / "presenter" / "dcgan"


# -- the shipped files ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", presenter.SHIPPED)
def test_each_shipped_generator_loads_with_safe_mode_and_matches_its_card(name):
    card = presenter.model_card(name)
    path = presenter.ASSET_DIR / card["model"]
    if _version(keras.__version__) < _version(card["keras"]):
        pytest.skip(
            f"Keras {keras.__version__} is older than the Keras {card['keras']} that saved the file and "
            "cannot read its configuration; load_generator's fallback is tested below and used for the scores"
        )
    model = keras.models.load_model(path, safe_mode=True)  # what gh.checkpoints.load_model does
    assert model.count_params() == card["parameters"]
    assert card["rebuild"] == f"python -m gan_helpers.assets.generators --only {name}"
    assert card["steps"] > 0 and card["seed"] == 42
    record = presenter.training_record(name)
    assert record.tag == "subset/train/4000"
    loaded = presenter.load_generator(name)
    z = np.random.default_rng(0).standard_normal((4, LATENT_DIM)).astype("float32")
    inputs = [z, np.arange(4)] if gh.models.takes_labels(loaded) else z
    np.testing.assert_allclose(loaded(inputs, training=False), model(inputs, training=False), atol=1e-6)
    low, high = (0.0, 1.0) if name.startswith("mlp") else (-1.0, 1.0)
    assert card["output"].endswith(f"[{low:g}, {high:g}]")


@pytest.fixture(scope="module")
def judged():
    """Every shipped generator judged on SAMPLES samples from the card's fixed noise, as at build time."""
    judge = Judge()
    reports = {}
    for name in presenter.SHIPPED:
        generator = presenter.load_generator(name)
        scale = (0.0, 1.0) if name.startswith("mlp") else (-1.0, 1.0)
        images, labels = benchmark_samples(generator, scale)
        record = presenter.training_record(name)
        reports[name] = judge.judge(name, images, trained_on=record, labels=labels)
    return reports


@pytest.mark.parametrize("name", presenter.SHIPPED)
def test_each_card_states_the_scores_the_classifier_gives_now(judged, name):
    card, report = presenter.model_card(name)["judged"], judged[name]
    assert report.score == pytest.approx(card["score"], abs=0.05)
    assert report.fd == pytest.approx(card["fd"], rel=0.03)
    assert report.classes == card["classes"]
    if "agreement" in card:
        assert report.agreement == pytest.approx(card["agreement"], abs=0.01)


def test_the_projection_generator_meets_chapter_08s_targets(judged):
    report = judged["conditional_gan"]
    assert report.agreement >= 0.95 and report.worst_agreement >= 0.85
    assert report.score >= 9.0 and report.classes == 10


def test_the_other_generators_reach_their_notebooks_levels_in_the_chapters_order(judged):
    # notebook 07: MLP about 4.4-4.8 with 5-7 classes, augmented MLP about 5.5-5.7, DCGAN about 7.1-7.3
    assert judged["mlp_gan"].score >= 4.0
    assert judged["mlp_gan_augmented"].score > judged["mlp_gan"].score
    assert judged["dcgan"].score >= 7.0 and judged["dcgan"].classes >= 8
    assert judged["dcgan"].fd < judged["mlp_gan_augmented"].fd < judged["mlp_gan"].fd
    # notebook 08: at 1,500 steps the concat discriminator's generator draws the digit asked for less often
    assert judged["conditional_gan_concat"].agreement < judged["conditional_gan"].agreement - 0.2
    assert judged["conditional_gan_concat"].agreement > 0.3  # but it did learn the label (chance: 0.1)


# -- what goes wrong ----------------------------------------------------------------------------------
@pytest.fixture
def asset_copy(tmp_path, monkeypatch):
    """A copy of the shipped DCGAN's files in a temporary asset folder the module reads instead."""
    for suffix in (".keras", ".json"):
        shutil.copy(presenter.ASSET_DIR / f"dcgan_generator{suffix}", tmp_path)
    monkeypatch.setattr(presenter, "ASSET_DIR", tmp_path)
    return tmp_path


def test_a_damaged_file_is_refused_with_the_rebuild_command(asset_copy):
    path = asset_copy / "dcgan_generator.keras"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"does not match its model card.*--only dcgan"):
        presenter.load_generator("dcgan")


def test_a_missing_file_or_card_says_how_to_get_it_back(asset_copy):
    (asset_copy / "dcgan_generator.keras").unlink()
    with pytest.raises(FileNotFoundError, match=r"shipped generator 'dcgan' is missing.*reinstall"):
        presenter.load_generator("dcgan")
    (asset_copy / "dcgan_generator.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"model card .* is missing.*--only dcgan"):
        presenter.model_card("dcgan")


def test_an_unreadable_card_is_refused(asset_copy):
    (asset_copy / "dcgan_generator.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not readable JSON"):
        presenter.model_card("dcgan")


def test_a_keras_that_cannot_read_the_file_gets_the_weights_in_the_courses_architecture(monkeypatch):
    # Colab's Keras 3.13 cannot read a Sequential model saved by Keras 3.15 (checked by hand in a venv with
    # TensorFlow 2.20 / Keras 3.13.2: all five load this way and score exactly what their cards say).
    def newer_file(path):
        raise ValueError(f"{path} is not a readable Keras model; it was saved with Keras 9.9")

    expected = presenter.load_generator("conditional_gan")
    monkeypatch.setattr(presenter, "load_model", newer_file)
    rebuilt = presenter.load_generator("conditional_gan")
    assert rebuilt is not expected
    for mine, theirs in zip(rebuilt.get_weights(), expected.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    monkeypatch.setitem(presenter.ARCHITECTURES, "conditional_gan", presenter.ARCHITECTURES["dcgan"])
    unusable = r"(?s)do not fit the course's 'conditional_gan' architecture.*--only"
    with pytest.raises(ValueError, match=unusable):
        presenter.load_generator("conditional_gan")


def test_an_unknown_name_lists_the_shipped_ones():
    with pytest.raises(ValueError, match=r"must be one of 'mlp_gan', 'mlp_gan_augmented', 'dcgan'"):
        presenter.load_generator("wgan")


# -- using them in a notebook -------------------------------------------------------------------------
def test_use_shipped_generator_copies_the_weights_sets_the_record_and_says_so(capsys):
    gan = gh.recipes.dcgan(seed=3)
    card = presenter.use_shipped_generator(gan, "dcgan")
    shipped = presenter.load_generator("dcgan")
    for mine, theirs in zip(gan.generator.get_weights(), shipped.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert gan.trained_on == presenter.training_record("dcgan")
    line = capsys.readouterr().out.strip()
    assert line == presenter.notice("dcgan")
    assert line.startswith("Presenter mode: using the shipped generator of notebook 06's DCGAN")
    assert f"({card['steps']:,} steps on the offline subset's 4,000" in line
    assert "GAN_COURSE_PRESENTER=0" in line
    assert "\n" not in line


def test_use_shipped_generator_refuses_a_generator_built_differently():
    narrow = gh.recipes.dcgan(base_filters=16)
    before = [w.copy() for w in narrow.generator.get_weights()]
    with pytest.raises(ValueError, match=r"not built like the shipped 'dcgan'.*BASE_FILTERS = 32"):
        presenter.use_shipped_generator(narrow, "dcgan")
    for a, b in zip(before, narrow.generator.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # left as it was
    with pytest.raises(TypeError, match="gan must be the notebook's GAN"):
        presenter.use_shipped_generator(presenter.load_generator("dcgan"), "dcgan")


def test_stand_in_gives_the_generator_and_its_record(capsys):
    generator, record = presenter.stand_in("conditional_gan")
    assert gh.models.takes_labels(generator)
    assert record == presenter.training_record("conditional_gan")
    assert "label agreement" in capsys.readouterr().out


def test_shipped_files_are_package_data():
    from importlib.resources import files

    folder = Path(str(files("gan_helpers") / "assets"))
    assert folder == presenter.ASSET_DIR
    for name in presenter.SHIPPED:
        assert (folder / f"{name}_generator.keras").is_file()
