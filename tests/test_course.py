"""The course map and its addresses (defined once in gan_helpers.teaching.course)."""

from __future__ import annotations

import re

import pytest

from gan_helpers import course


def test_chapters_are_numbered_from_0_without_gaps():
    assert [c.number for c in course.CHAPTERS] == list(range(len(course.CHAPTERS)))
    for c in course.CHAPTERS:
        assert re.fullmatch(r"[a-z0-9_]+", c.slug)
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", c.filename)


def test_colab_url_points_at_the_notebook_in_the_repository():
    url = course.colab_url("00_start_here.ipynb")
    assert url == (
        f"https://colab.research.google.com/github/{course.REPOSITORY}/blob/{course.BRANCH}"
        "/notebooks/00_start_here.ipynb"
    )
    assert url in course.colab_badge_markdown("00_start_here.ipynb")


@pytest.mark.parametrize("bad", ["00_start_here", "notebooks/00_start_here.ipynb"])
def test_colab_url_wants_a_bare_notebook_file_name(bad):
    with pytest.raises(ValueError, match="notebook file name"):
        course.colab_url(bad)


def test_pip_target_installs_from_the_same_repository():
    assert course.pip_install_target() == f"gan-helpers @ git+{course.repository_url()}.git@{course.BRANCH}"


def test_chapter_lookup():
    assert course.chapter(4).filename == "04_first_gan_mnist.ipynb"
    with pytest.raises(ValueError, match="chapters 0 to 11"):
        course.chapter(12)
