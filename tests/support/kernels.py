"""The kernel settings of the tests (Unix sockets, never colliding TCP ports: the reason is
in jupyter_config/nbgrader_config.py, which nbgrader commands run by tests read), for the
kernels a test starts itself: `NotebookClient(nb, ..., config=ipc_kernels())`."""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FOLDER = Path(__file__).parent / "jupyter_config"


def ipc_kernels() -> Config:
    """A Config whose KernelManager uses Unix sockets under a prefix of its own."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(CONFIG_FOLDER)).load_config()
