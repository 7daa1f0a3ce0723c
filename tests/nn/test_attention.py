"""Scaled dot-product attention against torch.nn.functional.scaled_dot_product_attention, with and without masks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812

from studylog.nn import causal_mask, scaled_dot_product_attention

TOL = {"rtol": 1e-12, "atol": 1e-13}


def _qkv(n: int, m: int, d_k: int, d_v: int, batch: tuple[int, ...] = (), seed: int = 0):
    gen = torch.Generator().manual_seed(seed)
    return (
        torch.randn(*batch, n, d_k, dtype=torch.float64, generator=gen),
        torch.randn(*batch, m, d_k, dtype=torch.float64, generator=gen),
        torch.randn(*batch, m, d_v, dtype=torch.float64, generator=gen),
    )


# (n, m, d_k, d_v): non-square and pairwise distinct, plus n > m and n == m for the causal mask
DIMS = [(3, 5, 4, 2), (5, 3, 2, 6), (4, 4, 3, 5)]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize(("n", "m", "d_k", "d_v"), DIMS)
def test_matches_torch_sdpa(n, m, d_k, d_v, causal):
    Q, K, V = _qkv(n, m, d_k, d_v)  # noqa: N806
    expected = F.scaled_dot_product_attention(Q, K, V, is_causal=causal).numpy()
    got = scaled_dot_product_attention(Q.numpy(), K.numpy(), V.numpy(), causal=causal)
    np.testing.assert_allclose(got, expected, **TOL)


def test_matches_torch_with_batch_dims_and_a_boolean_mask():
    Q, K, V = _qkv(3, 5, 4, 2, batch=(2, 3), seed=1)  # noqa: N806
    mask = torch.rand(2, 1, 3, 5, generator=torch.Generator().manual_seed(2)) > 0.4
    mask[..., 0] = True  # every query keeps at least one key
    expected = F.scaled_dot_product_attention(Q, K, V, attn_mask=mask).numpy()
    got = scaled_dot_product_attention(Q.numpy(), K.numpy(), V.numpy(), mask=mask.numpy())
    np.testing.assert_allclose(got, expected, **TOL)


def test_explicit_d_k_matches_torch_scale():
    Q, K, V = _qkv(3, 5, 4, 2, seed=3)  # noqa: N806
    expected = F.scaled_dot_product_attention(Q, K, V, scale=1 / math.sqrt(9)).numpy()
    np.testing.assert_allclose(scaled_dot_product_attention(Q.numpy(), K.numpy(), V.numpy(), d_k=9), expected, **TOL)


def test_causal_first_row_copies_the_first_value():
    Q, K, V = _qkv(4, 4, 3, 2, seed=4)  # noqa: N806
    out = scaled_dot_product_attention(Q.numpy(), K.numpy(), V.numpy(), causal=True)
    np.testing.assert_allclose(out[0], V.numpy()[0], rtol=0, atol=1e-15)  # query 0 sees key 0 only


def test_causal_mask_by_hand():
    assert causal_mask(3, 2).astype(int).tolist() == [[1, 0], [1, 1], [1, 1]]


@pytest.mark.parametrize(
    ("shapes", "kwargs", "needle"),
    [
        (((3, 4), (5, 3), (5, 2)), {}, "K has 3 columns but Q has 4"),
        (((3, 4), (5, 4), (6, 2)), {}, "V has 6 rows but K has 5"),
        (((4,), (5, 4), (5, 2)), {}, r"Q must be a matrix"),
        (((3, 4), (5, 4), (5, 2)), {"mask": np.ones((2, 5), dtype=bool)}, r"mask has shape \(2, 5\)"),
        (((3, 4), (5, 4), (5, 2)), {"mask": np.zeros((3, 5), dtype=bool)}, "no key to attend to"),
        (((3, 4), (5, 4), (5, 2)), {"d_k": 0}, "d_k=0"),
    ],
)
def test_bad_inputs_name_the_argument(shapes, kwargs, needle):
    Q, K, V = (np.ones(s) for s in shapes)  # noqa: N806
    with pytest.raises(ValueError, match=needle):
        scaled_dot_product_attention(Q, K, V, **kwargs)
