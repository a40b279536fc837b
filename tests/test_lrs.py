"""`course send` (course/trainer/lrs.py) against a real learning record store, Ralph's LRS
started on localhost (tests/support/lrs.py): every statement arrives and reads back as
exported, sending again stores none twice, a wrong password is a clear error; and, with a
tiny local server, a store that fails for a while is retried and a refusal is shown."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from course.cli import main
from course.coursedir import CourseError
from course.trainer.lrs import Credentials, in_clear, read_credentials, send_statements, statements_url
from support.lrs import running_lrs

def without_store_fields(statement: dict) -> dict:
    # What the store adds: when it stored the statement, who sent it, the xAPI version.
    return {k: v for k, v in statement.items() if k not in ("stored", "authority", "version")}


@pytest.mark.xdist_group("trainer_cohort")
@pytest.mark.assignment
@pytest.mark.slow
def test_send_stores_every_statement_once(trainer_cohort, tmp_path, monkeypatch, capsys):
    cohort = trainer_cohort["cohort"]
    monkeypatch.setenv("COURSE_DIR", str(cohort.settings.root))
    exported = tmp_path / "statements.json"
    assert main(["export", "--format", "xapi", "--pseudonymize", "-o", str(exported)]) == 0
    statements = json.loads(exported.read_text(encoding="utf-8"))
    with running_lrs(tmp_path / "lrs") as store:
        monkeypatch.setenv("COURSE_LRS_USERNAME", store.username)
        monkeypatch.setenv("COURSE_LRS_PASSWORD", store.password)
        # Some first (from a file), then all, from the gradebook, in several batches
        # (pseudonymized as the export was): the first ones are not stored twice.
        some = tmp_path / "some.json"
        some.write_text(json.dumps(statements[:30]), encoding="utf-8")
        assert main(["send", "--lrs", store.url, "--from", str(some)]) == 0
        assert len(store.statements()) == 30
        assert main(["send", "--lrs", store.url, "--pseudonymize", "--batch-size", "40"]) == 0
        out = capsys.readouterr()
        assert f"took {len(statements)} statement(s)" in out.out
        assert f"sent {len(statements)}/{len(statements)} statements" in out.err
        stored = store.statements()
        assert len(stored) == len(statements) > 80
        assert ({s["id"]: without_store_fields(s) for s in stored}
                == {s["id"]: s for s in statements}), "the store holds the statements exactly as exported"

        # Again, from the exported file: nothing new is stored.
        assert main(["send", "--lrs", store.url + "/", "--from", str(exported)]) == 0
        assert len(store.statements()) == len(statements)

        # The same id with other content (another course title): the store's conflict, explained.
        changed = json.loads(json.dumps(statements[:1]))
        changed[0]["object"]["definition"]["name"] = {"en": "Another title"}
        with pytest.raises(CourseError) as conflict:
            send_statements(changed, store.url, Credentials(store.username, store.password))
        assert "(409: Differing statements already exist with the same ID" in str(conflict.value)
        assert "sent before with other settings" in str(conflict.value)

        monkeypatch.setenv("COURSE_LRS_PASSWORD", "not-the-password")
        assert main(["send", "--lrs", store.url, "--from", str(exported)]) == 2
        err = capsys.readouterr().err
        assert "course send: The learning record store at" in err and "(401: Invalid authentication" in err
        assert "COURSE_LRS_USERNAME/COURSE_LRS_PASSWORD" in err and f"user {store.username!r}" in err

        # A statement the store finds invalid: its reason is shown.
        broken = json.loads(json.dumps(statements[:1]))
        broken[0]["actor"] = {"objectType": "Agent"}
        broken[0]["id"] = "00000000-0000-4000-8000-000000000001"
        with pytest.raises(CourseError) as refused:
            send_statements(broken, store.url, Credentials(store.username, store.password))
        assert "refused statements 1-1 (422: body/0/actor" in str(refused.value)
        assert "account: Field required" in str(refused.value)
        assert len(store.statements()) == len(statements)


class FlakyStore(BaseHTTPRequestHandler):
    """Answers each POST with the next status in `server.answers` and records the bodies."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.headers["Authorization"], json.loads(body)))
        status, text = self.server.answers.pop(0)
        self.send_response(status)
        if status == 503:
            self.send_header("Retry-After", "0")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky_store():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyStore)
    server.received, server.answers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


STATEMENTS = [{"id": f"00000000-0000-4000-8000-00000000000{i}"} for i in range(1, 4)]


