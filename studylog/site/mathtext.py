r"""A formula as readable text for the search index: KaTeX's MathML read out as Unicode (``ρₜ = β ρₜ₋₁``).

The text comes from the MathML KaTeX already puts in every rendered formula, not from a second TeX
parser: the structure is exactly what KaTeX parsed, user macros, ``\operatorname`` and environments
included. Sub- and superscripts use Unicode's small letters where every character has one (``Wₜ₊₁``,
``β₁ᵗ``), and TeX's ``_{…}`` / ``^{…}`` otherwise; fractions read ``a/(b + c)``, roots ``√x``,
accents combine (``m̂``), matrices read ``(2, 1; 1, 3)``, and double-struck, script and fraktur letters
become their Unicode math letters (``𝔼``, ``ℒ``). Unicode's tables of small letters are not in any
well-kept library that takes MathML, so the two small maps below are written out here.

It also lists a formula's TeX command names without their backslash (``eta frac``): a reader can still
search for a formula by the commands they typed, since the search box reads ``\eta`` as ``eta`` (a
backslash escapes the next character in Lunr's query syntax).
"""

from __future__ import annotations

import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from functools import lru_cache

__all__ = ["ANNOTATION", "TEXT_VERSION", "annotate", "command_names", "mathml_text", "readable", "text_of"]

# Unicode's subscript and superscript forms (the characters that have one).
_SUB = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
_SUP = dict(zip("0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχι",
                "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡᶥ", strict=True))  # fmt: skip
_PRIMES = set("′″‴'")
# accents KaTeX writes as <mover accent="true"> and the combining mark each becomes
_COMBINING = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "ˉ": "\u0304", "‾": "\u0305", "¯": "\u0304",
              "˙": "\u0307", "¨": "\u0308", "ˇ": "\u030c", "→": "\u20d7", "⃗": "\u20d7", "´": "\u0301", "`": "\u0300",
              "˘": "\u0306", "˚": "\u030a"}  # fmt: skip
# math letters by MathML's mathvariant (Unicode names them "MATHEMATICAL DOUBLE-STRUCK CAPITAL E" etc.)
_VARIANTS = {"double-struck": "DOUBLE-STRUCK", "script": "SCRIPT", "fraktur": "FRAKTUR", "bold-script": "BOLD SCRIPT"}
_INVISIBLE = {"\u2061", "\u2062", "\u2063", "\u2064", "\u200b"}  # function application, invisible times, …
_OPENERS = set("([{⟨⌊⌈|‖∥")
_CLOSERS = set(")]}⟩⌋⌉,;.!:") | _PRIMES
_SPACED = set("=<>≤≥≈≠≡∼≃≅∝←→↔⇐⇒⇔↦⟶⟵∈∉∋⊂⊃⊆⊇+−±∓×·÷∘∧∨∪∩⊕⊗≪≫≺≻⪯⪰≲≳∣⊥∥")


def _tag(el: ET.Element) -> str:
    return el.tag.rpartition("}")[2]  # without the MathML namespace


def _script(text: str, table: dict[str, str], mark: str) -> str:
    """``text`` in small letters if every character has one; else TeX's ``_x`` / ``_{…}``."""
    bare = text.replace(" ", "")
    if bare and all(c in table for c in bare):
        return "".join(table[c] for c in bare)
    if mark == "^" and bare and all(c in _PRIMES for c in bare):
        return bare
    return f"{mark}{bare}" if len(bare) == 1 else f"{mark}{{{text}}}"


def _variant(text: str, variant: str | None) -> str:
    style = _VARIANTS.get(variant or "")
    if style is None:
        return text
    out = []
    for c in text:
        case = "CAPITAL" if c.isupper() else "SMALL"
        for name in (f"MATHEMATICAL {style} {case} {c.upper()}", f"{style} {case} {c.upper()}"):
            try:
                out.append(unicodedata.lookup(name))
                break
            except KeyError:
                continue
        else:
            out.append(c)
    return "".join(out)


def _join(atoms: list[str]) -> str:
    """Atoms separated by a space, except inside brackets and before punctuation and primes."""
    out = ""
    for atom in atoms:
        if not atom:
            continue
        if out and not (out[-1] in _OPENERS and out[-1] not in "|‖∥" or atom[0] in _CLOSERS or out.endswith(" ")
                        or (atom[0] in "([" and (out[-1].isalnum() or out[-1] in ")]}" or out[-1] in _PRIMES))):  # fmt: skip
            out += " "
        out += atom
    return out


def _group(text: str) -> str:
    """``text`` as the operand of ``/`` or ``√``: bracketed when it has more than one part."""
    return text if len(text) <= 1 or (" " not in text and not any(c in _SPACED for c in text)) else f"({text})"


def _children(el: ET.Element) -> list[str]:
    return [_node(c) for c in el]


