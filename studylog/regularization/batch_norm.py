r"""Batch normalization (배치 정규화): normalize each channel with the mini-batch's statistics while training.

Training (formulas ``bn.mean``, ``bn.var``, ``bn.xhat``, ``bn.y``): every channel is standardized with the mean and
the biased variance of the current mini-batch, then scaled by ``\gamma`` and shifted by ``\beta`` (both learned).
Running estimates of the statistics are updated with momentum ``\rho`` (``bn.running_mean``,
``bn.running_var``; torch uses the *unbiased* batch variance there). Inference (``bn.infer``) uses the running
estimates instead, which makes the layer a fixed per-channel affine map (``bn.fold``, Algorithm 2 of the paper).

Layout follows torch: ``x`` is ``(N,)`` (one channel), ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``; statistics are
taken over every axis except the channel axis 1, so ``m = N`` or ``N L`` or ``N H W``.

References:
    Sergey Ioffe and Christian Szegedy (2015), "Batch Normalization: Accelerating Deep Network Training by Reducing
    Internal Covariate Shift", ICML 2015. https://arxiv.org/abs/1502.03167
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, Fixed, In, Index, Out, Scalar, implements
from studylog.regularization._checks import FloatArray, as_float_array, check_positive, check_probability


class BatchNormTrain(NamedTuple):
    r"""Everything one training-mode batch-norm step computes (statistics have the channel shape).

    Attributes:
        mean: ``\mu_B``, the batch mean per channel.
        var: ``\sigma_B^2``, the biased batch variance per channel.
        x_hat: ``\hat{x}_i``, the standardized inputs (shape of ``x``).
        y: ``y_i``, the output (shape of ``x``).
        running_mean: ``\hat{\mu}_t``, the updated running mean.
        running_var: ``\hat{\sigma}_t^2``, the updated running variance.
    """

    mean: FloatArray
    var: FloatArray
    x_hat: FloatArray
    y: FloatArray
    running_mean: FloatArray
    running_var: FloatArray


def _channel_shape(x: FloatArray) -> tuple[int, ...]:
    """The shape of one statistic: ``()`` for a 1-D batch (one channel), ``(C,)`` otherwise."""
    if x.ndim == 0:
        raise ValueError("x must have a batch axis: shape (N,), (N, C), (N, C, L) or (N, C, H, W), got a scalar")
    return () if x.ndim == 1 else (x.shape[1],)


def _reduce_axes(x: FloatArray) -> tuple[int, ...]:
    """Every axis except the channel axis 1."""
    return (0, *range(2, x.ndim))


def _expand(value: FloatArray, x: FloatArray) -> FloatArray:
    """Reshape a per-channel value (shape ``(C,)`` or ``()``) so that it broadcasts against ``x``."""
    return value if x.ndim == 1 else value.reshape((1, x.shape[1]) + (1,) * (x.ndim - 2))


def _per_channel(name: str, value: FloatArray | float, x: FloatArray) -> FloatArray:
    """Check a per-channel parameter (a scalar or one value per channel); return it with the channel shape."""
    value = as_float_array(name, value)
    shape = _channel_shape(x)
    if value.size == 1:
        value = value.reshape(())
    if value.shape not in ((), shape):
        raise ValueError(f"{name} must be a scalar or have shape {shape} (one value per channel), got {value.shape}")
    return np.broadcast_to(value, shape).copy()


@implements(
    "bn.mean",
    "bn.var",
    "bn.xhat",
    "bn.y",
    "bn.running_mean",
    "bn.running_var",
    symbols={
        r"x_i": In("x", Array(-2.0, 2.0, shape=(6,))),
        r"m": In(None, Fixed(6)),  # the batch size: i runs over 1..m
        r"i": Index(),
        r"\gamma": In("gamma", Scalar(0.5, 2.0)),
        r"\beta": In("beta", Scalar(-1.0, 1.0)),
        r"\epsilon": In("eps", Scalar(0.01, 0.5)),
        r"\rho": In("momentum", Scalar(0.05, 0.5)),
        r"\hat{\mu}_{t-1}": In("running_mean", Scalar(-1.0, 1.0)),
        r"\hat{\sigma}_{t-1}^2": In("running_var", Scalar(0.5, 2.0)),
        r"\mu_B": Out("mean"),
        r"\sigma_B^2": Out("var"),
        r"\hat{x}_i": Out("x_hat"),
        r"y_i": Out("y"),
        r"\hat{\mu}_t": Out("running_mean"),
        r"\hat{\sigma}_t^2": Out("running_var"),
    },
    shape=(6,),
)
def batch_norm_train(
    x: FloatArray,
    *,
    gamma: FloatArray | float,
    beta: FloatArray | float,
    running_mean: FloatArray | float,
    running_var: FloatArray | float,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> BatchNormTrain:
    r"""One training-mode batch-norm step, as ``torch.nn.BatchNorm1d/2d`` in ``train()`` mode.

    In LaTeX, as in the log (formulas ``bn.mean`` to ``bn.running_var``; ``\rho`` is torch's ``momentum``):

        \mu_B = \frac{1}{m}\sum_{i} x_i
        \sigma_B^2 = \frac{1}{m}\sum_{i} (x_i - \mu_B)^2
        \hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}
        y_i = \gamma \hat{x}_i + \beta
        \hat{\mu}_t = (1 - \rho)\hat{\mu}_{t-1} + \rho \mu_B
        \hat{\sigma}_t^2 = (1 - \rho)\hat{\sigma}_{t-1}^2 + \rho \frac{m}{m-1}\sigma_B^2

    Args:
        x: the batch, shape ``(N,)``, ``(N, C)``, ``(N, C, L)`` or ``(N, C, H, W)``.
        gamma: the scale, a scalar or one value per channel.
        beta: the shift, a scalar or one value per channel.
        running_mean: the running mean before this step (a scalar or per channel).
        running_var: the running variance before this step (a scalar or per channel).
        momentum: the weight ``\rho`` of the new batch statistics, in ``[0, 1]``.
        eps: added to the variance under the root (>= 0).

    Returns:
        Batch statistics, normalized inputs, outputs and updated running statistics.

    Raises:
        ValueError: if a channel has fewer than 2 values, a parameter has the wrong shape, ``momentum`` is outside
            ``[0, 1]`` or ``eps < 0``.

    Examples:
        >>> r = batch_norm_train(np.array([1.0, 3.0]), gamma=1.0, beta=0.0, running_mean=0.0, running_var=1.0,
        ...                      momentum=0.5, eps=0.0)
        >>> r.y.tolist(), float(r.running_mean), float(r.running_var)
        ([-1.0, 1.0], 1.0, 1.5)
    """
    check_probability("momentum", momentum, include_one=True)
    check_positive("eps", eps, allow_zero=True)
    x = as_float_array("x", x)
    shape, axes = _channel_shape(x), _reduce_axes(x)
    m = x.size // max(1, int(np.prod(shape)))
    if m < 2:
        raise ValueError(f"x has {m} value per channel; batch statistics need at least 2 (shape {x.shape})")
    gamma, beta = _per_channel("gamma", gamma, x), _per_channel("beta", beta, x)
    running_mean = _per_channel("running_mean", running_mean, x)
    running_var = _per_channel("running_var", running_var, x)
    mean = np.mean(x, axis=axes)  # \mu_B
    var = np.mean((x - _expand(mean, x)) ** 2, axis=axes)  # \sigma_B^2 (biased)
    x_hat = (x - _expand(mean, x)) / np.sqrt(_expand(var, x) + eps)
    y = _expand(gamma, x) * x_hat + _expand(beta, x)
    running_mean = (1 - momentum) * running_mean + momentum * mean
    running_var = (1 - momentum) * running_var + momentum * (m / (m - 1)) * var  # unbiased batch variance
    return BatchNormTrain(mean=mean, var=var, x_hat=x_hat, y=y, running_mean=running_mean, running_var=running_var)


@implements(
    "bn.infer",
    symbols={
        r"x": In("x", Array(-2.0, 2.0, shape=(3, 5))),
        r"\gamma": In("gamma", Array(0.5, 2.0, shape=(5,))),
        r"\beta": In("beta", Array(-1.0, 1.0, shape=(5,))),
        r"\hat{\mu}": In("running_mean", Array(-1.0, 1.0, shape=(5,))),
        r"\hat{\sigma}^2": In("running_var", Array(0.5, 2.0, shape=(5,))),
        r"\epsilon": In("eps", Scalar(0.01, 0.5)),
        r"y": Out(),
    },
    shape=(3, 5),
)
def batch_norm_eval(
    x: FloatArray,
    *,
    gamma: FloatArray | float,
    beta: FloatArray | float,
    running_mean: FloatArray | float,
    running_var: FloatArray | float,
    eps: float = 1e-5,
) -> FloatArray:
    r"""Inference-mode batch norm with the running statistics, as torch in ``eval()`` mode (formula ``bn.infer``).

    In LaTeX, as in the log:

        y = \gamma \frac{x - \hat{\mu}}{\sqrt{\hat{\sigma}^2 + \epsilon}} + \beta

    Args:
        x: the inputs, same layouts as ``batch_norm_train``.
        gamma: the scale, a scalar or one value per channel.
        beta: the shift, a scalar or one value per channel.
        running_mean: ``\hat{\mu}``, a scalar or one value per channel.
        running_var: ``\hat{\sigma}^2``, a scalar or one value per channel.
        eps: added to the variance under the root (>= 0).

    Returns:
        The outputs, same shape as ``x``.

    Raises:
        ValueError: if a parameter has the wrong shape or ``eps < 0``.

    Examples:
        >>> batch_norm_eval(np.array([[2.0, 0.0]]), gamma=[1.0, 2.0], beta=0.0, running_mean=[1.0, 1.0],
        ...                 running_var=[4.0, 1.0], eps=0.0).tolist()
        [[0.5, -2.0]]
    """
    check_positive("eps", eps, allow_zero=True)
    x = as_float_array("x", x)
    gamma, beta = _per_channel("gamma", gamma, x), _per_channel("beta", beta, x)
    mean, var = _per_channel("running_mean", running_mean, x), _per_channel("running_var", running_var, x)
    return _expand(gamma, x) * (x - _expand(mean, x)) / np.sqrt(_expand(var, x) + eps) + _expand(beta, x)


class FoldedBatchNorm(NamedTuple):
    """Inference-mode batch norm as one affine map per channel: ``y = scale * x + shift``.

    Attributes:
        scale: per-channel multiplier.
        shift: per-channel offset.
    """

    scale: FloatArray
    shift: FloatArray


def fold_batch_norm(
    *,
    gamma: FloatArray | float,
    beta: FloatArray | float,
    running_mean: FloatArray | float,
    running_var: FloatArray | float,
    eps: float = 1e-5,
) -> FoldedBatchNorm:
    r"""Fold the inference-mode transform into a scale and a shift (Algorithm 2, step 11 of the paper).

    Args:
        gamma: the scale ``\gamma`` (scalar or per channel).
        beta: the shift ``\beta`` (scalar or per channel).
        running_mean: the population mean estimate.
        running_var: the population variance estimate.
        eps: added to the variance under the root (>= 0).

    Returns:
        ``scale = gamma / sqrt(var + eps)`` and ``shift = beta - scale * mean``.

    Raises:
        ValueError: if ``eps < 0`` or the variance plus ``eps`` is not positive.

    Examples:
        >>> f = fold_batch_norm(gamma=2.0, beta=1.0, running_mean=3.0, running_var=4.0, eps=0.0)
        >>> float(f.scale), float(f.shift)
        (1.0, -2.0)
    """
    check_positive("eps", eps, allow_zero=True)
    gamma, beta = as_float_array("gamma", gamma), as_float_array("beta", beta)
    mean, var = as_float_array("running_mean", running_mean), as_float_array("running_var", running_var)
    if np.any(~(var + eps > 0)):
        raise ValueError("running_var + eps must be positive")
    scale = gamma / np.sqrt(var + eps)
    return FoldedBatchNorm(scale=scale, shift=beta - scale * mean)


@implements(
    "bn.fold",
    symbols={
        r"x": In("x", Array(-2.0, 2.0, shape=(3, 5))),
        r"\gamma": In("gamma", Array(0.5, 2.0, shape=(5,))),
        r"\beta": In("beta", Array(-1.0, 1.0, shape=(5,))),
        r"\mathrm{E}[x]": In("running_mean", Array(-1.0, 1.0, shape=(5,))),
        r"\mathrm{Var}[x]": In("running_var", Array(0.5, 2.0, shape=(5,))),
        r"\epsilon": In("eps", Scalar(0.01, 0.5)),
        r"y": Out(),
    },
    shape=(3, 5),
)
def batch_norm_folded(
    x: FloatArray,
    *,
    gamma: FloatArray | float,
    beta: FloatArray | float,
    running_mean: FloatArray | float,
    running_var: FloatArray | float,
    eps: float = 1e-5,
) -> FloatArray:
    r"""Inference-mode batch norm through its folded affine form (formula ``bn.fold``).

    In LaTeX, as in the log (the paper's Algorithm 2, with ``\mathrm{E}[x]`` and ``\mathrm{Var}[x]`` the population
    estimates; torch keeps running averages instead):

        y = \frac{\gamma}{\sqrt{\mathrm{Var}[x] + \epsilon}} x
            + \left(\beta - \frac{\gamma \mathrm{E}[x]}{\sqrt{\mathrm{Var}[x] + \epsilon}}\right)

    Args:
        x: the inputs, same layouts as ``batch_norm_train``.
        gamma: the scale, a scalar or one value per channel.
        beta: the shift, a scalar or one value per channel.
        running_mean: ``\mathrm{E}[x]``, a scalar or one value per channel.
        running_var: ``\mathrm{Var}[x]``, a scalar or one value per channel.
        eps: added to the variance under the root (>= 0).

    Returns:
        The outputs, same shape as ``x``; equal to ``batch_norm_eval`` up to rounding.

    Raises:
        ValueError: if a parameter has the wrong shape or ``eps < 0``.

    Examples:
        >>> batch_norm_folded(np.array([5.0]), gamma=2.0, beta=1.0, running_mean=3.0, running_var=4.0, eps=0.0)
        array([3.])
    """
    x = as_float_array("x", x)
    folded = fold_batch_norm(
        gamma=_per_channel("gamma", gamma, x),
        beta=_per_channel("beta", beta, x),
        running_mean=_per_channel("running_mean", running_mean, x),
        running_var=_per_channel("running_var", running_var, x),
        eps=eps,
    )
    return _expand(folded.scale, x) * x + _expand(folded.shift, x)
