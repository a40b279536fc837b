"""`course grade`: batch grading of a cohort, with nbgrader's own rules, fast and sandboxed.

How a submission travels (one idea per module):
- `course.config`: what nbgrader_config.py says (gradebook URL, per-cell timeout, output
  limits, c.Course grading limits); `course.nbgrader_adapter`: nbgrader's internals used here;
- `prepare`: the trainer side reads a submission and cleans it with nbgrader's own
  sanitizing preprocessors (locked and test cells restored from the gradebook), and
  turns it into a job: plain data, the only thing that enters the sandbox;
- `worker`: a warm interpreter (pandas, matplotlib, IPython already imported), run inside
  bubblewrap, forks one child per notebook for the learner's cells and one pristine child
  per test cell; answers cross into the test child as data (`transfer`);
- `shell`: an IPython shell that records outputs exactly as a Jupyter kernel sends them;
- `sandbox`: the bubblewrap command, resource limits, and cleaning up every process;
- `pool`: the worker processes on this machine, or on a Dask cluster;
- `record`: the single gradebook writer: nbgrader's SaveAutoGrades and late penalties,
  one transaction per submission, then the autograded notebook and the grading log;
- `command`: the CLI, progress bar and summary.
"""
