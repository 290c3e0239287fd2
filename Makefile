# Each target creates/refreshes the local venv and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
JOBS   ?= 2

.PHONY: demo lint test test-dist golden bench install-test install-examples install-bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.examples-stamp: pyproject.toml | $(PY)
	$(PIP) install -e '.[examples]'
	touch $@

$(VENV)/.test-stamp: pyproject.toml | $(PY)
	$(PIP) install -e '.[test,examples]'
	touch $@

$(VENV)/.bench-stamp: pyproject.toml | $(PY)
	$(PIP) install -e '.[bench,examples]'
	touch $@

install-examples: $(VENV)/.examples-stamp
install-test: $(VENV)/.test-stamp
install-bench: $(VENV)/.bench-stamp

## make demo: train the GAN and the RNN (functional, then as TF1 programs); pictures land in runs/
demo: install-examples
	$(PY) examples/gan.py
	$(PY) examples/rnn.py
	$(PY) examples/gan_tf1.py
	$(PY) examples/rnn_tf1.py

## make lint: ruff over the code, tests, examples and docs; mypy --strict over the scoping core
lint: install-test
	$(PY) -m ruff check minitf tests examples docs
	$(PY) -m mypy minitf/core

## make test: lint, then every test, including the differential tier against real TensorFlow
test: install-test lint
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile

## make test-dist: sharding on 8 simulated CPU devices + a 2-process jax.distributed run
## (also part of make test; this target runs just those)
test-dist: install-test
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile tests/test_sharding.py tests/test_multiprocess.py

## make golden: re-record TensorFlow's logs for the conformance suite (tests/conformance/golden/)
golden: install-test
	$(PY) tests/conformance/record.py

## make bench: benchmarks against hand-written JAX, Haiku, Flax and TF1 -> benchmarks/RESULTS.md
bench: install-bench
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) runs .pytest_cache
