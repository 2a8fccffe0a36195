# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install migrate demo serve worker beat translations extract-messages update-translations \
        compile-translations lint services-test clean vendor-quill vendor-swagger-ui bench-pages

$(BIN)/activate: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate

run: install compile-translations migrate demo serve

migrate: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo load

serve:
	@echo "National portal: http://localhost:$(PORT)/   Tenant sites: http://<slug>.localhost:$(PORT)/   Console: http://localhost:$(PORT)/manage/"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install compile-translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

worker: install
	$(BIN)/celery -A workers.celery_app worker --loglevel=INFO

beat: install
	$(BIN)/celery -A workers.celery_app beat --loglevel=INFO --schedule instance/celerybeat-schedule

# --- translations: English msgids in the code, catalogs for vi and en ---
extract-messages: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k lazy_gettext -k _l -o translations/messages.pot --no-location --sort-output app tenants workers

update-translations: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

compile-translations: install
	$(BIN)/pybabel compile -d translations --statistics
	@test -f translations/vi/LC_MESSAGES/messages.mo || (echo "vi catalog failed to compile" && exit 1)

translations: update-translations compile-translations

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# --- vendored front-end assets (fetched from the npm registry with `npm pack`; committed, no CDN at run time) ---
QUILL_VERSION := 2.0.3
SWAGGER_UI_VERSION := 5.36.0
vendor-quill:
	rm -rf /tmp/lhhn-quill && mkdir -p /tmp/lhhn-quill
	cd /tmp/lhhn-quill && npm pack --silent quill@$(QUILL_VERSION) && tar xzf quill-$(QUILL_VERSION).tgz
	cp /tmp/lhhn-quill/package/dist/quill.js /tmp/lhhn-quill/package/dist/quill.snow.css \
	   /tmp/lhhn-quill/package/dist/quill.js.LICENSE.txt /tmp/lhhn-quill/package/LICENSE app/static/vendor/quill/

vendor-swagger-ui:
	rm -rf /tmp/lhhn-swagger && mkdir -p /tmp/lhhn-swagger app/static/vendor/swagger-ui
	cd /tmp/lhhn-swagger && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) && \
	  tar xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz
	cp /tmp/lhhn-swagger/package/swagger-ui-bundle.js /tmp/lhhn-swagger/package/swagger-ui.css \
	   /tmp/lhhn-swagger/package/LICENSE app/static/vendor/swagger-ui/

# --- the page benchmark (PostgreSQL + Redis + gunicorn, against the Wagtail peer and the bare-Flask limit) ---
bench-pages: install compile-translations
	$(BIN)/python bench/pages/run.py $(BENCH_ARGS)
