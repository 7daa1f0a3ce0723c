r"""How long the engine takes to verify N formulas (N = 10, 100, 1000), against a named baseline.

Run on demand: ``.venv/bin/python benchmarks/verify_formulas.py``. The synthetic formulas are Adam-like
systems alternating with batch-norm systems whose sums bind an index and whose outputs carry a free index
(``\hat{x}_i``), all with distinct ids; each is parsed, bound, evaluated on 5 random draws and compared with
a numpy implementation, exactly as for the site. The baseline, measured in the same run,
is calling the same implementations the same number of times with the same inputs and no LaTeX at all
(what a plain unit test of the code would cost), so the ratio is the price of checking the notes.
Target (issue 3): the whole site's verification in under 10 s for 1,000 formulas on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time
from typing import NamedTuple

import numpy as np

from studylog.engine.binding import Array, Fixed, In, Index, Int, Out, Scalar, bindings_of, implements
from studylog.engine.check import check_binding
from studylog.engine.scan import Formula


class Step(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    W: np.ndarray


ADAM = (r"m_t = \beta_1 m_{t-1} + (1-\beta_1)g_t", r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2",
        r"W_{t+1} = W_t - \frac{\eta}{\sqrt{v_t + \epsilon}} \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} m_t")  # fmt: skip


class Norm(NamedTuple):
    mean: float
    var: float
    xhat: np.ndarray


BATCH_NORM = (r"\mu_B = \frac{1}{m}\sum_{i=1}^{m} x_i", r"\sigma_B^2 = \frac{1}{m}\sum_{j} (x_j - \mu_B)^2",
              r"\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}")  # fmt: skip


def make_batch_norm(k: int):
    ids = (f"n{k}.mean", f"n{k}.var", f"n{k}.xhat")

    @implements(*ids, symbols={
        r"x_i": In("x", Array(-2.0, 2.0, shape=(8,))), r"m": In(None, Fixed(8)), r"i": Index(), r"j": Index(),
        r"\epsilon": In("eps", Scalar(0.01, 0.5)), r"\mu_B": Out("mean"), r"\sigma_B^2": Out("var"), r"\hat{x}_i": Out("xhat")})  # fmt: skip
    def batch_norm(x, eps):
        mean, var = x.mean(), x.var()
        return Norm(mean, var, (x - mean) / np.sqrt(var + eps))

    formulas = [Formula(latex=tex, path="synthetic.md", line=3 * k + i + 1, display=True, id=fid, content_line=3 * k + i + 1)
                for i, (tex, fid) in enumerate(zip(BATCH_NORM, ids, strict=True))]  # fmt: skip
    return bindings_of(batch_norm)[0], formulas


def make_binding(k: int):
    if k % 2:
        return make_batch_norm(k)
    ids = (f"b{k}.m", f"b{k}.v", f"b{k}.w")

    @implements(*ids, symbols={
        "W_t": In("W"), "g_t": In("g"), "m_{t-1}": In("m"), "v_{t-1}": In("v", Array(0.1, 2.0)),
        r"\eta": In("lr", Scalar(0.01, 0.5)), r"\beta_1": In("b1", Scalar(0.5, 0.95)),
        r"\beta_2": In("b2", Scalar(0.6, 0.99)), r"\epsilon": In("eps", Scalar(0.05, 0.5)), "t": In("t", Int(2, 12)),
        "m_t": Out("m"), "v_t": Out("v"), "W_{t+1}": Out("W")})  # fmt: skip
    def adam(W, g, m, v, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        return Step(m, v, W - lr / np.sqrt(v + eps) * np.sqrt(1 - b2**t) / (1 - b1**t) * m)

    formulas = [Formula(latex=tex, path="synthetic.md", line=3 * k + i + 1, display=True, id=fid, content_line=3 * k + i + 1)
                for i, (tex, fid) in enumerate(zip(ADAM, ids, strict=True))]  # fmt: skip
    return bindings_of(adam)[0], formulas


def run(n_formulas: int) -> tuple[float, float]:
    systems = [make_binding(k) for k in range(max(1, n_formulas // 3))]
    t0 = time.perf_counter()
    for binding, formulas in systems:
        result = check_binding(binding, formulas)[0]
        assert result.status == "verified", result.message
    engine = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    for binding, _ in systems:
        for _ in range(binding.draws):
            if "x" in {r.arg for r in binding.symbols.values() if isinstance(r, In)}:
                binding.func(x=rng.uniform(-2, 2, 8), eps=0.1)
                continue
            a = {k: rng.uniform(-1, 1, (3, 5)) for k in ("W", "g", "m")}
            binding.func(v=rng.uniform(0.1, 2, (3, 5)), t=5, lr=0.1, b1=0.9, b2=0.99, eps=0.1, **a)
    baseline = time.perf_counter() - t0
    return engine, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    print(f"{'formulas':>9} {'engine s':>9} {'per formula ms':>15} {'baseline s':>11} {'ratio':>7}")
    for n in (int(s) for s in args.sizes.split(",")):
        engine, baseline = run(n)
        print(f"{n:>9} {engine:>9.3f} {1000 * engine / n:>15.2f} {baseline:>11.4f} {engine / baseline:>6.0f}x")


if __name__ == "__main__":
    main()
