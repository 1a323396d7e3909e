#!/usr/bin/env bash
# The container for real: builds deploy/Dockerfile on local Debian base images (.ci/base-images.sh), runs the image
# (`run` with a mounted config: /healthz, /readyz, /metrics, /api/report; `demo`: its pages; non-root with a writable
# data volume; HEALTHCHECK healthy; SIGTERM exits 0 within 10 s), then brings up the compose stack's Replyclock,
# Prometheus and Alertmanager and asks Prometheus' HTTP API that the Replyclock target is up, the rules are loaded
# and a Replyclock metric has data; then the profile `ha` (.ci/compose.ha.ci.yaml): PostgreSQL from deploy/postgres
# healthy, both instances on it ready with the same /api/report, exactly one exporting the state gauges (their
# /metrics and Prometheus with prometheus-ha.yml), and after a SIGKILL of that one the other serving, exporting and
# polling. Grafana is not started (no image can be had here): its provisioning and dashboards stay checked
# statically (DashboardSchemaTest). Called by .ci/run after `mvn -B test`; runs by hand too.
# Starts dockerd when none answers (and stops it at exit). Containers, volumes and networks it makes are removed at
# exit; images are kept as a cache.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NAME=replyclock-ci-$$
IMAGE=replyclock:ci
work=$(mktemp -d)
timings=()
step_start=$(date +%s)

log() { echo "container-check: $*" >&2; }
step() { local now; now=$(date +%s); timings+=("$1 $((now - step_start)) s"); step_start=$now; }
fail() { log "FAILED: $*"; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cleanup() {
  docker rm -f -v "$NAME-run" "$NAME-demo" >/dev/null 2>&1 || true
  docker volume rm "$NAME-data" >/dev/null 2>&1 || true
  if [ -n "${COMPOSE_PROJECT_NAME:-}" ]; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [ -n "${ha_project:-}" ]; then
    ha down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
  if [ -n "${dockerd_pid:-}" ]; then   # the engine this script started; its images stay in /var/lib/docker
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# --- the engine ---
if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io
  log "starting dockerd"
  nohup dockerd >/var/log/replyclock-ci-dockerd.log 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/replyclock-ci-dockerd.log >&2; fail "dockerd did not start"; }
fi
step "engine"

# --- base images and the image ---
# shellcheck source=.ci/base-images.sh
source .ci/base-images.sh
step "base images"
log "building $IMAGE (deploy/Dockerfile, BUILD_IMAGE=$BUILD_IMAGE, RUNTIME_IMAGE=$RUNTIME_IMAGE)"
# The build stage is tagged too, so that it stays as the layer cache of the next run (Maven's downloads) while the
# build stages of earlier runs (800 MB each, untagged then) are removed.
for target in build ""; do
  docker build -q --network host -f deploy/Dockerfile --build-arg BUILD_IMAGE="$BUILD_IMAGE" \
    --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" ${target:+--target "$target"} -t "$IMAGE${target:+-$target}" . >/dev/null
done
docker image prune -f --filter label=dev.replyclock.stage=build >/dev/null
size_mb=$(( $(docker image inspect -f '{{.Size}}' "$IMAGE") / 1000000 ))
step "image build"

# --- run, with a mounted config ---
# waits until URL answers STATUS (with optional curl options after it), up to SECONDS
wait_for() {
  local url=$1 status=$2 seconds=$3 container=$4; shift 4
  local deadline=$(( $(date +%s) + seconds )) got
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(docker inspect -f '{{.State.Running}}' "$container")" = true ] \
      || { docker logs "$container" >&2; fail "$container exited while waiting for $url"; }
    got=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)
    [ "$got" = "$status" ] && return 0
    sleep 1
  done
  docker logs "$container" >&2
  fail "$url did not answer $status within $seconds s (last: $got)"
}

