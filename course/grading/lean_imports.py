"""What a `course grade` process does not import before its first notebook (issue 21).

Grading uses a few of nbgrader's preprocessors, its gradebook and nbformat, but the
packages they live in import far more in their `__init__`: nbgrader's preprocessors each
import `nbconvert.exporters.exporter` for a type name, whose package imports every exporter,
every template filter, mistune, BeautifulSoup and bleach; `nbconvert.preprocessors` imports
nbclient and jupyter_client for the execute preprocessor; `nbgrader.auth` imports requests
for JupyterHub. About 0.3 s of CPU on the 2-core machine, on the path of a cold start.

Two tools, used only in a grading process (the command grading in process, the grading
service), never in the learner's kernel or the workers:

- `lazy_package_inits`: a package whose `__init__.py` only re-exports names of its
  submodules (`from .base import Preprocessor`, `from . import filters`, `__all__`, a
  docstring, a try around such imports) is registered without running it; each name is
  imported from where the `__init__` would have taken it the first time it is read (a
  module `__getattr__`, PEP 562, as Scientific Python's lazy_loader does). Every name is
  there, the same object; a package whose `__init__` does anything else imports as usual.
- `skip_package_inits`: nbgrader's and setuptools' `__init__` do other things (nbgrader's
  registers its Jupyter server extensions, setuptools' imports pkg_resources), none of which
  grading reads; they are registered without it, their submodules import as usual.
"""

from __future__ import annotations

import ast
import gc
import importlib
import importlib.util
import sys
from types import ModuleType

# Packages whose __init__ only re-exports, imported by grading through their submodules.
LAZY_PACKAGE_INITS = ("nbconvert", "nbconvert.exporters", "nbconvert.preprocessors", "nbgrader.preprocessors",
                      "nbgrader.auth")
# Packages whose __init__ does more, none of which grading uses (see the module's text).
SKIPPED_PACKAGE_INITS = ("nbgrader", "setuptools")


def reexports(source: str) -> dict[str, tuple[str, str | None]] | None:
    """For an `__init__` that only re-exports: {name: (module, attribute)} where the module
    is relative ("." or ".base") or absolute, and attribute None for `import x as name`.
    None when the `__init__` does anything else."""
    names: dict[str, tuple[str, str | None]] = {}

    def only_imports(statements) -> bool:
        for node in statements:
            if isinstance(node, ast.ImportFrom):
                if any(alias.name == "*" for alias in node.names):
                    return False
                module = "." * node.level + (node.module or "")
                names.update({alias.asname or alias.name: (module, alias.name) for alias in node.names})
            elif isinstance(node, ast.Import):
                if any(alias.asname is None for alias in node.names):
                    return False  # `import a.b` binds `a`: not a re-export
                names.update({alias.asname: (alias.name, None) for alias in node.names})
            elif isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]:
                continue
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                continue  # the docstring
            elif isinstance(node, ast.Try) and not node.orelse and not node.finalbody and all(
                    all(isinstance(b, ast.Pass) for b in handler.body) for handler in node.handlers):
                # nbconvert's: `try: <imports> except ModuleNotFoundError: pass` (a half-installed
                # package). Lazily, such a failure shows when the name is read instead.
                if not only_imports(node.body):
                    return False
            else:
                return False
        return True

    return names if only_imports(ast.parse(source).body) else None


def _lazy_module(spec, plan: dict[str, tuple[str, str | None]]) -> ModuleType:
    module = importlib.util.module_from_spec(spec)
    package = spec.name

    def __getattr__(name: str):
        if name not in plan:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        where, attribute = plan[name]
        if where == ".":  # from . import submodule
            value = importlib.import_module(f"{package}.{attribute}")
        else:
            source = importlib.import_module(where, package if where.startswith(".") else None)
            value = source if attribute is None else getattr(source, attribute)
        setattr(module, name, value)  # read once: later reads are plain attributes
        return value

    def __dir__() -> list[str]:
        return sorted(set(module.__dict__) | set(plan))

    module.__getattr__ = __getattr__
    module.__dir__ = __dir__
    return module


def lazy_package_inits(packages=LAZY_PACKAGE_INITS) -> list[str]:
    """Register each package of `packages` (parents first) with a lazy `__init__` when its
    `__init__` only re-exports and it is not imported yet. Returns those made lazy."""
    done = []
    for name in packages:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is None or not spec.submodule_search_locations or not spec.origin:
            continue
        try:
            with open(spec.origin, encoding="utf-8") as f:
                plan = reexports(f.read())
        except (OSError, SyntaxError, UnicodeDecodeError):
            plan = None
        if plan is None:
            continue  # imported as usual, whole, when something asks for it
        sys.modules[name] = _lazy_module(spec, plan)
        parent, _, child = name.rpartition(".")
        if parent and parent in sys.modules:
            setattr(sys.modules[parent], child, sys.modules[name])
        done.append(name)
    return done


def skip_package_inits(names=SKIPPED_PACKAGE_INITS) -> list[str]:
    """Register each package without running its __init__: its submodules (nbgrader.api,
    nbgrader.preprocessors, setuptools.archive_util...) import as usual when grading needs
    them. Nothing grading does reads what those __init__ files define but nbgrader's
    `__version__`, which is set. Returns the packages skipped."""
    skipped = []
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue  # not installed, or not a package: imported as usual
        sys.modules[name] = importlib.util.module_from_spec(spec)
        skipped.append(name)
    if "nbgrader" in skipped:
        try:
            sys.modules["nbgrader"].__version__ = importlib.import_module("nbgrader._version").__version__
        except Exception:
            del sys.modules["nbgrader"]  # an unexpected layout: imported whole
            skipped.remove("nbgrader")
    return skipped


def for_grading() -> dict[str, list[str]]:
    """Both, in the order they must run (nbgrader registered before its subpackages). Only
    in a process that grades and runs nothing else (no Jupyter server, no packaging)."""
    skipped = skip_package_inits()
    return {"skipped": skipped, "lazy": lazy_package_inits()}


def import_trainer_side(freeze: bool) -> None:
    """Import what the trainer's side of grading uses (nbformat, nbgrader's API and
    preprocessors, SQLAlchemy), with the cyclic collector off meanwhile (imports make little
    garbage, and it would walk their objects again and again: 10 % of their CPU). With
    `freeze`, what is imported is then frozen (`gc.freeze`), so that the collections made
    while grading a cohort no longer walk those objects: for the grading service, which
    lives to grade, not for a test run that grades many times."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        from .. import config  # noqa: F401
        from . import prepare, record  # noqa: F401
    finally:
        if enabled:
            gc.enable()
    if freeze:
        gc.freeze()  # without a collection first: the collector was off, there is little garbage
