#!/usr/bin/env bash
# Proxy benchmark: the demo origin served directly, through Bulwark, through nginx and
# through HAProxy (both as keep-alive reverse proxies, 2 workers), interleaved over rounds.
#
#   bench/proxy.sh                       # full run: 3 rounds x {64,256} connections x 10 s
#   DURATION=2 WARMUP=2 ROUNDS=1 bench/proxy.sh   # quick check that everything works
#
# Prints for each target: requests/s, p50, p99 and the proxy's CPU microseconds per request
# (utime+stime of the proxy processes from /proc, divided by the requests served), then
# medians over rounds and Bulwark's ratio to nginx, HAProxy and direct, and the median of each
# round's own Bulwark/nginx and Bulwark/HAProxy with how many rounds went Bulwark's way. Then h2load (h2c)
# against Bulwark, a fixed-rate latency run (added latency over direct), and Bulwark's heap
# and RSS. Loopback only; everything it starts is stopped on exit.
#
# Settings (environment): DURATION (s, default 10), WARMUP (s before the first round, 15), ROUNDS (3), CONNECTIONS ("64 256"),
# WRK_THREADS (2), WORKERS (proxy workers, 2), RATE_CONNECTIONS (32) and RATE_DELAY_MS (10)
# for the fixed-rate run (about RATE_CONNECTIONS*1000/RATE_DELAY_MS requests/s),
# BULWARK_HEAP (256m), PORT_BASE (18080: origin, +20 Bulwark, +120 nginx, +220 HAProxy,
# +1010 Bulwark admin), PATH_1K (/1k).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-15}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-64 256}"
WRK_THREADS="${WRK_THREADS:-2}"
WORKERS="${WORKERS:-2}"
RATE_CONNECTIONS="${RATE_CONNECTIONS:-32}"
RATE_DELAY_MS="${RATE_DELAY_MS:-10}"
BULWARK_HEAP="${BULWARK_HEAP:-256m}"
PORT_BASE="${PORT_BASE:-18080}"
PATH_1K="${PATH_1K:-/1k}"

ORIGIN_PORT=$PORT_BASE
BULWARK_PORT=$((PORT_BASE + 20))
NGINX_PORT=$((PORT_BASE + 120))
HAPROXY_PORT=$((PORT_BASE + 220))
ADMIN_PORT=$((PORT_BASE + 1010))
RUN_TIMEOUT=$((DURATION + 30))
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

work="$(mktemp -d -t bulwark-bench.XXXXXX)"
results="$work/results.tsv"
pids=()

trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { case "$1" in direct) echo $ORIGIN_PORT ;; bulwark) echo $BULWARK_PORT ;; nginx) echo $NGINX_PORT ;; haproxy) echo $HAPROXY_PORT ;; esac; }
pid_of() { case "$1" in direct) echo "${pids[0]}" ;; bulwark) echo "$BULWARK_PID" ;; nginx) echo "$NGINX_PID" ;; haproxy) echo "$HAPROXY_PID" ;; esac; }

# run_wrk ROUND TARGET CONNECTIONS [extra wrk args...] -> appends a line to $results
run_wrk() {
  local round=$1 target=$2 conns=$3 kind=$4
  shift 4
  local port pid out before after reqs rps p50 p99 cpu_us
  port="$(port_of "$target")"
  pid="$(pid_of "$target")"
  out="$work/wrk-$kind-$target-c$conns-r$round.txt"
  before="$(cpu_ticks "$pid")"
  timeout "$RUN_TIMEOUT" wrk -t"$WRK_THREADS" -c"$conns" -d"${DURATION}s" --latency "$@" \
    "http://127.0.0.1:$port$PATH_1K" >"$out" 2>&1 || log "wrk against $target exited with $?"
  after="$(cpu_ticks "$pid")"
  reqs="$(awk '/requests in/ {print $1}' "$out")"
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  cpu_us="$(cpu_us $((after - before)) "$reqs")"
  if grep -q 'Non-2xx' "$out"; then log "warning: $target answered non-2xx: $(grep Non-2xx "$out")"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$round" "$target" "$conns" "${rps:-0}" "$p50" "$p99" "$cpu_us" >>"$results"
  printf '  %-8s c=%-4s %9s req/s   p50 %8s ms   p99 %8s ms   cpu %7s us/req\n' "$target" "$conns" "${rps:-0}" "$p50" "$p99" "$cpu_us" >&2
}

