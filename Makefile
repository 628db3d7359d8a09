# dashiji — the two commands of the README are `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: setup demo test lint neo4j-start neo4j-stop clean

# Environment at .venv with pinned versions, the segmenter model converted once, the NER model trained once
# (both cached under $${DASHIJI_HOME:-~/.cache/dashiji}, outside the repo).
setup: $(BIN)/dashiji
	$(BIN)/python -m ingest.model_setup
	$(BIN)/python -m ingest.ner_train

$(BIN)/dashiji: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,dask]'
	touch $(BIN)/dashiji

# The demo on the embedded store: ingest examples/, print a timeline, write RDF.
demo: setup
	mkdir -p $(OUT)
	$(BIN)/dashiji --store $(OUT)/demo.dashiji ingest examples/
	$(BIN)/dashiji --store $(OUT)/demo.dashiji timeline 林建国
	$(BIN)/dashiji --store $(OUT)/demo.dashiji export --format turtle -o $(OUT)/demo.ttl
	@echo "RDF written to $(OUT)/demo.ttl"

test: setup
	bash tests/run.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy ingest graph queries dashiji

neo4j-start:
	bash tests/neo4j/server.sh start

neo4j-stop:
	bash tests/neo4j/server.sh stop

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
