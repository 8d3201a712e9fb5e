"""NMODL text → a syntax tree of blocks and statements (never executed).

The grammar is the HH-type subset of NEURON's NMODL: the ``NEURON``, ``UNITS``, ``PARAMETER``,
``ASSIGNED``, ``STATE``, ``CONSTANT`` and ``INDEPENDENT`` declarations; the ``BREAKPOINT``,
``INITIAL``, ``DERIVATIVE``, ``PROCEDURE`` and ``FUNCTION`` blocks with ``LOCAL``, assignments,
``x' = …``, ``if``/``else``, calls, ``TABLE`` and ``SOLVE … METHOD``; comments (``:``, ``?``,
``COMMENT … ENDCOMMENT``) and ``TITLE``. Everything else (``KINETIC``, ``NET_RECEIVE``,
``POINT_PROCESS``, ``POINTER``, ``VERBATIM`` C code, ``INCLUDE``, loops…) is refused with the
construct and its line number (:class:`ModSyntaxError`).

The lexer and parser are written for this project (the NMODL framework's Python package needs a
compiled build and brings far more than the subset needs). Every limit (file size, tokens,
nesting) is checked before the work it bounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...errors import ValidationError
from ...limits import MAX_FILE_BYTES

__all__ = ["ModSyntaxError", "Token", "Num", "Ref", "Unary", "Binary", "CallExpr", "Assign",
           "Derivative", "If", "CallStmt", "Block", "ModFile", "parse_mod", "MAX_TOKENS",
           "MAX_NESTING", "REFUSED"]

#: Limits checked before the work they bound.
MAX_TOKENS = 200_000
MAX_NESTING = 64


class ModSyntaxError(ValidationError):
    """A .mod file could not be read: the field names the file and line."""


#: Constructs outside the HH-type subset, with the reason given to the user.
REFUSED = {
    "KINETIC": "kinetic schemes are not supported (HH-type gates only)",
    "NET_RECEIVE": "event-driven mechanisms (synapses) are not supported",
    "POINT_PROCESS": "point processes are not supported (density mechanisms only)",
    "ARTIFICIAL_CELL": "artificial cells are not supported",
    "POINTER": "POINTER variables are not supported",
    "BBCOREPOINTER": "POINTER variables are not supported",
    "EXTERNAL": "EXTERNAL variables are not supported",
    "ELECTRODE_CURRENT": "electrode currents are not supported",
    "VERBATIM": "VERBATIM blocks (C code) are never read",
    "INCLUDE": "INCLUDE is not supported (give the whole mechanism in one file)",
    "LINEAR": "LINEAR blocks are not supported", "NONLINEAR": "NONLINEAR blocks are not supported",
    "DISCRETE": "DISCRETE blocks are not supported", "PARTIAL": "PARTIAL blocks are not supported",
    "FUNCTION_TABLE": "FUNCTION_TABLE is not supported",
    "CONSTRUCTOR": "CONSTRUCTOR blocks are not supported",
    "DESTRUCTOR": "DESTRUCTOR blocks are not supported",
    "BEFORE": "BEFORE blocks are not supported", "AFTER": "AFTER blocks are not supported",
    "WATCH": "WATCH is not supported", "STEADYSTATE": "STEADYSTATE is not supported",
    "LAG": "LAG is not supported", "CONSERVE": "CONSERVE is not supported",
    "COMPARTMENT": "COMPARTMENT is not supported", "WHILE": "loops are not supported",
    "while": "loops are not supported", "FROM": "FROM loops are not supported",
    "FOR_NETCONS": "FOR_NETCONS is not supported", "DEFINE": "DEFINE is not supported",
    "LONGITUDINAL_DIFFUSION": "diffusion is not supported", "RANDOM": "RANDOM is not supported",
    "MUTEXLOCK": "MUTEXLOCK is not supported", "MUTEXUNLOCK": "MUTEXUNLOCK is not supported",
}

_NEURON_WORDS = {"SUFFIX", "USEION", "NONSPECIFIC_CURRENT", "RANGE", "GLOBAL", "THREADSAFE",
                 *REFUSED}

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+) | (?P<nl>\n) |
    (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?) |
    (?P<name>[A-Za-z_][A-Za-z0-9_]*) |
    (?P<str>"[^"\n]*") |
    (?P<op><=|>=|==|!=|&&|\|\||[-+*/^(){},=<>!'~\[\]@.;&|%]) |
    (?P<comment>[:?][^\n]*)
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str  # "num" | "name" | "str" | "op" | "eof"
    text: str
    line: int


def tokenize(text: str, where: str, comments: list[str] | None = None) -> list[Token]:
    """Tokens of ``text`` without comments; ``TITLE`` lines become one ``title`` token; the
    text of ``COMMENT`` blocks is appended to ``comments`` (text only, never parsed)."""
    tokens: list[Token] = []
    pos, line, n = 0, 1, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ModSyntaxError(f"{where}:{line}", f"unexpected character {text[pos]!r}")
        kind, value = m.lastgroup or "", m.group()
        pos = m.end()
        if kind == "nl":
            line += 1
        elif kind == "name" and value == "COMMENT":
            end = re.compile(r"\bENDCOMMENT\b").search(text, pos)
            if end is None:
                raise ModSyntaxError(f"{where}:{line}", "COMMENT without ENDCOMMENT")
            if comments is not None and len(comments) < 100:
                comments.append(text[pos:end.start()][:10_000])
            line += text.count("\n", pos, end.end())
            pos = end.end()
        elif kind == "name" and value == "TITLE":
            stop = text.find("\n", pos)
            stop = n if stop < 0 else stop
            tokens.append(Token("title", text[pos:stop].strip(), line))
            pos = stop
        elif kind == "name" and value in ("VERBATIM", "INCLUDE"):
            raise ModSyntaxError(f"{where}:{line}", f"{value}: {REFUSED[value]}")
        elif kind not in ("ws", "comment"):
            tokens.append(Token(kind, value, line))
        if len(tokens) > MAX_TOKENS:
            raise ModSyntaxError(where, f"more than {MAX_TOKENS} tokens")
    tokens.append(Token("eof", "", line))
    return tokens


# ------------------------------------------------------------------------------ syntax tree
@dataclass(frozen=True)
class Num:
    value: float
    line: int


@dataclass(frozen=True)
class Ref:
    name: str
    line: int


@dataclass(frozen=True)
class Unary:
    op: str  # "-" | "!"
    arg: object
    line: int


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / ^ < <= > >= == != && ||
    left: object
    right: object
    line: int


@dataclass(frozen=True)
class CallExpr:
    name: str
    args: tuple
    line: int


@dataclass(frozen=True)
class Assign:
    name: str
    value: object
    line: int


@dataclass(frozen=True)
class Derivative:
    name: str
    value: object
    line: int


@dataclass(frozen=True)
class If:
    cond: object
    then: tuple
    other: tuple
    line: int


@dataclass(frozen=True)
class CallStmt:
    name: str
    args: tuple
    line: int


@dataclass(frozen=True)
class Local:
    names: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Solve:
    block: str
    method: str | None
    line: int


@dataclass(frozen=True)
class Block:
    """A BREAKPOINT, INITIAL, DERIVATIVE, PROCEDURE or FUNCTION block."""

    kind: str
    name: str
    args: tuple[str, ...]
    body: tuple
    line: int


@dataclass
class Declared:
    """One PARAMETER/ASSIGNED/STATE/CONSTANT entry: value (or None), unit text, line."""

    name: str
    value: float | None
    unit: str
    line: int


@dataclass
class ModFile:
    """The declarations and blocks of one .mod file."""

    where: str
    title: str = ""
    suffix: str = ""
    ions: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    nonspecific: list[str] = field(default_factory=list)
    range_names: list[str] = field(default_factory=list)
    global_names: list[str] = field(default_factory=list)
    units: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    parameters: dict[str, Declared] = field(default_factory=dict)
    assigned: dict[str, Declared] = field(default_factory=dict)
    states: dict[str, Declared] = field(default_factory=dict)
    constants: dict[str, Declared] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    breakpoint: Block | None = None
    initial: Block | None = None
    file_locals: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------ parser
class _Parser:
    def __init__(self, tokens: list[Token], where: str) -> None:
        self.toks, self.i, self.where = tokens, 0, where
        self.depth = 0

    # ---------------------------------------------------------------- token helpers
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def fail(self, reason: str, tok: Token | None = None) -> ModSyntaxError:
        return ModSyntaxError(f"{self.where}:{(tok or self.tok).line}", reason)

    def take(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        return self.tok.kind in ("op", "name") and self.tok.text == text

    def expect(self, text: str) -> Token:
        if not self.at(text):
            found = self.tok.text or "the end of the file"
            raise self.fail(f"expected {text!r}, found {found!r}")
        return self.take()

    def name(self) -> str:
        tok = self.tok
        if tok.kind != "name":
            raise self.fail(f"expected a name, found {tok.text or 'the end of the file'!r}")
        if tok.text in REFUSED:
            raise self.fail(f"{tok.text}: {REFUSED[tok.text]}")
        self.take()
        return tok.text

    def names(self) -> list[str]:
        out = [self.name()]
        while self.at(","):
            self.take()
            out.append(self.name())
        return out

    def unit(self) -> str:
        """A parenthesised unit, returned as its text (``(mV)`` → ``"mV"``)."""
        self.expect("(")
        parts: list[str] = []
        depth = 1
        while True:
            tok = self.take()
            if tok.kind == "eof":
                raise self.fail("unclosed unit '('", tok)
            depth += {"(": 1, ")": -1}.get(tok.text, 0) if tok.kind == "op" else 0
            if depth == 0:
                return "".join(parts)
            parts.append(tok.text)

    def number(self) -> float:
        sign = 1.0
        while self.at("-") or self.at("+"):
            sign *= -1.0 if self.take().text == "-" else 1.0
        if self.tok.kind != "num":
            raise self.fail(f"expected a number, found {self.tok.text!r}")
        return sign * float(self.take().text)

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(f"nested more than {MAX_NESTING} levels deep")

    # ---------------------------------------------------------------- file level
    def file(self) -> ModFile:
        mod = ModFile(self.where)
        while self.tok.kind != "eof":
            tok = self.tok
            if tok.kind == "title":
                mod.title = self.take().text
                continue
            word = self.name()
            self.top_level(mod, word, tok)
        return mod

    def top_level(self, mod: ModFile, word: str, tok: Token) -> None:
        if word in ("UNITSON", "UNITSOFF", "THREADSAFE"):
            return
        handlers = {"NEURON": self.neuron_block, "UNITS": self.units_block,
                    "PARAMETER": lambda m: self.declarations(m.parameters),
                    "ASSIGNED": lambda m: self.declarations(m.assigned),
                    "STATE": lambda m: self.declarations(m.states),
                    "CONSTANT": lambda m: self.declarations(m.constants),
                    "INDEPENDENT": lambda m: self.skip_braces()}
        if word in handlers:
            handlers[word](mod)
        elif word == "LOCAL":
            mod.file_locals.extend(self.names())
        elif word in ("BREAKPOINT", "INITIAL"):
            block = Block(word, word, (), self.body(), tok.line)
            setattr(mod, word.lower(), block)
        elif word in ("DERIVATIVE", "PROCEDURE", "FUNCTION"):
            self.named_block(mod, word, tok)
        else:
            raise self.fail(f"unknown or unsupported block {word!r}", tok)

    def named_block(self, mod: ModFile, word: str, tok: Token) -> None:
        name = self.name()
        args: list[str] = []
        if word != "DERIVATIVE":
            self.expect("(")
            while not self.at(")"):
                args.append(self.name())
                if self.at("("):
                    self.unit()
                if self.at(","):
                    self.take()
                elif not self.at(")"):
                    raise self.fail(f"expected ',' or ')' in the arguments of {name!r}")
            self.take()
            if word == "FUNCTION" and self.at("("):
                self.unit()
        if name in mod.blocks:
            raise self.fail(f"{name!r} is defined twice", tok)
        mod.blocks[name] = Block(word, name, tuple(args), self.body(), tok.line)

    def skip_braces(self) -> None:
        self.expect("{")
        depth = 1
        while depth:
            tok = self.take()
            if tok.kind == "eof":
                raise self.fail("unclosed '{'", tok)
            if tok.kind == "op":
                depth += {"{": 1, "}": -1}.get(tok.text, 0)

    def neuron_block(self, mod: ModFile) -> None:
        self.expect("{")
        while not self.at("}"):
            word = self.name()
            if word == "SUFFIX":
                mod.suffix = self.name()
            elif word == "USEION":
                self.useion(mod)
            elif word == "NONSPECIFIC_CURRENT":
                mod.nonspecific.extend(self.names())
            elif word == "RANGE":
                mod.range_names.extend(self.names())
            elif word == "GLOBAL":
                mod.global_names.extend(self.names())
            elif word == "THREADSAFE":
                if self.tok.kind == "name" and self.tok.text not in _NEURON_WORDS:
                    self.names()
            else:
                raise self.fail(f"unsupported NEURON statement {word!r}")
        self.take()

    def useion(self, mod: ModFile) -> None:
        ion = self.name()
        entry: dict[str, tuple[str, ...]] = {"read": (), "write": ()}
        while self.at("READ") or self.at("WRITE") or self.at("VALENCE") or self.at("REPRESENTS"):
            word = self.take().text
            if word == "VALENCE":
                entry["valence"] = (repr(self.number()),)
            elif word == "REPRESENTS":  # an ontology term; ':' starts a comment
                if self.tok.kind == "name":
                    self.take()
            else:
                entry[word.lower()] = (*entry[word.lower()], *self.names())
        mod.ions[ion] = entry

    def units_block(self, mod: ModFile) -> None:
        self.expect("{")
        while not self.at("}"):
            line = self.tok.line
            if self.at("("):
                self.unit()
                self.expect("=")
                self.unit()
                continue
            name = self.name()
            self.expect("=")
            if self.tok.kind == "num" or self.at("-"):  # FARADAY = 96520 (coul)
                value = self.number()
                unit = self.unit() if self.at("(") else ""
                mod.constants[name] = Declared(name, value, unit, line)
                continue
            mod.units[name] = (self.unit(), self.unit(), line)
        self.take()

    def declarations(self, into: dict[str, Declared]) -> None:
        self.expect("{")
        while not self.at("}"):
            line = self.tok.line
            name = self.name()
            if self.at("["):
                raise self.fail(f"{name!r}: array variables are not supported")
            value: float | None = None
            unit = ""
            if self.at("="):
                self.take()
                value = self.number()
            if self.at("("):
                unit = self.unit()
            if self.at("<"):
                self.take()
                self.number()
                self.expect(",")
                self.number()
                self.expect(">")
            if self.at("FROM"):  # STATE ranges: FROM a TO b
                self.take()
                self.number()
                self.expect("TO")
                self.number()
            if name in into:
                raise self.fail(f"{name!r} is declared twice")
            into[name] = Declared(name, value, unit, line)
        self.take()

    # ---------------------------------------------------------------- statements
    def body(self) -> tuple:
        self.expect("{")
        self.nest()
        out = []
        while not self.at("}"):
            if self.tok.kind == "eof":
                raise self.fail("unclosed '{'")
            stmt = self.statement()
            if stmt is not None:
                out.append(stmt)
        self.take()
        self.depth -= 1
        return tuple(out)

    def statement(self):
        tok = self.tok
        if tok.kind == "op" and tok.text == "{":
            return If(Num(1.0, tok.line), self.body(), (), tok.line)
        if tok.kind == "op" and tok.text == "~":
            raise self.fail("'~' reactions: kinetic schemes are not supported")
        word = self.name()
        if word in ("UNITSON", "UNITSOFF"):
            return None
        if word == "LOCAL":
            names = self.names()
            if self.at("["):
                raise self.fail("array variables are not supported")
            return Local(tuple(names), tok.line)
        if word == "TABLE":
            self.table()
            return None
        if word == "SOLVE":
            block = self.name()
            method = None
            if self.at("METHOD"):
                self.take()
                method = self.name()
            return Solve(block, method, tok.line)
        if word == "if":
            return self.if_statement(tok)
        return self.simple_statement(word, tok)

    def simple_statement(self, word: str, tok: Token):
        if self.at("'"):
            self.take()
            self.expect("=")
            return Derivative(word, self.expression(), tok.line)
        if self.at("="):
            self.take()
            return Assign(word, self.expression(), tok.line)
        if self.at("("):
            return CallStmt(word, self.call_args(), tok.line)
        raise self.fail(f"cannot read the statement starting with {word!r}", tok)

    def table(self) -> None:
        """``TABLE names [DEPEND names] FROM a TO b WITH n`` — read and ignored (as NEURON
        with ``usetable = 0``: the rates are computed, never interpolated)."""
        if self.tok.kind == "name" and not self.at("DEPEND") and not self.at("FROM"):
            self.names()
        if self.at("DEPEND"):
            self.take()
            self.names()
        self.expect("FROM")
        self.expression()
        self.expect("TO")
        self.expression()
        self.expect("WITH")
        self.number()

    def if_statement(self, tok: Token) -> If:
        self.expect("(")
        cond = self.expression()
        self.expect(")")
        then = self.body()
        other: tuple = ()
        if self.at("else"):
            self.take()
            if self.at("if"):
                inner = self.take()
                other = (self.if_statement(inner),)
            else:
                other = self.body()
        return If(cond, then, other, tok.line)

    def call_args(self) -> tuple:
        self.expect("(")
        args = []
        while not self.at(")"):
            args.append(self.expression())
            if self.at(","):
                self.take()
            elif not self.at(")"):
                raise self.fail("expected ',' or ')' in a call")
        self.take()
        return tuple(args)

    # ---------------------------------------------------------------- expressions
    _LEVELS = (("||",), ("&&",), ("<", "<=", ">", ">=", "==", "!="), ("+", "-"), ("*", "/"))

    def expression(self, level: int = 0):
        if level == len(self._LEVELS):
            return self.unary()
        left = self.expression(level + 1)
        while self.tok.kind == "op" and self.tok.text in self._LEVELS[level]:
            op = self.take()
            right = self.expression(level + 1)
            left = Binary(op.text, left, right, op.line)
        return left

    def unary(self):
        tok = self.tok
        if tok.kind == "op" and tok.text in ("-", "+", "!"):
            self.take()
            self.nest()
            arg = self.unary()
            self.depth -= 1
            return arg if tok.text == "+" else Unary(tok.text, arg, tok.line)
        return self.power()

    def power(self):
        base = self.atom()
        if self.at("^"):
            op = self.take()
            self.nest()
            exponent = self.unary()  # right-associative; -x^2 is -(x^2), x^-2 allowed
            self.depth -= 1
            return Binary("^", base, exponent, op.line)
        return base

    def atom(self):
        tok = self.tok
        if tok.kind == "num":
            self.take()
            if self.at("("):  # a number's unit: 10 (degC)
                self.unit()
            return Num(float(tok.text), tok.line)
        if tok.kind == "op" and tok.text == "(":
            self.take()
            self.nest()
            inner = self.expression()
            self.depth -= 1
            self.expect(")")
            return inner
        if tok.kind == "name":
            name = self.name()
            if self.at("("):
                self.nest()
                args = self.call_args()
                self.depth -= 1
                return CallExpr(name, args, tok.line)
            if self.at("["):
                raise self.fail("array variables are not supported")
            return Ref(name, tok.line)
        raise self.fail(f"expected a value, found {tok.text or 'the end of the file'!r}")


def parse_mod(text: str, where: str = "<mod>") -> ModFile:
    """Parse the text of a .mod file (``where``: its name in messages)."""
    if not isinstance(text, str):
        raise ModSyntaxError(where, "expected text")
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        raise ModSyntaxError(where, f"larger than {MAX_FILE_BYTES} bytes")
    comments: list[str] = []
    parser = _Parser(tokenize(text, where, comments), where)
    mod = parser.file()
    mod.comments = comments
    return mod
