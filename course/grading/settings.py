"""What the course's nbgrader_config.py says about grading, read with nbgrader's own classes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, LimitOutput
from traitlets.config import Config

from ..coursedir import load_config
from .sandbox import Limits


@dataclass
class Settings:
    root: Path
    config: Config
    coursedir: CourseDirectory
    db_url: str
    course_id: str
    timeout: float
    limits: Limits = field(default_factory=Limits)


def load(root: Path, limits: Limits | None = None) -> Settings:
    config = load_config(root)
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    timeout = Execute(config=config).timeout
    return Settings(root=root, config=config, coursedir=coursedir, db_url=coursedir.db_url,
                    course_id=coursedir.course_id, timeout=float(timeout or 60),
                    limits=limits or Limits())


def limit_output(settings: Settings) -> LimitOutput:
    return LimitOutput(config=settings.config)
