"""A company cohort on a real JupyterHub, end to end (hub/, issue 19).

JupyterHub (hub/jupyterhub_config.py, configurable-http-proxy from npm) runs on localhost with
real local accounts, set up by hub/trial.py as `make hub` does. In headless Chromium, three
learners log in with their own passwords; one fetches module 2 from the Assignment List,
answers it right in JupyterLab and submits from the Assignment List; the two others fetch and
submit with nbgrader in their own account (runuser: what their hub terminal runs), one
answering partly (after a first, untouched hand-in: the last one counts), one not at all.
A fourth learner submits after the deadline, a fifth a broken notebook. The trainer
collects, grades with `course grade` into the gradebook, writes the course's feedback pages
and returns them with nbgrader's release_feedback; each learner fetches their own. As each
learner, the test tries to reach another's submission, feedback and files: refused.
The trainer logs in and has the formgrader; learners do not.

The trainer's commands run as root in the trainer's course folder (on this machine the
course's Python lives under /root, which the trainer's account cannot run for the grading
sandbox; on a company hub the trainer runs them in their own terminal).
Screenshots: test-artifacts/browser/hub/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbgrader.api import Gradebook
from support.gradebook import cell_scores
from support.hub import account_names, checkout_enterable_by_others, course_hub
from support.lab import ARTIFACTS, Learner, browser_page

from course.trainer.synthetic import wrong_answers

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("hub")]

MODULE = "02-who-can-see-this-post"
COURSE_ID = "social-media-accounts"
SHOTS = ARTIFACTS / "hub"
# The exercise the "partly" learner gets wrong, with the first of its committed wrong answers.
WRONG_TEST = "test_x_settings"
ROLES = ["right", "partly", "none", "late", "broken"]


@pytest.fixture(scope="module")
def hub_folder():
    """The trial's folder: outside pytest's own (private to root), as the learners' and the
    trainer's servers read the settings and the gradebook in it."""
    folder = Path(tempfile.mkdtemp(prefix="course-hub-test-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def hub_gradebook_url(postgres_server):
    """The cohort's gradebook on a real PostgreSQL server, as a company runs it."""
    return postgres_server.url("hub_gradebook")


@pytest.fixture(scope="module")
def hub(hub_folder, hub_gradebook_url):
    names = account_names(os.urandom(2).hex(), [*ROLES, "trainer"])
    with checkout_enterable_by_others([ROOT / "lab", Path(sys.prefix) / "lib"]), \
            course_hub(hub_folder, names[:-1], names[-1], hub_gradebook_url,
                    # the test drives JupyterLab's command registry, as tests/support/lab.py does
                    singleuser_args="--LabApp.expose_app_in_browser=True") as running:
        yield running


def learner(hub, role: str):
    return hub.trial.learners[ROLES.index(role)]


def solved(released: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The released notebook with every answer cell holding the source notebook's model answer."""
    source = nbformat.read(ROOT / "source" / MODULE / f"{MODULE}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell.cell_type == "code":
            cell.source = "\n".join(line for line in answers[grade_id].splitlines()
                                    if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)
    return nb


def with_answer(nb: nbformat.NotebookNode, grade_id: str, code: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source = code
    return nb


def released_notebook() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)


def write_as(hub, account, path: Path, text: str) -> None:
    """Save a file as that learner would (their account, their permissions)."""
    hub.as_user(account, [str(hub.trial.server_python), "-c",
                          "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.stdin.read())", str(path)],
                input=text)


def log_in(page, hub, account) -> None:
    """The hub's login page, as a person would use it; the hub then starts their server and
    JupyterLab opens."""
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", account.name)
    page.fill("#password_input", account.password)
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{re.escape(account.name)}/lab"))


def refused(hub, account, code: str) -> str:
    """Run Python as `account`; return 'refused' if it raised PermissionError, else what it printed."""
    done = hub.as_user(account, [str(hub.trial.server_python), "-c",
                                 f"try:\n    {code}\nexcept PermissionError:\n    print('refused')"], check=False)
    return done.stdout.strip() or done.stderr.strip()


def trainer_run(hub, argv: list[str]) -> subprocess.CompletedProcess:
    """A trainer's command in the course folder; what it wrote stays the trainer's (their
    formgrader works on it next)."""
    course = hub.trial.course
    env = dict(os.environ, COURSE_DIR=str(course))
    done = subprocess.run(argv, cwd=course, env=env, capture_output=True, text=True, timeout=900)
    subprocess.run(["chown", "-R", f"{hub.trial.trainer.name}:", str(course)], check=True)
    return done


def test_a_cohort_hands_in_is_graded_and_gets_its_own_feedback(hub, hub_gradebook_url):
    from playwright.sync_api import expect

    right, partly, none, late, broken = (learner(hub, r) for r in ROLES)
    bin_dir = Path(sys.executable).parent
    released = released_notebook()
    notebook_name = f"{MODULE}.ipynb"

    with browser_page(SHOTS) as page:
        me = Learner(page, None, SHOTS)
        # Three learners log in with their own password; the hub starts each one's server.
        for account in (right, partly, none):
            page.context.clear_cookies()
            log_in(page, hub, account)
            me.wait_for_app()
            me.shot(f"{account.name}-logged-in")
            # Learners get lab/'s JupyterLab: the Assignment List, not the formgrader.
            assert me.menu_items("Nbgrader") == ["Assignment List"]
        assert hub.user_request(right.name, "formgrader")[0] == 404

        # The "right" learner, in the browser: fetch from the Assignment List, answer, save, submit.
        page.context.clear_cookies()
        log_in(page, hub, right)
        me.wait_for_app()
        me.command("nbgrader:open-assignment-list")
        fetch = page.locator("#released_assignments_list button", has_text="Fetch")
        fetch.wait_for()
        me.shot("assignment-list")
        fetch.click()
        page.locator("#fetched_assignments_list", has_text=MODULE).wait_for()
        path = f"{MODULE}/{notebook_name}"
        me.command("docmanager:open", {"path": path})
        answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solved(released).cells
                   if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
        # The notebook's panel has loaded every cell of the file (and is the one in front).
        notebook_panel = """(path) => Array.from(window.jupyterapp.shell.widgets('main'))
                              .find(w => w.context && w.context.path === path)"""
        page.wait_for_function(
            f"([path, n]) => {{ const w = ({notebook_panel})(path);"
            " return !!w && w.context.isReady && w.content.widgets.length === n; }",
            arg=[path, len(released.cells)])
        set_count = page.evaluate(
            f"""([path, answers]) => {{
                const panel = ({notebook_panel})(path);
                window.jupyterapp.shell.activateById(panel.id);
                let n = 0;
                for (const cell of panel.content.widgets) {{
                    const id = (cell.model.getMetadata('nbgrader') || {{}}).grade_id;
                    if (id in answers) {{ cell.model.sharedModel.setSource(answers[id]); n += 1; }}
                }}
                return n;
            }}""", [path, answers])
        assert set_count == len(answers) > 0
        # File > Save, on this notebook's own context (the menu saves the panel in front).
        page.evaluate(f"async (path) => {{ await ({notebook_panel})(path).context.save(); }}", path)
        me.shot("answered")
        saved = nbformat.reads(hub.as_user(right, ["cat", str(right.home / path)]).stdout, as_version=4)
        assert all(answers[c.metadata["nbgrader"]["grade_id"]] == c.source for c in saved.cells
                   if c.metadata.get("nbgrader", {}).get("grade_id") in answers), "the answers were not saved"
        me.command("nbgrader:open-assignment-list")
        submit = page.locator("#fetched_assignments_list button", has_text="Submit").first
        submit.wait_for()
        submit.click()
        page.locator("#submitted_assignments_list", has_text=MODULE).wait_for()
        me.shot("submitted")

        # The others with nbgrader in their own accounts.
        for account in (partly, none, late, broken):
            hub.nbgrader(account, "fetch_assignment", MODULE, "--course", COURSE_ID)
            assert (account.home / MODULE / notebook_name).is_file()
        # "partly" hands in twice: the untouched copy first, then one exercise wrong.
        hub.nbgrader(partly, "submit", MODULE, "--course", COURSE_ID)
        wrong = wrong_answers(MODULE)[WRONG_TEST][0]
        write_as(hub, partly, partly.home / MODULE / notebook_name,
                 nbformat.writes(with_answer(solved(released), wrong["answer_cell"], wrong["code"])))
        hub.nbgrader(partly, "submit", MODULE, "--course", COURSE_ID)
        hub.nbgrader(none, "submit", MODULE, "--course", COURSE_ID)
        write_as(hub, broken, broken.home / MODULE / notebook_name, '{"cells": [ {"cell_type": "code", "sour')
        hub.nbgrader(broken, "submit", MODULE, "--course", COURSE_ID)
        # The deadline falls now: every hand-in so far is on time, the next one late.
        deadline = datetime.now(timezone.utc).replace(tzinfo=None)
        write_as(hub, late, late.home / MODULE / notebook_name, nbformat.writes(solved(released)))
        hub.nbgrader(late, "submit", MODULE, "--course", COURSE_ID)

        # Nobody can find or read another learner's work: not in the exchange, not on disk.
        inbound = hub.trial.exchange / COURSE_ID / "inbound"
        feedback_out = hub.trial.exchange / COURSE_ID / "feedback"
        for me_, other in ((partly, right), (none, partly), (right, none)):
            assert refused(hub, me_, f"print(__import__('os').listdir({str(inbound)!r}))") == "refused"
            assert refused(hub, me_, f"print(__import__('glob').glob({str(inbound)!r} + '/{other.name}+*'))") == "[]"
            assert refused(hub, me_, f"print(__import__('os').listdir({str(other.home)!r}))") == "refused"
            assert refused(hub, me_, f"print(open({str(other.home / MODULE / notebook_name)!r}).read()[:20])") == "refused"
            assert refused(hub, me_, f"print(__import__('os').listdir({str(hub.trial.course)!r}))") == "refused"

        # The trainer: the deadline and nbgrader's late penalty, collect, grade.
        with Gradebook(hub_gradebook_url) as gb:
            gb.update_or_create_assignment(MODULE, duedate=deadline)
        with open(hub.trial.course / "nbgrader_config.py", "a", encoding="utf-8") as f:
            f.write("\n# Late hand-ins score zero.\nc.LateSubmissionPlugin.penalty_method = 'zero'\n")
        collected = trainer_run(hub, [str(bin_dir / "nbgrader"), "collect", MODULE])
        assert collected.returncode == 0, collected.stdout + collected.stderr
        graded = trainer_run(hub, [str(bin_dir / "course"), "grade", MODULE])
        summary = graded.stdout + graded.stderr
        # One submission failed (exit status 1); the batch graded every other one.
        assert graded.returncode == 1, summary
        assert "corrupt_notebook" in summary and broken.name in summary, summary
        scores = {a.name: cell_scores(hub_gradebook_url, MODULE, MODULE, a.name) for a in (right, partly, none, late)}
        tests = [g for g, s in scores[right.name].items() if s.auto_graded]
        assert tests and all(scores[right.name][t].auto_score == scores[right.name][t].max_score for t in tests)
        # The last hand-in counts: one exercise wrong, every other right.
        assert scores[partly.name][WRONG_TEST].auto_score == 0
        assert all(scores[partly.name][t].auto_score == scores[partly.name][t].max_score
                   for t in tests if t != WRONG_TEST)
        assert all(scores[none.name][t].auto_score == 0 for t in tests)
        with Gradebook(hub_gradebook_url) as gb:
            late_submission = gb.find_submission(MODULE, late.name)
            on_time = gb.find_submission(MODULE, right.name)
            assert late_submission.total_seconds_late > 0 and on_time.total_seconds_late == 0
            # nbgrader's "zero" penalty: everything the late (right) answers earned is taken off.
            assert late_submission.late_submission_penalty == late_submission.score > 0
            assert on_time.score > 0

        # Feedback: nbgrader's generate_feedback (it carries the hand-in's secret), the course's
        # own page in its place (results and plain messages, never the tests' code), released.
        generated = trainer_run(hub, [str(bin_dir / "nbgrader"), "generate_feedback", MODULE])
        assert generated.returncode == 0, generated.stdout + generated.stderr
        pages = hub.trial.state / "course-feedback"
        written = trainer_run(hub, [str(bin_dir / "course"), "feedback", MODULE, "-o", str(pages)])
        assert written.returncode == 0, written.stdout + written.stderr
        for account in (right, partly, none, late):
            course_page = pages / account.name / MODULE / "index.html"
            (hub.trial.course / "feedback" / account.name / MODULE / f"{MODULE}.html").write_bytes(course_page.read_bytes())
        returned = trainer_run(hub, [str(bin_dir / "nbgrader"), "release_feedback", MODULE])
        assert returned.returncode == 0, returned.stdout + returned.stderr

        # Each learner fetches their own feedback, and only theirs.
        for account in (right, partly, none, late):
            hub.nbgrader(account, "fetch_feedback", MODULE, "--course", COURSE_ID)
            fetched = list((account.home / MODULE / "feedback").rglob("*.html"))
            assert len(fetched) == 1, fetched
            mine = (pages / account.name / MODULE / "index.html").read_text(encoding="utf-8")
            assert fetched[0].read_text(encoding="utf-8") == mine
            assert refused(hub, account, f"print(__import__('os').listdir({str(feedback_out)!r}))") == "refused"
        texts = {a.name: (pages / a.name / MODULE / "index.html").read_text(encoding="utf-8") for a in (right, partly)}
        assert texts[right.name] != texts[partly.name]

        # The "right" learner sees the feedback in the Assignment List too.
        page.context.clear_cookies()
        log_in(page, hub, right)
        me.wait_for_app()
        me.command("nbgrader:open-assignment-list")
        expect(page.locator("#submitted_assignments_list")).to_contain_text("view feedback")
        me.shot("feedback-fetched")


def test_the_trainer_logs_in_and_has_the_formgrader(hub):
    trainer = hub.trial.trainer
    with browser_page(SHOTS / "trainer") as page:
        me = Learner(page, None, SHOTS / "trainer")
        log_in(page, hub, trainer)
        me.wait_for_app()
        assert "Formgrader" in me.menu_items("Nbgrader")
        me.shot("trainer-lab")
        # The formgrader's own API reads the course's gradebook: the module is there.
        status, body = hub.user_request(trainer.name, "formgrader/api/assignments")
        assert status == 200, body[-2000:] + hub.log.read_text()[-4000:]
        assert MODULE in [a["name"] for a in json.loads(body)], body
        page.goto(f"{hub.url}/user/{trainer.name}/formgrader")
        page.get_by_text(MODULE).first.wait_for()
        me.shot("formgrader")
    # The trainer is the hub's admin; learners are not.
    users = {u["name"]: u["admin"] for u in hub.api("GET", "users")}
    assert users[trainer.name] is True and not any(users[a.name] for a in hub.trial.learners)
