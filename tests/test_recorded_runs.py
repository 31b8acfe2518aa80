"""Recorded runs for presenter mode (``gan_helpers.teaching.recorded_runs``): what the refresh records, what
presenter mode gives back instead of training, what it refuses, and that the shipped recordings still match
what the trainer does today."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers.teaching import mnist_experiments, recorded_runs, ring_experiments, wgan_experiments
from gan_helpers.teaching.ring_experiments import RingSettings, compare_settings, train_on_ring
from gan_helpers.toolkit import recipes
from gan_helpers.toolkit.data import make_dataset

SHIPPED_DIR = recorded_runs.RUNS_DIR
TINY = RingSettings(steps=100)  # 2 records of 50 steps: about a second


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    """An empty recordings folder and an empty memory of ring runs, so every run is trained or loaded."""
    folder = tmp_path / "runs"
    monkeypatch.setattr(recorded_runs, "RUNS_DIR", folder)
    monkeypatch.setattr(ring_experiments, "_RUNS", type(ring_experiments._RUNS)())
    for name in ("GAN_COURSE_FAST", "GAN_COURSE_PRESENTER", recorded_runs.RECORD_ENV_VAR):
        monkeypatch.delenv(name, raising=False)
    return folder


def recording(monkeypatch, notebook="nb"):
    monkeypatch.delenv("GAN_COURSE_PRESENTER", raising=False)
    monkeypatch.setenv(recorded_runs.RECORD_ENV_VAR, notebook)


def presenting(monkeypatch):
    monkeypatch.delenv(recorded_runs.RECORD_ENV_VAR, raising=False)
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "1")
    ring_experiments._RUNS.clear()


def no_training(monkeypatch, module, name):
    @functools.wraps(getattr(module, name))  # keeps the signature, which train_chapter_gans reads
    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} trained although a recording exists")

    monkeypatch.setattr(module, name, refuse)


def notices(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Presenter mode:")]


# --- ring runs --------------------------------------------------------------------------------------------


def test_presenter_mode_returns_the_recorded_ring_run_instead_of_training(runs_dir, monkeypatch, capsys):
    recording(monkeypatch)
    trained = train_on_ring(TINY, seed=3, record_every=50, n_samples=600)
    capsys.readouterr()
    presenting(monkeypatch)
    no_training(monkeypatch, ring_experiments, "_train")

    shown = train_on_ring(TINY, seed=3, record_every=50, n_samples=600)

    assert notices(capsys.readouterr().out) == [
        "Presenter mode: using the recorded run of seed 3 instead of training it here ("
        f"{trained.seconds:.0f} s of training when the course's outputs were made). "
        "Set GAN_COURSE_PRESENTER=0 to train it yourself."
    ]
    assert shown.settings == trained.settings and shown.seed == 3
    assert shown.steps == trained.steps == [0, 50, 100]
    assert shown.coverage == trained.coverage  # exact: the numbers a cell prints
    assert shown.history == trained.history
    assert shown.seconds == pytest.approx(trained.seconds, abs=1e-3)
    assert [s.shape for s in shown.samples] == [(600, 2)] * 3  # a single run keeps every point
    for mine, theirs in zip(shown.samples, trained.samples, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-3, atol=1e-3)  # float16
    # the same call again comes from memory, silently
    assert train_on_ring(TINY, seed=3, record_every=50, n_samples=600) is shown
    assert capsys.readouterr().out == ""


def test_outside_presenter_mode_a_recording_is_never_used(runs_dir, monkeypatch):
    recording(monkeypatch)
    train_on_ring(TINY, seed=3, record_every=50)
    monkeypatch.delenv(recorded_runs.RECORD_ENV_VAR)
    ring_experiments._RUNS.clear()
    calls = []
    monkeypatch.setattr(ring_experiments, "_train", lambda *a: calls.append(a) or "trained here")
    assert train_on_ring(TINY, seed=3, record_every=50) == "trained here"
    assert len(calls) == 1


def test_a_changed_argument_is_a_different_run(runs_dir, monkeypatch):
    recording(monkeypatch)
    train_on_ring(TINY, seed=3, record_every=50)
    presenting(monkeypatch)
    calls = []
    monkeypatch.setattr(ring_experiments, "_train", lambda *a: calls.append(a) or "trained here")
    for changed in (
        dict(settings=TINY.changed(beta_1=0.5)),
        dict(seed=4),
        dict(record_every=25),
        dict(n_samples=100),
    ):
        arguments = dict(settings=TINY, seed=3, record_every=50) | changed
        assert train_on_ring(**arguments) == "trained here"
    assert len(calls) == 4


def test_compare_settings_uses_the_recordings_and_trains_only_the_rest(runs_dir, monkeypatch, capsys):
    recording(monkeypatch)
    both = {"plain": TINY, "β1 0.5": TINY.changed(beta_1=0.5)}
    first = compare_settings(both, seeds=[0], workers=1, progress=False, record_every=50, n_samples=600)
    assert len(list(runs_dir.glob("nb/ring-*.npz"))) == 2
    presenting(monkeypatch)
    trained = []
    real_train = ring_experiments._train

    def train(*args, **kwargs):
        trained.append(kwargs["settings"])
        return real_train(*args, **kwargs)

    monkeypatch.setattr(ring_experiments, "_train", train)
    three = both | {"β1 0": TINY.changed(beta_1=0.0)}
    again = compare_settings(three, seeds=[0], workers=1, progress=False, record_every=50, n_samples=600)

    assert trained == [TINY.changed(beta_1=0.0)]
    (line,) = notices(capsys.readouterr().out)
    assert line.startswith("Presenter mode: using 2 recorded ring runs (")
    assert line.endswith(
        "; training the other 1 here (no recording has their settings). Set GAN_COURSE_PRESENTER=0 to train "
        "them yourself."
    )
    assert [str(s) for s in again[:2]] == [str(s) for s in first]
    # inside a comparison only the final metrics are shown, so only the first 500 points are kept
    assert again[0].runs[0].samples[-1].shape == (recorded_runs.COMPARISON_POINTS, 2)
    assert again[0].runs[0].coverage == first[0].runs[0].coverage


def test_the_widget_says_when_it_shows_a_recorded_run_and_prints_nothing(runs_dir, monkeypatch, capsys):
    recording(monkeypatch)
    train_on_ring(RingSettings(steps=200), seed=0, record_every=100)
    presenting(monkeypatch)
    no_training(monkeypatch, ring_experiments, "_train")
    capsys.readouterr()
    box = gh.widgets.ring_experiment(steps=200, seed=0)
    assert "recorded, presenter mode" in box.status.value
    assert box.last_run.steps == [0, 100, 200]
    assert capsys.readouterr().out == ""


# --- MNIST runs and races ----------------------------------------------------------------------------------


@functools.wraps(mnist_experiments.train_chapter_gan)  # the same signature, which keys the recordings
def fake_mnist_run(images, labels, name, steps, seed=0, record_every=100, **settings):
    """Stands in for train_chapter_gan: a run whose numbers follow from its arguments."""
    records = steps // record_every
    rng = np.random.default_rng(seed)
    return mnist_experiments.MnistRun(
        name=name,
        settings={"seed": seed, **settings},
        steps=[record_every * (i + 1) for i in range(records)],
        history={"d_real": list(rng.uniform(size=records)), "g_grad_norm": list(rng.uniform(size=records))},
        samples=rng.uniform(size=(24, 28, 28, 1)),
        class_shares=rng.dirichlet(np.ones(10)),
        class_history=rng.dirichlet(np.ones(10), size=records),
        diversity=float(rng.uniform()),
        seconds=12.5 + seed,
        generator=object(),
    )


def test_presenter_mode_returns_recorded_mnist_runs(runs_dir, monkeypatch, capsys):
    images = np.random.default_rng(0).uniform(size=(64, 28, 28, 1)).astype("float32")
    labels = np.arange(64) % 10
    variants = {"recipe": {}, "D 10x faster": {"d_lr": 2e-3}}
    monkeypatch.setattr(mnist_experiments, "train_chapter_gan", fake_mnist_run)
    recording(monkeypatch)
    first = mnist_experiments.train_chapter_gans(images, labels, variants, steps=300, workers=1, seed=2)
    presenting(monkeypatch)
    no_training(monkeypatch, mnist_experiments, "train_chapter_gan")
    capsys.readouterr()

    renamed = {"my recipe": {}, "fast D": {"d_lr": 2e-3}}
    again = mnist_experiments.train_chapter_gans(images, labels, renamed, steps=300, workers=1, seed=2)

    assert notices(capsys.readouterr().out) == [
        "Presenter mode: using 2 recorded MNIST runs on 64 digits instead of training them here (29 s of "
        "training in all when the course's outputs were made). Set GAN_COURSE_PRESENTER=0 to train them "
        "yourself."
    ]
    assert list(again) == ["my recipe", "fast D"]  # the names the notebook gave
    for mine, theirs in zip(again.values(), first.values(), strict=True):
        assert mine.steps == theirs.steps and mine.history == theirs.history
        np.testing.assert_array_equal(mine.class_shares, theirs.class_shares)
        np.testing.assert_array_equal(mine.class_history, theirs.class_history)
        np.testing.assert_allclose(mine.samples, theirs.samples, atol=1e-3)
        assert mine.diversity == theirs.diversity and mine.generator is None
    assert again["fast D"].settings == {
        "d_lr": 2e-3,
        "g_lr": 2e-4,
        "beta_1": 0.5,
        "g_loss": "non_saturating",
        "seed": 2,
    }
    # another budget is another run: trained, not taken from the recording
    with pytest.raises(AssertionError, match="trained although"):
        mnist_experiments.train_chapter_gans(images, labels, renamed, steps=400, workers=1, seed=2)


class FakeJudge:
    """Scores by mean pixel: the race's bookkeeping without the classifier."""

    samples = 8

    def judge(self, name, images, seconds=0.0, trained_on=None):
        return SimpleNamespace(score=float(images.mean()) * 10, fd=1.0 + float(images.std()), classes=3)


