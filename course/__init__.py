"""The social-media accounts course: what the notebooks import, the `course` command for
trainers, and the batch grader. One subpackage per audience:

- `course.learner`: the only subpackage learners' notebooks import (the visibility model,
  the privacy simulator, checks with plain-language messages, the charter, passwords,
  personal data, EXIF, personas, charts, the synthetic data sets). The grading worker
  imports exactly this subpackage before it forks learners' processes.
- `course.trainer`: the trainer's commands: release, clean and validate the notebooks,
  feedback, export, report, certificates, the gradebook's backups, the demo and its
  synthetic cohort (with each exercise's plausible wrong answers).
- `course.grading`: the grading engine behind `course grade` (see its docstring for how a
  submission flows).
- Shared by the trainer's side: `cli` (the `course` command), `coursedir` (where the
  course lives, running nbgrader), `config` (the one configuration, `c.Course` options),
  `nbgrader_adapter` (every use of nbgrader's internals), `gradebook_safety`, `templates`
  (the HTML, Jinja2).

Test support (throwaway graded courses, gradebook readers) lives in tests/support/, outside
the package. No reference solution lives in this package: answers exist only in source/.
"""

__version__ = "0.1.0"
