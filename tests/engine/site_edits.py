r"""Text edits of a formula's LaTeX, written with regular expressions and bracket counting only.

They are deliberately independent of the engine's tokenizer and parser, so that a blind spot of the parser
cannot hide from the tests built on them. Each edit returns the edited LaTeX, or None where it does not apply.

Mutants change the meaning: a bound index swapped, a free index put into a summand, a norm of another kind,
an identity with one term scaled by ``1 ± 2·rtol``. Rewrites keep it: trailing punctuation, annotations,
comments, bold symbols, ``\operatorname``, superscripts before subscripts, the output on the right,
``\text`` for ``\mathrm``, ``\nabla_W``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

BINDER_RE = re.compile(r"(\\sum|\\prod|\\max|\\min|\\arg\s*\\max|\\arg\s*\\min|\\operatorname\*?\{arg\\,?max\})_(\{([^{}]*)\}|([A-Za-z]))")
SUBSCRIPT_RE = r"_(?:\{{{x}\}}|{x}(?![A-Za-z]))"


def _group_end(text: str, start: int) -> int:
    """Index past the balanced group that opens at ``start`` (``{``, ``(``, ``[``)."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    depth = 0
    for k in range(start, len(text)):
        if text[k] in pairs:
            depth += 1
        elif text[k] in pairs.values():
            depth -= 1
            if depth == 0:
                return k + 1
    return len(text)


def binders(latex: str) -> Iterator[tuple[re.Match[str], list[str]]]:
    """Each binder (``\\sum_{j=1}^{m}``, ``\\max_{m,n}``, ``\\arg\\max_k``) and the letters it binds."""
    for m in BINDER_RE.finditer(latex):
        spec = m.group(3) if m.group(3) is not None else m.group(4)
        head = re.split(r"=|\\neq|\\leq|<", spec)[0]
        letters = [x.strip() for x in head.split(",") if re.fullmatch(r"\s*[A-Za-z]\s*", x)]
        if letters:
            yield m, letters


def _body_span(latex: str, m: re.Match[str]) -> tuple[int, int]:
    """Where the binder's body starts (after an optional ``^{…}``) and ends (next top-level + or - or relation)."""
    i = m.end()
    if latex.startswith("^", i):
        i += 1
        i = _group_end(latex, i) if latex[i] == "{" else i + 1
    depth, k = 0, i
    while k < len(latex):
        c = latex[k]
        if c in "{([":
            depth += 1
        elif c in "})]":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (c in "+=" or (c == "-" and k > i) or latex.startswith(r"\leftarrow", k)):
            break
        k += 1
    return i, k


def swap_bound_index(latex: str, letters_available: list[str]) -> list[str]:
    """Mutants: each binder binds another letter than its body uses (``\\sum_{j} x_j`` -> ``\\sum_{k} x_j``)."""
    out = []
    for m, letters in binders(latex):
        spec_start = m.start(2)
        for x in letters:
            other = next((y for y in letters_available if y not in letters and y != x), "q")
            spec = m.group(2)
            new_spec = re.sub(rf"(?<![A-Za-z\\]){x}(?![A-Za-z])", other, spec, count=1)
            out.append(latex[:spec_start] + new_spec + latex[m.end(2) :])
    return out


def free_index_in_body(latex: str, letters_available: list[str]) -> list[str]:
    """Mutants: one subscript of the bound index in the body becomes another index (``e^{x_j}`` -> ``e^{x_i}``)."""
    out = []
    for m, letters in binders(latex):
        start, end = _body_span(latex, m)
        body = latex[start:end]
        for x in letters:
            other = next((y for y in letters_available if y not in letters), "q")
            pattern = re.compile(SUBSCRIPT_RE.format(x=re.escape(x)) + r"|(?<=[{,])\s*" + re.escape(x) + r"(?=\s*[,}+\-])")
            hit = pattern.search(body)
            if hit is None:
                continue
            replaced = body[: hit.start()] + hit.group(0).replace(x, other, 1) + body[hit.end() :]
            out.append(latex[:start] + replaced + latex[end:])
    return out


NORM_RE = re.compile(r"(\\rVert|\\\||\\Vert)(_\{?(2|F|\\mathrm\{F\})\}?)?")


def norm_kind(latex: str, matrix_operands: set[str]) -> list[str]:
    """Mutants: a norm of another kind (``_2`` -> ``_1``, ``_\\infty``; on a declared matrix ``_2`` <-> ``_F``)."""
    out = []
    closers = [m for m in NORM_RE.finditer(latex) if m.group(1) == r"\rVert" or _is_closing(latex, m)]
    for m in closers:
        operand = _operand(latex, m.start())
        sub = m.group(3)
        replacements = [r"_1", r"_\infty"]
        if operand.strip() in matrix_operands:
            replacements = [r"_F" if sub in (None, "2") else r"_2"]
        for rep in replacements:
            out.append(latex[: m.end(1)] + rep + latex[m.end() :])
    return out


def _is_closing(latex: str, m: re.Match[str]) -> bool:
    return len([x for x in NORM_RE.finditer(latex[: m.start()]) if x.group(1) == m.group(1)]) % 2 == 1


def _operand(latex: str, closer: int) -> str:
    opener = max(latex.rfind(r"\lVert", 0, closer), latex.rfind(r"\|", 0, closer))
    return latex[opener + 6 if latex.startswith(r"\lVert", opener) else opener + 2 : closer]


def split_terms(side: str) -> list[tuple[str, str]]:
    """The top-level additive terms of one side, with their signs (``+``/``-``)."""
    terms: list[tuple[str, str]] = []
    depth, start, sign = 0, 0, "+"
    s = side.strip()
    k = 0
    while k < len(s):
        c = s[k]
        if s.startswith((r"\left", r"\right"), k):
            k += 5 if s.startswith(r"\left", k) else 6
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif depth == 0 and c in "+-" and s[start:k].strip():
            terms.append((sign, s[start:k].strip()))
            sign, start = c, k + 1
        elif depth == 0 and c in "+-":
            sign, start = c, k + 1
        k += 1
    terms.append((sign, s[start:].strip()))
    return terms


def scale_each_term(latex: str, factors: tuple[float, ...]) -> list[str]:
    """Mutants of an identity ``L = R``: each term of either side in turn multiplied by each factor."""
    if latex.count("=") != 1:
        return []
    sides = latex.split("=")
    out = []
    for which in (0, 1):
        terms = split_terms(sides[which])
        for k in range(len(terms)):
            for factor in factors:
                scale = f"{factor:.9g} " + "\\cdot "
                edited = [f"{s} {scale if n == k else ''}{t}" for n, (s, t) in enumerate(terms)]
                new = " ".join(edited).lstrip("+ ")
                pair = [sides[0], sides[1]]
                pair[which] = f" {new} "
                out.append("=".join(pair))
    return out


# ------------------------------------------------------------------------------------------ rewrites


def rewrites(latex: str, bold_bases: list[str], output_on_left: bool) -> dict[str, str]:
    """Meaning-preserving rewrites that apply to ``latex`` (kind -> rewritten LaTeX)."""
    out = {
        "trailing period": latex.rstrip() + ".",
        "trailing comma": latex.rstrip() + ",",
        "annotation": latex.rstrip() + r" \quad\text{(see the lecture)}",
        "percent comment": latex.rstrip() + "  % checked against the code\n",
    }
    sup_first = re.sub(r"(\\[A-Za-z]+|[A-Za-z])_(\{[^{}]*\}|[A-Za-z0-9])\^(\{[^{}]*\}|[A-Za-z0-9])", r"\1^\3_\2", latex)
    if sup_first != latex:
        out["superscript first"] = sup_first
    text = latex.replace(r"_{\mathrm{", r"_{\text{")
    if text != latex:
        out[r"\text for \mathrm"] = text
    op = re.sub(r"\\(exp|log)(?![A-Za-z])", r"\\operatorname{\1}", latex)
    if op != latex:
        out[r"\operatorname{exp}"] = op
    bold = latex
    for n, base in enumerate(bold_bases):  # every declared symbol in bold, in turn \mathbf, \boldsymbol, \bm
        wrapper = (r"\mathbf", r"\boldsymbol", r"\bm")[n % 3]
        pattern = re.escape(base) + (r"(?![A-Za-z])" if base.startswith("\\") else r"(?![A-Za-z{])")
        bold = re.sub(r"(?<![\\A-Za-z{])" + pattern, lambda m, w=wrapper: f"{w}{{{m.group(0)}}}", bold)
    if bold != latex:
        out["bold symbols"] = bold
    if output_on_left and latex.count("=") == 1 and r"\leftarrow" not in latex and r"\text{(" not in latex:
        left, right = latex.split("=")
        out["output on the right"] = f"{right.strip()} = {left.strip()}"
    relation = re.search(r"=|\\leftarrow", latex)
    if relation is not None:  # only on the expression side: the output is matched as declared
        right = re.sub(r"\\nabla L\(W", r"\\nabla_W L(W", latex[relation.end() :])
        if right != latex[relation.end() :]:
            out[r"\nabla_W"] = latex[: relation.end()] + right
    return out
