# Shared helpers of the bench scripts (proxy.sh, attack.sh, ab.sh). Source it after setting `root`.
# The scripts set `work` (their temporary folder), `pids` (what `cleanup` stops), WORKERS and the
# ports the start_* functions use: ORIGIN_PORT, BULWARK_PORT, ADMIN_PORT.

CLK_TCK="$(getconf CLK_TCK)"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# install_tools CMD[:PACKAGE]...: installs with apt-get the packages of the commands missing
# (looking in /usr/sbin too), then fails unless every command and curl and pgrep are there.
install_tools() {
  local missing=() spec cmd pkg
  for spec in "$@"; do
    cmd="${spec%%:*}" pkg="${spec#*:}"
    command -v "$cmd" >/dev/null || [ -x "/usr/sbin/$cmd" ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq || die "apt-get update failed; install ${missing[*]} by hand"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "could not install ${missing[*]}; install them by hand"
  fi
  export PATH="$PATH:/usr/sbin"
  for spec in "$@" curl pgrep; do command -v "${spec%%:*}" >/dev/null || die "${spec%%:*} is needed"; done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ports_free PORT...: dies on the first port something already listens on.
ports_free() {
  local p
  for p in "$@"; do port_free "$p" || die "port $p is in use; set PORT_BASE to another value"; done
}

# wait_answer URL STATUS SECONDS: until URL answers with STATUS (a refusing proxy is up when it refuses).
wait_answer() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = "$2" ] && return 0
    sleep 0.1
  done
  return 1
}

# Stops what the script started (the EXIT trap): TERM, a second to go, then KILL.
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  log "stopped everything this run started; logs, configs and raw results in $work"
}

# start_origin [LAUNCHER...]: the demo origin on 127.0.0.1:$ORIGIN_PORT, by `bulwark origin`
# of this tree unless another launcher (e.g. java -jar JAR) is given.
start_origin() {
  [ $# -gt 0 ] || set -- "$root/bulwark"
  log "starting the demo origin on 127.0.0.1:$ORIGIN_PORT"
  BULWARK_JAVA_OPTS="-Xmx256m" "$@" origin --listen "127.0.0.1:$ORIGIN_PORT" --threads "$WORKERS" \
    >"$work/origin.out" 2>"$work/origin.err" &
  pids+=($!)
  wait_answer "http://127.0.0.1:$ORIGIN_PORT/healthz" 200 120 || die "origin did not start (see $work/origin.err)"
}

# One load generator on one address would trip the connection guard's per-address caps (it is
# meant to), so configs measuring throughput raise them (edge.guard; nginx and HAProxy have none).
OPEN_GUARD="  guard:
    max_connections_per_address: 100000
    max_connections_per_prefix: 100000
    new_connections_per_second_per_address: 100000
    new_connections_per_second_per_prefix: 100000"

# bench_config FILE PORT ADMIN_PORT [ZONE_YAML]: the proxy benchmarks' Bulwark: zone "bench"
# (localhost, 127.0.0.1) in front of the origin, guard caps raised, automatic mitigation off
# (the bench's load is a flood by any baseline: measure proxying, not mitigation).
bench_config() {
  cat >"$1" <<YAML
edge:
  listeners: [{name: http, address: "127.0.0.1:$2"}]
  access_log: "off"
  worker_threads: $WORKERS
$OPEN_GUARD
admin: {address: "127.0.0.1:$3"}
zones:
  - id: bench
    hostnames: [localhost, 127.0.0.1]
    origins: {servers: [{url: "http://127.0.0.1:$ORIGIN_PORT"}]}
    ddos: {auto_mitigate: false}
${4:-}
YAML
}

# start_bulwark NAME: `bulwark serve --config $work/NAME.yaml` (heap $BULWARK_HEAP) in place of
# the one running; BULWARK_PID; ready when its admin listener on $ADMIN_PORT answers.
start_bulwark() {
  stop_bulwark
  log "starting Bulwark ($1.yaml) on 127.0.0.1:$BULWARK_PORT, heap $BULWARK_HEAP, $WORKERS workers"
  BULWARK_JAVA_OPTS="-Xms$BULWARK_HEAP -Xmx$BULWARK_HEAP" "$root/bulwark" serve --config "$work/$1.yaml" \
    >"$work/bulwark-$1.out" 2>"$work/bulwark-$1.err" &
  BULWARK_PID=$!
  pids+=($BULWARK_PID)
  wait_answer "http://127.0.0.1:$ADMIN_PORT/healthz" 200 120 || die "Bulwark did not start (see $work/bulwark-$1.err)"
}

stop_bulwark() {
  [ -n "${BULWARK_PID:-}" ] || return 0
  kill "$BULWARK_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$BULWARK_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$BULWARK_PID" 2>/dev/null || true
  BULWARK_PID=""
}

nginx_version() { nginx -v 2>&1 | sed 's/.*\///'; }
haproxy_version() { haproxy -v | head -1 | awk '{print $3}'; }

# nginx's location of a keep-alive reverse proxy to upstream "origin".
NGINX_PROXY='proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;'

# start_nginx PORT STATUS LOCATION [ERROR_LOG_LEVEL]: nginx ($WORKERS workers, upstream "origin"
# with keep-alive) on 127.0.0.1:PORT serving LOCATION as `location /`; NGINX_PID; ready when
# /1k answers STATUS. A deny rule logs every request at level error: give crit then.
start_nginx() {
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $WORKERS;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log ${4:-warn};
events { worker_connections 8192; }
http {
  access_log off;
  log_not_found off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 512; }
  server {
    listen 127.0.0.1:$1;
    keepalive_requests 1000000;
    location / {
      $3
    }
  }
}
EOF
  log "starting nginx $(nginx_version) on 127.0.0.1:$1"
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx/out" 2>&1 &
  NGINX_PID=$!
  pids+=($NGINX_PID)
  wait_answer "http://127.0.0.1:$1/1k" "$2" 30 || die "nginx did not start (see $work/nginx/error.log)"
}

