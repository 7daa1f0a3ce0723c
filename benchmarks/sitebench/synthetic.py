r"""The synthetic site: N daily logs of optimizer notes, 20 formulas (most distinct) and 2 executed examples each."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sitebench import ROOT

SYMBOLS = ["W", r"\theta", "w", r"\phi", r"\psi", "u"]
STEPS = ["t", "k", "n"]
OPTIMIZERS = ["SGD", "Momentum", "Adam", "AdamW", "RMSProp", "Adagrad", "Nesterov"]


def formulas_of(i: int, edit: int = 0) -> tuple[list[str], list[str]]:
    """The display and inline formulas of log ``i`` (most depend on ``i``; a few recur in every log).

    ``edit`` > 0 changes exactly one display formula (the benchmark's one-formula edit; each value
    gives a different formula).
    """
    p = SYMBOLS[i % len(SYMBOLS)]
    t = STEPS[i % len(STEPS)]
    layer = i + 1
    b1 = 0.80 + (i % 19) / 100
    b2 = 0.990 + (i % 9) / 1000
    eps = 6 + i % 4
    lr = f"{1 + i % 9}\\times 10^{{-{2 + i % 3}}}"
    n_data = 1000 + 10 * i
    batch = 2 ** (4 + i % 5)
    width = 64 * (1 + i % 8)
    lam = f"{(i % 7) + 1}\\times 10^{{-4}}"
    step = f"{edit + 1}\\eta" if edit else r"\eta"
    pl = f"{p}^{{({layer})}}"  # the parameters of layer i + 1: makes a formula unique to the log
    display = [
        rf"{pl}_{{{t}+1}} \leftarrow {pl}_{{{t}}} - {step}\, g^{{({layer})}}_{{{t}}}",
        rf"m^{{({layer})}}_{{{t}}} = \beta_1 m^{{({layer})}}_{{{t}-1}} + (1-\beta_1)\, g^{{({layer})}}_{{{t}}}, \qquad \beta_1 = {b1:.2f}",
        rf"v^{{({layer})}}_{{{t}}} = \beta_2 v^{{({layer})}}_{{{t}-1}} + (1-\beta_2)\, \big(g^{{({layer})}}_{{{t}}}\big)^{{2}}, \qquad \beta_2 = {b2:.3f}",
        rf"\hat m_{{{t}}} = \frac{{m_{{{t}}}}}{{1-\beta_1^{{{t}}}}}, \qquad \hat v_{{{t}}} = \frac{{v_{{{t}}}}}{{1-\beta_2^{{{t}}}}}",
        rf"{pl}_{{{t}+1}} = {pl}_{{{t}}} - \frac{{\eta}}{{\sqrt{{\hat v_{{{t}}}}} + \epsilon}}\, \hat m_{{{t}}}, \qquad \epsilon = 10^{{-{eps}}}",
        rf"\mathcal{{L}}({p}) = \frac{{1}}{{N}} \sum_{{i=1}}^{{N}} \ell\big(f_{{{p}}}(x_i), y_i\big) + \frac{{\lambda}}{{2}} \lVert {p} \rVert_2^2, \qquad N = {n_data}",
        rf"\mathbb{{E}}_{{x \sim p}}\big[\nabla_{{{pl}}} \ell(x)\big] \approx \frac{{1}}{{B}} \sum_{{b \in \mathcal{{B}}_{{{layer}}}}} \nabla_{{{pl}}} \ell(x_b), \qquad B = {batch}",
        rf"H = \begin{{pmatrix}} {2 + i // 7} & {i % 7} \\ {i % 7} & {3 + i // 7} \end{{pmatrix}}, \qquad \kappa(H) = \frac{{\lambda_{{\max}}}}{{\lambda_{{\min}}}}",
    ]
    inline = [
        r"\eta",  # recurs in every log
        rf"g_{{{t}}}",  # recurs in every third log
        rf"\eta = {lr}",
        rf"\beta_1 = {b1:.2f}",
        rf"\sqrt{{\hat v_{{{t}}}}}",
        rf"\lambda = {lam}",
        rf"{pl} \in \mathbb{{R}}^{{{width} \times {width // 2}}}",
        rf"\nabla_{{{pl}}} \mathcal{{L}}",
        rf"\frac{{1}}{{\sqrt{{{width}}}}}",
        rf"x^{{({layer})}}_{{j}}",
        rf"B = {batch}",
        rf"O\big(n^{{{2 + i % 3}}}\big)",
    ]
    return display, inline


def log_text(i: int, edit: int = 0) -> str:
    """One synthetic log: front matter, prose, 8 display and 12 inline formulas, 2 executed examples."""
    display, inline = formulas_of(i, edit)
    name = OPTIMIZERS[i % len(OPTIMIZERS)]
    date = dt.date(2021, 1, 1) + dt.timedelta(days=i)
    ex = [inline[k] for k in range(len(inline))]
    d = [f"```math\n{tex}\n```" for tex in display]
    prose = ("The lecture went over it slowly; the notes below are what stuck, with the numbers from "
             "the assignment. ")  # fmt: skip
    return f"""---
