"""An IPython shell that records a cell's outputs as a Jupyter kernel would send them.

ipykernel runs cells with IPython's InteractiveShell and turns what they produce into
messages; nbclient turns the messages into nbformat outputs. This module does both
steps in one process: `stream` (stdout/stderr, also what is written straight to file
descriptors 1 and 2), `execute_result`, `display_data` and `error` (ename, evalue,
traceback). nbgrader's determine_grade only looks at those, so scores come out the same.
"""

from __future__ import annotations

import io
import os
import sys

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config


class OutputCollector:
    """The outputs of the cell being run, with a hard cap on the bytes of text kept."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.outputs: list[dict] = []
        self.size = 0
        self.truncated = False

    def _room(self, text: str) -> str:
        if self.size + len(text) > self.max_bytes:
            self.truncated = True
            text = text[:max(0, self.max_bytes - self.size)]
        self.size += len(text)
        return text

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        text = self._room(text)
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def add(self, output: dict) -> None:
        data = output.get("data")
        if data:
            for mime, value in list(data.items()):
                if isinstance(value, str):
                    data[mime] = self._room(value)
        self.outputs.append(output)

    def clear(self) -> None:
        self.outputs = []


COLLECTOR = OutputCollector(1 << 20)


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr of the shell: text goes to the current cell's outputs."""

    def __init__(self, name: str):
        self.name = name

    @property
    def encoding(self):  # noqa: D401 - file-like attribute
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        COLLECTOR.stream(self.name, text)
        return len(text)

    def flush(self) -> None:
        pass


class KernelDisplayHook(DisplayHook):
    """The last expression of a cell becomes an `execute_result`, as in ipykernel."""

    def start_displayhook(self):
        self._pending = None

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self._pending = (format_dict, md_dict or {})

    def finish_displayhook(self):
        if self._pending:
            data, metadata = self._pending
            COLLECTOR.add({"output_type": "execute_result", "execution_count": self.shell.execution_count,
                           "data": dict(data), "metadata": dict(metadata)})
        self._pending = None


class KernelDisplayPublisher(DisplayPublisher):
    """`display(...)` and inline figures become `display_data` outputs."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        if update:
            return  # updates a display by id; a batch run keeps the first rendering
        COLLECTOR.add({"output_type": "display_data", "data": dict(data), "metadata": dict(metadata or {})})

    def clear_output(self, wait=False):
        COLLECTOR.clear()


class GradingShell(InteractiveShell):
    def _showtraceback(self, etype, evalue, stb):
        COLLECTOR.add({"output_type": "error", "ename": getattr(etype, "__name__", str(etype)),
                       "evalue": str(evalue), "traceback": list(stb)})

    def ask_exit(self):
        pass  # exit() in a kernel does not end grading either

    def enable_gui(self, gui=None):
        pass


def make_shell() -> GradingShell:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # what nbgrader passes to its kernels
    config.InteractiveShell.colors = "nocolor"
    shell = GradingShell.instance(config=config, displayhook_class=KernelDisplayHook,
                                  display_pub_class=KernelDisplayPublisher)
    # A kernel's default: figures are shown inline at the end of the cell. matplotlib_inline
    # sets the shell up when pyplot loads it, as in ipykernel (the worker does not preload it:
    # warmup.NOT_PRELOADED).
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return shell


class FdCapture:
    """What learner code writes to file descriptors 1 and 2 (C code, subprocesses)
    goes to files, read back after each cell, as ipykernel's fd capture does. The files
    have no name in any folder (memfd, still bound by the file-size limit): learner code in
    the submission's folder cannot put something else in their place."""

    def __init__(self, prefix: str, max_bytes: int):
        self.files = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            handle = os.memfd_create(f"{prefix}-fd{fd}")
            os.dup2(handle, fd)
            os.close(handle)
            self.files[name] = (fd, 0)
        self.max_bytes = max_bytes

    def drain(self, collector: OutputCollector) -> None:
        for name, (fd, seen) in self.files.items():
            try:
                end = os.lseek(fd, 0, os.SEEK_END)
                if end > seen:
                    data = os.pread(fd, min(end - seen, self.max_bytes), seen)
                    collector.stream(name, data.decode("utf-8", "replace"))
                    if end - seen > self.max_bytes:
                        collector.truncated = True
                self.files[name] = (fd, end)
            except OSError:
                pass


def run_cell(shell: GradingShell, source: str, max_bytes: int, fd_capture: FdCapture | None = None) -> tuple[list[dict], bool]:
    """Run one cell; return its outputs and whether output was cut at the byte cap."""
    global COLLECTOR
    COLLECTOR = OutputCollector(max_bytes)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
    try:
        shell.run_cell(source, store_history=True, silent=False)
    finally:
        try:
            sys.stdout.flush()
        except Exception:
            pass
        sys.stdout, sys.stderr = saved
    if fd_capture is not None:
        fd_capture.drain(COLLECTOR)
    return COLLECTOR.outputs, COLLECTOR.truncated
