"""nbgrader configuration of the course: the single place where nbgrader is configured.

`course` commands and the tests read this file too; they only override the course
directory and the database location when they work in a throwaway folder.
"""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "social-media-accounts"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# One notebook per assignment, named like its folder.
c.CourseDirectory.notebook_id = "*"

# SQLite next to this file by default. For a whole company, point it at PostgreSQL
# (psycopg 3; the password in ~/.pgpass, not here; see docs/gradebook-postgres.md):
# c.CourseDirectory.db_url = "postgresql+psycopg://course_grader@db.example.com/course_gradebook"

# Answer cells keep their template line (e.g. `work_network = ...`) outside the
# solution region, so the stub left in the learner's copy is only a reminder.
c.ClearSolutions.code_stub = {"python": "# ↑ Replace the ... above with your answer, then run this cell."}
c.ClearSolutions.text_stub = "Write your answer here, in a few sentences."

# A learner's infinite loop must not hold the batch forever.
c.ExecutePreprocessor.timeout = 60
# Generous but bounded: a learner printing in a loop must not fill the gradebook.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 30

# The course's own options (course/config.py; `course config` lists them with their help).
c.Course.title = "Social media, professional and private: running your accounts well"
# A module is passed with at least this share of its auto-graded points.
c.Course.pass_mark = 0.8
c.Course.language = "en"
# Languages released: English (source/NN-slug/) and French (source/NN-slug-fr/, generated from
# translations/fr/NN-slug.po by `course translate`); a missing or stale translation fails `course release`.
c.Course.editions = ["en", "fr"]
# What a learner's notebook may use while `course grade` runs it (flags override these).
c.Course.memory_mb = 1024
c.Course.max_processes = 64
# Gradebook backups kept.
c.Course.backups_kept = 5
