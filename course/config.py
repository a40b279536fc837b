"""The course's configuration: nbgrader_config.py, read once per process, as nbgrader reads it.

One file configures nbgrader (`c.CourseDirectory...`, `c.ExecutePreprocessor.timeout`,
`c.LimitOutput...`) and the course's own options (`c.Course...`, the `Course` class
below: pass mark, title, grading limits...). `load(root)` is the one reader: every
command and module takes its settings from the `Settings` it returns, and
`gradebook_url` is the one place that says where the gradebook is. Where nbgrader
already has an option (per-cell timeout, output limits, course id, gradebook URL), the
course uses nbgrader's. `course config` lists every option with its value, its default,
where the value came from and what it does.

Importing this module costs traitlets only; nbgrader is imported when a setting that
needs it (the course directory, the timeout) is first read.
"""

from __future__ import annotations

import argparse
import difflib
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from traitlets import Float, Integer, TraitError, Unicode, validate
from traitlets.config import Config, Configurable
from traitlets.config.loader import PyFileConfigLoader

from .coursedir import CONFIG_NAME, CourseError, find_root
from .gradebook_safety import KEEP_DEFAULT

LANGUAGES = ("en",)
SQLITE = "sqlite:///"
FROM_FILE = CONFIG_NAME
FROM_DEFAULT = "default"
FROM_COMMAND_LINE = "command line"


class Course(Configurable):
    """The course's own options, set as `c.Course.NAME = VALUE` in nbgrader_config.py."""

    title = Unicode(
        "Social media, professional and private: running your accounts well",
        help="Course title printed on the certificates (`course certificates --title` overrides it).",
    ).tag(config=True)
    pass_mark = Float(
        0.8,
        help="Share of a module's auto-graded points a learner needs to pass it: above 0, at most 1 "
             "(0.8 is 80 %). Manually graded cells (written reflections) do not count towards passing. "
             "Feedback, report, export and certificates all use it.",
    ).tag(config=True)
    language = Unicode(
        "en",
        help="Language of the pages the course writes (feedback, report, certificates). "
             f"Available: {', '.join(LANGUAGES)}.",
    ).tag(config=True)
    memory_mb = Integer(
        1024, min=1,
        help="Memory (MB) a learner's notebook may use while `course grade` runs it, on top of what the "
             "grading interpreter already uses (`course grade --memory-mb` overrides it).",
    ).tag(config=True)
    max_processes = Integer(
        64, min=1,
        help="Processes a learner's notebook may start while `course grade` runs it "
             "(`course grade --max-processes` overrides it).",
    ).tag(config=True)
    file_size_mb = Integer(
        64, min=1,
        help="Largest file (MB) a learner's notebook may write while `course grade` runs it.",
    ).tag(config=True)
    max_output_bytes = Integer(
        1 << 20, min=1,
        help="Output (bytes) a cell may print while `course grade` runs it; the rest is cut. nbgrader's "
             "LimitOutput (c.LimitOutput.max_lines, c.LimitOutput.max_traceback) then trims lines.",
    ).tag(config=True)
    backups_kept = Integer(
        KEEP_DEFAULT, min=1,
        help="Backups of a SQLite gradebook to keep: `course grade` makes one before it writes, "
             "`course gradebook --backup` on demand; the oldest are deleted.",
    ).tag(config=True)
    grading_service_idle_minutes = Float(
        10.0, min=0.0,
        help="Minutes the grading service stays up after the last `course grade`: it keeps warm "
             "workers between commands, so the next one starts in well under a second. 0: no service, "
             "every `course grade` grades in its own process (as `course grade --no-service` does). "
             "The environment variable COURSE_GRADE_SERVICE=off does the same.",
    ).tag(config=True)

    xapi_home_page = Unicode(
        "https://lms.example.com",
        help="Home page of the company's learning management system: xAPI statements (`course export "
             "--format xapi`, `course send`) name each learner as an account on it, so the LMS must use "
             "the same address and the learner ids (or, with --pseudonymize, the pseudonyms).",
    ).tag(config=True)
    xapi_activity_base = Unicode(
        "https://courses.example.com/xapi",
        help="Address under which xAPI statements name the course's activities: "
             "<base>/<course id>/<assignment>/<grade id>. Keep it once statements have been sent: "
             "another base makes every activity (and statement) new to the LRS.",
    ).tag(config=True)

    @validate("xapi_home_page", "xapi_activity_base")
    def _check_xapi_address(self, proposal):
        value, name = proposal["value"], proposal["trait"].name
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in value):
            raise TraitError(f"c.Course.{name} = {value!r}: xAPI needs a web address here, "
                             "e.g. 'https://lms.example.com'.")
        return value.rstrip("/")

    @validate("pass_mark")
    def _check_pass_mark(self, proposal):
        value = proposal["value"]
        if not 0 < value <= 1:
            raise TraitError(f"c.Course.pass_mark = {value!r}: the pass mark is a share of a module's "
                             "auto-graded points, above 0 and at most 1 (0.8 means 80 %).")
        return value

    @validate("language")
    def _check_language(self, proposal):
        value = proposal["value"]
        if value not in LANGUAGES:
            raise TraitError(f"c.Course.language = {value!r}: the course exists only in "
                             f"{', '.join(map(repr, LANGUAGES))} for now; set c.Course.language = 'en'.")
        return value


