#!/usr/bin/env bash
# A real CKAN 2.12 portal on loopback ports, from nothing, for the publishing tests (tests/test_ckan.py).
#
#   .ci/ckan.sh start   # install what is missing, start PostgreSQL, Redis, the Solr stand-in and CKAN
#   .ci/ckan.sh stop    # stop exactly what `start` started (by the process ids it recorded)
#
# Everything lives in $CKAN_DIR (default build/ckan/ of the checkout): a venv with ckan from PyPI
# (ckan[requirements]==2.12.0, psycopg2 built with libpq-dev and gcc; ckanext-dcat 2.4.4, whose RDF
# parser the tests use as a DCAT consumer), a PostgreSQL 15 cluster run
# as the postgres user (initdb refuses root), Redis from Debian (apt-get install redis-server when
# missing), .ci/solr_standin.py in place of Solr (not installable here; see that file), and
# `ckan run` with the datastore and activity plugins. `start` writes $CKAN_DIR/env with
# BUDGETPUB_CKAN_URL and BUDGETPUB_CKAN_TEST_KEY (a sysadmin's API token) for the tests.
# About two minutes the first time (most of it pip), 30-40 s once the venv exists; ~300 MB memory.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT=$(pwd)
DIR=${CKAN_DIR:-$CHECKOUT/build/ckan}
PG_PORT=${CKAN_PG_PORT:-55432}
REDIS_PORT=${CKAN_REDIS_PORT:-56379}
SOLR_PORT=${CKAN_SOLR_PORT:-58983}
CKAN_PORT=${CKAN_PORT:-55000}
CKAN_VERSION=2.12.0
DCAT_VERSION=2.4.4
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

