r"""Data augmentation (데이터 증강): label-preserving transforms of image batches ``(N, C, H, W)``.

Each transform has a deterministic core (which images to flip, where to crop) and a sampler that draws those
choices from a seeded ``numpy.random.Generator``. These transforms are index shuffles, not arithmetic, so the log
describes them in words and the tests compare them with ``torch.flip`` and hand-made cases.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from studylog.regularization._checks import FloatArray, as_float_array, check_probability


def _check_images(x: FloatArray) -> FloatArray:
    x = as_float_array("x", x)
    if x.ndim != 4:
        raise ValueError(f"x must be a batch of images with shape (N, C, H, W), got shape {x.shape}")
    return x


def horizontal_flip(x: FloatArray, *, flip: NDArray[np.bool_]) -> FloatArray:
    """Mirror the chosen images left to right (along the width axis).

    Args:
        x: images, shape ``(N, C, H, W)``.
        flip: which images to mirror, boolean shape ``(N,)``.

    Returns:
        A new batch where image ``n`` is mirrored iff ``flip[n]``.

    Raises:
        ValueError: if ``x`` is not 4-D or ``flip`` does not have shape ``(N,)``.

    Examples:
        >>> x = np.arange(3.0).reshape(1, 1, 1, 3)
        >>> horizontal_flip(x, flip=np.array([True])).ravel().tolist()
        [2.0, 1.0, 0.0]
    """
    x = _check_images(x)
    flip = np.asarray(flip, dtype=bool)
    if flip.shape != (x.shape[0],):
        raise ValueError(f"flip must have shape ({x.shape[0]},) (one flag per image), got {flip.shape}")
    return np.where(flip[:, None, None, None], x[..., ::-1], x)


def random_horizontal_flip(x: FloatArray, *, p: float = 0.5, rng: np.random.Generator) -> FloatArray:
    """Mirror each image independently with probability ``p``.

    Args:
        x: images, shape ``(N, C, H, W)``.
        p: the flip probability, in ``[0, 1]``.
        rng: the seeded generator the choices are drawn from.

    Returns:
        The augmented batch.

    Raises:
        ValueError: if ``p`` is outside ``[0, 1]`` or ``x`` is not 4-D.

    Examples:
        >>> x = np.arange(2.0).reshape(1, 1, 1, 2)
        >>> random_horizontal_flip(x, p=1.0, rng=np.random.default_rng(0)).ravel().tolist()
        [1.0, 0.0]
    """
    check_probability("p", p, include_one=True)
    x = _check_images(x)
    return horizontal_flip(x, flip=rng.random(x.shape[0]) < p)


class CropOffsets(NamedTuple):
    """Where each crop starts in the padded image.

    Attributes:
        top: row offsets, shape ``(N,)``, each in ``[0, H + 2*padding - size_h]``.
        left: column offsets, shape ``(N,)``, each in ``[0, W + 2*padding - size_w]``.
    """

    top: NDArray[np.int64]
    left: NDArray[np.int64]


def pad_and_crop(
    x: FloatArray, *, size: tuple[int, int], padding: int, top: NDArray[np.int64], left: NDArray[np.int64]
) -> FloatArray:
    """Zero-pad every image by ``padding`` pixels on each side, then cut a ``size`` window at the given offsets.

    Args:
        x: images, shape ``(N, C, H, W)``.
        size: the crop's ``(height, width)``.
        padding: zero pixels added on each side (>= 0).
        top: row offset of each crop in the padded image, shape ``(N,)``.
        left: column offset of each crop in the padded image, shape ``(N,)``.

    Returns:
        The crops, shape ``(N, C, size[0], size[1])``.

    Raises:
        ValueError: if ``padding < 0``, the crop does not fit in the padded image, or an offset is out of range.

    Examples:
        >>> x = np.arange(4.0).reshape(1, 1, 2, 2)
        >>> pad_and_crop(x, size=(2, 2), padding=1, top=np.array([0]), left=np.array([0]))[0, 0].tolist()
        [[0.0, 0.0], [0.0, 0.0]]
    """
    x = _check_images(x)
    n, _, h, w = x.shape
    size_h, size_w = _check_crop(size, padding, h, w)
    top = np.asarray(top, dtype=np.int64)
    left = np.asarray(left, dtype=np.int64)
    for name, offsets, limit in (("top", top, h + 2 * padding - size_h), ("left", left, w + 2 * padding - size_w)):
        if offsets.shape != (n,):
            raise ValueError(f"{name} must have shape ({n},) (one offset per image), got {offsets.shape}")
        if np.any(offsets < 0) or np.any(offsets > limit):
            raise ValueError(f"{name} offsets must lie in [0, {limit}], got {offsets.tolist()}")
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    rows = top[:, None] + np.arange(size_h)  # (N, size_h)
    cols = left[:, None] + np.arange(size_w)  # (N, size_w)
    batch = np.arange(n)[:, None, None]
    # advanced indexing over (N, rows, cols) puts the channel axis last; move it back
    crops = padded.transpose(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]
    return crops.transpose(0, 3, 1, 2)


def random_crop(
    x: FloatArray, *, size: tuple[int, int], padding: int = 0, rng: np.random.Generator
) -> FloatArray:
    """Pad, then crop a ``size`` window at a uniformly random position per image (torchvision's ``RandomCrop``).

    Args:
        x: images, shape ``(N, C, H, W)``.
        size: the crop's ``(height, width)``.
        padding: zero pixels added on each side (>= 0).
        rng: the seeded generator the offsets are drawn from.

    Returns:
        The crops, shape ``(N, C, size[0], size[1])``.

    Raises:
        ValueError: if ``padding < 0`` or the crop does not fit in the padded image.

    Examples:
        >>> x = np.ones((2, 3, 8, 8))
        >>> random_crop(x, size=(8, 8), padding=2, rng=np.random.default_rng(0)).shape
        (2, 3, 8, 8)
    """
    x = _check_images(x)
    offsets = sample_crop_offsets(x.shape, size=size, padding=padding, rng=rng)
    return pad_and_crop(x, size=size, padding=padding, top=offsets.top, left=offsets.left)


def sample_crop_offsets(
    shape: tuple[int, ...], *, size: tuple[int, int], padding: int, rng: np.random.Generator
) -> CropOffsets:
    """Draw uniform crop offsets for a batch of the given shape.

    Args:
        shape: the batch's shape ``(N, C, H, W)``.
        size: the crop's ``(height, width)``.
        padding: zero pixels added on each side (>= 0).
        rng: the seeded generator.

    Returns:
        Offsets, each uniform over all positions where the crop fits.

    Raises:
        ValueError: if ``padding < 0`` or the crop does not fit in the padded image.

    Examples:
        >>> o = sample_crop_offsets((4, 1, 5, 5), size=(5, 5), padding=0, rng=np.random.default_rng(0))
        >>> o.top.tolist(), o.left.tolist()
        ([0, 0, 0, 0], [0, 0, 0, 0])
    """
    n, _, h, w = shape
    size_h, size_w = _check_crop(size, padding, h, w)
    top = rng.integers(0, h + 2 * padding - size_h + 1, size=n)
    left = rng.integers(0, w + 2 * padding - size_w + 1, size=n)
    return CropOffsets(top=top, left=left)


def _check_crop(size: tuple[int, int], padding: int, h: int, w: int) -> tuple[int, int]:
    if int(padding) != padding or padding < 0:
        raise ValueError(f"padding={padding} must be an integer >= 0")
    if len(tuple(size)) != 2:
        raise ValueError(f"size={size!r} must be a pair (height, width)")
    size_h, size_w = (int(s) for s in size)
    if size_h < 1 or size_w < 1:
        raise ValueError(f"size={tuple(size)} must be positive")
    if size_h > h + 2 * padding or size_w > w + 2 * padding:
        raise ValueError(
            f"size={(size_h, size_w)} is larger than the padded image {(h + 2 * padding, w + 2 * padding)}"
        )
    return size_h, size_w
