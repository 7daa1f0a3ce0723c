r"""Small numpy helpers shared by the step functions: the gradient each rule actually sees."""

from __future__ import annotations

import numpy as np


def effective_gradient(W: np.ndarray, g: np.ndarray, *, weight_decay: float, maximize: bool) -> np.ndarray:
    r"""The gradient an update rule uses: ``-g`` under ``maximize``, plus coupled weight decay ``λ W``.

    This is torch's order: the sign flip comes first, then L2 regularisation folded into the gradient
    (the gradient of $`L + \tfrac{\lambda}{2}\lVert W\rVert^2`$).

    Args:
        W: the parameters $`W_t`$.
        g: the raw gradient $`g_t`$.
        weight_decay: coupled weight decay $`\lambda`$ (0 to skip).
        maximize: ascend instead of descend.

    Returns:
        The gradient to use (``g`` itself when nothing applies; never modified in place).

    Examples:
        >>> effective_gradient(np.array([1.0, 2.0]), np.array([0.5, -0.5]), weight_decay=0.1, maximize=True)
        array([-0.4,  0.7])
    """
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * W
    return g
