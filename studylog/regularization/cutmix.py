r"""CutMix (컷믹스): paste a rectangle of one image into another and mix the labels by the pasted area.

A box of about ``(1 - \lambda)`` of the image area is cut from image ``x_B`` and pasted into ``x_A`` (formula
``cutmix.x``, with a binary mask ``M`` that is 0 inside the box). Because the box is clipped at the image border, its
real area can be smaller than planned, so ``\lambda`` is recomputed from the box that was actually pasted
(formula ``cutmix.lambda``); the labels are then mixed with that ``\lambda`` exactly as in mixup (``mixup.y``).

References:
    Sangdoo Yun, Dongyoon Han, Seong Joon Oh, Sanghyuk Chun, Junsuk Choe and Youngjoon Yoo (2019), "CutMix:
    Regularization Strategy to Train Strong Classifiers with Localizable Features", ICCV 2019.
    https://arxiv.org/abs/1905.04899
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from studylog.engine.binding import Array, Choice, In, Int, Out, Scalar, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_probability, check_same_shape
from studylog.regularization.mixup import check_batch, sample_mixing_weight


class BoxSize(NamedTuple):
    """The planned box size before rounding and clipping.

    Attributes:
        r_w: box width in pixels (a float).
        r_h: box height in pixels (a float).
    """

    r_w: float
    r_h: float


@implements(
    "cutmix.rw",
    "cutmix.rh",
    symbols={
        r"\lambda": In("lam", Scalar(0.05, 0.95)),
        r"W": In("W", Int(8, 32)),
        r"H": In("H", Int(8, 32)),
        r"r_w": Out("r_w"),
        r"r_h": Out("r_h"),
    },
)
def cutmix_box_size(*, lam: float, W: int, H: int) -> BoxSize:  # noqa: N803
    r"""The box size whose area is ``(1 - lam)`` of the image (formulas ``cutmix.rw`` and ``cutmix.rh``).

    In LaTeX, as in the log:

        r_w = W\sqrt{1-\lambda}
        r_h = H\sqrt{1-\lambda}

    Args:
        lam: the planned share of image ``A`` that is kept, in ``[0, 1]``.
        W: the image width in pixels.
        H: the image height in pixels.

    Returns:
        The box width and height (unrounded).

    Raises:
        ValueError: if ``lam`` is outside ``[0, 1]`` or a size is not positive.

    Examples:
        >>> cutmix_box_size(lam=0.75, W=32, H=16)
        BoxSize(r_w=16.0, r_h=8.0)
    """
    check_probability("lam", lam, include_one=True)
    _check_size(W=W, H=H)
    ratio = math.sqrt(1.0 - lam)
    return BoxSize(r_w=W * ratio, r_h=H * ratio)


@implements(
    "cutmix.lambda",
    symbols={
        r"r_w": In("r_w", Int(1, 8)),
        r"r_h": In("r_h", Int(1, 8)),
        r"W": In("W", Int(9, 32)),
        r"H": In("H", Int(9, 32)),
        r"\lambda": Out(),
    },
)
def cutmix_lambda(*, r_w: int, r_h: int, W: int, H: int) -> float:  # noqa: N803
    r"""The share of image ``A`` left after pasting an ``r_w`` by ``r_h`` box (formula ``cutmix.lambda``).

    In LaTeX, as in the log:

        \lambda = 1 - \frac{r_w r_h}{W H}

    Args:
        r_w: the pasted box's width in pixels, in ``[0, W]``.
        r_h: the pasted box's height in pixels, in ``[0, H]``.
        W: the image width in pixels.
        H: the image height in pixels.

    Returns:
        ``lambda`` in ``[0, 1]``.

    Raises:
        ValueError: if a size is not positive or the box is larger than the image.

    Examples:
        >>> cutmix_lambda(r_w=16, r_h=8, W=32, H=32)
        0.875
    """
    _check_size(W=W, H=H)
    if not 0 <= r_w <= W:
        raise ValueError(f"r_w={r_w} must lie in [0, W={W}]")
    if not 0 <= r_h <= H:
        raise ValueError(f"r_h={r_h} must lie in [0, H={H}]")
    return 1.0 - (r_w * r_h) / (W * H)


class Box(NamedTuple):
    """A pixel box ``[top, bottom) x [left, right)``.

    Attributes:
        top: first row.
        left: first column.
        bottom: one past the last row.
        right: one past the last column.
    """

    top: int
    left: int
    bottom: int
    right: int

    @property
    def r_h(self) -> int:
        """The box height."""
        return self.bottom - self.top

    @property
    def r_w(self) -> int:
        """The box width."""
        return self.right - self.left


def sample_box(*, lam: float, H: int, W: int, rng: np.random.Generator) -> Box:  # noqa: N803
    """Draw a box of planned size ``cutmix_box_size`` around a uniform random centre, clipped to the image.

    Like the paper's reference code, the size is truncated to whole pixels and the box is clipped at the border,
    so its area can be smaller than ``(1 - lam) W H``.

    Args:
        lam: the planned share of image ``A`` that is kept, in ``[0, 1]``.
        H: the image height.
        W: the image width.
        rng: the seeded generator (centre row first, then centre column).

    Returns:
        The clipped box.

    Raises:
        ValueError: if ``lam`` is outside ``[0, 1]`` or a size is not positive.

    Examples:
        >>> sample_box(lam=1.0, H=4, W=4, rng=np.random.default_rng(0)).r_w
        0
    """
    size = cutmix_box_size(lam=lam, W=W, H=H)
    cut_h, cut_w = int(size.r_h), int(size.r_w)
    cy, cx = int(rng.integers(H)), int(rng.integers(W))
    top, bottom = max(cy - cut_h // 2, 0), min(cy + cut_h - cut_h // 2, H)
    left, right = max(cx - cut_w // 2, 0), min(cx + cut_w - cut_w // 2, W)
    return Box(top=top, left=left, bottom=bottom, right=right)


def box_mask(box: Box, *, H: int, W: int) -> FloatArray:  # noqa: N803
    """The binary mask ``M`` of shape ``(H, W)``: 0 inside the box (pixels from ``B``), 1 elsewhere (from ``A``).

    Args:
        box: the pasted box.
        H: the image height.
        W: the image width.

    Returns:
        The mask as float64.

    Raises:
        ValueError: if the box does not lie inside the image.

    Examples:
        >>> box_mask(Box(top=0, left=1, bottom=1, right=3), H=2, W=3).tolist()
        [[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    """
    _check_size(W=W, H=H)
    if not (0 <= box.top <= box.bottom <= H and 0 <= box.left <= box.right <= W):
        raise ValueError(f"box={tuple(box)} does not lie inside an image of height H={H} and width W={W}")
    M = np.ones((H, W))  # noqa: N806
    M[box.top : box.bottom, box.left : box.right] = 0.0
    return M


@implements(
    "cutmix.x",
    symbols={
        r"x_A": In("x_A", Array()),
        r"x_B": In("x_B", Array()),
        r"M": In("M", Choice((0.0, 1.0))),
        r"\tilde x": Out(),
    },
)
def paste(x_A: FloatArray, x_B: FloatArray, *, M: FloatArray) -> FloatArray:  # noqa: N803
    r"""Combine two images through a binary mask (formula ``cutmix.x``).

    In LaTeX, as in the log:

        \tilde x = M \odot x_A + (1 - M) \odot x_B

    Args:
        x_A: the image that receives the patch, e.g. shape ``(C, H, W)`` or ``(N, C, H, W)``.
        x_B: the image the patch comes from, same shape as ``x_A``.
        M: the mask, broadcastable to ``x_A`` (e.g. ``(H, W)``): 1 keeps ``x_A``, 0 takes ``x_B``.

    Returns:
        The combined image.

    Raises:
        ValueError: if ``x_A`` and ``x_B`` differ in shape or ``M`` does not broadcast to them.

    Examples:
        >>> paste(np.zeros((1, 2, 2)), np.ones((1, 2, 2)), M=np.array([[1.0, 0.0], [1.0, 1.0]]))[0].tolist()
        [[0.0, 1.0], [0.0, 0.0]]
    """
    x_A, x_B = as_float_array("x_A", x_A), as_float_array("x_B", x_B)  # noqa: N806
    M = as_float_array("M", M)  # noqa: N806
    check_same_shape("x_A", x_A, "x_B", x_B)
    try:
        shape: tuple[int, ...] | None = np.broadcast_shapes(M.shape, x_A.shape)
    except ValueError:
        shape = None
    if shape != x_A.shape:
        raise ValueError(f"M has shape {M.shape}, which does not broadcast to the images' shape {x_A.shape}")
    return M * x_A + (1.0 - M) * x_B


class CutMixBatch(NamedTuple):
    """A CutMix batch and how it was made.

    Attributes:
        x: the pasted images, shape ``(N, C, H, W)``.
        y: the mixed labels.
        lam: the share of each original image that is left, recomputed from the clipped box.
        box: the pasted box (the same for the whole batch).
        perm: the partner of example ``i`` is example ``perm[i]``.
    """

    x: FloatArray
    y: FloatArray
    lam: float
    box: Box
    perm: NDArray[np.int64]


def cutmix_batch(x: FloatArray, y: FloatArray, *, alpha: float, rng: np.random.Generator) -> CutMixBatch:
    """CutMix a batch of images with a shuffled copy of itself (one box for the batch, as in the paper's code).

    Args:
        x: images, shape ``(N, C, H, W)``.
        y: one-hot or soft labels, shape ``(N, K)``.
        alpha: parameter of ``Beta(alpha, alpha)`` for the planned ``lambda`` (>= 0).
        rng: the seeded generator (draws ``lambda``, then the permutation, then the box centre).

    Returns:
        The mixed batch, the recomputed ``lambda``, the box and the permutation.

    Raises:
        ValueError: if ``x`` is not 4-D, ``alpha < 0`` or ``x`` and ``y`` have different batch sizes.

    Examples:
        >>> b = cutmix_batch(np.zeros((2, 1, 4, 4)), np.eye(2), alpha=1.0, rng=np.random.default_rng(0))
        >>> bool(np.allclose(b.y.sum(axis=1), 1.0)), 0.0 <= b.lam <= 1.0
        (True, True)
    """
    x, y = check_batch(x, y)
    if x.ndim != 4:
        raise ValueError(f"x must be a batch of images with shape (N, C, H, W), got shape {x.shape}")
    _, _, H, W = x.shape  # noqa: N806
    planned = sample_mixing_weight(alpha=alpha, rng=rng)
    perm = rng.permutation(x.shape[0])
    box = sample_box(lam=planned, H=H, W=W, rng=rng)
    lam = cutmix_lambda(r_w=box.r_w, r_h=box.r_h, W=W, H=H)
    images = paste(x, x[perm], M=box_mask(box, H=H, W=W))
    labels = lam * y + (1.0 - lam) * y[perm]  # formula mixup.y with the recomputed lambda
    return CutMixBatch(x=images, y=labels, lam=lam, box=box, perm=perm)


def _check_size(*, W: int, H: int) -> None:  # noqa: N803
    for name, value in (("W", W), ("H", H)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name}={value} must be a positive integer (pixels)")
