r"""Scaled dot-product attention (스케일드 닷-프로덕트 어텐션), the core of the Transformer.

Each query row of ``Q`` is compared with every key row of ``K`` by a dot product, the scores are divided by
``\sqrt{d_k}`` (so that their spread does not grow with the key width), turned into weights by a row-wise softmax,
and used to average the rows of ``V`` (formula ``attn.sdpa``). A causal mask lets query ``i`` see only keys
``j <= i``.

References:
    Ashish Vaswani, Noam Shazeer, Niki Parmar, Jakob Uszkoreit, Llion Jones, Aidan N. Gomez, Łukasz Kaiser and Illia
    Polosukhin (2017), "Attention Is All You Need", NeurIPS 2017. https://arxiv.org/abs/1706.03762
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from studylog.engine.binding import Dim, In, Matrix, Op, Out, implements
from studylog.nn._checks import FloatArray, as_float_array, check_positive_int
from studylog.nn.softmax import softmax


def causal_mask(n: int, m: int) -> NDArray[np.bool_]:
    """The causal mask: query ``i`` may attend to key ``j`` iff ``j <= i`` (top-left aligned, as torch's ``is_causal``).

    Args:
        n: the number of queries.
        m: the number of keys.

    Returns:
        A boolean ``(n, m)`` array, True where attention is allowed.

    Raises:
        ValueError: if ``n`` or ``m`` is not a positive integer.

    Examples:
        >>> causal_mask(2, 3).astype(int).tolist()
        [[1, 0, 0], [1, 1, 0]]
    """
    n, m = check_positive_int("n", n), check_positive_int("m", m)
    return np.tril(np.ones((n, m), dtype=bool))


def _check_qkv(Q: FloatArray, K: FloatArray, V: FloatArray) -> None:  # noqa: N803
    for name, value in (("Q", Q), ("K", K), ("V", V)):
        if value.ndim < 2:
            raise ValueError(f"{name} must be a matrix (..., rows, cols), got shape {value.shape}")
    if K.shape[-1] != Q.shape[-1]:
        raise ValueError(
            f"K has {K.shape[-1]} columns but Q has {Q.shape[-1]}; queries and keys need the same width d_k"
        )
    if V.shape[-2] != K.shape[-2]:
        raise ValueError(f"V has {V.shape[-2]} rows but K has {K.shape[-2]}; every key needs one value row")


@implements(
    "attn.sdpa",
    symbols={
        r"\mathrm{Attention}(Q,K,V)": Out(),
        r"Q": In("Q", Matrix("n", "d_k")),
        r"K": In("K", Matrix("m", "d_k")),
        r"V": In("V", Matrix("m", "d_v")),
        r"d_k": In(None, Dim("d_k")),
        r"\mathrm{softmax}": Op(softmax),
    },
    dims={"n": (2, 7), "m": (2, 7), "d_k": (2, 7), "d_v": (2, 7)},
)
def scaled_dot_product_attention(
    Q: FloatArray,  # noqa: N803
    K: FloatArray,  # noqa: N803
    V: FloatArray,  # noqa: N803
    *,
    d_k: int | None = None,
    causal: bool = False,
    mask: NDArray[np.bool_] | None = None,
) -> FloatArray:
    r"""Scaled dot-product attention (formula ``attn.sdpa``), as ``torch.nn.functional.scaled_dot_product_attention``.

    In LaTeX, as in the log:

        \mathrm{Attention}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V

    Masked-out scores are set to ``-inf`` before the softmax, so they get weight 0.

    Args:
        Q: queries, shape ``(..., n, d_k)``.
        K: keys, shape ``(..., m, d_k)``.
        V: values, shape ``(..., m, d_v)``.
        d_k: the width in the scale ``1/\sqrt{d_k}``; default ``Q.shape[-1]`` (torch's ``scale`` is its inverse root).
        causal: whether query ``i`` may only attend to keys ``j <= i`` (torch's ``is_causal``).
        mask: optional boolean mask broadcastable to ``(..., n, m)``, True where attention is allowed
            (torch's boolean ``attn_mask``); combined with ``causal`` by logical and.

    Returns:
        The attended values, shape ``(..., n, d_v)``.

    Raises:
        ValueError: if the shapes do not fit together, ``d_k`` is not a positive integer, ``mask`` does not broadcast
            or a query row has every key masked out.

    Examples:
        >>> Q = np.array([[1.0, 0.0]]); K = np.array([[1.0, 0.0], [0.0, 1.0]]); V = np.array([[1.0], [0.0]])
        >>> w = 1 / (1 + np.exp(-1 / np.sqrt(2)))
        >>> bool(np.isclose(scaled_dot_product_attention(Q, K, V)[0, 0], w))
        True
    """
    Q, K, V = as_float_array("Q", Q), as_float_array("K", K), as_float_array("V", V)  # noqa: N806
    _check_qkv(Q, K, V)
    d_k = Q.shape[-1] if d_k is None else check_positive_int("d_k", d_k)
    scores = (Q @ np.swapaxes(K, -1, -2)) / math.sqrt(d_k)
    allowed = np.ones(scores.shape[-2:], dtype=bool)
    if causal:
        allowed = causal_mask(*scores.shape[-2:])
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        try:
            fits = np.broadcast_shapes(mask.shape, scores.shape) == scores.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"mask has shape {mask.shape}, which does not broadcast to the scores' shape {scores.shape}"
            )
        allowed = allowed & mask
    if not np.all(np.any(allowed, axis=-1)):
        raise ValueError("mask leaves a query with no key to attend to; every row needs at least one True")
    scores = np.where(allowed, scores, -np.inf)
    return softmax(scores, axis=-1) @ V
