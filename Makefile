# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
.PHONY: run test test-fast setup lint bench clean

run: setup
	scripts/run.sh

test: setup
	scripts/test.sh

# Lint, types and the fast tests (no browser, no PostgreSQL): the loop to run while you work.
test-fast: setup
	scripts/test.sh --fast

setup:
	scripts/setup.sh

lint: setup
	.venv/bin/ruff check src tests bench scripts
	.venv/bin/ruff format --check src tests bench scripts
	.venv/bin/mypy

bench: setup
	.venv/bin/python bench/assess_bench.py
	.venv/bin/python bench/sdg_benchmark.py

clean:
	rm -rf .venv var .pytest_cache .mypy_cache .ruff_cache
