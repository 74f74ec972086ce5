# The two commands a new user needs (see README):
#   make demo   check, recompute and render the shipped workbook (and its PDF); prints where
#   make test   lint, type checks and every test
# and the fast lane while working:
#   make quick  every test not marked slow (under 3 minutes)
.PHONY: setup demo test quick lint bench template

PY := .venv/bin/python

setup:
	@tools/setup.sh

demo: setup
	@$(PY) -m xlplan demo

lint: setup
	$(PY) -m ruff check xlplan tests benchmarks
	$(PY) -m mypy xlplan

test: lint
	$(PY) -m pytest -q -n auto --dist loadscope

quick: setup
	XLPLAN_LANE=quick $(PY) -m pytest -q -n auto --dist loadscope -m "not slow"

bench: setup
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_recompute.py
	$(PY) benchmarks/bench_render.py
	$(PY) benchmarks/bench_merge.py
	$(PY) benchmarks/bench_excel.py
	$(PY) benchmarks/bench_ooxml.py
	$(PY) benchmarks/bench_imports.py

template: setup
	$(PY) -m xlplan template workbook/資料4_template.xlsx
