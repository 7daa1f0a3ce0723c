"""Data augmentation: flips against torch.flip, crops against torch's padding and hand-made cases."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812

from studylog.regularization import (
    horizontal_flip,
    pad_and_crop,
    random_crop,
    random_horizontal_flip,
    sample_crop_offsets,
)


def _batch(seed: int = 0, shape: tuple[int, ...] = (4, 3, 5, 6)) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape)


def test_horizontal_flip_matches_torch_flip_on_flipped_images():
    x = _batch()
    flip = np.array([True, False, True, False])
    expected = torch.from_numpy(x).clone()
    expected[flip] = torch.flip(expected[flip], dims=[3])
    np.testing.assert_array_equal(horizontal_flip(x, flip=flip), expected.numpy())


def test_random_horizontal_flip_extremes_and_rate():
    x = _batch()
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(random_horizontal_flip(x, p=0.0, rng=rng), x)
    np.testing.assert_array_equal(random_horizontal_flip(x, p=1.0, rng=rng), torch.flip(torch.from_numpy(x), [3]))
    # rate over many single-pixel-wide images: a row [0, 1] flips to [1, 0]; 5 standard errors of a binomial
    n = 20_000
    many = np.tile(np.array([0.0, 1.0]), (n, 1, 1, 1))
    flipped = random_horizontal_flip(many, p=0.3, rng=np.random.default_rng(1))[:, 0, 0, 0] == 1.0
    assert abs(flipped.mean() - 0.3) < 5 * np.sqrt(0.3 * 0.7 / n)


def test_pad_and_crop_by_hand():
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1,2,3],[4,5,6],[7,8,9]]
    crop = pad_and_crop(x, size=(3, 3), padding=1, top=np.array([0]), left=np.array([2]))
    # padded rows 0..2, columns 2..4 of the 5x5 zero-padded image
    assert crop[0, 0].tolist() == [[0.0, 0.0, 0.0], [2.0, 3.0, 0.0], [5.0, 6.0, 0.0]]


def test_pad_and_crop_matches_torch_pad_and_slicing():
    x = _batch(1)
    padding, size = 2, (4, 5)
    offsets = sample_crop_offsets(x.shape, size=size, padding=padding, rng=np.random.default_rng(3))
    padded = F.pad(torch.from_numpy(x), (padding, padding, padding, padding))
    expected = torch.stack(
        [padded[i, :, t : t + size[0], s : s + size[1]] for i, (t, s) in enumerate(zip(offsets.top, offsets.left))]
    )
    got = pad_and_crop(x, size=size, padding=padding, top=offsets.top, left=offsets.left)
    np.testing.assert_array_equal(got, expected.numpy())


def test_random_crop_covers_every_offset_and_keeps_shape():
    x = _batch(2, (2000, 1, 3, 3))
    offsets = sample_crop_offsets(x.shape, size=(3, 3), padding=1, rng=np.random.default_rng(4))
    assert set(offsets.top.tolist()) == {0, 1, 2}
    assert set(offsets.left.tolist()) == {0, 1, 2}
    assert random_crop(x[:5], size=(2, 2), padding=1, rng=np.random.default_rng(0)).shape == (5, 1, 2, 2)
    # no padding and full size: the identity
    np.testing.assert_array_equal(random_crop(x[:5], size=(3, 3), rng=np.random.default_rng(0)), x[:5])


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda x: horizontal_flip(x[0], flip=np.array([True])), r"x must be a batch of images"),
        (lambda x: horizontal_flip(x, flip=np.array([True])), r"flip must have shape \(4,\)"),
        (lambda x: random_horizontal_flip(x, p=1.5, rng=np.random.default_rng(0)), r"p=1.5"),
        (lambda x: random_crop(x, size=(9, 9), padding=1, rng=np.random.default_rng(0)), r"size=\(9, 9\)"),
        (lambda x: random_crop(x, size=(2, 2), padding=-1, rng=np.random.default_rng(0)), r"padding=-1"),
        (
            lambda x: pad_and_crop(x, size=(2, 2), padding=0, top=np.array([0, 0, 0, 9]), left=np.zeros(4, int)),
            r"top offsets must lie in \[0, 3\]",
        ),
    ],
)
def test_bad_inputs_name_the_argument(call, needle):
    with pytest.raises(ValueError, match=needle):
        call(_batch())