heap_sample() {
  local heap rss hwm
  heap="$(curl -fs --max-time 10 "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {if (s > 0) printf "%.0f", s / 1048576}')"
  rss="$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$BULWARK_PID/status")"
  hwm="$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$BULWARK_PID/status")"
  printf '%s\t%s\t%s\n' "${heap:-nan}" "${rss:-nan}" "${hwm:-nan}" >>"$work/memory.tsv"
}

col() { awk -F'\t' -v k="$1" -v t="$2" -v c="$3" -v f="$4" '$1 == k && $3 == t && $4 == c {print $f}' "$results"; }

# paired PEER CONNS FIELD: Bulwark/PEER of each load round (they ran in the same round), one per line
paired() {
  awk -F'\t' -v p="$1" -v c="$2" -v f="$3" '$1 == "load" && $4 == c && $3 == "bulwark" {b[$2] = $f}
    $1 == "load" && $4 == c && $3 == p {o[$2] = $f}
    END {for (r in b) if ((r in o) && o[r] > 0) printf "%.3f\n", b[r] / o[r]}' "$results"
}

# paired_line PEER CONNS: the median of the per-round ratios and how many rounds went Bulwark's way
paired_line() {
  echo "$(paired "$1" "$2" 5 | ratio_summary '$1 >= 1' ahead) req/s, $(paired "$1" "$2" 8 | ratio_summary '$1 <= 1' "at most theirs") CPU"
}

main() {
  install_tools wrk h2load:nghttp2-client nginx haproxy
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  ports_free $ORIGIN_PORT $BULWARK_PORT $NGINX_PORT $HAPROXY_PORT $ADMIN_PORT
  log "building Bulwark if needed"
  "$root/bulwark" version >&2

  start_origin
  bench_config "$work/proxy.yaml" "$BULWARK_PORT" "$ADMIN_PORT"
  start_bulwark proxy
  wait_answer "http://127.0.0.1:$BULWARK_PORT$PATH_1K" 200 60 || die "Bulwark does not proxy $PATH_1K (see $work/bulwark-proxy.err)"
  start_nginx "$NGINX_PORT" 200 "$NGINX_PROXY"
  start_haproxy "$HAPROXY_PORT" 200 "  option forwardfor
  default_backend origin"
  : >"$results"
  : >"$work/memory.tsv"

  local round conns target
  log "warm-up (JIT): ${WARMUP}s against Bulwark and the origin"
  quiet_wrk "$WARMUP" -t"$WRK_THREADS" -c64 "http://127.0.0.1:$BULWARK_PORT$PATH_1K"
  # and at each measured concurrency, so the first round of 256 connections does not pay for
  # opening its upstream connections and compiling what only a full pool runs
  for conns in $CONNECTIONS; do
    [ "$conns" = 64 ] || quiet_wrk $(( (WARMUP + 2) / 3 )) -t"$WRK_THREADS" -c"$conns" "http://127.0.0.1:$BULWARK_PORT$PATH_1K"
  done
  # the HTTP/2 codec is separate code: without its own warm-up the h2load run measures the JIT compiler
  log "warm-up (JIT): $(( (WARMUP + 1) / 2 ))s of h2c against Bulwark"
  timeout $((WARMUP + 30)) h2load -c16 -m10 -t1 -D $(( (WARMUP + 1) / 2 )) "http://127.0.0.1:$BULWARK_PORT$PATH_1K" >/dev/null 2>&1 || true

  for ((round = 1; round <= ROUNDS; round++)); do
    for conns in $CONNECTIONS; do
      log "round $round/$ROUNDS, $conns connections, ${DURATION}s each"
      for target in $(in_turn "$round" direct bulwark nginx haproxy); do
        run_wrk "$round" "$target" "$conns" load
        [ "$target" = bulwark ] && heap_sample
      done
    done
  done

  log "h2load (h2c, prior knowledge) against Bulwark: 64 connections x 10 streams"
  local h2out="$work/h2load.txt" before after
  before="$(cpu_ticks "$BULWARK_PID")"
  timeout "$RUN_TIMEOUT" h2load -c64 -m10 -t"$WRK_THREADS" -D "$DURATION" "http://127.0.0.1:$BULWARK_PORT$PATH_1K" >"$h2out" 2>&1 \
    || log "h2load exited with $?"
  after="$(cpu_ticks "$BULWARK_PID")"
  heap_sample

  log "fixed rate: $RATE_CONNECTIONS connections, one request per connection every ${RATE_DELAY_MS} ms, $ROUNDS rounds"
  cat >"$work/pace.lua" <<EOF
function delay() return $RATE_DELAY_MS end
EOF
  for ((round = 1; round <= ROUNDS; round++)); do
    for target in $(in_turn "$round" direct bulwark nginx haproxy); do
      run_wrk "$round" "$target" "$RATE_CONNECTIONS" rate -s "$work/pace.lua"
    done
  done

  report "$h2out" $((after - before))
}