def test_a_store_that_fails_for_a_while_is_retried(flaky_store, capsys):
    flaky_store.answers = [(503, b'{"detail": "busy"}'), (503, b'{"detail": "busy"}'), (200, b"[]"),
                           (200, b"[]")]
    url = f"http://127.0.0.1:{flaky_store.server_address[1]}/xAPI"
    said = []
    assert send_statements(STATEMENTS, url, Credentials("u", "p"), batch_size=2, progress=said.append) == 3
    assert [len(batch) for _, batch in flaky_store.received] == [2, 2, 2, 1]
    assert flaky_store.received[0][0] == "Basic dTpw"  # u:p
    assert said[:2] == ["The store did not take the batch (503: busy); trying again in 0 s."] * 2


def test_a_store_that_never_takes_the_batch_is_an_error_after_some_tries(flaky_store):
    flaky_store.answers = [(500, b"oops")] * 3
    url = f"http://127.0.0.1:{flaky_store.server_address[1]}/xAPI/statements"
    waits = []
    with pytest.raises(CourseError, match=r"did not take statements 1-3 after 3 tries \(last: 500: oops\)"):
        send_statements(STATEMENTS, url, Credentials("u", "p"), attempts=3, first_wait=0.5, sleep=waits.append)
    assert waits == [0.5, 1.0], "waits double"


def test_a_store_that_does_not_answer_is_retried_then_an_error(tmp_path):
    from support.lrs import free_port

    waits = []
    with pytest.raises(CourseError, match=r"after 2 tries \(last: no answer .*refused"):
        send_statements(STATEMENTS, f"http://127.0.0.1:{free_port()}/xAPI", Credentials("u", "p"), attempts=2,
                        sleep=waits.append)
    assert waits == [1.0]


def test_a_refusal_shows_what_the_store_said(flaky_store):
    flaky_store.answers = [(200, b"[]"), (400, b'{"message": "statement 3 has no verb"}')]
    url = f"http://127.0.0.1:{flaky_store.server_address[1]}/xAPI"
    with pytest.raises(CourseError) as refused:
        send_statements(STATEMENTS, url, Credentials("u", "p"), batch_size=2)
    message = str(refused.value)
    assert "refused statements 3-3 (400: statement 3 has no verb)" in message
    assert "2 statement(s) before them were stored; sending again is safe" in message


def test_credentials_come_from_the_environment_or_a_private_file(tmp_path):
    assert read_credentials(None, {"COURSE_LRS_USERNAME": "u", "COURSE_LRS_PASSWORD": "p"}) == Credentials("u", "p")
    with pytest.raises(CourseError, match="set COURSE_LRS_USERNAME and COURSE_LRS_PASSWORD"):
        read_credentials(None, {"COURSE_LRS_USERNAME": "u"})
    path = tmp_path / "lrs-credentials"
    path.write_text("# the LRS\nusername = trainer\npassword = pass=word\n")
    path.chmod(0o644)
    with pytest.raises(CourseError, match=f"run `chmod 600 {path}`"):
        read_credentials(path)
    path.chmod(0o600)
    assert read_credentials(path) == Credentials("trainer", "pass=word")
    path.write_text("trainer:secret\n")
    with pytest.raises(CourseError, match="needs two lines"):
        read_credentials(path)


def test_the_address_takes_no_password_and_must_be_a_web_address():
    assert statements_url("https://lrs.example.com/xAPI/") == "https://lrs.example.com/xAPI/statements"
    assert statements_url("http://127.0.0.1:8100/xAPI/statements") == "http://127.0.0.1:8100/xAPI/statements"
    with pytest.raises(CourseError, match="leave the user name and password out of the address"):
        statements_url("https://trainer:secret@lrs.example.com/xAPI")
    with pytest.raises(CourseError, match="give the store's xAPI address"):
        statements_url("lrs.example.com/xAPI")
    assert in_clear("http://lrs.example.com/xAPI") and not in_clear("https://lrs.example.com/xAPI")
    assert not in_clear("http://localhost:8100/xAPI")


def test_send_has_no_password_option():
    from course.cli import build_parser

    send = build_parser("send")._subparsers._group_actions[0].choices["send"]
    options = {o for action in send._actions for o in action.option_strings}
    assert not {o for o in options if "pass" in o}
    assert "--credentials" in options and "COURSE_LRS_PASSWORD" in send.format_help()


def test_statements_of_a_missing_file_are_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_LRS_USERNAME", "u")
    monkeypatch.setenv("COURSE_LRS_PASSWORD", "p")
    assert main(["send", "--lrs", "http://127.0.0.1:1/xAPI", "--from", str(tmp_path / "none.json")]) == 2
    assert "Write them with `course export --format xapi -o FILE`" in capsys.readouterr().err
    assert main(["send", "--lrs", "http://127.0.0.1:1/xAPI", "--from", "x.json", "--pseudonymize"]) == 2
    assert "a file given with --from is sent as it was exported" in capsys.readouterr().err