# The launcher maps the class-data archive the image made (a JVM that cannot map one starts without it, silently):
# an analyze through it loads picocli and Replyclock's classes from the archive.
shared=$(docker run --rm -e JAVA_OPTS=-Xlog:class+load=info:stdout "$IMAGE" analyze \
  --config /opt/replyclock/examples/config.yaml --format json | grep -c -E ' (picocli\.CommandLine|dev\.replyclock\.app\.Main) source: shared objects file' || true)
[ "$shared" = 2 ] || fail "the launcher in the image does not load its classes from the class-data archive ($shared of 2)"
log "class-data archive: picocli and Main load from it"
step "class-data archive check"

sed -e 's#paths: \[mail/inbox, mail/sent\]#paths: [/etc/replyclock/mail/inbox, /etc/replyclock/mail/sent]#' \
  examples/config.yaml > "$work/config.yaml"
printf 'store: {path: /var/lib/replyclock/replyclock.db}\npoll_interval: 5s\n' >> "$work/config.yaml"
chmod 644 "$work/config.yaml"
port=$(free_port)
docker run -d --name "$NAME-run" -p "127.0.0.1:$port:9465" \
  -v "$work/config.yaml:/etc/replyclock/config.yaml:ro" -v "$ROOT/examples/mail:/etc/replyclock/mail:ro" \
  -v "$NAME-data:/var/lib/replyclock" "$IMAGE" >/dev/null
base=http://127.0.0.1:$port
wait_for "$base/readyz" 200 90 "$NAME-run"
[ "$(curl -fsS "$base/healthz")" = ok ] || fail "/healthz"
curl -fsS "$base/metrics" -o "$work/metrics"
grep -q '^replyclock_build_info{' "$work/metrics" || fail "/metrics has no replyclock_build_info"
leads=$(curl -fsS "$base/api/report?now=2024-04-12T12:00:00Z" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["leads"]))')
[ "$leads" = 11 ] || fail "/api/report: $leads leads, expected 11"
[ "$(docker exec "$NAME-run" id -u)" = 10001 ] || fail "not running as uid 10001"
docker exec "$NAME-run" test -s /var/lib/replyclock/replyclock.db || fail "no store in the data volume"
docker exec "$NAME-run" touch /var/lib/replyclock/.writable || fail "data volume not writable"
log "run: /healthz /readyz /metrics /api/report answer; uid 10001; store written to the volume"
step "run"

deadline=$(( $(date +%s) + 120 ))
until [ "$(docker inspect -f '{{.State.Health.Status}}' "$NAME-run")" = healthy ]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "HEALTHCHECK not healthy after 120 s: $(docker inspect -f '{{json .State.Health}}' "$NAME-run")"
  sleep 2
done
log "HEALTHCHECK: healthy"
step "healthcheck"

stop_start=$(date +%s%N)
docker kill --signal TERM "$NAME-run" >/dev/null
exit_code=$(timeout 10 docker wait "$NAME-run") || fail "still running 10 s after SIGTERM"
stop_ms=$(( ($(date +%s%N) - stop_start) / 1000000 ))
[ "$exit_code" = 0 ] || { docker logs "$NAME-run" >&2; fail "exit code $exit_code after SIGTERM"; }
docker logs "$NAME-run" >"$work/run.log" 2>&1
grep -q "stopped" "$work/run.log" || fail "no 'stopped' in the log"
log "SIGTERM: exit 0 after $stop_ms ms"
step "sigterm"

# --- demo ---
port=$(free_port)
docker run -d --name "$NAME-demo" -p "127.0.0.1:$port:9465" "$IMAGE" demo --host 0.0.0.0 --port 9465 --for 10m >/dev/null
base=http://127.0.0.1:$port
wait_for "$base/login" 200 120 "$NAME-demo"
for page in / /wall /api/leads /metrics; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer demo-token' "$base$page")
  [ "$status" = 200 ] || fail "demo $page answered $status"
done
docker rm -f -v "$NAME-demo" >/dev/null   # -v: the anonymous volume of the image's VOLUME too
log "demo: /login / /wall /api/leads /metrics answer"
step "demo"

