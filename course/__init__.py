"""The social-media accounts course: helpers shared by the notebooks and the `course` command.

Learner-facing modules: `check` (test-cell checks with plain-language messages) and
`data` (the synthetic data sets). Trainer-facing: `cli` and the modules it wires.
No reference solution lives in this package: answers exist only in source/.
"""

__version__ = "0.1.0"
