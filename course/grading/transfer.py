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
    """Names a cell reads without defining them first (a cell that does not parse reads none)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return frozenset()
    loaded, stored = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
    return frozenset(loaded - stored)


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
