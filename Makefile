# Two commands do everything on a fresh clone: `make demo` and `make test`.
# Each builds .venv from the pinned requirements.txt on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Defined before any rule names them: make expands prerequisites as it reads each rule.
HUB_STAMP := hub/node_modules/.installed-stamp
# Tests use both cores; override with `make test JOBS=1`.
JOBS   ?= 2

.PHONY: help venv lrs demo test test-fast test-under-load lab release clean-notebooks lock data bench

help:
	@echo "make demo   - release the course, grade a synthetic cohort, write reports (the main job)"
	@echo "make test   - run every test (notebooks graded by nbgrader, units, widgets)"
	@echo "make test-fast - the quick tests only: no grading of whole notebooks, no server or browser"
	@echo "make test-under-load - make test with two CPU-burning processes beside it (LOAD_PROCS=N)"
	@echo "make lrs    - build .venv-lrs: Ralph, the learning record store the xAPI tests send to"
	@echo "make lab    - open the course in JupyterLab as a learner would (copy in workspace/); make lab LANG=fr: in French"
	@echo "make hub    - a trial of the course on a JupyterHub on this machine (as root: local accounts; docs/deploy.md)"
	@echo "make release - regenerate release/ from source/ (course release)"
	@echo "make clean-notebooks - strip outputs from source notebooks, keeping nbgrader metadata"
	@echo "make data   - regenerate the synthetic data sets from their seeded scripts"
	@echo "make bench  - run the benchmarks under benchmarks/"
	@echo "make golden - rewrite tests/golden/*.html (every page and fragment) and docs/first-tries/ (what learners see for each wrong answer)"
	@echo "make lock   - recompile requirements.txt from requirements.in"
	@echo "make docs   - regenerate docs/commands.md from the commands' --help"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

# Ralph (ralph-malph), the learning record store of the xAPI tests, in its own virtualenv:
# it pins packages requirements.txt pins otherwise (requirements-lrs.txt says which).
LRS_VENV  := .venv-lrs
LRS_STAMP := $(LRS_VENV)/.installed-stamp

$(LRS_STAMP): requirements-lrs.txt
	$(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/python -m pip install --quiet -r requirements-lrs.txt
	touch $(LRS_STAMP)

lrs: $(LRS_STAMP)

demo: $(STAMP)
	$(BIN)/course demo

test: $(STAMP) $(LRS_STAMP) $(HUB_STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

# Leaves out every test marked slow (grading whole notebooks or cohorts, servers, a browser).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow"

# The whole suite as on a busy machine: CPU burners beside it, stopped by pid afterwards.
test-under-load: $(STAMP) $(LRS_STAMP) $(HUB_STAMP)
	tests/tools/under_load.sh $(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

# `make lab LANG=fr` (or a French locale, LANG=fr_FR.UTF-8): JupyterLab in French (lab/fr/) and
# the French editions of the modules; otherwise English.
LAB_LANGUAGE := $(if $(filter fr fr_%,$(LANG)),fr,en)
LAB_CONFIG   := $(if $(filter fr,$(LAB_LANGUAGE)),$(CURDIR)/lab/fr:)$(CURDIR)/lab

lab: $(STAMP)
	@mkdir -p workspace
	@for d in release/*/; do n=$$(basename $$d); \
	  case "$$n" in *-fr) [ "$(LAB_LANGUAGE)" = fr ] || continue ;; \
	                *) [ "$(LAB_LANGUAGE)" = fr ] && [ -d "release/$$n-fr" ] && continue ;; esac; \
	  [ -e workspace/$$n ] || cp -r $$d workspace/$$n; done
	@echo "Your own copy of the modules is in workspace/ (release/ stays untouched)."
	JUPYTER_CONFIG_PATH=$(LAB_CONFIG) $(BIN)/jupyter lab --notebook-dir=workspace

release: $(STAMP)
	$(BIN)/course release

clean-notebooks: $(STAMP)
	$(BIN)/course clean

data: $(STAMP)
	for s in course/learner/data/make_*.py; do $(BIN)/python $$s || exit 1; done

bench: $(STAMP)
	for s in benchmarks/bench_*.py; do $(BIN)/python $$s || exit 1; done

.PHONY: golden
golden: $(STAMP)
	$(BIN)/python -m tests.golden.refresh
	COURSE_REFRESH_GOLDEN=1 $(BIN)/python -m pytest -q -p no:randomly tests/test_formative.py -k first_tries

lock:
	$(PYTHON) -m venv /tmp/course-lock-venv
	/tmp/course-lock-venv/bin/pip install --quiet pip-tools
	/tmp/course-lock-venv/bin/pip-compile --quiet --strip-extras --no-header \
		--output-file requirements.txt requirements.in

# docs/commands.md from the commands' own --help (tests/test_docs.py keeps it current).
.PHONY: docs
docs: $(STAMP)
	$(BIN)/python -c "from course.cli import command_reference; open('docs/commands.md', 'w').write(command_reference())"

# The course on a JupyterHub (hub/, docs/deploy.md): configurable-http-proxy from npm, pinned
# in hub/package-lock.json; `make hub` runs a trial on this machine (as root: it creates the
# local accounts cl-trainer and cl-learner1..3), `make hub-remove` removes them.
.PHONY: hub hub-deps hub-remove
$(HUB_STAMP): hub/package.json hub/package-lock.json
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null || \
		{ echo "configurable-http-proxy needs Node.js 20 or later (node and npm): see docs/deploy.md"; exit 1; }
	cd hub && npm ci --no-audit --no-fund --loglevel=error
	touch $(HUB_STAMP)

hub-deps: $(HUB_STAMP)

hub: $(STAMP) $(HUB_STAMP)
	$(BIN)/python hub/trial.py --learners $(or $(LEARNERS),3) $(if $(IDLE_MINUTES),--idle-minutes $(IDLE_MINUTES))

hub-remove: $(STAMP)
	$(BIN)/python hub/trial.py --remove --learners $(or $(LEARNERS),3)
