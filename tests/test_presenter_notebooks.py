"""The presenter path of every notebook that trains a generator, run top to bottom.

Each notebook runs in a fresh kernel with ``GAN_COURSE_PRESENTER=1`` (and fast mode, so that the cells
that still train do so briefly) in an empty artifacts folder, as on a fresh clone: every long training
cell must load its shipped generator and say so in one line, every stand-in must be the shipped
generator, nothing may be trained in the cells presenter mode replaces, and everything the notebook
saves must land in the ``presenter/`` subfolder. (``benchmarks/notebook_times.py`` measures how long the
same path takes in full mode.)
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
#: what the replaced training cells print when they do train; none of it may appear in presenter mode
TRAINED = re.compile(
    r"^trained [\d,]+ steps in"  # 04's and 06's main runs
    r"|steps in .* min; the discriminator saw"  # 07's augmented MLP GAN
    r"|^(concat|projection): [\d,]+ steps in"  # 08's two conditional GANs
    r"|stand-in"  # any stand-in run (06, 07, 08, 09, 11)
)


def printed(nb: nbformat.NotebookNode) -> list[str]:
    """Every line the notebook's code cells printed (stdout), in order."""
    lines = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                lines += output["text"].splitlines()
    return lines


def run_presenter_path(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run notebook ``name`` top to bottom in presenter (and fast) mode in an empty artifacts folder and check
    what it printed and wrote (see the module's docstring)."""
    artifacts = tmp_path / "artifacts"
    monkeypatch.setenv("GAN_COURSE_ARTIFACTS", str(artifacts))
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
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
    assert notices == [presenter.notice(shipped) for shipped in SHIPPED_IN[name]]
    trained = [line for line in lines if TRAINED.search(line)]
    assert not trained, f"{name} trained in presenter mode: {trained}"
    written = [p for p in artifacts.rglob("*") if p.is_file()]
    assert all(p.relative_to(artifacts).parts[:2] == ("fast", "presenter") for p in written), written


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


def test_the_two_groups_cover_every_notebook_with_a_presenter_path():
    grouped = [
        name
        for group in (TestTrainingChapters, TestLaterChapters)
        for mark in group.test_the_presenter_path_uses_the_shipped_generators.pytestmark
        for name in mark.args[1]
    ]
    assert sorted(grouped) == sorted(SHIPPED_IN)
