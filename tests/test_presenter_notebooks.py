"""The presenter path of every notebook that trains, run top to bottom.

Each notebook that trains a generator runs in a fresh kernel with ``GAN_COURSE_PRESENTER=1`` (and fast
mode, so that the cells that still train do so briefly) in an empty artifacts folder, as on a fresh clone:
every long training cell must load its shipped generator and say so in one line, every stand-in must be the
shipped generator, nothing may be trained in the cells presenter mode replaces, and everything the notebook
saves must land in the ``presenter/`` subfolder.

Notebooks 05 and 10 train many small runs instead, recorded when their outputs were made
(:mod:`gan_helpers.teaching.recorded_runs`). They run in presenter mode *without* fast mode, since only the
full budgets were recorded: every training cell must use its recordings, train nothing, and print exactly
what the stored outputs show, apart from its presenter line. (``benchmarks/notebook_times.py`` measures how
long each presenter path takes in full mode.)
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from gan_helpers import presenter

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

#: notebook -> the shipped generators its presenter path announces, with an empty artifacts folder
SHIPPED_IN = {
    "04_first_gan_mnist.ipynb": ("mlp_gan",),
    "06_dcgan.ipynb": ("dcgan", "mlp_gan"),
    "07_evaluating_gans.ipynb": ("mlp_gan", "dcgan", "mlp_gan_augmented"),
    "08_conditional_gan.ipynb": ("dcgan", "conditional_gan_concat", "conditional_gan"),
    "09_latent_space.ipynb": ("dcgan", "conditional_gan"),
    "11_applications.ipynb": ("dcgan",),
}
#: notebook -> how many presenter lines about recorded runs its presenter path prints
RECORDED_IN = {
    "05_training_dynamics.ipynb": 7,  # two single runs, two comparisons, two more single runs, the MNIST runs
    "10_wgan_gp.ipynb": 3,  # the ring comparison and the two races
}
#: a progress bar's last state, e.g. "runs: 100%|█████| 15/15 [03:36<00:00, 14.44s/it]" (its times differ)
PROGRESS_BAR = re.compile(r"\d+%\|.*\| *\d+/\d+ \[")
#: what the replaced training cells print when they do train; none of it may appear in presenter mode
TRAINED = re.compile(
    r"^trained [\d,]+ steps in"  # 04's and 06's main runs
    r"|steps in .* min; the discriminator saw"  # 07's augmented MLP GAN
    r"|^(concat|projection): [\d,]+ steps in"  # 08's two conditional GANs
    r"|stand-in"  # any stand-in run (06, 07, 08, 09, 11)
    r"|training the other \d+ here"  # 05's and 10's runs without a recording
)


def cell_stdout(cell: nbformat.NotebookNode) -> list[str]:
    """The lines one code cell printed (stdout)."""
    return [
        line
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stdout"
        for line in output["text"].splitlines()
    ]


def printed(nb: nbformat.NotebookNode) -> list[str]:
    """Every line the notebook's code cells printed (stdout), in order."""
    return [line for cell in nb.cells for line in cell_stdout(cell)]


def run_presenter_path(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: bool = True
) -> nbformat.NotebookNode:
    """Run notebook ``name`` top to bottom in presenter mode (and fast mode, unless ``fast=False``) in an
    empty artifacts folder, check what every notebook must print and write (see the module's docstring),
    and return the executed notebook."""
    artifacts = tmp_path / "artifacts"
    monkeypatch.setenv("GAN_COURSE_ARTIFACTS", str(artifacts))
    if fast:
        monkeypatch.setenv("GAN_COURSE_FAST", "1")
    else:
        monkeypatch.delenv("GAN_COURSE_FAST", raising=False)
    monkeypatch.setenv("GAN_COURSE_PRESENTER", "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=False,
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, if a cell fails

    lines = printed(nb)
    setup_line = next(line for line in lines if line.startswith("TensorFlow "))
    assert "presenter mode on (shipped generators)" in setup_line
    notices = [line for line in lines if line.startswith("Presenter mode: using the shipped generator")]
    assert notices == [presenter.notice(shipped) for shipped in SHIPPED_IN.get(name, ())]
    trained = [line for line in lines if TRAINED.search(line)]
    assert not trained, f"{name} trained in presenter mode: {trained}"
    written = [p for p in artifacts.rglob("*") if p.is_file()]
    folder = ("fast", "presenter") if fast else ("presenter",)
    assert all(p.relative_to(artifacts).parts[: len(folder)] == folder for p in written), written
    return nb


def check_recorded_presenter_path(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """05 and 10 in presenter mode (full budgets): each training cell announces its recorded runs and then
    prints exactly its stored output (the recordings are the runs the stored outputs show)."""
    stored = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb = run_presenter_path(name, tmp_path, monkeypatch, fast=False)
    announced = 0
    for index, (cell, old) in enumerate(zip(nb.cells, stored.cells, strict=True)):
        if cell.cell_type != "code":
            continue
        lines = cell_stdout(cell)
        mine = [line for line in lines if line.startswith("Presenter mode: using")]
        if not mine:
            continue
        assert all("recorded" in line for line in mine), mine
        announced += len(mine)
        expected = [line for line in cell_stdout(old) if not PROGRESS_BAR.search(line)]
        shown = [line for line in lines if line not in mine and not PROGRESS_BAR.search(line)]
        assert shown == expected, f"cell {index} of {name}"
    assert announced == RECORDED_IN[name]


# Two groups, so that pytest-xdist (``--dist loadscope``: one class per worker at a time) can run them side by
# side; together they are one of the suite's longest files.
class TestTrainingChapters:
    @pytest.mark.parametrize(
        "name", ["04_first_gan_mnist.ipynb", "06_dcgan.ipynb", "07_evaluating_gans.ipynb"]
    )
    def test_the_presenter_path_uses_the_shipped_generators(self, name, tmp_path, monkeypatch):
        run_presenter_path(name, tmp_path, monkeypatch)


class TestLaterChapters:
    @pytest.mark.parametrize(
        "name", ["08_conditional_gan.ipynb", "09_latent_space.ipynb", "11_applications.ipynb"]
    )
    def test_the_presenter_path_uses_the_shipped_generators(self, name, tmp_path, monkeypatch):
        run_presenter_path(name, tmp_path, monkeypatch)


class TestRecordedChapters:
    @pytest.mark.parametrize("name", sorted(RECORDED_IN))
    def test_the_presenter_path_uses_the_recorded_runs(self, name, tmp_path, monkeypatch):
        check_recorded_presenter_path(name, tmp_path, monkeypatch)


def test_the_groups_cover_every_notebook_with_a_presenter_path():
    grouped = [
        name
        for group in (TestTrainingChapters, TestLaterChapters)
        for mark in group.test_the_presenter_path_uses_the_shipped_generators.pytestmark
        for name in mark.args[1]
    ]
    assert sorted(grouped) == sorted(SHIPPED_IN)
    assert not set(SHIPPED_IN) & set(RECORDED_IN)
    training_chapters = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if "04" <= p.name[:2] <= "11")
    assert sorted([*SHIPPED_IN, *RECORDED_IN]) == training_chapters