report() {
  local h2out=$1 h2ticks=$2 conns target
  echo
  echo "== Bulwark proxy benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${DURATION}s x $ROUNDS rounds, body ${PATH_1K}) =="
  echo "   nginx $(nginx_version), HAProxy $(haproxy_version), $WORKERS workers each; wrk -t$WRK_THREADS"
  echo
  printf '%-9s %-6s %12s %10s %10s %14s\n' target conns "req/s(med)" "p50 ms" "p99 ms" "cpu us/req"
  for conns in $CONNECTIONS; do
    for target in direct bulwark nginx haproxy; do
      printf '%-9s %-6s %12s %10s %10s %14s\n' "$target" "$conns" \
        "$(col load "$target" "$conns" 5 | median)" "$(col load "$target" "$conns" 6 | median)" \
        "$(col load "$target" "$conns" 7 | median)" "$(col load "$target" "$conns" 8 | median)"
    done
  done
  echo
  for conns in $CONNECTIONS; do
    local b n h d bc nc hc
    b="$(col load bulwark "$conns" 5 | median)"
    n="$(col load nginx "$conns" 5 | median)"
    h="$(col load haproxy "$conns" 5 | median)"
    d="$(col load direct "$conns" 5 | median)"
    bc="$(col load bulwark "$conns" 8 | median)"
    nc="$(col load nginx "$conns" 8 | median)"
    hc="$(col load haproxy "$conns" 8 | median)"
    echo "c=$conns  Bulwark throughput: $(ratio "$b" "$n") nginx, $(ratio "$b" "$h") HAProxy, $(ratio "$b" "$d") direct;" \
      "CPU/request: $(ratio "$bc" "$nc") nginx, $(ratio "$bc" "$hc") HAProxy"
    # one round's noise on a shared host can exceed the differences: the rounds' own ratios say more
    echo "c=$conns  paired per round: to nginx $(paired_line nginx "$conns"); to HAProxy $(paired_line haproxy "$conns")"
  done
  echo
  local h2rps h2reqs
  h2rps="$(awk '/^finished in/ {gsub(",", ""); print $4}' "$h2out")"
  h2reqs="$(awk '/^requests:/ {print $8}' "$h2out")"
  echo "h2load h2c -> Bulwark: ${h2rps:-?} req/s, $(grep '^status codes' "$h2out" || true)," \
    "cpu $(cpu_us "$h2ticks" "$h2reqs") us/req;" \
    "$(grep '^time for request' "$h2out" | sed 's/  */ /g' || true)"
  echo
  local dp50 dp99 bp50 bp99 rate
  dp50="$(col rate direct "$RATE_CONNECTIONS" 6 | median)"
  dp99="$(col rate direct "$RATE_CONNECTIONS" 7 | median)"
  bp50="$(col rate bulwark "$RATE_CONNECTIONS" 6 | median)"
  bp99="$(col rate bulwark "$RATE_CONNECTIONS" 7 | median)"
  rate="$(col rate direct "$RATE_CONNECTIONS" 5 | median)"
  echo "fixed rate (~$rate req/s): p50/p99 ms  direct $dp50/$dp99  bulwark $bp50/$bp99" \
    "nginx $(col rate nginx "$RATE_CONNECTIONS" 6 | median)/$(col rate nginx "$RATE_CONNECTIONS" 7 | median)" \
    "haproxy $(col rate haproxy "$RATE_CONNECTIONS" 6 | median)/$(col rate haproxy "$RATE_CONNECTIONS" 7 | median)"
  echo "  Bulwark added latency: p50 $(awk -v a="$bp50" -v b="$dp50" 'BEGIN { printf "%.3f", a - b }') ms," \
    "p99 $(awk -v a="$bp99" -v b="$dp99" 'BEGIN { printf "%.3f", a - b }') ms (targets: < 0.2 ms, < 1 ms)"
  echo
  echo "Bulwark memory during the runs: heap used max $(cut -f1 "$work/memory.tsv" | sort -g | tail -1) MiB" \
    "(limit -Xmx$BULWARK_HEAP), RSS max $(cut -f2 "$work/memory.tsv" | sort -g | tail -1) MiB, peak RSS $(cut -f3 "$work/memory.tsv" | sort -g | tail -1) MiB"
  echo "raw: $results"
}

main "$@"
