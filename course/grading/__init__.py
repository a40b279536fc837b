"""`course grade`: batch grading of a cohort, with nbgrader's own rules, fast and sandboxed.

How a submission travels (one idea per module):
- `course.config`: what nbgrader_config.py says (gradebook URL, per-cell timeout, output
  limits, c.Course grading limits); `course.nbgrader_adapter`: nbgrader's internals used here;
- `prepare`: the trainer side reads a submission and cleans it with nbgrader's own
  sanitizing preprocessors (locked and test cells restored from the gradebook), and
  turns it into a job: plain data, the only thing that enters the sandbox;
- `worker`: a warm interpreter (pandas, matplotlib, IPython already imported by `warmup`),
  run inside bubblewrap, that forks a `learner` process per notebook for the learner's
  cells (`notebook`: the worker's side of it) and pristine test processes (`testproc`);
  answers cross into the test process as data (`transfer`); every pipe carries JSON lines
  (`channel`); an exception in grader code inside a child is the grader's error, which
  learner code cannot claim (`faults`);
- `shell`: an IPython shell that records outputs exactly as a Jupyter kernel sends them;
- `sandbox`: the bubblewrap command, resource limits, and cleaning up every process;
- `pool`: the worker processes on this machine, or on a Dask cluster;
- `logs`: a logger per module, --verbose and the log file; workers' records relayed home;
- `record`: the single gradebook writer: nbgrader's SaveAutoGrades and late penalties,
  one transaction per submission, then the autograded notebook and the grading log;
- `command`: the CLI, progress bar and summary.
"""
