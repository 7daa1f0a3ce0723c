r"""The vocabulary of the LaTeX front end: which spellings render alike, which commands are dropped or refused.

Data only; `studylog.engine.latex` applies it.
"""

from __future__ import annotations

#: the deepest nesting of groups a formula may have (the parser is recursive; Python's stack is not infinite)
MAX_DEPTH = 50

#: commands whose braced argument is plain text and forms one opaque token (``\mathrm{softmax}``)
OPAQUE = (
    "operatorname*", "operatorname", "mathrm", "textrm", "textup", "textnormal", "text", "mbox", "mathbb",
    "mathit", "mathcal", "mathsf", "mathtt", "textit", "mathfrak", "mathscr", "textsf", "texttt",
)  # fmt: skip
#: text-mode commands: an annotation when they end a line
TEXT_MODE = {"text", "textrm", "textup", "textnormal", "mbox", "textit", "textsf", "texttt"}
#: upright-name commands that render the same name alike
UPRIGHT = {"operatorname*", "operatorname", "mathrm", "textrm", "textup", "textnormal", "text", "mbox"}
#: named functions: \operatorname{exp} is \exp
FUNCTIONS = {
    "exp", "log", "ln", "max", "min", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "det", "lim",
    "sup", "inf", "arg", "sgn",
}  # fmt: skip
ARG_OPS = {"argmax": r"\argmax", "argmin": r"\argmin"}
#: font commands that only make a symbol bold: \mathbf{\theta} is \theta
BOLD = {r"\mathbf", r"\boldsymbol", r"\bm", r"\pmb", r"\mathbfit"}
#: tokens that only change spacing or delimiter size
DROP = {
    r"\left", r"\right", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
    r"\biggl", r"\biggr", r"\Biggl", r"\Biggr", r"\bigm", r"\Bigm", r"\displaystyle", r"\textstyle",
    r"\scriptstyle", r"\,", r"\;", r"\:", r"\!", r"\ ", r"\quad", r"\qquad", "~", r"\nonumber", r"\notag",
    r"\limits", r"\nolimits", r"\thinspace", r"\medspace", r"\thickspace", r"\enspace",
}  # fmt: skip
#: commands dropped together with their braced argument
DROP_WITH_ARG = {r"\tag", r"\tag*", r"\label"}
#: commands that can hide or disguise meaning: refused in a checked formula
REFUSED = {
    r"\phantom", r"\hphantom", r"\vphantom", r"\smash", r"\color", r"\textcolor", r"\colorbox", r"\fcolorbox",
    r"\newcommand", r"\renewcommand", r"\providecommand", r"\def", r"\gdef", r"\edef", r"\xdef", r"\let",
    r"\futurelet", r"\global", r"\raisebox", r"\llap", r"\rlap", r"\clap", r"\mathllap", r"\mathrlap",
    r"\mathclap", r"\kern", r"\mkern", r"\mskip", r"\hskip", r"\hspace", r"\htmlClass", r"\htmlStyle",
    r"\htmlData", r"\htmlId", r"\href", r"\url", r"\includegraphics", r"\char", r"\cancel", r"\bcancel",
    r"\xcancel", r"\sout", r"\mathchoice", r"\relax", r"\hbox", r"\vbox",
}  # fmt: skip
ALIASES = {
    r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac", r"\gets": r"\leftarrow",
    r"\coloneqq": ":=", r"\lbrace": r"\{", r"\rbrace": r"\}", r"\vert": "|", r"\lvert": "|", r"\rvert": "|",
    r"\|": r"\lVert", r"\Vert": r"\lVert", r"\rVert": r"\lVert", r"\lVert": r"\lVert", r"\ast": "*",
    r"\intercal": r"\top", r"\le": r"\leq", r"\ge": r"\geq", r"\leqslant": r"\leq", r"\geqslant": r"\geq",
    r"\lbrack": "[", r"\rbrack": "]", r"\ne": r"\neq", r"\land": r"\wedge", r"\lor": r"\vee",
}  # fmt: skip
#: Unicode characters that render as these commands
UNICODE = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon", "ϵ": r"\epsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu",
    "ν": r"\nu", "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "φ": r"\phi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta",
    "Λ": r"\Lambda", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega", "∇": r"\nabla",
    "−": "-", "·": r"\cdot", "×": r"\times", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "←": r"\leftarrow",
    "∞": r"\infty", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "⊙": r"\odot", "√": r"\sqrt",
}  # fmt: skip
#: commands taking one argument that is braced when given as a single token
ONE_ARG = {
    "_", "^", r"\hat", r"\widehat", r"\tilde", r"\widetilde", r"\bar", r"\overline", r"\vec", r"\dot",
    r"\ddot", r"\sqrt", r"\check", r"\breve", r"\acute", r"\grave",
}  # fmt: skip
RELATIONS = (r"\leftarrow", ":=", "=", r"\approx")
TRANSPOSE = "^T"
OPEN = {"{", "(", "[", r"\{", r"\lfloor", r"\lceil"}
CLOSE = {"}", ")", "]", r"\}", r"\rfloor", r"\rceil"}
