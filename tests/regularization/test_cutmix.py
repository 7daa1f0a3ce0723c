"""CutMix: box size, lambda recomputed from the clipped box, the paste, all on hand-computable cases."""

from __future__ import annotations

import numpy as np
import pytest

from studylog.regularization import (
    Box,
    box_mask,
    cutmix_batch,
    cutmix_box_size,
    cutmix_lambda,
    paste,
    sample_box,
)


class _FixedCentre:
    """A stand-in generator whose integers() returns given values, to place the box centre by hand."""

    def __init__(self, *values: int) -> None:
        self._values = list(values)

    def integers(self, high: int) -> int:
        value = self._values.pop(0)
        assert 0 <= value < high
        return value


def test_lambda_from_box_area_by_hand():
    assert cutmix_lambda(r_w=16, r_h=8, W=32, H=32) == 0.875  # 128 of 1024 pixels pasted
    assert cutmix_lambda(r_w=0, r_h=5, W=8, H=8) == 1.0
    assert cutmix_lambda(r_w=8, r_h=4, W=8, H=4) == 0.0


def test_box_size_keeps_the_planned_area():
    size = cutmix_box_size(lam=0.64, W=10, H=20)
    assert (size.r_w, size.r_h) == pytest.approx((6.0, 12.0), rel=1e-15)
    assert 1 - size.r_w * size.r_h / (10 * 20) == pytest.approx(0.64, rel=1e-14)


def test_box_in_the_middle_has_the_planned_size():
    box = sample_box(lam=0.64, H=10, W=10, rng=_FixedCentre(5, 5))  # 6x6 box around (5, 5)
    assert box == Box(top=2, left=2, bottom=8, right=8)
    assert cutmix_lambda(r_w=box.r_w, r_h=box.r_h, W=10, H=10) == pytest.approx(0.64, rel=1e-15)


def test_box_clipped_at_the_corner_makes_lambda_larger():
    # planned 6x6 (lambda 0.64) around (0, 0): only the 3x3 quarter inside the image is pasted
    box = sample_box(lam=0.64, H=10, W=10, rng=_FixedCentre(0, 0))
    assert box == Box(top=0, left=0, bottom=3, right=3)
    assert cutmix_lambda(r_w=box.r_w, r_h=box.r_h, W=10, H=10) == pytest.approx(1 - 9 / 100, rel=1e-15)


def test_mask_and_paste_by_hand():
    mask = box_mask(Box(top=1, left=0, bottom=2, right=2), H=2, W=3)
    assert mask.tolist() == [[1.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    a = np.arange(6.0).reshape(1, 2, 3)
    b = -np.ones((1, 2, 3))
    assert paste(a, b, M=mask)[0].tolist() == [[0.0, 1.0, 2.0], [-1.0, -1.0, 5.0]]


def test_batch_pastes_the_box_and_mixes_labels_with_the_recomputed_lambda():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 2, 8, 6))
    y = np.eye(5)
    out = cutmix_batch(x, y, alpha=1.0, rng=np.random.default_rng(3))
    box, perm = out.box, out.perm
    inside = np.zeros((8, 6), dtype=bool)
    inside[box.top : box.bottom, box.left : box.right] = True
    np.testing.assert_array_equal(out.x[:, :, inside], x[perm][:, :, inside])
    np.testing.assert_array_equal(out.x[:, :, ~inside], x[:, :, ~inside])
    assert out.lam == pytest.approx(1 - inside.sum() / inside.size, rel=1e-15)
    np.testing.assert_allclose(out.y, out.lam * y + (1 - out.lam) * y[perm], rtol=0, atol=1e-15)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match=r"r_w=9 must lie in \[0, W=8\]"):
        cutmix_lambda(r_w=9, r_h=1, W=8, H=8)
    with pytest.raises(ValueError, match="H=0"):
        cutmix_lambda(r_w=1, r_h=0, W=8, H=0)
    with pytest.raises(ValueError, match="lam=-0.5"):
        cutmix_box_size(lam=-0.5, W=8, H=8)
    with pytest.raises(ValueError, match=r"x_B has shape \(1, 2, 2\) but x_A has shape \(1, 2, 3\)"):
        paste(np.zeros((1, 2, 3)), np.zeros((1, 2, 2)), M=np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"M has shape \(3, 2\)"):
        paste(np.zeros((1, 2, 3)), np.zeros((1, 2, 3)), M=np.ones((3, 2)))
    with pytest.raises(ValueError, match="x must be a batch of images"):
        cutmix_batch(np.zeros((2, 3)), np.eye(2), alpha=1.0, rng=np.random.default_rng(0))
