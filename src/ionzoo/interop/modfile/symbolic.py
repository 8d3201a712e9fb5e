"""Symbolic execution of NMODL blocks: statements become expression trees, nothing runs.

A block is executed on expressions instead of numbers: an assignment binds a name to the tree of
its right-hand side, a ``PROCEDURE`` or ``FUNCTION`` call is inlined with its arguments bound to
the caller's trees, and ``if``/``else`` executes both branches and joins every name they set
differently into a piecewise expression (:class:`~ionzoo.expr.Where`). The result is, for
every name a block sets, its value as a function of ``v``, the states, the parameters,
``celsius`` and the ion variables — exactly the arithmetic NEURON's generated C would do, in the
same order.

Names inside the trees are tagged: ``v``, ``celsius``, ``cai``, ``cao``; ``p:<name>`` a
PARAMETER, ``s:<name>`` a STATE, ``e:<ion>`` an ion's reversal potential, ``c:<name>`` another
ion concentration, ``a:<name>`` an ASSIGNED value computed outside the block (left opaque so
the current's factors keep their names).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...expr import Bin, Call, Compare, Expr, Logic, Name, Not, Num, Where, evaluate
from .syntax import (
    Assign,
    Binary,
    Block,
    CallExpr,
    CallStmt,
    Derivative,
    If,
    Local,
    ModFile,
    ModSyntaxError,
    Ref,
    Solve,
    Unary,
)
from .syntax import Num as NumNode

__all__ = ["Machine", "MAX_INLINE_DEPTH", "MAX_TREE_NODES", "NEURON_CONSTANTS", "BUILTINS"]

#: Limits of inlining: call depth and the size of any one expression tree.
MAX_INLINE_DEPTH = 32
MAX_TREE_NODES = 20_000

#: The constants NEURON's unit library gives (2019 SI values, NEURON ≥ 8): the Faraday constant
#: (C/mol) and the gas constant (J/(K·mol)), by the unit names ``UNITS`` declarations use.
NEURON_CONSTANTS = {"faraday": 96485.3321233100184, "k-mole": 8.31446261815324, "pi": math.pi}
_UNIT_SCALE = {"1": 1.0, "coulomb": 1.0, "coulombs": 1.0, "coul": 1.0, "kilocoulombs": 1e-3,
               "kilocoulomb": 1e-3, "joule/degC": 1.0, "J/degC": 1.0, "joule/K": 1.0,
               "millijoule/degC": 1e3, "mV-coulomb/degC": 1e3}
#: Names NEURON defines for every mechanism.
BUILTINS = ("v", "celsius", "t", "dt", "area", "diam")
_FUNCS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "fabs": "abs", "tanh": "tanh",
          "sinh": "sinh", "cosh": "cosh", "floor": "floor", "fmin": "min", "fmax": "max"}


class _Unset:
    """A name declared but not yet set (a LOCAL, an ASSIGNED before its first assignment, or
    one set in only one branch of an ``if``)."""

    def __repr__(self) -> str:
        return "<unset>"


UNSET = _Unset()


def constant_value(node: Expr) -> float | None:
    """The value of a tree without names, else None."""
    if node.names:
        return None
    try:
        value = float(evaluate(node, {}))
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return None
    return value if math.isfinite(value) else None


@dataclass
class Frame:
    """The locals of one block execution (LOCAL names, arguments, a FUNCTION's result)."""

    values: dict[str, Expr | _Unset] = field(default_factory=dict)


class Machine:
    """Executes the blocks of ``mod`` symbolically; ``globals`` holds the ASSIGNED, STATE and
    ion values set so far."""

    def __init__(self, mod: ModFile, opaque: frozenset[str] = frozenset(),
                 unset_is_zero: bool = False, keep_v_values: bool = False) -> None:
        self.mod = mod
        self.keep_v_values = keep_v_values
        self.named_values: dict[str, Expr] = {}
        self.unset_is_zero = unset_is_zero
        self.where = mod.where
        self.globals: dict[str, Expr | _Unset] = {}
        self.opaque = opaque
        self.depth = 0
        self.constants = self._constants()
        self.derivatives: dict[str, tuple[Expr, int]] = {}
        self.solves: list[Solve] = []
        self.writable = self._writable()
        self.currents = set(mod.nonspecific) | {w for e in mod.ions.values()
                                                for w in e.get("write", ())}
        self.targets = _targets(mod)

    # ------------------------------------------------------------------ names
    def _constants(self) -> dict[str, float]:
        out = {"PI": math.pi, "FARADAY": NEURON_CONSTANTS["faraday"],
               "R": NEURON_CONSTANTS["k-mole"]}
        for name, (source, target, line) in self.mod.units.items():
            base = NEURON_CONSTANTS.get(source)
            scale = _UNIT_SCALE.get(target)
            if base is None or scale is None:
                raise ModSyntaxError(f"{self.where}:{line}", f"UNITS constant {name!r} = "
                                     f"({source}) ({target}) is not supported (supported: "
                                     "(faraday) and (k-mole) in coulomb or joule/degC units)")
            out[name] = base * scale
        for name, d in self.mod.constants.items():
            if d.value is None:
                raise ModSyntaxError(f"{self.where}:{d.line}", f"CONSTANT {name!r} has no value")
            out[name] = d.value
        return out

    def _writable(self) -> set[str]:
        names = set(self.mod.assigned) | set(self.mod.states) | set(self.mod.file_locals)
        for entry in self.mod.ions.values():
            names.update(entry.get("write", ()))
        names.update(self.mod.nonspecific)
        # a PARAMETER may be reassigned (Poirazi's gk); v may be changed locally (Hay's
        # "if (v == -27) { v = v + 0.0001 }"), as in NEURON, for the rest of the block
        names.update(self.mod.parameters)
        return (names - set(BUILTINS)) | {"v"}

    def fail(self, line: int, reason: str) -> ModSyntaxError:
        return ModSyntaxError(f"{self.where}:{line}", reason)

    def symbol(self, name: str, line: int) -> Expr:
        """The tree a name stands for outside any frame."""
        mod = self.mod
        if name in ("v", "celsius"):
            return Name(name)
        if name in ("t", "dt", "area", "diam"):
            raise self.fail(line, f"{name!r}: rates that read NEURON's {name} are not supported")
        if name in mod.states:
            return Name(f"s:{name}")
        for ion in mod.ions:
            if name == f"e{ion}":
                return Name(f"e:{ion}")
            if name in (f"{ion}i", f"{ion}o"):
                return Name(name) if ion == "ca" else Name(f"c:{name}")
        if name in self.constants:
            return Num(self.constants[name])
        if name in self.opaque:
            return Name(f"a:{name}")
        if name in mod.parameters or (name in mod.assigned and name not in self.targets):
            return Name(f"p:{name}")  # an ASSIGNED no block sets is set by the user: a parameter
        if name in mod.assigned or name in mod.file_locals:
            if self.unset_is_zero:  # NEURON's ASSIGNED values start at 0
                return Num(0.0)
            raise self.fail(line, f"{name!r} is read before it is set")
        raise self.fail(line, f"unknown name {name!r}")

    def lookup(self, name: str, frame: Frame, line: int) -> Expr:
        value = frame.values.get(name, None) if name in frame.values else \
            self.globals.get(name, None)
        if name in frame.values or name in self.globals:
            if isinstance(value, _Unset) or value is None:
                raise self.fail(line, f"{name!r} is read before it is set")
            return value
        return self.symbol(name, line)

    # ------------------------------------------------------------------ statements
    def run(self, block: Block, args: tuple[Expr, ...] = ()) -> Expr | None:
        """Execute ``block`` with ``args`` bound to its arguments; a FUNCTION's value."""
        if len(args) != len(block.args):
            raise self.fail(block.line, f"{block.name}() takes {len(block.args)} argument(s), "
                            f"got {len(args)}")
        self.depth += 1
        if self.depth > MAX_INLINE_DEPTH:
            raise self.fail(block.line, f"calls nested more than {MAX_INLINE_DEPTH} deep "
                            f"(recursion in {block.name!r}?)")
        frame = Frame(dict(zip(block.args, args)))
        if block.kind == "FUNCTION":
            frame.values[block.name] = UNSET
        self.execute(block.body, frame)
        self.depth -= 1
        if block.kind != "FUNCTION":
            return None
        value = frame.values[block.name]
        if isinstance(value, _Unset):
            raise self.fail(block.line, f"FUNCTION {block.name!r} does not always set its value")
        return value

    def execute(self, body: tuple, frame: Frame) -> None:
        for stmt in body:
            if isinstance(stmt, Local):
                for n in stmt.names:
                    frame.values[n] = UNSET
            elif isinstance(stmt, Assign):
                self.assign(stmt.name, self.value(stmt.value, frame), frame, stmt.line)
            elif isinstance(stmt, Derivative):
                if stmt.name not in self.mod.states:
                    raise self.fail(stmt.line, f"{stmt.name}' : {stmt.name!r} is not a STATE")
                self.derivatives[stmt.name] = (self.value(stmt.value, frame), stmt.line)
            elif isinstance(stmt, If):
                self.branch(stmt, frame)
            elif isinstance(stmt, CallStmt):
                self.call_procedure(stmt, frame)
            elif isinstance(stmt, Solve):
                self.solves.append(stmt)

    def assign(self, name: str, value: Expr, frame: Frame, line: int) -> None:
        if name in frame.values:
            frame.values[name] = value
        elif name in self.writable:
            if (self.keep_v_values and name in self.mod.assigned and "v" in value.names
                    and name not in self.currents
                    and not any(n.startswith(("s:", "a:")) for n in value.names)):
                # a value of v set in BREAKPOINT keeps its name (an instantaneous gate)
                self.named_values[name] = value
                value = Name(f"a:{name}")
            self.globals[name] = value
        else:
            raise self.fail(line, f"assigns to {name!r}, which is not declared ASSIGNED, STATE "
                            "or LOCAL")

    def call_procedure(self, stmt: CallStmt, frame: Frame) -> None:
        block = self.mod.blocks.get(stmt.name)
        if block is None or block.kind not in ("PROCEDURE", "FUNCTION"):
            raise self.fail(stmt.line, f"call of unknown procedure {stmt.name!r}")
        self.run(block, tuple(self.value(a, frame) for a in stmt.args))

    def branch(self, stmt: If, frame: Frame) -> None:
        cond = self.condition(stmt.cond, frame)
        fixed = constant_value(Where(cond, Num(1.0), Num(0.0)))
        if fixed is not None:  # a constant condition: only the branch taken runs
            self.execute(stmt.then if fixed else stmt.other, frame)
            return
        before = (dict(frame.values), dict(self.globals))
        self.execute(stmt.then, frame)
        then = (dict(frame.values), dict(self.globals))
        frame.values, self.globals = dict(before[0]), dict(before[1])
        self.execute(stmt.other, frame)
        frame.values = _join(cond, then[0], frame.values, before[0], set(before[0]))
        outside = {n: self._symbol_or_unset(n) for n in set(then[1]) | set(self.globals)
                   if n not in before[1]}
        self.globals = _join(cond, then[1], self.globals, {**outside, **before[1]}, None)

    def _symbol_or_unset(self, name: str) -> Expr | _Unset:
        try:
            return self.symbol(name, 0)
        except ModSyntaxError:
            return UNSET

    # ------------------------------------------------------------------ expressions
    def value(self, node, frame: Frame) -> Expr:
        out = self._value(node, frame)
        if out.kind != "number":
            raise self.fail(getattr(node, "line", 0), "a condition is used as a number")
        if sum(1 for _ in out.walk()) > MAX_TREE_NODES:
            raise self.fail(getattr(node, "line", 0), f"an expression grows beyond "
                            f"{MAX_TREE_NODES} nodes")
        return out

    def condition(self, node, frame: Frame) -> Expr:
        out = self._value(node, frame)
        return out if out.kind == "boolean" else Compare("!=", out, Num(0.0))

    def _value(self, node, frame: Frame) -> Expr:
        if isinstance(node, NumNode):
            return Num(node.value)
        if isinstance(node, Ref):
            return self.lookup(node.name, frame, node.line)
        if isinstance(node, Unary):
            if node.op == "!":
                return Not(self.condition(node.arg, frame))
            return -self.value(node.arg, frame)
        if isinstance(node, Binary):
            return self.binary(node, frame)
        if isinstance(node, CallExpr):
            return self.call(node, frame)
        raise self.fail(getattr(node, "line", 0), "cannot read this expression")

    def binary(self, node: Binary, frame: Frame) -> Expr:
        if node.op in ("&&", "||"):
            return Logic("and" if node.op == "&&" else "or", self.condition(node.left, frame),
                         self.condition(node.right, frame))
        a, b = self.value(node.left, frame), self.value(node.right, frame)
        if node.op in ("<", "<=", ">", ">=", "==", "!="):
            return Compare(node.op, a, b)
        return Bin("**" if node.op == "^" else node.op, a, b)

    def call(self, node: CallExpr, frame: Frame) -> Expr:
        args = tuple(self.value(a, frame) for a in node.args)
        if node.name in _FUNCS or node.name in ("pow", "log10"):
            want = 2 if node.name in ("pow", "fmin", "fmax") else 1
            if len(args) != want:
                raise self.fail(node.line, f"{node.name}() takes {want} argument(s)")
            if node.name == "pow":
                return Bin("**", args[0], args[1])
            if node.name == "log10":
                return Call("log", args) / Num(math.log(10.0))
            return Call(_FUNCS[node.name], args)
        block = self.mod.blocks.get(node.name)
        if block is None:
            raise self.fail(node.line, f"call of unknown function {node.name!r}")
        if block.kind != "FUNCTION":
            raise self.fail(node.line, f"{node.name!r} is a {block.kind}, not a FUNCTION")
        out = self.run(block, args)  # globals it sets persist, as in NEURON
        assert out is not None
        return out


def _targets(mod: ModFile) -> set[str]:
    """Every name some statement of the file assigns to."""
    out: set[str] = set()
    stack = [b.body for b in mod.blocks.values()]
    stack += [b.body for b in (mod.initial, mod.breakpoint) if b is not None]
    while stack:
        for stmt in stack.pop():
            if isinstance(stmt, Assign):
                out.add(stmt.name)
            elif isinstance(stmt, If):
                stack += [stmt.then, stmt.other]
    return out


def _join(cond: Expr, then: dict, other: dict, before: dict, keep: set[str] | None) -> dict:
    """The values after ``if (cond) {then} else {other}``: equal values stay, different ones
    become ``Where(cond, then, other)``; a name set in one branch only keeps its earlier value
    in the other, or becomes unset where it had none. ``keep``: the names to keep (a frame's
    locals; ``None`` keeps every name)."""
    out: dict = {}
    names = set(then) | set(other)
    for name in names:
        if keep is not None and name not in keep:
            continue
        a = then.get(name, before.get(name, UNSET))
        b = other.get(name, before.get(name, UNSET))
        if a is b or (not isinstance(a, _Unset) and not isinstance(b, _Unset) and a == b):
            out[name] = a
        elif isinstance(a, _Unset) or isinstance(b, _Unset):
            out[name] = UNSET
        else:
            out[name] = Where(cond, a, b)
    return out