def option_names() -> list[str]:
    """Every `c.Course` option."""
    return sorted(Course.class_trait_names(config=True))


def gradebook_url(root: Path, config: Config | None = None) -> str:
    """The gradebook of the course at `root`: nbgrader's c.CourseDirectory.db_url when
    `config` sets it, else nbgrader's default, the SQLite file gradebook.db in the course
    folder. Without `config`: that file (a throwaway course's own gradebook)."""
    section = (config or Config()).get("CourseDirectory") or {}
    return str(section.get("db_url") or "") or f"{SQLITE}{Path(root).resolve() / 'gradebook.db'}"


@dataclass(frozen=True, eq=False)
class Settings:
    """What the course's nbgrader_config.py says. `config` is shared: copy it
    (copy.deepcopy) before changing it."""
    root: Path
    config: Config
    text: str                                  # nbgrader_config.py as read (grading hashes it)
    course: Course
    overridden: frozenset[str] = frozenset()   # Course options given on the command line

    @property
    def path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def db_url(self) -> str:
        return gradebook_url(self.root, self.config)

    @cached_property
    def coursedir(self):
        """nbgrader's CourseDirectory for this course folder."""
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        coursedir.root = str(self.root)
        return coursedir

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    @property
    def autograded_dir(self) -> Path:
        return self.root / self.coursedir.autograded_directory

    @property
    def feedback_dir(self) -> Path:
        return self.root / self.coursedir.feedback_directory

    @cached_property
    def timeout(self) -> float:
        """Seconds a cell may run: c.ExecutePreprocessor.timeout, as nbgrader's Execute reads
        it. nbgrader reads None or 0 as no limit; grading keeps one, 60 s."""
        from nbgrader.preprocessors import Execute

        return float(Execute(config=self.config).timeout or 60)

    @cached_property
    def limits(self):
        """What a learner's notebook may use while graded (course/grading/sandbox.py)."""
        from .grading.sandbox import Limits

        c = self.course
        return Limits(memory_mb=c.memory_mb, processes=c.max_processes, file_size_mb=c.file_size_mb,
                      max_output_bytes=c.max_output_bytes)

    def origin(self, name: str) -> str:
        """Where the value of c.Course.NAME comes from."""
        if name in self.overridden:
            return FROM_COMMAND_LINE
        return origin(self.config, Course, name)

    def with_overrides(self, **values) -> "Settings":
        """These settings with Course options given on the command line (None: not given)."""
        given = {name: value for name, value in values.items() if value is not None}
        if not given:
            return self
        course = Course(config=self.config)
        for name, value in given.items():
            try:
                setattr(course, name, value)
            except TraitError as exc:
                raise CourseError(f"{value!r} on the command line: {exc}") from None
        return Settings(self.root, self.config, self.text, course, self.overridden | set(given))


