"""What a trainer does after grading: feedback, export, report and certificates.

Everything here reads the nbgrader gradebook and the autograded notebooks (through
`results`), so it works the same whether `nbgrader autograde` or `course grade` graded
the cohort.
"""
