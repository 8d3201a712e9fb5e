"""What may reach generated text: identifiers checked against each target's reserved words and
renamed where they would clash, free text reduced to an inert single line.

Model files, NeuroML and .mod files come from strangers. Every export (NMODL mechanisms, the
NEURON run script, NeuroML/LEMS) builds its identifiers through :func:`assign_names` and its
comments and titles through :func:`inert_text`, so that nothing from a file can end a comment,
open a ``VERBATIM`` block, start a new line of Python or collide with a name the target
defines (a parameter ``dt`` or ``t`` would silently read NEURON's time step; ``i`` or ``g``
would overwrite the mechanism's own current and conductance).
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["IDENTIFIER", "NMODL_RESERVED", "PYTHON_RESERVED", "is_identifier", "assign_names",
           "inert_text"]

#: The only identifiers any target receives: ASCII letters, digits and ``_``, not leading with a
#: digit, at most 64 characters.
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

_NMODL_KEYWORDS = """
TITLE COMMENT ENDCOMMENT VERBATIM ENDVERBATIM NEURON SUFFIX POINT_PROCESS ARTIFICIAL_CELL USEION
READ WRITE VALENCE REPRESENTS NONSPECIFIC_CURRENT ELECTRODE_CURRENT RANGE GLOBAL POINTER
BBCOREPOINTER EXTERNAL THREADSAFE UNITS UNITSON UNITSOFF PARAMETER ASSIGNED STATE CONSTANT
INDEPENDENT DEPENDENT BREAKPOINT SOLVE METHOD STEADYSTATE DERIVATIVE KINETIC LINEAR NONLINEAR
DISCRETE PARTIAL FUNCTION FUNCTION_TABLE PROCEDURE NET_RECEIVE INITIAL CONSTRUCTOR DESTRUCTOR
BEFORE AFTER WATCH FOR_NETCONS LOCAL TABLE DEPEND FROM TO WITH IF ELSE WHILE CONSERVE
COMPARTMENT LONGITUDINAL_DIFFUSION REACTION SENS LAG RESET MATCH MODEL_LEVEL SWEEP FIRST LAST
PLOT VS PROTECT MUTEXLOCK MUTEXUNLOCK NRNMUTEXLOCK NRNMUTEXUNLOCK TERMINAL PUTQ GETQ DEL DEL2
START STEP SECTION CONDUCTANCE RANDOM INCLUDE FARADAY PI R DEG
""".split()
#: NEURON's built-in variables and the macros of the C++ it generates from a mechanism.
_NEURON_BUILTINS = """
v t dt celsius area diam secondorder nt ml id inst hoc nrn ion ena ek eca ina ik ica cai cao
nai nao ki ko
""".split()
#: Names the exported mechanisms define themselves (ionzoo's helpers are all ``iz_``).
_IONZOO_GENERATED = "g i erev gbar rates states derived state drive".split()
_C_KEYWORDS = """
auto break case char const continue default do double else enum extern float for goto if inline
int long register restrict return short signed sizeof static struct switch typedef union
unsigned void volatile while alignas alignof and and_eq asm bitand bitor bool catch char8_t
char16_t char32_t class compl concept consteval constexpr constinit const_cast co_await co_return
co_yield decltype delete dynamic_cast explicit export false friend mutable namespace new noexcept
not not_eq nullptr operator or or_eq private protected public reinterpret_cast requires
static_assert static_cast template this thread_local throw true try typeid typename using
virtual wchar_t xor xor_eq NULL main
""".split()
_C_LIBRARY = """
exp expm1 log log10 log1p log2 sqrt cbrt pow sin cos tan asin acos atan atan2 sinh cosh tanh asinh
acosh atanh fabs abs floor ceil fmod round trunc erf erfc hypot ldexp frexp modf fmin fmax min max
printf fprintf sprintf puts exit abort system fopen fclose fwrite fread remove rename malloc
calloc realloc free memcpy memset strcpy strlen getenv time clock rand srand errno
""".split()
_HOC_KEYWORDS = """
if else while for break continue return stop func proc obfunc iterator iterator_statement local
localobj strdef double objref objectvar begintemplate endtemplate public external new create
access connect insert uninsert forall ifsec forsec setpointer help print delete sprint execute
load_file xopen quit
""".split()

#: Identifiers that an exported NMODL mechanism (and the C++ and hoc around it) cannot take.
NMODL_RESERVED = frozenset(_NMODL_KEYWORDS + _NEURON_BUILTINS + _IONZOO_GENERATED
                           + _C_KEYWORDS + _C_LIBRARY + _HOC_KEYWORDS)
#: Python's keywords and soft keywords (for generated scripts).
PYTHON_RESERVED = frozenset([*keyword.kwlist, *getattr(keyword, "softkwlist", ())])


def is_identifier(name: object) -> bool:
    """True for a string matching :data:`IDENTIFIER`."""
    return isinstance(name, str) and IDENTIFIER.fullmatch(name) is not None


def assign_names(names: Iterable[str], reserved: Iterable[str],
                 keep: Iterable[str] = ()) -> dict[str, str]:
    """A target identifier for every name: the name itself where it is a valid identifier, not
    reserved (case-insensitively for the keyword lists, which NMODL and C++ spell in either
    case) and not the ``iz_`` prefix of ionzoo's helpers; otherwise the name with ``_`` appended
    until it is none of these and unique. ``keep`` are names with a fixed meaning in the target
    (``gbar``, ``e``), used as they are. Raises ``ValueError`` for a name that is not an
    identifier at all (the model layer refuses those long before an export)."""
    names = list(names)
    keep = set(keep)
    blocked = {r.lower() for r in reserved} - {k.lower() for k in keep}
    taken: set[str] = set(keep)
    out: dict[str, str] = {}
    for name in names:
        if not is_identifier(name):
            raise ValueError(f"{name!r} is not an identifier")
        if name in keep:
            out[name] = name
            continue
        # ionzoo's own generated names start with iz_: a user's such name gets a prefix
        new = f"u_{name}" if name.lower().startswith("iz_") else name
        while new.lower() in blocked or new in taken or (new in names and new != name):
            new += "_"
        out[name] = new
        taken.add(new)
    return out


_CLOSERS = re.compile(r"(?i)end\s*comment|end\s*verbatim|verbatim|comment|\*/|/\*|\"\"\"|'''")


def inert_text(text: object, max_length: int = 300) -> str:
    """``text`` as one inert line for a title or comment in any generated file: control and
    line-break characters become spaces, the words and marks that end or open a comment or code
    block in NMODL, C or Python (``ENDCOMMENT``, ``VERBATIM``, ``*/``, triple quotes) are
    removed, double quotes become single quotes and backslashes slashes (nrnivmodl copies the
    TITLE into a C++ string literal), and the result is cut to ``max_length`` characters.
    Non-text becomes ''."""
    if not isinstance(text, str):
        return ""
    chars = [" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text]
    line = "".join(chars)
    while True:
        cleaned = _CLOSERS.sub("", line)
        if cleaned == line:
            break
        line = cleaned
    # no double quotes or backslashes: nrnivmodl pastes the TITLE into a C++ string literal
    line = line.replace('"', "'").replace("\\", "/")
    line = " ".join(line.split())
    return line[:max_length]