def origin(config: Config, cls: type, name: str, shown_as: str = "") -> str:
    """Where `cls`'s option NAME comes from: nbgrader_config.py or the default. Like
    traitlets, a parent class's section counts (c.ExecutePreprocessor for nbgrader's
    Execute); one other than `cls`'s or `shown_as` is named."""
    for klass in cls.__mro__:
        section = klass.__name__
        if issubclass(klass, Configurable) and name in (config.get(section) or {}):
            return FROM_FILE if section in (cls.__name__, shown_as) else f"{FROM_FILE} (c.{section}.{name})"
    return FROM_DEFAULT


_loaded: dict[Path, Settings] = {}


def load(root: Path) -> Settings:
    """The settings of the course at `root`. nbgrader_config.py is run once per process;
    later calls only check that its text is unchanged (a file rewritten within the same
    clock tick keeps its size and time)."""
    root = Path(root).resolve()
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(f"{root} has no {CONFIG_NAME}: run this command inside the course folder.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError(f"{path} cannot be read: {exc}") from None
    cached = _loaded.get(root)
    if cached is not None and cached.text == text:
        return cached
    try:
        config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    except Exception as exc:
        raise CourseError(f"{path} cannot be read: {exc}") from None
    _loaded[root] = settings = Settings(root, config, text, _course_options(config, path))
    return settings


def _course_options(config: Config, path: Path) -> Course:
    known = option_names()
    for name in config.get("Course") or {}:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean c.Course.{close[0]}?)" if close else ""
            raise CourseError(f"{path}: c.Course.{name} is not an option of the course{hint}. "
                              f"Options: {', '.join(known)}; `course config` describes them.")
    try:
        return Course(config=config)
    except TraitError as exc:
        raise CourseError(f"{path}: {exc}") from None


# -- `course config` ----------------------------------------------------------------------

def _help(trait) -> str:
    first_paragraph = textwrap.dedent(trait.help or "").strip().split("\n\n")[0]
    return " ".join(first_paragraph.split())


def _entry(label: str, value, default, where: str, help_text: str) -> str:
    wrapped = textwrap.fill(help_text, width=88, initial_indent="    ", subsequent_indent="    ")
    return f"{label} = {value!r}\n    from: {where}; default: {default!r}\n{wrapped}\n"


def describe(settings: Settings) -> str:
    """Every course option, then the nbgrader options the course relies on: value, default,
    origin and help."""
    from nbgrader.preprocessors import Execute, LimitOutput

    traits = Course.class_traits(config=True)
    parts = [f"Course options (c.Course.NAME = VALUE in {settings.path}):", ""]
    parts += [_entry(f"c.Course.{name}", getattr(settings.course, name), traits[name].default_value,
                     settings.origin(name), _help(traits[name])) for name in option_names()]
    relied_on = [("CourseDirectory", settings.coursedir, name) for name in
                 ("course_id", "db_url", "submitted_directory", "autograded_directory", "feedback_directory")]
    relied_on += [("ExecutePreprocessor", Execute(config=settings.config), "timeout")]
    relied_on += [("LimitOutput", LimitOutput(config=settings.config), name) for name in ("max_lines", "max_traceback")]
    parts += ["nbgrader options the course relies on (`nbgrader --help-all` lists all of nbgrader's):", ""]
    for section, instance, name in relied_on:
        trait = instance.traits()[name]
        value, default = getattr(instance, name), trait.default_value
        if name == "db_url":  # as the course resolves it; nbgrader's default depends on the folder
            from .gradebook_safety import shown_url  # a server's password is not printed

            value, default = shown_url(settings.db_url), gradebook_url(settings.root)
        parts.append(_entry(f"c.{section}.{name}", value, default,
                            origin(settings.config, type(instance), name, section), _help(trait)))
    return "\n".join(parts)


def cmd_config(args: argparse.Namespace) -> int:
    print(describe(load(find_root())), end="")
    return 0


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "config", help="list the course's options: value, default, where it was set, help",
        description="List every course option (c.Course.NAME in nbgrader_config.py) and the nbgrader "
                    "options the course relies on, each with its value, its default, where the value "
                    "comes from (default or nbgrader_config.py) and what it does.")
    p.set_defaults(func=cmd_config)
