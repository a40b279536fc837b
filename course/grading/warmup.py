"""What a worker does once, before it forks anything: import and load what notebooks use.

Every learner, base and test process is a fork of the worker, so whatever the worker has
imported, parsed or warmed up here costs nothing per notebook. The worker then freezes its
objects (`gc.freeze`) so that forked children leave the shared pages alone.

It does not import matplotlib, ipywidgets or the simulator (NOT_PRELOADED: 0.6 s of CPU):
the course's notebooks draw no chart and build no widget while graded
(`course.learner.charts.for_reading`, the simulator behind NBGRADER_EXECUTION). A notebook
whose code imports them imports them in its own process: the same outputs (matplotlib_inline
sets the shell up when pyplot loads it, as in ipykernel), only slower, and its memory
budget counts them (about 30 MB of 1024).
"""

from __future__ import annotations

import os
import shutil


# What pulls matplotlib or ipywidgets in, which no notebook uses while graded.
NOT_PRELOADED = ("matplotlib.pyplot", "ipywidgets", "course.learner.simulator")


def warm_first(shell) -> None:
    """Before the worker says it is ready: what every notebook uses (IPython's shell is made,
    numpy, pandas). The rest (`warm_rest`) waits until the first job is answered: a cold
    `course grade` grades its first notebook sooner, and that notebook's process imports the
    few modules it uses itself."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401


def warm_rest(shell, run_cell) -> None:
    """After the first answer: what notebooks use (course.learner but its simulator, the
    data sets) and what a first cell would otherwise load (the traceback formatter, the
    display formatters); then reset the shell."""
    warm_imports()
    import importlib.readers  # noqa: F401
    run_cell(shell, "1 / 0", 1 << 16)
    run_cell(shell, "import pandas as pd\npd.DataFrame({'a': [1]})", 1 << 16)
    shell.reset(new_session=False)
    shell.execution_count = 1


def warm_imports() -> None:
    """Import what notebooks import, once, so that no learner process pays for it: the
    modules of course.learner (the one subpackage notebooks import: course code, never
    learner code), NOT_PRELOADED left out, and the data sets."""
    import importlib
    import pkgutil

    import course.learner

    # Also what the notebooks import lazily (found by comparing sys.modules after running each).
    names = ["pandas.core.methods.to_dict", "PIL.Image", "PIL.ImageOps", "PIL.TiffImagePlugin"]
    names += [m.name for m in pkgutil.walk_packages(course.learner.__path__, "course.learner.")
              if not m.name.startswith("course.learner.data.make_")]  # the data sets' makers
    for name in names:
        if name in NOT_PRELOADED:
            continue
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


def address_space_mb() -> int:
    """This process's virtual size: the base the memory limit of its forks is added to."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmSize:")) // 1024