def test_presenter_mode_returns_the_recorded_race(runs_dir, monkeypatch, capsys):
    images = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype("float32")
    z = np.random.default_rng(1).standard_normal((8, 100)).astype("float32")
    data = make_dataset(images, batch_size=8, seed=0).repeat()
    trained_on = SimpleNamespace(count=32)

    def contender():
        gan = recipes.wgan_gp(base_filters=2, d_steps=1)
        gan.compile()
        return gan

    recording(monkeypatch)
    first = wgan_experiments.race("WGAN-GP", contender(), data, 4, 2, FakeJudge(), z, trained_on=trained_on)
    presenting(monkeypatch)
    capsys.readouterr()
    untrained = contender()
    monkeypatch.setattr(untrained, "fit", lambda *a, **k: pytest.fail("the race trained in presenter mode"))

    again = wgan_experiments.race("WGAN-GP", untrained, data, 4, 2, FakeJudge(), z, trained_on=trained_on)

    (line,) = notices(capsys.readouterr().out)
    assert line.startswith(
        "Presenter mode: using the recorded race of the WGAN-GP instead of training it here (4 steps on 32 "
        "training digits; "
    )
    for field in ("steps", "seconds", "score", "fd", "classes", "gap"):
        assert getattr(again, field) == pytest.approx(getattr(first, field)), field
    np.testing.assert_allclose(again.samples, first.samples, atol=1e-3)
    # other noise is another race
    other = z + 1
    with pytest.raises(pytest.fail.Exception):
        wgan_experiments.race("WGAN-GP", untrained, data, 4, 2, FakeJudge(), other, trained_on=trained_on)