# start_haproxy PORT STATUS FRONTEND_LINES: HAProxy ($WORKERS threads, keep-alive both ways,
# backend "origin") on 127.0.0.1:PORT with FRONTEND_LINES in its frontend; HAPROXY_PID; ready
# when /1k answers STATUS.
start_haproxy() {
  mkdir -p "$work/haproxy"
  cat >"$work/haproxy/haproxy.cfg" <<EOF
global
  nbthread $WORKERS
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  http-reuse always
frontend bench
  bind 127.0.0.1:$1
$3
backend origin
  server o1 127.0.0.1:$ORIGIN_PORT
EOF
  log "starting HAProxy $(haproxy_version) on 127.0.0.1:$1"
  haproxy -db -f "$work/haproxy/haproxy.cfg" >"$work/haproxy/out" 2>&1 &
  HAPROXY_PID=$!
  pids+=($HAPROXY_PID)
  wait_answer "http://127.0.0.1:$1/1k" "$2" 30 || die "HAProxy did not start (see $work/haproxy/out)"
}

# quiet_wrk SECONDS WRK_ARGS...: a wrk run whose figures nobody reads (a JIT warm-up).
quiet_wrk() {
  local secs=$1
  shift
  timeout $((secs + 30)) wrk -d"${secs}s" "$@" >/dev/null 2>&1 || true
}

# CPU ticks (utime+stime) of processes and their children (nginx workers).
cpu_ticks() {
  local total=0 p f
  for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
    f="/proc/$p/stat"
    [ -r "$f" ] || continue
    # fields 14 and 15 after the ")" that ends the command name
    total=$((total + $(sed -E 's/^.*\) //' "$f" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# cpu_us TICKS REQUESTS: CPU microseconds per request, "nan" without requests.
cpu_us() { awk -v t="$1" -v hz="$CLK_TCK" -v n="${2:-0}" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "nan" }'; }

# wrk latency value ("812.00us", "1.20ms", "2.01s") in milliseconds
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }

# in_turn ROUND ITEM...: the items turned by ROUND-1 places, so over rounds no item always runs right after the same one
in_turn() { local r=$1 i j; shift; for ((i = 0; i < $#; i++)); do j=$(( (i + r - 1) % $# + 1 )); echo "${!j}"; done; }
median() { sort -g | awk '{a[NR] = $1} END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
# ratio_summary CONDITION WORDS: of per-round ratios read one per line, the median and how many meet
# the awk CONDITION, as "0.981x (WORDS in 3 of 8)"; one pass over the ratios
ratio_summary() { sort -g | awk "{a[NR] = \$1; if ($1) k++} END { m = NR == 0 ? \"nan\" : NR % 2 ? a[(NR + 1) / 2] : sprintf(\"%.3f\", (a[NR / 2] + a[NR / 2 + 1]) / 2); printf \"%sx ($2 in %d of %d)\", m, k, NR }"; }