# --- the compose stack: Replyclock, Prometheus, Alertmanager ---
export COMPOSE_PROJECT_NAME=$NAME REPLYCLOCK_IMAGE=$IMAGE
REPLYCLOCK_PORT=$(free_port) PROMETHEUS_PORT=$(free_port) ALERTMANAGER_PORT=$(free_port)
export REPLYCLOCK_PORT PROMETHEUS_PORT ALERTMANAGER_PORT
compose() { docker-compose -f deploy/compose/compose.yaml -f .ci/compose.ci.yaml "$@"; }
command -v docker-compose >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y docker-compose
compose up -d --no-build replyclock prometheus alertmanager >/dev/null 2>&1 \
  || { compose logs >&2; fail "compose up"; }
prom=http://127.0.0.1:$PROMETHEUS_PORT
api() { curl -fsS "$prom/api/v1/$1" 2>/dev/null; }
expected_rules=$(grep -cE '^\s*- (alert|record):' deploy/prometheus/rules/*.yml | awk -F: '{s+=$NF} END{print s}')
deadline=$(( $(date +%s) + 150 ))
while :; do
  target=$(api targets | python3 -c 'import json,sys; t=[x for x in json.load(sys.stdin)["data"]["activeTargets"] if x["labels"]["job"]=="replyclock"]; print(t[0]["health"] if t else "absent")' 2>/dev/null || echo "no answer")
  rules=$(api rules | python3 -c 'import json,sys; print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))' 2>/dev/null || echo 0)
  series=$(api 'query?query=replyclock_build_info' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["data"]["result"]))' 2>/dev/null || echo 0)
  [ "$target" = up ] && [ "$rules" = "$expected_rules" ] && [ "$series" -gt 0 ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    compose logs --tail 30 >&2
    fail "Prometheus: replyclock target $target, $rules of $expected_rules rules loaded, replyclock_build_info series: $series"
  fi
  sleep 3
done
am=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ALERTMANAGER_PORT/-/ready")
[ "$am" = 200 ] || fail "Alertmanager /-/ready answered $am"
log "compose: Prometheus sees the replyclock target up, $rules rules loaded, replyclock_build_info has data; Alertmanager ready"
step "compose"
compose down -v --remove-orphans >/dev/null 2>&1 || true   # frees the machine for the next stack

# --- the compose profile `ha`: PostgreSQL (deploy/postgres on the local Debian root), two instances sharing it, and
# Prometheus with deploy/compose/prometheus-ha.yml scraping both ---
ha_project=$NAME-ha
ha() {
  COMPOSE_PROJECT_NAME=$ha_project docker-compose -f deploy/compose/compose.yaml -f .ci/compose.ci.yaml \
    -f .ci/compose.ha.ci.yaml --profile ha "$@"
}
POSTGRES_IMAGE=replyclock-ci/postgres:ci
docker build -q --network host -f deploy/postgres/Dockerfile --build-arg BASE_IMAGE="$root_image" \
  -t "$POSTGRES_IMAGE" deploy/postgres >/dev/null
# The example mailbox of the run step on the store and port of deploy/compose/ha.example.yaml (its IMAP mailbox
# needs a real server); a short poll interval so that the exporter's death is taken over within seconds.
HA_CONFIG_DIR=$work/ha
mkdir "$HA_CONFIG_DIR"
cp -r examples/mail "$HA_CONFIG_DIR/mail"
{ sed -e 's#paths: \[mail/inbox, mail/sent\]#paths: [/etc/replyclock/mail/inbox, /etc/replyclock/mail/sent]#' examples/config.yaml
  awk '/^[a-z_]+:/ {keep = ($1 == "store:" || $1 == "http:")} keep' deploy/compose/ha.example.yaml
  echo "poll_interval: 5s"; } > "$HA_CONFIG_DIR/ha.yaml"
grep -q '^  url: "jdbc:postgresql://postgres:5432/' "$HA_CONFIG_DIR/ha.yaml" || fail "ha: no store.url in ha.example.yaml"
HA_PROMETHEUS_CONFIG=$work/prometheus-ha.yml
sed -e 's/^  scrape_interval: 30s$/  scrape_interval: 5s/' deploy/compose/prometheus-ha.yml > "$HA_PROMETHEUS_CONFIG"
grep -q '^  scrape_interval: 5s$' "$HA_PROMETHEUS_CONFIG" || fail "ha: no scrape_interval: 30s in prometheus-ha.yml"
chmod -R a+rX "$HA_CONFIG_DIR" "$HA_PROMETHEUS_CONFIG"
PGPASSWORD=ci-$RANDOM$RANDOM REPLYCLOCK_A_PORT=$(free_port) REPLYCLOCK_B_PORT=$(free_port) PROMETHEUS_PORT=$(free_port)
export POSTGRES_IMAGE HA_CONFIG_DIR HA_PROMETHEUS_CONFIG PGPASSWORD REPLYCLOCK_A_PORT REPLYCLOCK_B_PORT PROMETHEUS_PORT
step "ha image"
# `up` returns once PostgreSQL's healthcheck (pg_isready) passed: the instances depend on service_healthy.
ha up -d --no-build postgres replyclock-a replyclock-b >/dev/null 2>&1 || { ha logs --tail 40 >&2; fail "ha: compose up"; }
# Prometheus alone: the demo `replyclock` and Alertmanager it depends on were checked above
ha up -d --no-build --no-deps prometheus >/dev/null 2>&1 || { ha logs --tail 40 >&2; fail "ha: compose up prometheus"; }
pg=$(ha ps -q postgres) a=$(ha ps -q replyclock-a) b=$(ha ps -q replyclock-b)
[ "$(docker inspect -f '{{.State.Health.Status}}' "$pg")" = healthy ] || fail "ha: PostgreSQL not healthy"
docker exec "$pg" pg_isready -q -h 127.0.0.1 -U replyclock -d replyclock || fail "ha: PostgreSQL not accepting connections"
step "ha postgres"

report_query='api/report?now=2024-04-12T12:00:00Z'
for inst in "a $a $REPLYCLOCK_A_PORT" "b $b $REPLYCLOCK_B_PORT"; do
  set -- $inst
  wait_for "http://127.0.0.1:$3/readyz" 200 90 "$2"
  [ "$(curl -fsS "http://127.0.0.1:$3/healthz")" = ok ] || fail "ha: replyclock-$1 /healthz"
  curl -fsS "http://127.0.0.1:$3/$report_query" -o "$work/ha-report-$1.json" || fail "ha: replyclock-$1 /api/report"
done
leads() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["leads"]))' "$1"; }
[ "$(leads "$work/ha-report-a.json")" = 11 ] || fail "ha: replyclock-a /api/report: $(leads "$work/ha-report-a.json") leads, expected 11"
cmp -s "$work/ha-report-a.json" "$work/ha-report-b.json" \
  || fail "ha: the instances serve different reports ($(diff "$work/ha-report-a.json" "$work/ha-report-b.json" | head -c 600))"
step "ha ready"

# An instance's replyclock_state_exporter; how many state series (metrics/StateFigures' gauges) it exports; how many
# polls it ran (every mailbox)
scrape() { curl -fsS "http://127.0.0.1:$1/metrics"; }
exporter() { scrape "$1" | awk '/^replyclock_state_exporter / {print $2 + 0}'; }
state_series() {
  scrape "$1" | grep -cE '^replyclock_(leads_open|oldest_open_lead_|waits_open|window_|rep_window_|leads_month_to_date|leads_per_rep_month_)' || true
}
polls() { scrape "$1" | awk '/^replyclock_poll_duration_seconds_count/ {n += $2} END {print n + 0}'; }
ea=$(exporter "$REPLYCLOCK_A_PORT") || fail "ha: replyclock-a /metrics"
eb=$(exporter "$REPLYCLOCK_B_PORT") || fail "ha: replyclock-b /metrics"
case "$ea$eb" in
  10) victim=a victim_id=$a victim_port=$REPLYCLOCK_A_PORT survivor=b survivor_id=$b survivor_port=$REPLYCLOCK_B_PORT ;;
  01) victim=b victim_id=$b victim_port=$REPLYCLOCK_B_PORT survivor=a survivor_id=$a survivor_port=$REPLYCLOCK_A_PORT ;;
  *) fail "ha: replyclock_state_exporter is $ea on replyclock-a and $eb on replyclock-b, expected one 1 and one 0" ;;
esac
[ "$(state_series "$victim_port")" -gt 0 ] || fail "ha: the exporter replyclock-$victim exports no state series"
[ "$(state_series "$survivor_port")" = 0 ] || fail "ha: replyclock-$survivor exports state series without the gauge lock"
# Prometheus: both targets up, and the sum over instances the docs tell to watch is 1
prom=http://127.0.0.1:$PROMETHEUS_PORT
# the value of an instant query's only sample, or "none"
query() {
  curl -fsS -G "$prom/api/v1/query" --data-urlencode "query=$1" 2>/dev/null \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")' 2>/dev/null \
    || echo none
}
deadline=$(( $(date +%s) + 60 ))
while :; do
  up=$(query 'count(up{job="replyclock"} == 1)') sum=$(query 'sum(replyclock_state_exporter)')
  [ "$up" = 2 ] && [ "$sum" = 1 ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { ha logs --tail 20 prometheus >&2; fail "ha: Prometheus sees $up of 2 replyclock targets up, sum(replyclock_state_exporter) $sum"; }
  sleep 1
done
step "ha exporter"

# SIGKILL the exporter (no shutdown of its own): its PostgreSQL session ends, the survivor takes the gauge lock, and
# the survivor keeps polling the mailbox (Quartz's clustered schedule).
docker kill "$victim_id" >/dev/null
killed=$(timeout 10 docker wait "$victim_id") || fail "ha: replyclock-$victim still running 10 s after docker kill"
[ "$killed" = 137 ] || fail "ha: replyclock-$victim exited $killed after SIGKILL, expected 137"
polls_at_kill=$(polls "$survivor_port") || fail "ha: replyclock-$survivor /metrics after the kill"
wait_for "http://127.0.0.1:$survivor_port/readyz" 200 30 "$survivor_id"
curl -fsS "http://127.0.0.1:$survivor_port/$report_query" -o "$work/ha-report-after.json" \
  || fail "ha: replyclock-$survivor /api/report after the kill"
cmp -s "$work/ha-report-a.json" "$work/ha-report-after.json" || fail "ha: replyclock-$survivor's report changed after the kill"
deadline=$(( $(date +%s) + 60 ))
until [ "$(exporter "$survivor_port")" = 1 ] && [ "$(state_series "$survivor_port")" -gt 0 ] \
      && [ "$(polls "$survivor_port")" -ge $(( polls_at_kill + 2 )) ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { ha logs --tail 30 >&2
    fail "ha: replyclock-$survivor within 60 s of the kill: state_exporter $(exporter "$survivor_port"), $(( $(polls "$survivor_port") - polls_at_kill )) polls"; }
  sleep 1
done
takeover=$(( $(date +%s) - step_start ))
[ "$(docker inspect -f '{{.State.Running}}' "$victim_id")" = false ] || fail "ha: replyclock-$victim was restarted: the survivor was not alone"
log "ha: PostgreSQL healthy; replyclock-a and -b ready with the same report (11 leads); only replyclock-$victim exported the state gauges (Prometheus: both targets up, sum(replyclock_state_exporter) 1); after its SIGKILL replyclock-$survivor served the same report, exported the gauges and polled twice within $takeover s"
step "ha kill"

log "image $IMAGE: $size_mb MB"
log "timings: $(IFS=,; echo "${timings[*]}")"
echo "container-check: passed (image $size_mb MB; ${timings[*]})"