# --- what is refused ---------------------------------------------------------------------------------------


def test_a_damaged_recording_is_refused_with_the_way_to_get_it_back(runs_dir, monkeypatch):
    recording(monkeypatch, "05_training_dynamics")
    train_on_ring(TINY, seed=3, record_every=50)
    (path,) = runs_dir.glob("05_training_dynamics/ring-*.npz")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    presenting(monkeypatch)
    with pytest.raises(
        ValueError, match=r"changed or damaged.*--record-runs notebooks/05_training_dynamics\.ipynb"
    ):
        train_on_ring(TINY, seed=3, record_every=50)
    path.unlink()
    with pytest.raises(ValueError, match="is missing"):
        train_on_ring(TINY, seed=3, record_every=50)


def test_recording_needs_full_mode_and_a_notebook_name(runs_dir, monkeypatch):
    monkeypatch.setenv(recorded_runs.RECORD_ENV_VAR, "notebooks/05_training_dynamics.ipynb")
    with pytest.raises(ValueError, match="without folder or suffix"):
        recorded_runs.recording_notebook()
    monkeypatch.setenv(recorded_runs.RECORD_ENV_VAR, "05_training_dynamics")
    assert recorded_runs.recording_notebook() == "05_training_dynamics"
    for mode in ("GAN_COURSE_FAST", "GAN_COURSE_PRESENTER"):
        monkeypatch.setenv(mode, "1")
        with pytest.raises(ValueError, match="must be full-mode runs"):
            recorded_runs.recording_notebook()
        monkeypatch.delenv(mode)


