"""`course grade --scheduler`: submissions spread over a Dask cluster give the same scores.

A LocalCluster of two separate worker processes stands in for the company's cluster; the
gradebook is written by the client process, as on a real cluster.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from course.coursedir import assignments
from course.grading.command import grade
from support.sample_course import copy_course, make_course, scores

# Starts a Dask cluster and grades a cohort on it.
pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")

NAMES = assignments(ROOT)[:2]


def test_dask_cluster_gives_the_same_scores(tmp_path):
    base = tmp_path / "cohort"
    learners = make_course(ROOT, base, 6, names=NAMES)
    local, on_dask = copy_course(base, tmp_path / "local"), copy_course(base, tmp_path / "dask")
    local_outcomes = grade(local, NAMES, workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        dask_outcomes = grade(on_dask, NAMES, scheduler=cluster.scheduler_address, progress=False)
        with distributed.Client(cluster) as client:
            ran_on = client.run(lambda: __import__("course.grading.pool", fromlist=["x"])._DASK_WORKER is not None)
    assert sum(ran_on.values()) == 2, "both Dask workers should have graded submissions"
    ids = [ln.id for ln in learners]
    for name in NAMES:
        assert scores(on_dask, name, ids) == scores(local, name, ids)
    summary = sorted((o.student, o.assignment, o.status, tuple(r["code"] for r in o.reasons)) for o in dask_outcomes)
    assert summary == sorted((o.student, o.assignment, o.status, tuple(r["code"] for r in o.reasons))
                             for o in local_outcomes)