def _node(el: ET.Element) -> str:  # noqa: C901, PLR0911, PLR0912 - one case per MathML element
    tag = _tag(el)
    if tag in ("annotation", "annotation-xml", "mphantom", "none", "mprescripts"):
        return ""
    if tag in ("mi", "mn", "mtext", "ms"):
        return _variant((el.text or "").strip() if tag != "mtext" else " ".join((el.text or "").split()),
                        el.get("mathvariant"))  # fmt: skip
    if tag == "mo":
        text = "".join(c for c in (el.text or "") if c not in _INVISIBLE).strip()
        return f" {text} " if text and text in _SPACED and len(text) == 1 else text
    if tag == "mspace":
        return " " if float(re.sub(r"[^\d.]", "", el.get("width", "0") or "0") or 0) >= 0.5 else ""
    if tag == "semantics":
        return _node(el[0]) if len(el) else ""
    if tag in ("msub", "msup") and len(el) >= 2:  # KaTeX puts \max's U+2061 in the script: a third child
        script = _join([_node(c) for c in el[1:]]).strip()
        return _node(el[0]).strip() + (_script(script, _SUB, "_") if tag == "msub" else _script(script, _SUP, "^"))
    if tag == "msubsup" and len(el) == 3:
        base, sub, sup = (_node(c).strip() for c in el)
        return base + _script(sub, _SUB, "_") + _script(sup, _SUP, "^")
    if tag in ("mover", "munder", "munderover") and len(el) >= 2:
        base = _node(el[0]).strip()
        if tag == "mover" and el.get("accent") == "true":
            accent = _node(el[1]).strip()
            mark = _COMBINING.get(accent)
            if mark and len(base) == 1:
                return base + mark
            return f"{base}{accent}"
        if tag == "munder":
            return base + _script(_node(el[1]).strip(), _SUB, "_")
        if tag == "mover":
            return base + _script(_node(el[1]).strip(), _SUP, "^")
        if len(el) == 3:
            return base + _script(_node(el[1]).strip(), _SUB, "_") + _script(_node(el[2]).strip(), _SUP, "^")
    if tag == "mfrac" and len(el) == 2:
        num, den = (_node(c).strip() for c in el)
        if el.get("linethickness") in ("0", "0px", "0em"):  # \binom: a stack, not a fraction
            return f"{num} {den}"
        return f"{_group(num)}/{_group(den)}"
    if tag == "msqrt":
        return "√" + _group(_join(_children(el)).strip())
    if tag == "mroot" and len(el) == 2:
        base, index = (_node(c).strip() for c in el)
        return _script(index, _SUP, "^") + "√" + _group(base)
    if tag == "mtable":
        rows = [", ".join(_join(_children(cell)).strip() for cell in row) for row in el]
        return "; ".join(rows)
    return _join(_children(el))


@lru_cache(maxsize=65536)
def mathml_text(mathml: str) -> str | None:
    """The readable text of one ``<math>…</math>`` element, or None when it is not well-formed XML."""
    try:
        root = ET.fromstring(mathml)  # noqa: S314 - KaTeX's own output, not the author's
    except ET.ParseError:
        return None
    return " ".join(_node(root).split())


# Commands that only lay out (sizes, spaces, styles, environments): searching for them finds nothing useful.
_LAYOUT = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
           "Biggl", "Biggr", "quad", "qquad", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle",
           "limits", "nolimits", "begin", "end", "text", "mathrm", "textrm", "mbox", "hbox", "kern", "hspace",
           "thinspace", "medspace", "thickspace", "enspace", "nonumber", "notag"}  # fmt: skip
_COMMAND = re.compile(r"\\([A-Za-z]+)")


def command_names(tex: str) -> list[str]:
    r"""The names of the TeX commands of ``tex`` a reader may search for, once each, in order.

    Examples:
        >>> command_names(r"\hat m_t = \frac{m_t}{1-\beta_1^t} \qquad \hat m")
        ['hat', 'frac', 'beta']
    """
    return list(dict.fromkeys(m for m in _COMMAND.findall(tex) if m not in _LAYOUT))


_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
#: where `annotate` puts the readable text in KaTeX's MathML (an annotation no browser displays)
ANNOTATION = '<annotation encoding="text/plain">'
#: part of the formula cache's key: a change to how the text reads must render the formulas again
TEXT_VERSION = 2
# Characters beyond U+FFFF (𝔼) are written as references: one of them would make Python store the whole
# page at 4 bytes a character instead of 2 (all of a build's pages are held in memory at once).
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def text_of(rendered: str, tex: str) -> str:
    r"""The readable text of one rendered formula: its ``text/plain`` annotation, else read from its MathML,
    else (no MathML: ``engine: none``) the TeX itself.

    Examples:
        >>> text_of('<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><msub><mi>ρ</mi>'
        ...         '<mi>t</mi></msub><mo>=</mo><mi>β</mi></mrow></semantics></math>', r"\rho_t = \beta")
        'ρₜ = β'
    """
    at = rendered.find(ANNOTATION)
    if at >= 0:
        return html.unescape(rendered[at + len(ANNOTATION) : rendered.find("</annotation>", at)])
    m = _MATH.search(rendered)
    text = mathml_text(m.group(0)) if m else None
    return tex if text is None else text


def annotate(rendered: str, tex: str) -> str:
    """``rendered`` with its readable text as a ``text/plain`` annotation of its MathML, computed once when
    the formula is rendered and cached with it (a build then reads it instead of parsing MathML)."""
    end = rendered.rfind("</semantics>")
    if end < 0 or ANNOTATION in rendered:
        return rendered
    text = _ASTRAL.sub(lambda m: f"&#x{ord(m.group()):X};", html.escape(text_of(rendered, tex), quote=False))
    return f"{rendered[:end]}{ANNOTATION}{text}</annotation>{rendered[end:]}"


def readable(rendered: str, tex: str) -> str:
    r"""What the search index holds for one formula: its readable text, then its TeX command names.

    Examples:
        >>> readable('<math><semantics><mi>x</mi><annotation encoding="text/plain">ρₜ = β</annotation></semantics>'
        ...          '</math>', r"\rho_t = \beta")
        'ρₜ = β (rho beta)'
    """
    names = command_names(tex)
    text = text_of(rendered, tex)
    return f"{text} ({' '.join(names)})" if names else text