def test_the_index_describes_every_run(runs_dir, monkeypatch):
    recording(monkeypatch)
    run = train_on_ring(TINY, seed=3, record_every=50)
    index = json.loads((runs_dir / "nb" / "index.json").read_text())
    assert index["notebook"] == "nb" and set(index["versions"]) == {"tensorflow", "keras", "numpy"}
    (name, entry) = next(iter(index["runs"].items()))
    assert entry["kind"] == "ring" and entry["file"] == f"{name}.npz"
    assert entry["key"] == {
        "settings": {**vars(TINY)},
        "seed": 3,
        "record_every": 50,
        "n_samples": 2000,
        "latent_dim": 16,
    }
    assert entry["summary"] == str(run.final)
    assert name == recorded_runs.run_id("ring", entry["key"])
    assert not list(runs_dir.rglob("*.part"))  # written whole, then renamed


def test_run_ids_depend_on_the_whole_key_and_refuse_what_json_cannot_hold():
    key = {"seed": 0, "settings": {"d_lr": 1e-3}}
    assert recorded_runs.run_id("ring", key) == recorded_runs.run_id("ring", dict(reversed(key.items())))
    assert recorded_runs.run_id("ring", key) != recorded_runs.run_id("ring", key | {"seed": 1})
    assert recorded_runs.run_id("ring", key) != recorded_runs.run_id("mnist", key)
    with pytest.raises(TypeError, match="JSON"):
        recorded_runs.run_id("ring", {"array": np.zeros(2)})
    with pytest.raises(ValueError, match="kind"):
        recorded_runs.run_id("rings", key)


