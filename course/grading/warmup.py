"""What a worker does once, before it forks anything: import and load what notebooks use.

Every learner, base and test process is a fork of the worker, so whatever the worker has
imported, parsed or warmed up here costs nothing per notebook. The worker then freezes its
objects (`gc.freeze`) so that forked children leave the shared pages alone.

In two stages, so that a cold `course grade` reaches its first notebook sooner: the worker
says it is ready after `warm_early` (what nearly every notebook needs), and runs `warm_late`
(matplotlib, ipywidgets, the simulator) only once it is idle (worker.LATE_STAGE_AFTER_IDLE):
the course's notebooks draw no chart and build no widget while graded.
"""

from __future__ import annotations

import os
import shutil


# What only some notebooks use, and what pulls matplotlib or ipywidgets in (about 0.4 s of
# CPU): imported in the late stage, once the worker is idle.
LATE_MODULES = ("matplotlib.pyplot", "ipywidgets", "course.learner.simulator", "PIL.Image", "PIL.ImageOps",
                "PIL.TiffImagePlugin")


def warm_early(shell, run_cell) -> None:
    """Stage 1, before the worker says it is ready: what nearly every notebook needs (numpy,
    pandas, course.learner but its simulator, the data sets) and what its first cell would
    otherwise load (the traceback formatter, the display formatters); then reset the shell."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    warm_imports(late=False)
    import importlib.readers  # noqa: F401
    run_cell(shell, "1 / 0", 1 << 16)
    run_cell(shell, "import pandas as pd\npd.DataFrame({'a': [1]})", 1 << 16)
    shell.reset(new_session=False)
    shell.execution_count = 1


def warm_late(shell) -> None:
    """Stage 2, once the worker is idle: matplotlib with the inline backend (as a
    kernel's `%matplotlib inline`), the widget library, the simulator. A notebook graded
    before this stage imports them in its own process: the same outputs, only slower
    (matplotlib_inline sets the shell up itself when pyplot loads it)."""
    try:
        shell.enable_matplotlib("inline")
    except Exception:  # matplotlib missing: plots simply do not render
        pass
    warm_imports(late=True)


def warm_imports(late: bool) -> None:
    """Import what notebooks import, once, so that no learner process pays for it: the
    modules of course.learner (the one subpackage notebooks import: course code, never
    learner code) and the widget library; the early stage leaves LATE_MODULES out."""
    import importlib
    import pkgutil

    import course.learner

    # Also what the notebooks import lazily (found by comparing sys.modules after running each).
    names = ["pandas.core.methods.to_dict"]
    names += [m.name for m in pkgutil.walk_packages(course.learner.__path__, "course.learner.")
              if not m.name.startswith("course.learner.data.make_")]  # the data sets' makers
    names = [name for name in names if name not in LATE_MODULES]
    if late:
        names = list(LATE_MODULES) + names  # the rest is already there: no cost
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass  # a module that does not import on this machine is not needed to start
    if late:
        return
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
    """Did matplotlib find its font list in the copy (rather than scan the fonts)? Imports
    matplotlib's font manager: asked in the late stage only."""
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
