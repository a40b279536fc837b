"""A trial of the course on a JupyterHub, on one machine (`make hub`).

Creates a trainer and learners as real local accounts (prefix `cl-`, each with its own
generated password, checked by PAM), nbgrader's exchange as a shared folder, the trainer's
course folder with the modules released to the exchange, then runs JupyterHub with
hub/jupyterhub_config.py until Ctrl-C. `--remove` deletes the accounts again.

The end-to-end test (tests/test_hub.py) and benchmarks/bench_hub_trial.py use the same
functions. Creating accounts needs root (CI and the course's VM run as root).
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HUB = Path(__file__).resolve().parent
ROOT = HUB.parent
VENV = Path(sys.prefix)
VENV_BIN = VENV / "bin"
PREFIX = "cl-"
COURSE_ID = "social-media-accounts"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"


class TrialError(Exception):
    """What stops the trial, said so that the trainer knows what to do."""


@dataclass
class Account:
    name: str
    password: str

    @property
    def home(self) -> Path:
        return Path(pwd.getpwnam(self.name).pw_dir)

    @property
    def uid(self) -> int:
        return pwd.getpwnam(self.name).pw_uid


@dataclass
class Trial:
    """Where a trial lives: its state folder (hub database, generated configuration,
    the trainer's course), the exchange, and the accounts."""
    state: Path
    exchange: Path
    trainer: Account
    learners: list[Account] = field(default_factory=list)
    gradebook_url: str | None = None
    server_python: Path = VENV_BIN / "python"

    @property
    def course(self) -> Path:
        return self.state / "course"

    def environment(self, port: int, api_port: int, proxy_api_port: int, extra: dict | None = None) -> dict:
        """The environment hub/jupyterhub_config.py reads."""
        env = dict(os.environ,
                   COURSE_HUB_STATE=str(self.state), COURSE_HUB_EXCHANGE=str(self.exchange),
                   COURSE_HUB_COURSE=str(self.course), COURSE_HUB_TRAINER=self.trainer.name,
                   COURSE_HUB_LEARNERS=" ".join(a.name for a in self.learners),
                   COURSE_HUB_PORT=str(port), COURSE_HUB_API_PORT=str(api_port),
                   COURSE_HUB_PROXY_API_PORT=str(proxy_api_port),
                   COURSE_HUB_VENV=str(VENV), COURSE_HUB_SERVER_PYTHON=str(self.server_python),
                   PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        # The course's Python package, for the learners' kernels too (an editable install or a checkout).
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        env.update(extra or {})
        return env

    def nbgrader_env(self, account: Account) -> dict:
        """What a learner's shell on the hub has: their home, lab/'s and the exchange's settings."""
        paths = ([self.state / "trainer-config"] if account.name == self.trainer.name
                 else [ROOT / "lab", self.state / "learner-config"]) + [VENV / "etc" / "jupyter"]
        return {"HOME": str(account.home), "USER": account.name,
                "JUPYTER_CONFIG_PATH": os.pathsep.join(str(p) for p in paths),
                "JUPYTER_PATH": str(VENV / "share" / "jupyter"),
                "PATH": f"{self.server_python.parent}{os.pathsep}{VENV_BIN}{os.pathsep}/usr/bin:/bin",
                "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}


def require_root() -> None:
    if os.geteuid() != 0:
        raise TrialError("The hub trial creates local accounts and runs each person's server as that "
                         "account: run it as root (sudo make hub).")


def require_proxy() -> None:
    if not PROXY.exists():
        raise TrialError(f"configurable-http-proxy is not installed in {PROXY.parent}: run `make hub-deps` "
                         "(npm ci in hub/; needs node and npm: sudo apt-get install nodejs npm).")


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise TrialError(f"`{' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
    return done


def create_account(name: str) -> Account:
    """A local account with a private home and a fresh password (set with chpasswd)."""
    if not name.startswith(PREFIX):
        raise TrialError(f"Trial accounts are named {PREFIX}...; {name!r} is not.")
    try:
        pwd.getpwnam(name)
    except KeyError:
        run(["useradd", "--create-home", "--shell", "/bin/bash", name])
    account = Account(name, secrets.token_urlsafe(12))
    run(["chpasswd"], input=f"{name}:{account.password}\n")
    account.home.chmod(0o700)  # a learner's files are theirs alone
    return account


def remove_account(name: str) -> None:
    if not name.startswith(PREFIX):
        raise TrialError(f"Refusing to remove {name!r}: only trial accounts ({PREFIX}...) are removed.")
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    # Fails while the account still runs a process (stop the hub first: it stops the servers).
    run(["userdel", "--remove", name])


def make_exchange(exchange: Path) -> None:
    """nbgrader's exchange root: everyone may create in it, nobody may remove another's
    (mode 1777); nbgrader makes the course's inbound 2733 (write-only for learners) itself."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(0o1777)


def others_can_run(path: Path) -> bool:
    """Whether an account other than the owner may run `path`: every folder on its real path
    enterable by others, the file executable by others."""
    real = path.resolve()
    return all(os.stat(folder).st_mode & 0o001 for folder in real.parents) and bool(os.stat(real).st_mode & 0o001)


def server_python(state: Path) -> Path:
    """The Python that runs learners' servers. The venv's own when learners may run it. When it
    lives where they may not enter (pyenv under /root, as on the course's VM), a thin venv in
    `state` from the system Python of the same version, which reads the course venv's packages
    (a .pth file); otherwise an error that says how to build .venv where learners can use it."""
    own = VENV_BIN / "python"
    if others_can_run(own):
        return own
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    system = Path(f"/usr/bin/python{version}")
    if not (system.exists() and others_can_run(system)):
        raise TrialError(f"Learners cannot run the course's Python ({own.resolve()}: a folder above it is "
                         f"closed to other accounts) and there is no /usr/bin/python{version} to use instead. "
                         "Build .venv from a system Python (make venv PYTHON=/usr/bin/python3).")
    thin = state / "server-venv"
    if not (thin / "bin" / "python").exists():
        run([str(system), "-m", "venv", "--without-pip", str(thin)])
    site_packages = VENV / "lib" / f"python{version}" / "site-packages"
    thin_site = thin / "lib" / f"python{version}" / "site-packages"
    (thin_site / "course-venv.pth").write_text(f"import site; site.addsitedir({str(site_packages)!r})\n")
    return thin / "bin" / "python"


def write_settings(trial: Trial) -> None:
    """The nbgrader settings of learners' and the trainer's servers, read through JUPYTER_CONFIG_PATH.
    The trainer's are the course folder's own (gradebook, exchange) with the folder as the
    course root: a server starts in its account's home, which nbgrader would take for the root."""
    learner = (f"c = get_config()\nc.CourseDirectory.course_id = {COURSE_ID!r}\n"
               f"c.Exchange.root = {str(trial.exchange)!r}\n")
    trainer = (f"c = get_config()\nload_subconfig({str(trial.course / 'nbgrader_config.py')!r})\n"
               f"c.CourseDirectory.root = {str(trial.course)!r}\n")
    for who, text in (("learner-config", learner), ("trainer-config", trainer)):
        folder = trial.state / who
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "nbgrader_config.py").write_text(text, encoding="utf-8")
        folder.chmod(0o755)
        (folder / "nbgrader_config.py").chmod(0o644)


def prepare_course(trial: Trial, modules: list[str]) -> None:
    """The trainer's course folder: the sources, the course's nbgrader_config.py with the
    exchange and the gradebook (PostgreSQL when a URL is given, SQLite in the folder
    otherwise), every module generated and released to the exchange; owned by the trainer."""
    sys.path.insert(0, str(ROOT))
    from nbgrader.api import Gradebook

    from course.coursedir import CONFIG_NAME, copy_sources, generate_assignments
    from course.trainer.release import publish_to_exchange

    course = trial.course
    course.mkdir(parents=True, exist_ok=True)
    copy_sources(ROOT, modules, course)
    db_url = trial.gradebook_url or f"sqlite:///{course / 'gradebook.db'}"
    config = (ROOT / CONFIG_NAME).read_text(encoding="utf-8")
    config += (f"\n# Added by hub/trial.py: the hub's exchange and gradebook.\n"
               f"c.Exchange.root = {str(trial.exchange)!r}\nc.CourseDirectory.db_url = {db_url!r}\n")
    (course / CONFIG_NAME).write_text(config, encoding="utf-8")
    generate_assignments(modules, course, course)
    with Gradebook(db_url) as gb:
        for account in trial.learners:
            gb.update_or_create_student(account.name)
    publish_to_exchange(course, modules)
    # As if the trainer had released it: the trainer owns the course's exchange folders
    # (nbgrader collect lists inbound/ as its owner).
    trainer = pwd.getpwnam(trial.trainer.name)
    released = trial.exchange / COURSE_ID
    for path in [course, *course.rglob("*"), released, *released.rglob("*")]:
        os.chown(path, trainer.pw_uid, trainer.pw_gid, follow_symlinks=False)
    if db_url.startswith("sqlite:///"):
        # The trainer's formgrader writes the gradebook (and SQLite its journal next to it).
        database = Path(db_url.removeprefix("sqlite:///"))
        for path in (database.parent, database):
            os.chown(path, trainer.pw_uid, trainer.pw_gid)
    # submitted/, autograded/, feedback/ and the gradebook hold every learner's work: the trainer's alone.
    course.chmod(0o700)


def require_reachable_checkout() -> None:
    """Learners' servers read lab/, the course package and the venv's packages in place."""
    for path in (ROOT / "lab", VENV / "lib"):
        if not all(os.stat(folder).st_mode & 0o001 for folder in path.resolve().parents):
            raise TrialError(f"Learners' accounts cannot enter {path.resolve().parent} (a folder above it is "
                             "closed to other accounts): clone the course where every account can read it "
                             "(e.g. /opt/course or /srv/course), or open the folders above it (chmod o+x).")


def set_up(state: Path, exchange: Path, learners: list[str], trainer: str = f"{PREFIX}trainer",
           modules: list[str] | None = None, gradebook_url: str | None = None) -> Trial:
    require_root()
    require_proxy()
    require_reachable_checkout()
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)  # learners' servers read the generated settings in it
    make_exchange(exchange)
    trial = Trial(state, exchange, create_account(trainer), [create_account(n) for n in learners], gradebook_url,
                  server_python(state))
    write_settings(trial)
    prepare_course(trial, modules or ["02-who-can-see-this-post"])
    return trial


def tear_down(trial: Trial) -> None:
    for account in [*trial.learners, trial.trainer]:
        remove_account(account.name)


def hub_command() -> list[str]:
    return [str(VENV_BIN / "jupyterhub"), "-f", str(HUB / "jupyterhub_config.py")]


def idle_minutes(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of minutes (0 turns the idle culler off)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hub/trial.py", description="Run the course on a JupyterHub on this machine, for a trial: "
        "creates a trainer (cl-trainer, the hub's admin, with the formgrader) and learners (cl-learner1...) "
        "as local accounts, the nbgrader exchange and the trainer's course folder, then runs the hub until Ctrl-C.")
    parser.add_argument("--learners", type=int, default=3, help="how many learner accounts (default 3)")
    parser.add_argument("--state", type=Path, default=HUB / "state",
                        help="folder for the hub's database, settings and the trainer's course (default hub/state)")
    parser.add_argument("--exchange", type=Path, default=Path("/srv/nbgrader/exchange"),
                        help="nbgrader's exchange (default /srv/nbgrader/exchange)")
    parser.add_argument("--gradebook-url", help="the gradebook's database URL (postgresql+psycopg://...); "
                        "default: SQLite in the course folder")
    parser.add_argument("--port", type=int, default=8000, help="the hub's port (default 8000)")
    parser.add_argument("--idle-minutes", type=idle_minutes, default=None, metavar="MINUTES",
                        help="stop a person's server after this many minutes without activity (their files "
                        "stay; a running notebook's kernel stops); 0: never (default: COURSE_HUB_IDLE_MINUTES, "
                        "or 60)")
    parser.add_argument("--remove", action="store_true", help="remove the trial's accounts and stop")
    args = parser.parse_args(argv)
    names = [f"{PREFIX}learner{i}" for i in range(1, args.learners + 1)]
    try:
        if args.remove:
            require_root()
            for name in [*names, f"{PREFIX}trainer"]:
                remove_account(name)
            print(f"Removed the trial accounts ({PREFIX}trainer and {len(names)} learners).")
            return 0
        print("Setting up: accounts, exchange, the trainer's course folder (about a minute)...", flush=True)
        trial = set_up(args.state, args.exchange, names, gradebook_url=args.gradebook_url)
    except TrialError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    passwords = args.state / "passwords.txt"
    passwords.write_text("".join(f"{a.name} {a.password}\n" for a in [trial.trainer, *trial.learners]))
    passwords.chmod(0o600)
    print(f"Open http://127.0.0.1:{args.port}/ and log in as {trial.trainer.name} (the trainer: Nbgrader > "
          f"Formgrader) or a learner; passwords in {passwords}.\nCtrl-C stops the hub; "
          f"`make hub-remove` removes the accounts.", flush=True)
    idle = {} if args.idle_minutes is None else {"COURSE_HUB_IDLE_MINUTES": str(args.idle_minutes)}
    env = trial.environment(args.port, args.port + 81, args.port + 1, idle)
    hub = subprocess.Popen(hub_command(), env=env, cwd=args.state)
    try:
        return hub.wait()
    except KeyboardInterrupt:
        # The hub stops every learner's server on SIGTERM before it exits.
        hub.terminate()
        hub.wait()
        return 0


if __name__ == "__main__":
    sys.exit(main())