say() { echo "ckan.sh: $*" >&2; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# A recorded process still running, and still ours (its command line names what we started).
ours() { [ -f "$1" ] && tr '\0' ' ' <"/proc/$(cat "$1")/cmdline" 2>/dev/null | grep -qF -- "$2"; }

stop() {
	local -A marks=([ckan]="$DIR/ckan.ini" [solr]="solr_standin.py $SOLR_PORT" [redis]=":$REDIS_PORT")
	for name in ckan solr redis; do
		if ours "$DIR/$name.pid" "${marks[$name]}"; then kill "$(cat "$DIR/$name.pid")" && say "stopped $name"; fi
		rm -f "$DIR/$name.pid"
	done
	if [ -f "$DIR/pgdata/postmaster.pid" ]; then
		as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pgdata" -m fast -w stop >/dev/null && say "stopped postgresql"
	fi
	rm -f "$DIR/env"
}

wait_for() { # url seconds
	for _ in $(seq "$2"); do
		if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
		sleep 1
	done
	say "no answer from $1 after $2 s"
	return 1
}

start() {
	local began=$SECONDS
	mkdir -p "$DIR"
	stop 2>/dev/null || true
	if ! command -v redis-server >/dev/null; then
		say "installing redis-server (apt-get)"
		apt-get install -y -q redis-server >"$DIR/apt.log" 2>&1 || { apt-get update -q >>"$DIR/apt.log" 2>&1 && apt-get install -y -q redis-server >>"$DIR/apt.log" 2>&1; }
	fi
	[ -n "$PG_BIN" ] || { say "PostgreSQL server binaries not found (apt-get install postgresql)"; return 1; }
	if [ ! -x "$DIR/venv/bin/ckan" ]; then
		say "installing ckan[requirements]==$CKAN_VERSION into $DIR/venv"
		python3 -m venv "$DIR/venv"
		"$DIR/venv/bin/pip" install -q "ckan[requirements]==$CKAN_VERSION" >"$DIR/pip.log" 2>&1 || { tail -20 "$DIR/pip.log" >&2; return 1; }
	fi
	if [ ! -d "$DIR/venv/lib/python3"*/site-packages/ckanext/dcat ]; then # the DCAT consumer of the tests
		"$DIR/venv/bin/pip" install -q "ckanext-dcat==$DCAT_VERSION" >>"$DIR/pip.log" 2>&1 || { tail -20 "$DIR/pip.log" >&2; return 1; }
	fi

	# PostgreSQL: a cluster of our own, owned by the postgres user, on loopback only.
	if [ ! -f "$DIR/pgdata/PG_VERSION" ]; then
		rm -rf "$DIR/pgdata" && mkdir -p "$DIR/pgdata" && chown postgres: "$DIR/pgdata" 2>/dev/null || true
		as_postgres "$PG_BIN/initdb" -D "$DIR/pgdata" -U postgres -A trust -E UTF8 --locale C.UTF-8 >"$DIR/initdb.log"
	fi
	mkdir -p "$DIR/run" && chown postgres: "$DIR/run" 2>/dev/null || true
	as_postgres "$PG_BIN/pg_ctl" -D "$DIR/pgdata" -l "$DIR/run/postgresql.log" -w \
		-o "-p $PG_PORT -k $DIR/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
	psql() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
	local fresh=0
	if ! psql -tAc "select 1 from pg_database where datname='ckan'" | grep -q 1; then
		fresh=1
		psql -c "create user ckan password 'ckan'" -c "create user datastore_rw password 'ckan'" \
			-c "create user datastore_ro password 'ckan'" -c "create database ckan owner ckan encoding 'utf8'" \
			-c "create database datastore owner datastore_rw encoding 'utf8'"
	fi

	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
		--pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --dir "$DIR"
	python3 .ci/solr_standin.py "$SOLR_PORT" >"$DIR/solr.log" 2>&1 &
	echo $! >"$DIR/solr.pid"

	local ini=$DIR/ckan.ini ckan="$DIR/venv/bin/ckan -c $DIR/ckan.ini"
	if [ ! -f "$ini" ]; then
		"$DIR/venv/bin/ckan" generate config "$ini" >/dev/null
		"$DIR/venv/bin/ckan" config-tool "$ini" \
			"sqlalchemy.url = postgresql://ckan:ckan@127.0.0.1:$PG_PORT/ckan" \
			"ckan.datastore.write_url = postgresql://datastore_rw:ckan@127.0.0.1:$PG_PORT/datastore" \
			"ckan.datastore.read_url = postgresql://datastore_ro:ckan@127.0.0.1:$PG_PORT/datastore" \
			"solr_url = http://127.0.0.1:$SOLR_PORT/solr/ckan" \
			"ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/0" \
			"ckan.site_url = http://127.0.0.1:$CKAN_PORT" \
			"ckan.storage_path = $DIR/storage" \
			"ckan.plugins = activity datastore" \
			"ckan.datastore.sqlsearch.enabled = true" \
			"ckan.max_resource_size = 200" \
			"ckan.auth.create_unowned_dataset = false" >/dev/null
		mkdir -p "$DIR/storage"
	fi
	wait_for "http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping" 10
	if [ "$fresh" = 1 ]; then
		say "creating CKAN's database"
		$ckan db init >"$DIR/db.log" 2>&1 || { tail -20 "$DIR/db.log" >&2; return 1; }
		$ckan db pending-migrations --apply >>"$DIR/db.log" 2>&1
		$ckan datastore set-permissions 2>>"$DIR/db.log" | psql -d datastore
		$ckan user add budgetpub email=budgetpub@example.org password=budgetpub-test-only >>"$DIR/db.log" 2>&1
		$ckan sysadmin add budgetpub >>"$DIR/db.log" 2>&1
		$ckan user token add budgetpub tests 2>>"$DIR/db.log" | tail -1 | tr -d '[:space:]' >"$DIR/token"
	fi
	$ckan run --host 127.0.0.1 --port "$CKAN_PORT" --disable-reloader >"$DIR/ckan.log" 2>&1 &
	echo $! >"$DIR/ckan.pid"
	wait_for "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show" 120 || { tail -30 "$DIR/ckan.log" >&2; return 1; }
	printf 'BUDGETPUB_CKAN_URL=http://127.0.0.1:%s\nBUDGETPUB_CKAN_TEST_KEY=%s\n' "$CKAN_PORT" "$(cat "$DIR/token")" >"$DIR/env"
	say "CKAN $CKAN_VERSION answers on http://127.0.0.1:$CKAN_PORT (started in $((SECONDS - began)) s); see $DIR/env"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
	echo "usage: $0 start|stop" >&2
	exit 2
	;;
esac