date: {date.isoformat()}
slug: log-{i:04d}
categories:
  - Study log
---

# Day {i + 1}: {name}

Today's topic is {name} with a learning rate $`{ex[0]}`$ and the gradient $`{ex[1]}`$ of the loss.

<!-- more -->

## The update

{prose}One step of plain gradient descent with $`{ex[2]}`$:

{d[0]}

The first moment keeps a running mean of the gradients, with $`{ex[3]}`$:

{d[1]}

and the second moment a running mean of their squares:

{d[2]}

Both start at zero, so early estimates are biased toward zero; dividing corrects that:

{d[3]}

The step divides by $`{ex[4]}`$ per coordinate:

{d[4]}

## The loss

{prose}Weight decay adds $`{ex[5]}`$ times the squared norm, for $`{ex[6]}`$:

{d[5]}

The gradient $`{ex[7]}`$ is estimated on a mini-batch; initial weights scale like $`{ex[8]}`$:

{d[6]}

```python exec="on" result="text"
sizes = [{i % 7 + 2}, {i % 5 + 3}, {i % 3 + 4}]
print("parameters:", sum(a * b for a, b in zip(sizes, sizes[1:])))
```

## Curvature

The activations $`{ex[9]}`$ of layer {i + 1} feed the next; with $`{ex[10]}`$ the cost is $`{ex[11]}`$.

{d[7]}

```python exec="on" result="text"
lr, beta = {1 + i % 9} * 10 ** -{2 + i % 3}, {b1_str(i)}
print(f"effective step after 10 steps: {{lr / (1 - beta ** 10):.4g}}")
```

## Retrospective

- {prose}
- Re-derive the bias correction without notes tomorrow (log {i}).
"""


def b1_str(i: int) -> str:
    return f"{0.80 + (i % 19) / 100:.2f}"


def distinct_formulas(n_logs: int) -> set[tuple[str, bool]]:
    out: set[tuple[str, bool]] = set()
    for i in range(n_logs):
        display, inline = formulas_of(i)
        out |= {(tex, True) for tex in display} | {(tex, False) for tex in inline}
    return out


def formulas_per_log() -> int:
    display, inline = formulas_of(0)
    return len(display) + len(inline)


MKDOCS_YML = """\
site_name: benchmark
theme:
  name: material
  font: false
plugins:
  - search
  - blog
  - studylog:
      engine: {engine}
      verify: false
      cache_dir: "{cache_dir}"
      examples_cache_dir: .studylog-cache/examples
"""


def make_site(root: Path, n_logs: int, engine: str) -> None:
    """Write a fresh synthetic site of ``n_logs`` logs for ``engine`` into ``root`` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    # the floor renders nothing worth caching: its formula cache is off (a cache write per formula
    # would make the floor slower than no math at all)
    cache_dir = "" if engine == "none" else ".studylog-cache/katex"
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(engine=engine, cache_dir=cache_dir), encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.studylog]\nimplementations = []\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Benchmark\n\nA synthetic site of study logs.\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Logs\n", encoding="utf-8")
    for i in range(n_logs):
        (posts / f"log-{i:04d}.md").write_text(log_text(i), encoding="utf-8")
    (root / "node_modules").symlink_to(ROOT / "node_modules")


def edited_log(n_logs: int) -> int:
    return n_logs // 2