def test_the_refresh_keeps_the_old_recordings_when_a_run_fails(runs_dir, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import refresh_notebooks

    old = runs_dir / "05_x"
    old.mkdir(parents=True)
    (old / "index.json").write_text('{"runs": {}}')
    aside = refresh_notebooks.set_aside_recordings("05_x")
    assert not old.exists() and aside.name.startswith(".")  # hidden from presenter mode meanwhile
    assert recorded_runs.recorded_runs() == {}
    (old).mkdir()
    (old / "half.npz").write_bytes(b"partial")
    assert (
        refresh_notebooks.finish_recordings("05_x", aside, keep_new=False) == "recordings: previous ones kept"
    )
    assert [p.name for p in old.iterdir()] == ["index.json"]

    aside = refresh_notebooks.set_aside_recordings("05_x")
    old.mkdir()
    (old / "new.npz").write_bytes(b"x" * 2000)
    line = refresh_notebooks.finish_recordings("05_x", aside, keep_new=True)
    assert line == "recordings: 1 runs, 0.0 MB in gan_helpers/assets/runs/05_x/"
    assert not aside.exists() and [p.name for p in old.iterdir()] == ["new.npz"]


# --- the shipped recordings -------------------------------------------------------------------------------


SHIPPED = {
    name: entry
    for folder in sorted(SHIPPED_DIR.glob("[0-9]*"))
    for name, entry in json.loads((folder / "index.json").read_text())["runs"].items()
}


def test_the_course_ships_the_runs_of_notebooks_05_and_10():
    folders = sorted(p.name for p in SHIPPED_DIR.iterdir() if p.is_dir())
    assert folders == ["05_training_dynamics", "10_wgan_gp"]
    kinds = {entry["kind"] for entry in SHIPPED.values()}
    assert kinds == {"ring", "mnist", "race"}
    for name, entry in SHIPPED.items():
        arrays, _ = recorded_runs.load_run(name)  # checks the SHA-256
        records = len(arrays["steps"])
        if entry["kind"] == "ring":
            key = entry["key"]
            assert records == key["settings"]["steps"] // key["record_every"] + 1
            assert arrays["samples"].shape[:1] == (records,) and arrays["samples"].dtype == np.float16
            assert len(arrays["modes_covered"]) == records
        else:
            assert all(len(v) == records for k, v in arrays.items() if k.startswith("history."))
    size = sum(
        (SHIPPED_DIR / f).stat().st_size
        for f in [p.relative_to(SHIPPED_DIR) for p in SHIPPED_DIR.rglob("*.npz")]
    )
    assert size < 8e6, f"the recordings take {size / 1e6:.1f} MB"


def test_a_shipped_ring_run_is_what_the_trainer_gives_today(monkeypatch):
    """Retrain the shortest shipped ring run: a recording that no longer matches the code (a changed trainer,
    model or ring) would show learners numbers their own runs never give."""
    name, entry = min(
        ((n, e) for n, e in SHIPPED.items() if e["kind"] == "ring"),
        key=lambda item: item[1]["key"]["settings"]["steps"] * item[1]["key"]["settings"]["d_steps"],
    )
    key = entry["key"]
    arrays, _ = recorded_runs.load_run(name)
    run = ring_experiments._train(
        RingSettings(**key["settings"]), key["seed"], key["record_every"], key["n_samples"], key["latent_dim"]
    )
    assert list(arrays["steps"]) == run.steps
    np.testing.assert_array_equal(arrays["modes_covered"], [c.modes_covered for c in run.coverage])
    np.testing.assert_allclose(
        arrays["high_quality_share"], [c.high_quality_share for c in run.coverage], atol=0.005
    )
    for field, values in run.history.items():
        np.testing.assert_allclose(arrays[f"history.{field}"], values, rtol=1e-3, atol=1e-4, err_msg=field)
    kept = arrays["samples"].shape[1]
    np.testing.assert_allclose(arrays["samples"][-1], run.samples[-1][:kept], atol=0.01)


def test_every_shipped_asset_is_package_data():
    """pip installs only what pyproject's package-data names: a recording outside its globs would be missing
    in Colab, where gan_helpers is installed rather than cloned."""
    import glob
    import re

    package = SHIPPED_DIR.parents[1]
    pyproject = (package.parent / "pyproject.toml").read_text()
    table = pyproject.split("[tool.setuptools.package-data]", 1)[1]
    patterns = re.findall(r'"([^"]+)"', re.search(r"gan_helpers = \[(.*?)\]", table).group(1))
    covered = {Path(p) for pattern in patterns for p in glob.glob(pattern, root_dir=package)}
    shipped = {
        p.relative_to(package)
        for p in (package / "assets").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert shipped - covered == set()
    assert {p for p in shipped if p.parts[:2] == ("assets", "runs")}, "no recorded runs found"
