"""`course grade` against hostile and broken submissions, all in one batch.

Each learner below does one bad thing; each ends graded or failed with the right reason,
and the honest learners graded in the same batch keep full marks. The per-cell timeout is
small (10 s) so the suite stays fast, yet far above what any cell but the endless loops
needs on a busy machine: every other outcome here is decided by a limit that does not
depend on the machine's speed (bytes of output, memory, processes), never by the clock.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import re
import socket
import threading
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, missing_tool

from course.trainer.synthetic import wrong_answers
from course.coursedir import assignments, copy_sources, modules
from course.grading import transfer
from course.grading.command import grade
from support.sample_course import scores
from course.grading.sandbox import LEARNER_UID_BASE, worker_slot

# Grades a whole batch of hostile submissions in the sandbox.
pytestmark = pytest.mark.slow

NAME = assignments(ROOT)[0]
# Another module (not the French edition of the same one, whose graded cells are the same).
OTHER = modules(ROOT)[1] if len(modules(ROOT)) > 1 else None
TIMEOUT = 10


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if _meta(c).get("grade_id") == grade_id)


def _setup_index(nb) -> int:
    locked = [i for i, c in enumerate(nb.cells) if _meta(c).get("locked") and not _meta(c).get("grade")]
    return locked[0] if locked else -1


def _insert_after_setup(nb, code: str):
    nb.cells.insert(_setup_index(nb) + 1, nbformat.v4.new_code_cell(code))
    return nb


def _assigns_plainly(code: str) -> bool:
    try:
        return any(isinstance(n, ast.Assign) for n in ast.parse(code).body)
    except SyntaxError:
        return False


class Cohort:
    """The hostile batch: who did what, and the notebooks they submitted."""

    def __init__(self, course: Path, server_port: int):
        self.course = course
        self.source = nbformat.read(ROOT / "source" / NAME / f"{NAME}.ipynb", as_version=4)
        self.test_id, entries = next(iter(wrong_answers(NAME).items()))
        # A wrong answer the cell runs (a plain assignment), so the test itself decides.
        first = next(w for w in entries if _assigns_plainly(w["code"]))
        self.answer_id, self.wrong_code = first["answer_cell"], first["code"]
        self.answer_name = next(n.targets[0].id for n in ast.parse(self.wrong_code).body if isinstance(n, ast.Assign))
        self.port = server_port
        self.submissions: dict[str, str] = {}

    def solved(self):
        return nbformat.from_dict(json.loads(json.dumps(self.source)))

    def blank(self):
        nb = self.solved()
        for cell in nb.cells:
            if _meta(cell).get("solution") and cell.cell_type == "code":
                cell.source = cell.source.split("### BEGIN SOLUTION")[0].rstrip("\n")
        return nb

    def with_answer(self, code: str):
        nb = self.solved()
        nb.cells[_index(nb, self.answer_id)].source = code
        return nb

    def add(self, student: str, nb_or_text) -> None:
        text = nb_or_text if isinstance(nb_or_text, str) else nbformat.writes(nb_or_text)
        self.submissions[student] = text

    def write(self) -> None:
        for student, text in self.submissions.items():
            folder = self.course / "submitted" / student / NAME
            folder.mkdir(parents=True, exist_ok=True)
            if student == "wrong_name":
                (folder / "Untitled.ipynb").write_text(text, encoding="utf-8")
            else:
                (folder / f"{NAME}.ipynb").write_text(text, encoding="utf-8")
            (folder / "timestamp.txt").write_text("2026-11-30 10:00:00.000000 UTC", encoding="utf-8")


def build(cohort: Cohort, course: Path) -> None:
    c = cohort
    c.add("honest1", c.solved())
    c.add("honest2", c.solved())
    c.add("eq_always", c.with_answer(
        "class Sneaky:\n    def __eq__(self, other): return True\n    def __ne__(self, other): return False\n"
        f"    def __hash__(self): return 0\n{c.answer_name} = Sneaky()"))
    c.add("str_subclass", c.with_answer(
        f"class Text(str):\n    def __eq__(self, other): return True\n    __hash__ = str.__hash__\n"
        f"{c.answer_name} = Text('anything')"))
    c.add("patch_check", _insert_after_setup(c.blank(), (
        "import builtins, sys\nimport course.learner.check as _c\n"
        "for _n in dir(_c):\n    if not _n.startswith('_') and callable(getattr(_c, _n)):\n"
        "        setattr(_c, _n, lambda *a, **k: None)\n"
        "class _Any:\n    def __getattr__(self, n): return lambda *a, **k: None\n"
        "check = _Any()\nsys.settrace(lambda *a: None)\n"
        "AssertionError = type('AssertionError', (Exception,), {})")))
    # Breaking builtins breaks the shell itself (a kernel would die too): no points either way.
    c.add("patch_builtins", _insert_after_setup(c.blank(), (
        "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.type = lambda *a: str")))
    c.add("snoop", _insert_after_setup(c.solved(), (
        "import glob, json, os\n"
        f"course, repo = {str(course)!r}, {str(ROOT)!r}\n"
        "found = {\n"
        "  'source': glob.glob(course + '/source/*') + glob.glob(course + '/source/*/*') + glob.glob(repo + '/source/*'),\n"
        "  'gradebook': [p for p in (course + '/gradebook.db', repo + '/gradebook.db') if os.path.exists(p)],\n"
        "  'others': glob.glob(course + '/submitted/*') + glob.glob('../submission-*/*.ipynb'),\n"
        "  'relative': glob.glob('../../../source/*') + glob.glob('../../submitted/*'),\n"
        "  'repo_tests': os.path.exists(repo + '/tests'),\n"
        "}\nprint('SNOOP', json.dumps(found, sort_keys=True))\n"
        "for target in (course + '/pwned.txt', repo + '/pwned.txt', course + '/source/pwned.txt'):\n"
        "    try:\n        open(target, 'w').write('x')\n        print('WROTE', target)\n"
        "    except OSError as e:\n        print('refused', type(e).__name__)")))
    c.add("memory_snoop", _insert_after_setup(c.solved(), (
        "import gc, sys\nmarker = 'HIDDEN ' + 'TESTS'\nfound = 0\n"
        "def hit(v):\n    return v is not marker and (isinstance(v, str) and marker in v\n"
        "        or isinstance(v, bytes) and marker.encode() in v)\n"
        "for o in gc.get_objects():\n    try:\n"
        "        values = o.values() if isinstance(o, dict) else o if isinstance(o, (list, tuple)) else ()\n"
        "        found += sum(1 for v in values if hit(v))\n    except Exception:\n        pass\n"
        "for frame in sys._current_frames().values():\n    while frame:\n"
        "        found += sum(1 for v in list(frame.f_locals.values()) if hit(v))\n        frame = frame.f_back\n"
        "print('HIDDEN FOUND', found)")))
    nb = c.with_answer(c.wrong_code)
    nb.cells.insert(_index(nb, c.test_id), nbformat.v4.new_code_cell(
        "import gc, json, os\n"
        "cells = next(o for o in gc.get_objects() if isinstance(o, list) and o and isinstance(o[0], dict)\n"
        "             and 'kind' in o[0] and any('forged =' in c.get('source', '') for c in o))\n"
        "i = next(k for k, c in enumerate(cells) if 'forged =' in c['source'])\n"
        "forged = ''.join(json.dumps({'i': k, 'outputs': [], 'cut': False}) + '\\n' for k in (i, i + 1))\n"
        "for fd in range(3, 64):\n    try:\n        os.write(fd, forged.encode())\n    except OSError:\n        pass"))
    c.add("forge_outputs", nb)
    # A grader error is the grader's word: learner code that writes one is interfering.
    nb = c.with_answer(c.wrong_code)
    nb.cells.insert(_index(nb, c.test_id), nbformat.v4.new_code_cell(
        "import json, os\n# forge_grader_error\n"
        "forged = ''.join(json.dumps(m) + '\\n' for m in ({'grader_error': 'Traceback: not mine'}, {'ready': True}))\n"
        "for fd in range(3, 64):\n    try:\n        os.write(fd, forged.encode())\n    except OSError:\n        pass"))
    c.add("forge_grader_error", nb)
    # Asks the worker to run this (answer) cell as a test: in the test process it would make
    # `check` and every answer accept anything, then every later test would pass on blank answers.
    answers = sorted(set().union(*(transfer.free_names(cell.source) for cell in c.source.cells if _meta(cell).get("grade")
                                   and not _meta(cell).get("solution"))) - set(dir(builtins)) - {"check", "load"})
    c.add("escape_to_test_process", _insert_after_setup(c.blank(), (
        "import gc, json, os\n"
        "try:\n    where = os.readlink('/proc/self/fd/1')\nexcept OSError:\n    where = ''\n"
        "if '.learner' in where:\n"
        "    cells = next(o for o in gc.get_objects() if isinstance(o, list) and o and isinstance(o[0], dict)\n"
        "                 and 'kind' in o[0] and any('ESCAPE_MARK' in c.get('source', '') for c in o))\n"
        "    i = next(k for k, c in enumerate(cells) if 'ESCAPE_MARK' in c['source'])\n"
        "    lines = [{'i': i}] + [{'i': k, 'test': {}} if c['kind'] == 'test' else {'i': k, 'outputs': [], 'cut': False}\n"
        "                          for k, c in enumerate(cells) if k > i]\n"
        "    data = ''.join(json.dumps(m) + '\\n' for m in lines).encode()\n"
        "    for fd in range(3, 64):\n        try:\n            os.write(fd, data)\n        except OSError:\n            pass\n"
        "else:\n"
        "    class _Any:\n"
        "        def __getattr__(self, name): return _Any()\n"
        "        def __call__(self, *a, **k): return _Any()\n"
        "        def __getitem__(self, key): return _Any()\n"
        "        def __len__(self): return 3\n"
        "        def __eq__(self, other): return True\n"
        "        def __gt__(self, other): return True\n"
        "        __lt__ = __ge__ = __le__ = __gt__\n"
        "        __hash__ = object.__hash__\n"
        f"    for _name in ['check'] + {answers!r}:\n"
        "        globals()[_name] = _Any()\n"
        "# ESCAPE_MARK")))
    # Folders where the grader's capture files could be: they must change nothing.
    c.add("plant_capture_files", _insert_after_setup(c.solved(), (
        "import os\nfor name in ('.test-fd1', '.test-fd2', '.learner-fd1', '.learner-fd2', '.base-fd1'):\n"
        "    try:\n        os.mkdir(name)\n    except OSError:\n        pass")))
    c.add("sys_exit", _insert_after_setup(c.solved(), "import sys\nsys.exit(3)"))
    nb = c.solved()
    nb.cells.insert(_index(nb, c.test_id) + 1, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    c.add("os_exit", nb)
    c.add("infinite_loop", _insert_after_setup(c.solved(), "while True:\n    pass"))
    c.add("stubborn_loop", _insert_after_setup(c.solved(), (
        "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass")))
    c.add("memory_hog", _insert_after_setup(c.solved(), (
        "chunks = []\nwhile True:\n    chunks.append(bytearray(100 * 2**20))")))
    c.add("fork_bomb", _insert_after_setup(c.solved(), (
        "import os, subprocess, time\n"
        "subprocess.Popen(['sleep', '777'], start_new_session=True)\n"
        "kids = 0\ntry:\n    for _ in range(2000):\n        if os.fork() == 0:\n"
        "            time.sleep(600)\n            os._exit(0)\n        kids += 1\n"
        "except OSError as e:\n    print('fork refused after', kids, type(e).__name__)")))
    c.add("network", _insert_after_setup(c.solved(), (
        "import socket\ntry:\n"
        f"    socket.create_connection(('127.0.0.1', {c.port}), timeout=2).close()\n    print('NET connected')\n"
        "except OSError as e:\n    print('NET blocked', type(e).__name__)")))
    # A few huge writes, not a loop of small ones: the output limit cuts it at once, where a
    # printing loop would race the per-cell timeout on a slow machine.
    c.add("flood", _insert_after_setup(c.solved(), (
        "print('x' * 100_000_000)\nprint('\\n'.join(map(str, range(300_000))))\n"
        "import sys\nsys.stderr.write('e' * 5_000_000)")))
    nb = c.with_answer(c.wrong_code)
    nb.cells[_index(nb, c.test_id)].source = "pass"
    c.add("tampered", nb)
    nb = c.solved()
    del nb.cells[_index(nb, c.test_id)]
    if _setup_index(nb) >= 0:
        del nb.cells[_setup_index(nb)]
    c.add("deleted", nb)
    nb = c.solved()
    test_cell = nb.cells.pop(_index(nb, c.test_id))
    nb.cells.insert(_index(nb, c.answer_id), test_cell)
    c.add("reordered", nb)
    nb = c.solved()
    _meta(nb.cells[_index(nb, c.test_id)])["grade"] = False
    c.add("flipped_metadata", nb)
    c.add("corrupt", nbformat.writes(c.solved())[:700])
    c.add("empty_file", "")
    c.add("wrong_name", c.solved())
    if OTHER:
        c.add("other_assignment", (ROOT / "source" / OTHER / f"{OTHER}.ipynb").read_text(encoding="utf-8"))
    else:
        nb = c.solved()
        for cell in nb.cells:
            if _meta(cell).get("grade_id"):
                _meta(cell)["grade_id"] = "other_" + _meta(cell)["grade_id"]
        c.add("other_assignment", nb)
    c.write()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from course.grading.sandbox import bwrap_path

    if not bwrap_path():
        # Without the sandbox the snooping learner really would write into this checkout.
        missing_tool("bubblewrap is not installed: apt-get install bubblewrap (the hostile suite needs the sandbox).")
    course = tmp_path_factory.mktemp("hostile") / "course"
    copy_sources(ROOT, [NAME], course)
    config = (ROOT / "nbgrader_config.py").read_text(encoding="utf-8")
    (course / "nbgrader_config.py").write_text(config + f"\nc.ExecutePreprocessor.timeout = {TIMEOUT}\n")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    cohort = Cohort(course, server.getsockname()[1])
    build(cohort, course)
    try:
        outcomes = {o.student: o for o in grade(course, NAME, workers=2, progress=False)}
    finally:
        stop.set()
        thread.join()
        server.close()
    all_scores = scores(course, NAME, sorted(cohort.submissions))
    return cohort, course, outcomes, all_scores, accepted


def codes(outcome) -> set[str]:
    return {r["code"] for r in outcome.reasons}


def outputs_text(course: Path, student: str) -> str:
    nb = nbformat.read(course / "autograded" / student / NAME / f"{NAME}.ipynb", as_version=4)
    return "\n".join(o.get("text", "") + o.get("evalue", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_honest_learners_are_unaffected(graded):
    cohort, course, outcomes, all_scores, _ = graded
    honest = all_scores["honest1"]
    assert honest == all_scores["honest2"]
    tests = {g: s for g, s in honest.items() if s is not None}
    assert tests and all(s > 0 for s in tests.values()), f"the solved notebook should score everywhere: {honest}"
    assert outcomes["honest1"].status == outcomes["honest2"].status == "graded"
    assert not outcomes["honest1"].reasons


@pytest.mark.parametrize("student", ["eq_always", "str_subclass"])
def test_objects_that_say_they_are_equal_get_no_points(graded, student):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes[student].status == "graded"
    assert all_scores[student][cohort.test_id] == 0
    others = {g: s for g, s in all_scores[student].items() if g != cohort.test_id}
    assert others == {g: s for g, s in all_scores["honest1"].items() if g != cohort.test_id}


def test_monkeypatching_check_and_builtins_does_not_pass_tests(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["patch_check"].status == "graded"
    for student in ("patch_check", "patch_builtins"):
        earned = {g: s for g, s in all_scores[student].items() if s}
        assert not earned, f"{student}: blank answers with a patched `check` or builtins scored {earned}"


def test_learner_code_sees_no_course_files_and_writes_nothing_outside(graded):
    cohort, course, outcomes, all_scores, _ = graded
    text = outputs_text(course, "snoop")
    found = json.loads(re.search(r"SNOOP (\{.*\})", text).group(1))
    assert found == {"source": [], "gradebook": [], "others": [], "relative": [], "repo_tests": False}
    assert "WROTE" not in text
    assert not (course / "pwned.txt").exists() and not (ROOT / "pwned.txt").exists()
    assert not (course / "source" / "pwned.txt").exists()
    assert all_scores["snoop"] == all_scores["honest1"]


def test_hidden_tests_are_not_in_the_learner_process(graded):
    cohort, course, outcomes, all_scores, _ = graded
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # what the worker was sent
        assert "HIDDEN TESTS" in gb.find_source_cell(cohort.test_id, NAME, NAME).source
    assert "HIDDEN FOUND 0" in outputs_text(course, "memory_snoop")
    assert all_scores["memory_snoop"] == all_scores["honest1"]


def test_forged_test_outputs_are_refused(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert all_scores["forge_outputs"][cohort.test_id] == 0  # a wrong answer, whatever was written
    assert outcomes["forge_outputs"].status == "failed"
    assert "grader_interference" in codes(outcomes["forge_outputs"])


def test_forged_grader_error_is_interference(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert all_scores["forge_grader_error"][cohort.test_id] == 0
    assert outcomes["forge_grader_error"].status == "failed"
    assert codes(outcomes["forge_grader_error"]) >= {"grader_interference"}
    assert "grader_error" not in codes(outcomes["forge_grader_error"])


def test_learner_code_cannot_have_itself_run_as_a_test(graded):
    cohort, course, outcomes, all_scores, _ = graded
    earned = {g: s for g, s in all_scores["escape_to_test_process"].items() if s}
    assert not earned, f"blank answers scored {earned}: learner code ran in the test process"
    assert outcomes["escape_to_test_process"].status == "failed"
    assert "grader_interference" in codes(outcomes["escape_to_test_process"])


def test_planted_capture_files_change_nothing(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["plant_capture_files"].status == "graded", outcomes["plant_capture_files"].reasons
    assert all_scores["plant_capture_files"] == all_scores["honest1"]


def test_sys_exit_is_an_error_in_its_cell_only(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["sys_exit"].status == "graded"
    assert all_scores["sys_exit"] == all_scores["honest1"]


def test_os_exit_fails_with_kernel_died_and_keeps_earlier_points(graded):
    cohort, course, outcomes, all_scores, _ = graded
    outcome = outcomes["os_exit"]
    assert outcome.status == "failed" and "kernel_died" in codes(outcome)
    assert all_scores["os_exit"][cohort.test_id] == all_scores["honest1"][cohort.test_id]
    later = [g for g in all_scores["os_exit"] if g != cohort.test_id and all_scores["os_exit"][g] is not None]
    assert all(all_scores["os_exit"][g] == 0 for g in later)


def test_infinite_loop_times_out_and_the_rest_is_graded(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["infinite_loop"].status == "graded" and "timeout" in codes(outcomes["infinite_loop"])
    assert all_scores["infinite_loop"] == all_scores["honest1"]
    stubborn = outcomes["stubborn_loop"]
    assert stubborn.status == "failed" and "timeout_unresponsive" in codes(stubborn)


def test_memory_hog_gets_a_memory_error(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["memory_hog"].status == "graded" and "memory" in codes(outcomes["memory_hog"])
    assert all_scores["memory_hog"] == all_scores["honest1"]


def test_process_limit_and_no_process_survives(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["fork_bomb"].status == "graded"
    assert "fork refused after" in outputs_text(course, "fork_bomb")
    assert all_scores["fork_bomb"] == all_scores["honest1"]
    # The learner user ids of this run's workers (other runs may be grading meanwhile).
    ours = {LEARNER_UID_BASE + 2 * worker_slot(k) for k in range(64)}
    leftovers = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
        if b"sleep 777" in cmdline or uid in ours:
            leftovers.append((pid, uid, cmdline[:60]))
    assert not leftovers


def test_no_network(graded):
    cohort, course, outcomes, all_scores, accepted = graded
    assert "NET blocked" in outputs_text(course, "network")
    assert not accepted


def test_huge_output_is_cut(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["flood"].status == "graded" and "output_limit" in codes(outcomes["flood"])
    assert (course / "autograded" / "flood" / NAME / f"{NAME}.ipynb").stat().st_size < 3 * 2**20
    assert all_scores["flood"] == all_scores["honest1"]


def test_tampered_test_cell_is_restored(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert "tampered_cells" in codes(outcomes["tampered"])
    assert all_scores["tampered"][cohort.test_id] == 0  # the real test ran on the wrong answer


def test_deleted_cells_are_put_back(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes["deleted"].status == "graded" and "deleted_cells" in codes(outcomes["deleted"])
    assert all_scores["deleted"] == all_scores["honest1"]


def test_reordered_test_runs_where_it_stands(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert "reordered_cells" in codes(outcomes["reordered"])
    assert all_scores["reordered"][cohort.test_id] == 0  # it ran before its answer, as under nbgrader


def test_flipped_metadata_is_repaired(graded):
    cohort, course, outcomes, all_scores, _ = graded
    assert "tampered_metadata" in codes(outcomes["flipped_metadata"])
    assert all_scores["flipped_metadata"] == all_scores["honest1"]


@pytest.mark.parametrize("student, code", [("corrupt", "corrupt_notebook"), ("empty_file", "empty_notebook"),
                                           ("wrong_name", "missing_notebook"),
                                           ("other_assignment", "wrong_assignment")])
def test_unreadable_submissions_fail_with_a_reason_and_zero(graded, student, code):
    cohort, course, outcomes, all_scores, _ = graded
    assert outcomes[student].status == "failed"
    assert code in codes(outcomes[student])
    assert all(s == 0 for s in all_scores[student].values())
    log = (course / "autograded" / f"{NAME}.grading-log.jsonl").read_text().splitlines()
    assert any(json.loads(line)["student"] == student and code in line for line in log)
