"""What a worker does once, before it forks anything: import and load what notebooks use.

Every learner, base and test process is a fork of the worker, so whatever the worker has
imported, parsed or warmed up here costs nothing per notebook. The worker then freezes its
objects (`gc.freeze`) so that forked children leave the shared pages alone.
"""

from __future__ import annotations

import os
import shutil


def warm_shell(shell, run_cell) -> None:
    """Import what notebooks import and run what their first cell would otherwise load (the
    traceback formatter, resource readers, the display formatters), then reset the shell."""
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    warm_imports()
    import importlib.readers  # noqa: F401
    run_cell(shell, "1 / 0", 1 << 16)
    run_cell(shell, "import pandas as pd\npd.DataFrame({'a': [1]})", 1 << 16)
    shell.reset(new_session=False)
    shell.execution_count = 1


def warm_imports() -> None:
    """Import what notebooks import, once, so that no learner process pays for it: every
    module of course.learner (the one subpackage notebooks import: course code, never
    learner code) and the widget library."""
    import importlib
    import pkgutil

    import course.learner

    # Also what the notebooks import lazily (found by comparing sys.modules after running each).
    lazy = ["ipywidgets", "PIL.Image", "PIL.ImageOps", "PIL.TiffImagePlugin", "pandas.core.methods.to_dict"]
    names = lazy + [m.name for m in pkgutil.walk_packages(course.learner.__path__, "course.learner.")
                    if not m.name.startswith("course.learner.data.make_")]  # the data sets' makers
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # a module that does not import on this machine is not needed to start
    # Every data set parsed once here: learner, base and test processes then copy it.
    try:
        from course.learner.data import available, load

        for name in available():
            load(name)
    except Exception:
        pass
    # No warm-up figure: charts are not drawn while grading (course.learner.charts), and a figure
    # drawn here would make every fork copy a bigger process.


def copy_font_cache() -> None:
    """Before matplotlib loads: its font list, from the folder `course grade` keeps it in."""
    folder, target = os.environ.get("COURSE_GRADE_FONT_CACHE"), os.environ.get("MPLCONFIGDIR")
    if not folder or not target:
        return
    try:
        os.makedirs(target, exist_ok=True)
        for name in os.listdir(folder):
            if name.startswith("fontlist-") and name.endswith(".json"):
                shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))
    except OSError:
        pass


def font_cache_used() -> bool:
    """Did matplotlib find its font list in the copy (rather than scan the fonts)?"""
    try:
        from matplotlib import font_manager

        name = f"fontlist-v{font_manager.FontManager.__version__}.json"
        folder = os.environ.get("COURSE_GRADE_FONT_CACHE")
        return bool(folder) and os.path.exists(os.path.join(folder, name))
    except Exception:
        return True  # no matplotlib: nothing to cache


def address_space_mb() -> int:
    """This process's virtual size: the base the memory limit of its forks is added to."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmSize:")) // 1024
