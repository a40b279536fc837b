"""Kernels started during the tests talk over Unix sockets, not TCP ports.

jupyter_client picks a kernel's five TCP ports by binding port 0 and closing the sockets;
the kernel binds them a moment later. With several test processes starting kernels at once,
another one can take a port in between, and the kernel dies with "Address already in use"
("Kernel died before replying to kernel_info"): jupyter/jupyter_client#154. Unix sockets
under a prefix of this process's own cannot collide.

tests/conftest.py puts this folder on JUPYTER_CONFIG_PATH, so every nbgrader command a test
runs reads it (after nbgrader's own defaults, before the course's nbgrader_config.py, which
does not set these); tests/support/kernels.py gives the same settings to the kernels tests
start themselves. The course's own configuration is untouched: a trainer's machine uses
jupyter_client's defaults.
"""
import os
import uuid

c = get_config()  # noqa: F821

# Short: a Unix socket's path is limited to 107 bytes. One prefix per process (kernels of
# one process start one after the other; jupyter_client numbers their sockets 1, 2, ...).
_folder = f"/tmp/jupyter-ipc-{os.getuid()}"
os.makedirs(_folder, mode=0o700, exist_ok=True)
c.KernelManager.transport = "ipc"
c.KernelManager.ip = f"{_folder}/{os.getpid()}-{uuid.uuid4().hex[:8]}"
