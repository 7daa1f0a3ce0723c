"""Time one optimizer step on a 10M-element float32 parameter: ours (torch subclass, numpy step) vs torch.optim.

Run on demand: ``python benchmarks/optim_step.py [--numel N] [--repeats R]``. For each method it times
``torch.optim``'s for-loop path (``foreach=False``, the baseline of the ratios), its ``foreach=True`` and
``fused=True`` paths where torch has them, our ``torch.optim.Optimizer`` subclass and our numpy step (through
:class:`studylog.optim.NumpyOptimizer`), all in the same run: the median of several timed steps after warm-up
steps, interleaved. Targets: torch subclasses within 1.5x of the for-loop path, numpy steps within 2x.
AdamP's baseline is the ``adamp`` package (torch has no AdamP), on a 2-d parameter so the projection test runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from studylog.optim import NumpyOptimizer
from studylog.optim.drivers import CLASSES

#: method -> (torch.optim class name or None, extra torch kwargs, fused supported on CPU)
METHODS: dict[str, tuple[str | None, dict, bool]] = {
    "sgd": ("SGD", {}, True),
    "momentum": ("SGD", {"momentum": 0.9}, True),
    "nag": ("SGD", {"momentum": 0.9, "nesterov": True}, True),
    "adagrad": ("Adagrad", {}, True),
    "adadelta": ("Adadelta", {}, False),
    "rmsprop": ("RMSprop", {}, False),
    "adam": ("Adam", {}, True),
    "radam": ("RAdam", {}, False),
    "adamp": (None, {}, False),
}
OURS_KWARGS = {"momentum": {"momentum": 0.9}, "nag": {"momentum": 0.9}}


def timings_ms(steps: list[Callable[[], object]], *, warmup: int, repeats: int) -> list[tuple[float, float]]:
    """(median, min) wall time in milliseconds of each of ``steps``, after ``warmup`` untimed calls of each.

    The timed calls are interleaved (one of each per round), so that drifts of the machine (memory
    pressure, other load) affect every implementation alike.
    """
    for step in steps:
        for _ in range(warmup):
            step()
    times: list[list[float]] = [[] for _ in steps]
    for _ in range(repeats):
        for i, step in enumerate(steps):
            start = time.perf_counter()
            step()
            times[i].append(time.perf_counter() - start)
    return [(1e3 * statistics.median(t), 1e3 * min(t)) for t in times]


def torch_step(make: Callable[[list[torch.Tensor]], torch.optim.Optimizer], shape: tuple[int, ...],
               grad: torch.Tensor) -> Callable[[], object]:  # fmt: skip
    p = torch.zeros(shape, dtype=torch.float32, requires_grad=True)
    p.grad = grad.reshape(shape).clone()
    opt = make([p])
    return opt.step


def numpy_step(method: str, shape: tuple[int, ...], grad: np.ndarray) -> Callable[[], object]:
    opt = NumpyOptimizer(method, lr=1e-3, **OURS_KWARGS.get(method, {}))
    g = grad.reshape(shape)
    box = {"W": np.zeros(shape, dtype=np.float32)}

    def step() -> None:
        box["W"] = opt.step(box["W"], lambda _w: g)

    return step


def run(numel: int, warmup: int, repeats: int) -> list[tuple[str, str, float, float, float]]:
    gen = torch.Generator().manual_seed(0)
    grad = torch.randn(numel, generator=gen, dtype=torch.float32)
    grad_np = grad.numpy()
    rows = []
    for method, (torch_name, extra, fused) in METHODS.items():
        shape = (1000, numel // 1000) if method == "adamp" else (numel,)
        impls: list[tuple[str, Callable[[], object]]] = []
        if torch_name is None:
            import adamp

            impls.append(("adamp package (for-loop)", torch_step(lambda ps: adamp.AdamP(ps, lr=1e-3), shape, grad)))
            impls.append(("torch AdamW for-loop", torch_step(
                lambda ps: torch.optim.AdamW(ps, lr=1e-3, foreach=False), shape, grad)))  # fmt: skip
        else:
            cls = getattr(torch.optim, torch_name)
            paths = [("torch for-loop", {"foreach": False}), ("torch foreach", {"foreach": True})]
            paths += [("torch fused", {"fused": True})] if fused else []
            for name, flags in paths:
                impls.append((name, torch_step(lambda ps, f=flags: cls(ps, lr=1e-3, **f, **extra), shape, grad)))
        ours_cls = CLASSES[method]
        impls.append(("ours (torch subclass)", torch_step(
            lambda ps: ours_cls(ps, lr=1e-3, **OURS_KWARGS.get(method, {})), shape, grad)))  # fmt: skip
        impls.append(("ours (numpy step)", numpy_step(method, shape, grad_np)))
        timed = timings_ms([step for _, step in impls], warmup=warmup, repeats=repeats)
        base = timed[0][0]
        rows += [(method, name, med, low, med / base) for (name, _), (med, low) in zip(impls, timed, strict=True)]
        del impls  # free this method's tensors before the next one
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--numel", type=int, default=10_000_000, help="parameter size (default 10M)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first (default 3)")
    parser.add_argument("--repeats", type=int, default=15, help="timed steps; the median is shown (default 15)")
    args = parser.parse_args()
    print(f"torch {torch.__version__}, numpy {np.__version__}, torch threads {torch.get_num_threads()}, "
          f"float32, {args.numel:,} elements, median of {args.repeats} after {args.warmup} warm-up steps")  # fmt: skip
    print(f"{'method':<9} {'implementation':<26} {'median ms':>10} {'min ms':>8} {'median vs for-loop':>19}")
    for method, name, med, low, ratio in run(args.numel, args.warmup, args.repeats):
        print(f"{method:<9} {name:<26} {med:10.2f} {low:8.2f} {ratio:18.2f}x")


if __name__ == "__main__":
    main()
