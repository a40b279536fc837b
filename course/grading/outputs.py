"""The outputs the grader itself puts in a notebook: a timeout, a dead process, interference.

They are shaped as a Jupyter kernel and nbclient would shape them, so that nbgrader's
determine_grade and the feedback read them as they read any other error.
"""

from __future__ import annotations


def error_output(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def timeout_output(timeout: float) -> dict:
    # The output nbgrader's Execute preprocessor adds when a cell times out.
    return {"output_type": "error", "ename": "CellTimeoutError", "evalue": "",
            "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout ({timeout:g} s)"]}


def interference() -> dict:
    return error_output("GradingInterference", "The notebook's code wrote to the grader's channel.")


def dead_kernel() -> dict:
    return error_output("DeadKernelError", "The notebook stopped while running this cell (the kernel died: "
                                           "os._exit, a crash, or memory exhausted).")


def test_stopped() -> dict:
    return error_output("DeadKernelError", "The test stopped before it finished.")


def not_run() -> dict:
    return error_output("NotRun", "Not run: the notebook stopped at an earlier cell.")
