"""Answers cross from the learner's process to the test process as data, nothing else.

A test cell runs in a pristine process that never ran learner code. The values it reads
(the free names of its source, less those the locked cells before it define) are pickled
in the learner's process and unpickled in the test process by `RestrictedUnpickler`,
which only rebuilds plain Python values, numpy and pandas objects. A class the learner
defined (an object whose __eq__ always says True, a str subclass...) cannot cross, and
the test fails with a plain message, which is the right verdict.
"""

from __future__ import annotations

import ast
import builtins
import functools
import io
import pickle
from typing import Any

SAFE_BUILTINS = {"list", "dict", "set", "frozenset", "tuple", "str", "bytes", "bytearray", "int",
                 "float", "complex", "bool", "slice", "range", "Ellipsis", "NotImplemented", "object"}
SAFE_STDLIB = {("datetime", n) for n in ("date", "datetime", "time", "timedelta", "timezone")} | {
    ("collections", n) for n in ("OrderedDict", "Counter")} | {("decimal", "Decimal"), ("fractions", "Fraction")} | {
    ("pathlib", n) for n in ("PosixPath", "PurePosixPath", "Path", "PurePath")}
# Functions numpy and pandas name in their own pickles (found by pickling their objects).
REBUILDERS = ("_reconstruct", "scalar", "_frombuffer", "_unpickle", "__pyx_unpickle", "_new_", "_timedelta_unpickle")
DATA_MODULES = ("numpy", "pandas")
UNSAFE_DATA_MODULES = ("pandas.io", "pandas.plotting", "pandas.tests", "numpy.lib.format", "numpy.f2py",
                       "numpy.distutils", "numpy.testing", "numpy.ctypeslib")


class NotPlainData(Exception):
    """A value that is not plain data (made with code of the learner's own)."""


class RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in SAFE_BUILTINS:
            return getattr(builtins, name)
        if (module, name) in SAFE_STDLIB:
            return super().find_class(module, name)
        top = module.split(".")[0]
        if top in DATA_MODULES and not module.startswith(UNSAFE_DATA_MODULES) and "." not in name:
            obj = super().find_class(module, name)
            if isinstance(obj, type):
                import numpy
                if not issubclass(obj, numpy.memmap):
                    return obj
            elif name.startswith(REBUILDERS) or not callable(obj):
                return obj
        raise NotPlainData(f"{module}.{name}")


def loads(data: bytes) -> Any:
    return RestrictedUnpickler(io.BytesIO(data)).load()


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=5)


@functools.lru_cache(maxsize=4096)  # the same test cells come back with every learner
def free_names(source: str) -> frozenset[str]:
    """Names a cell reads before it defines them (a cell that does not parse reads none).

    In evaluation order: `x = check.normalise(x)` reads the learner's `x`; a name a loop,
    comprehension, lambda or function binds for itself is its own, not the learner's."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    finder = _FreeNames()
    finder.visit(tree)
    return frozenset(finder.free)


class _FreeNames(ast.NodeVisitor):
    def __init__(self) -> None:
        self.free: set[str] = set()
        self.bound: list[set[str]] = [set()]  # the cell's names, then one set per nested scope

    def _is_bound(self, name: str) -> bool:
        return any(name in scope for scope in self.bound)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            if not self._is_bound(node.id):
                self.free.add(node.id)
        else:
            self.bound[-1].add(node.id)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, ast.Name) and not self._is_bound(node.target.id):
            self.free.add(node.target.id)
        self.visit(node.value)
        self.visit(node.target)

    def visit_For(self, node: ast.For) -> None:
        self.visit(node.iter)
        self.visit(node.target)
        for child in node.body + node.orelse:
            self.visit(child)

    def _scoped(self, names: set[str], children: list) -> None:
        self.bound.append(set(names))
        for child in children:
            self.visit(child)
        self.bound.pop()

    def _comprehension(self, node, parts: list) -> None:
        self.visit(node.generators[0].iter)  # evaluated in the enclosing scope
        self.bound.append(set())
        for i, gen in enumerate(node.generators):
            if i:
                self.visit(gen.iter)
            self.visit(gen.target)
            for cond in gen.ifs:
                self.visit(cond)
        for part in parts:
            self.visit(part)
        self.bound.pop()

    def visit_ListComp(self, node) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node) -> None:
        self._comprehension(node, [node.key, node.value])

    def _arguments(self, args: ast.arguments) -> set[str]:
        every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
        for default in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit(default)
        return {a.arg for a in every}

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._scoped(self._arguments(node.args), [node.body])

    def visit_FunctionDef(self, node) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.bound[-1].add(node.name)
        self._scoped(self._arguments(node.args) | {node.name}, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef


@functools.lru_cache(maxsize=4096)
def defined_names(source: str) -> frozenset[str]:
    """Names a cell binds at top level (assignments, imports, defs)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return frozenset(names)


def describe(type_name: str, name: str) -> str:
    return (f"`{name}` holds an object made by code in your notebook ({type_name}), not a plain value. "
            "Answers must be plain values: text, numbers, True/False, lists, dicts, or a pandas table. "
            "Write the value itself after the `=`, then run the cell again.")
