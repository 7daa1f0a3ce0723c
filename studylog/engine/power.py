r"""Identities checked by simulation: a comparison no term can hide in, and a proof that it can fail.

An identity such as ``\mathbb{E}[(y-\hat f)^2] = \mathrm{bias}^2 + \mathrm{var} + \sigma^2`` is compared
relative to its *smallest term*: ``|L - R| <= atol + rtol * s``, where ``s`` is the smallest of the terms'
largest magnitudes on the draw. Relative to the whole side instead, a term of a third of the total
could be dropped or doubled inside a few percent.

A check that cannot fail is a defect, so the engine also shows that the stated tolerance rejects the
identity with each term in turn scaled by ``1 ± 2·rtol`` (``1 ± 1e-6`` for identities checked to rounding
error), on at least one draw. Where it does not, the binding is refused with the tolerance it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Term:
    """One additive term of one side of an identity, evaluated on a draw."""

    side: int  # 0: left, 1: right
    sign: int
    text: str
    value: np.ndarray


def _scale(terms: list[Term], atol: float, skip: int | None = None, factor: float = 1.0) -> float:
    sizes = []
    for k, t in enumerate(terms):
        size = float(np.max(np.abs(t.value))) if t.value.size else 0.0
        if k == skip:
            size *= factor
        if size > atol:
            sizes.append(size)
    return min(sizes, default=0.0)


def sides(terms: list[Term]) -> tuple[np.ndarray, np.ndarray]:
    left = sum((t.sign * t.value for t in terms if t.side == 0), start=np.zeros(()))
    right = sum((t.sign * t.value for t in terms if t.side == 1), start=np.zeros(()))
    return np.asarray(left, dtype=float), np.asarray(right, dtype=float)


def compare(terms: list[Term], rtol: float, atol: float) -> tuple[bool, float, float]:
    """Whether the two sides agree relative to the smallest term: ``(ok, max abs diff, allowed)``."""
    left, right = sides(terms)
    diff = np.abs(left - right)
    allowed = atol + rtol * _scale(terms, atol)
    worst = float(np.max(diff)) if diff.size else 0.0
    return bool(np.all(diff <= allowed)), worst, allowed


def perturbation(rtol: float) -> float:
    """How much each term is scaled by in the power check."""
    return max(2.0 * rtol, 1e-6)


def _rejects(terms: list[Term], k: int, sign: int, rtol: float, atol: float) -> bool:
    delta = sign * perturbation(rtol)
    left, right = sides(terms)
    t = terms[k]
    change = t.sign * t.value * delta
    if t.side == 0:
        left = left + change
    else:
        right = right + change
    allowed = atol + rtol * _scale(terms, atol, skip=k, factor=1.0 + delta)
    return bool(np.any(np.abs(left - right) > allowed))


@dataclass
class Power:
    """What the draws showed about the tolerance: which perturbed identities it rejected."""

    rtol: float
    atol: float
    draws: list[list[Term]] = field(default_factory=list)

    def observe(self, terms: list[Term]) -> None:
        self.draws.append(terms)

    def _rejected(self, k: int, sign: int, rtol: float, atol: float) -> bool:
        return any(_rejects(terms, k, sign, rtol, atol) for terms in self.draws)

    def verdict(self) -> str | None:
        """None when every term's perturbation is rejected on some draw; else why the tolerance is refused."""
        if not self.draws:
            return None
        n_terms = len(self.draws[0])
        for k in range(n_terms):
            text = self.draws[0][k].text
            if all(float(np.max(np.abs(d[k].value), initial=0.0)) <= self.atol for d in self.draws):
                return (f"the term «{text}» is 0 on every draw: the check cannot tell whether it belongs; draw inputs "
                        "where it is not")  # fmt: skip
            for sign in (1, -1):
                if self._rejected(k, sign, self.rtol, self.atol):
                    continue
                factor = 1 + sign * perturbation(self.rtol)
                return (f"the tolerance cannot fail: rtol={self.rtol:g}, atol={self.atol:g} also accept the identity with "
                        f"«{text}» scaled by {factor:g} on all {len(self.draws)} draws; {self._needed(k, sign)}")  # fmt: skip
        return None

    def _needed(self, k: int, sign: int) -> str:
        for atol in (self.atol / 10**e for e in range(1, 7)):
            if self._rejected(k, sign, self.rtol, atol) and all(compare(d, self.rtol, atol)[0] for d in self.draws):
                return f"atol={atol:.1g} would reject it (rtol unchanged)"
        for rtol in (self.rtol * 2**e for e in range(1, 12)):
            if rtol >= 0.5:
                break
            if self._rejected(k, sign, rtol, self.atol):
                return f"rtol={rtol:.2g} would reject it, or use more samples so that the simulation error is smaller"
        return "no tolerance can at this sample size: use more samples, or draw inputs where this term is larger"
