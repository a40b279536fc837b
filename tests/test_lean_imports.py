"""What a grading process leaves unimported (course/grading/lean_imports.py): every name
grading reads is there and is the very object a plain import gives; what it never uses
(Jupyter server extensions, pkg_resources, nbconvert's exporters and filters, mistune,
BeautifulSoup, bleach, requests, nbclient) is never loaded. Each check runs in a fresh
interpreter: this one has imported nbgrader whole already."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import lean_imports

ROOT = Path(lean_imports.__file__).resolve().parents[2]

# Every name each lazy package re-exports, as `module:qualified name` of the object it is.
NAMES = r'''
import importlib, json, sys
lean = sys.argv[1] == "lean"
if lean:
    from course.grading import lean_imports
    done = lean_imports.for_grading()
from course.grading.lean_imports import LAZY_PACKAGE_INITS, reexports
out = {}
for name in LAZY_PACKAGE_INITS:
    package = importlib.import_module(name)
    spec = importlib.util.find_spec(name)
    plan = reexports(open(spec.origin, encoding="utf-8").read())
    for attr in sorted(plan):
        value = getattr(package, attr)
        if isinstance(value, type(sys)):
            out[f"{name}.{attr}"] = f"module {value.__name__}"
        elif hasattr(value, "__qualname__"):
            out[f"{name}.{attr}"] = f"{value.__module__}:{value.__qualname__}"
        else:
            out[f"{name}.{attr}"] = repr(value)
    out[f"{name} dir has all"] = set(plan) <= set(dir(package))
print(json.dumps(out))
'''

# What course grade imports before its first notebook, then what must not be loaded.
USED = r'''
import json, sys
from course.cli import skip_unused_imports
from course.grading import lean_imports
skip_unused_imports()
done = lean_imports.for_grading()
import nbgrader
from course.grading import prepare, record  # nbformat, nbgrader's API and preprocessors, SQLAlchemy
from course.grading.command import ensure_assignment
unused = ("pkg_resources", "nbgrader.server_extensions.formgrader", "nbconvert.exporters.templateexporter",
          "nbconvert.filters", "mistune", "bs4", "bleach", "requests", "nbclient", "jupyter_client",
          "lark", "arrow")  # the last two: jsonschema's optional formats (cli.skip_unused_imports)
loaded = [m for m in unused if m in sys.modules]
from nbgrader.apps import NbGraderAPI  # registering a new assignment still works: it imports them
print(json.dumps({**done, "version": nbgrader.__version__, "loaded": loaded}))
'''


def _run(code: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_every_lazy_name_is_the_object_a_plain_import_gives():
    plain, lean = _run(NAMES, "plain"), _run(NAMES, "lean")
    assert lean == plain
    assert len(plain) > 60  # the preprocessors, exporters, filters... not an empty plan
    assert plain["nbgrader.preprocessors.OverwriteCells"] == \
        "nbgrader.preprocessors.overwritecells:OverwriteCells"


def test_grading_loads_what_it_uses_and_not_the_rest():
    from importlib.metadata import version

    report = _run(USED)
    assert report == {"skipped": ["nbgrader", "setuptools"], "lazy": list(lean_imports.LAZY_PACKAGE_INITS),
                      "version": version("nbgrader"), "loaded": []}


@pytest.mark.parametrize("source, plan", [
    ('"""doc"""\nfrom .base import A, B as C\nfrom . import sub\n__all__ = ["A"]\n',
     {"A": (".base", "A"), "C": (".base", "B"), "sub": (".", "sub")}),
    ("try:\n    from .x import A\nexcept ModuleNotFoundError:\n    pass\n", {"A": (".x", "A")}),
    ("import numpy as np\n", {"np": ("numpy", None)}),
])
def test_an_init_that_only_reexports_has_a_plan(source, plan):
    assert lean_imports.reexports(source) == plan


@pytest.mark.parametrize("source", [
    "from .base import *\n",  # the names are not known without running it
    "import os.path\n",  # binds `os`
    "from .x import A\nA.setting = 1\n",  # does something
    "def f():\n    pass\n",
    "try:\n    from .x import A\nexcept ImportError:\n    A = None\n",  # a fallback value
    "import sys\nif sys.platform == 'win32':\n    from .w import A\n",
])
def test_an_init_that_does_anything_else_imports_as_usual(source):
    assert lean_imports.reexports(source) is None


def test_a_lazy_package_raises_attribute_error_for_an_unknown_name(tmp_path, monkeypatch):
    package = tmp_path / "lazypkg_example"
    package.mkdir()
    (package / "__init__.py").write_text("from .part import VALUE\n", encoding="utf-8")
    (package / "part.py").write_text("VALUE = 42\nimport sys\nsys.modules[__name__].loaded = True\n",
                                     encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazypkg_example", raising=False)
    monkeypatch.delitem(sys.modules, "lazypkg_example.part", raising=False)
    assert lean_imports.lazy_package_inits(["lazypkg_example"]) == ["lazypkg_example"]
    import lazypkg_example

    assert "lazypkg_example.part" not in sys.modules  # nothing run yet
    assert lazypkg_example.VALUE == 42
    assert sys.modules["lazypkg_example.part"].loaded
    with pytest.raises(AttributeError, match="no attribute 'OTHER'"):
        lazypkg_example.OTHER
    assert lean_imports.lazy_package_inits(["lazypkg_example"]) == []  # already imported: left alone
