r"""k-fold splitting: partition ``n`` samples into ``k`` validation folds.

Fold sizes follow scikit-learn's ``KFold``: the first ``n mod k`` folds hold
$`\lfloor n/k \rfloor + 1`$ samples, the others $`\lfloor n/k \rfloor`$; every sample is in
exactly one validation fold, and each fold's training part is the rest.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from studylog.learning._checks import check_int


class Fold(NamedTuple):
    """One split: indices to fit on and indices to validate on."""

    train: NDArray[np.int64]
    """Training indices (sorted)."""
    validation: NDArray[np.int64]
    """Validation indices (in the order they were assigned)."""


def fold_sizes(n: int, k: int) -> NDArray[np.int64]:
    """Sizes of the ``k`` validation folds of ``n`` samples (they differ by at most one).

    Args:
        n: number of samples.
        k: number of folds, ``2 <= k <= n``.

    Returns:
        Array of ``k`` sizes summing to ``n``, the larger ones first.

    Raises:
        ValueError: if ``k < 2`` or ``k > n``.

    Examples:
        >>> print(fold_sizes(10, 3))
        [4 3 3]
    """
    n = check_int("n", n, minimum=1)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"k={k!r} must be an integer")
    if k < 2:
        raise ValueError(f"k={k} must be at least 2 (one fold to validate on, at least one to train on)")
    if k > n:
        raise ValueError(f"k={k} is larger than the number of samples n={n}")
    sizes = np.full(k, n // k, dtype=np.int64)
    sizes[: n % k] += 1
    return sizes


def kfold_splits(n: int, k: int, *, shuffle: bool = False, seed: int | None = None) -> list[Fold]:
    """Split ``range(n)`` into ``k`` folds; fold ``i`` validates on the ``i``-th block.

    Without shuffling the blocks are consecutive (``KFold(k, shuffle=False)`` of scikit-learn gives the
    same splits). With ``shuffle=True`` the indices are first permuted by
    ``numpy.random.default_rng(seed)``.

    Args:
        n: number of samples.
        k: number of folds, ``2 <= k <= n``.
        shuffle: permute the indices before cutting them into blocks.
        seed: seed of the permutation (``None``: fresh entropy, not reproducible).

    Returns:
        ``k`` folds whose validation parts partition ``range(n)``.

    Raises:
        ValueError: if ``k < 2`` or ``k > n``.

    Examples:
        >>> for fold in kfold_splits(5, 2):
        ...     print(fold.train, fold.validation)
        [3 4] [0 1 2]
        [0 1 2] [3 4]
    """
    sizes = fold_sizes(n, k)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    folds = []
    stops = np.cumsum(sizes)
    for start, stop in zip(stops - sizes, stops, strict=True):
        validation = order[start:stop]
        mask = np.ones(n, dtype=bool)
        mask[validation] = False
        folds.append(Fold(train=np.flatnonzero(mask).astype(np.int64), validation=validation.astype(np.int64)))
    return folds
