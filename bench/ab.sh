#!/usr/bin/env bash
# A/B proxy benchmark: two Bulwark jars (A = before, B = after) and nginx in front of one
# origin, measured interleaved in one run so the shared machine's noise hits all alike.
#
#   git worktree add --detach /tmp/perf-base main && (cd /tmp/perf-base && ./mvnw -B -o -q -DskipTests package -pl bulwark-server -am)
#   JAR_A=/tmp/perf-base/bulwark-server/target/bulwark-all.jar bench/ab.sh
#   JAR_A=... ROUNDS=1 DURATION=1 WARMUP=2 bench/ab.sh   # quick check that everything works
#
# Settings (environment): JAR_A (required), JAR_B (this tree's jar), ROUNDS (3), DURATION (s, 8),
# WARMUP (s per jar, 30), CONNECTIONS ("64"), MODE (proxy | h2c | reject | rate), PATH_1K (/1k),
# PORT_BASE (19080: origin, +10 A, +20 B, +30 nginx, +1010/+1020 admin of A/B), WORKERS (2),
# JAVA_OPTS_A / JAVA_OPTS_B (extra JVM options of either, e.g. to compare a flag on one jar);
# both run with the launcher's --sun-misc-unsafe-memory-access=allow unless UNSAFE_FLAG="" is set,
# and with its collector (GC_FLAG, -XX:+UseParallelGC; GC_FLAG="" for the JVM's own choice).
# MODE=reject puts every request of zone "bench" behind a firewall block rule (403) and
# compares with nginx answering 403 itself; MODE=rate is a fixed rate (32 conns, 1 req/10 ms each).
# Prints per round: req/s, p50, p99, CPU µs per request of each target; then medians and B/A, and
# the median of each round's own B/A with how many rounds went B's way (a noisy host shows there).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR_A="${JAR_A:?set JAR_A to the before-jar}"
JAR_B="${JAR_B:-$root/bulwark-server/target/bulwark-all.jar}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-30}"
CONNECTIONS="${CONNECTIONS:-64}"
MODE="${MODE:-proxy}"
PATH_1K="${PATH_1K:-/1k}"
PORT_BASE="${PORT_BASE:-19080}"
WORKERS="${WORKERS:-2}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
ORIGIN_PORT=$PORT_BASE
NGINX_PORT=$((PORT_BASE + 30))
export PATH="$PATH:/usr/sbin"

work="$(mktemp -d -t bulwark-ab.XXXXXX)"
results="$work/results.tsv"
pids=()
# shellcheck source=lib.sh
. "$root/bench/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

start_jar() { # name jar port adminport: `serve` of that jar
  local rules=""
  [ "$MODE" = reject ] && rules='    firewall: [{id: block-all, expression: "not ssl", action: block}]'
  bench_config "$work/$1.yaml" "$3" "$4" "$rules"
  local opts="JAVA_OPTS_$1"
  "$JAVA" --enable-native-access=ALL-UNNAMED ${UNSAFE_FLAG-"--sun-misc-unsafe-memory-access=allow"} ${GC_FLAG-"-XX:+UseParallelGC"} -Xms256m -Xmx256m ${!opts:-} -jar "$2" serve --config "$work/$1.yaml" \
    >"$work/$1.out" 2>"$work/$1.err" &
  pids+=($!)
  eval "PID_$1=$!"
  wait_answer "http://127.0.0.1:$4/healthz" 200 60 || die "$1 did not start (see $work/$1.err)" # the admin: MODE=reject answers 403
}

port_of() { case "$1" in A) echo $((PORT_BASE + 10)) ;; B) echo $((PORT_BASE + 20)) ;; nginx) echo $NGINX_PORT ;; esac; }

run_one() { # round target conns
  local port pid out before after reqs rps p50 p99 cpu
  port="$(port_of "$2")"
  eval "pid=\$PID_$2"
  out="$work/$MODE-$2-c$3-r$1.txt"
  before="$(cpu_ticks "$pid")"
  if [ "$MODE" = h2c ]; then
    timeout $((DURATION + 30)) h2load -c"$3" -m10 -t2 -D "$DURATION" "http://127.0.0.1:$port$PATH_1K" >"$out" 2>&1 || true
    after="$(cpu_ticks "$pid")"
    reqs="$(awk '/^requests:/ {print $8}' "$out")"
    rps="$(awk '/^finished in/ {gsub(",", ""); printf "%.0f", $4}' "$out")"
    p50=nan; p99=nan
  else
    local extra=()
    [ "$MODE" = rate ] && extra=(-s "$work/pace.lua")
    timeout $((DURATION + 30)) wrk -t2 -c"$3" -d"${DURATION}s" --latency "${extra[@]}" "http://127.0.0.1:$port$PATH_1K" >"$out" 2>&1 || true
    after="$(cpu_ticks "$pid")"
    reqs="$(awk '/requests in/ {print $1}' "$out")"
    rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  fi
  cpu="$(cpu_us $((after - before)) "$reqs")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${rps:-0}" "$p50" "$p99" "$cpu" >>"$results"
  printf '  r%s %-6s c=%-4s %9s req/s  p50 %7s ms  p99 %7s ms  cpu %6s us/req %s\n' "$1" "$2" "$3" "${rps:-0}" "$p50" "$p99" "$cpu" \
    "$(grep -h -E 'Non-2xx|^status codes' "$out" | tr -s ' ' | head -1)" >&2
}

col() { awk -F'\t' -v t="$1" -v c="$2" -v f="$3" '$2 == t && $3 == c {print $f}' "$results"; }

# paired CONNS FIELD: each round's B/A for that field (A and B ran next to each other), one per line
paired() {
  awk -F'\t' -v c="$1" -v f="$2" '$3 == c && $2 == "A" {a[$1] = $f} $3 == c && $2 == "B" {b[$1] = $f}
    END {for (r in a) if ((r in b) && a[r] > 0) printf "%.3f\n", b[r] / a[r]}' "$results"
}

main() {
  ulimit -n 65536 2>/dev/null || true
  [ -f "$JAR_A" ] || die "no jar $JAR_A"
  [ -f "$JAR_B" ] || die "no jar $JAR_B"
  echo "function delay() return 10 end" >"$work/pace.lua"
  ports_free $ORIGIN_PORT $((PORT_BASE + 10)) $((PORT_BASE + 20)) $NGINX_PORT $((PORT_BASE + 1010)) $((PORT_BASE + 1020))
  start_origin "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx256m -jar "$JAR_B"
  start_jar A "$JAR_A" $((PORT_BASE + 10)) $((PORT_BASE + 1010))
  start_jar B "$JAR_B" $((PORT_BASE + 20)) $((PORT_BASE + 1020))
  if [ "$MODE" = reject ]; then start_nginx "$NGINX_PORT" 403 "return 403;"; else start_nginx "$NGINX_PORT" 200 "$NGINX_PROXY"; fi
  PID_nginx=$NGINX_PID
  : >"$results"
  local t round c
  for t in A B; do
    log "warm-up $t: ${WARMUP}s (HTTP/1.1, then h2c when MODE=h2c)"
    quiet_wrk "$WARMUP" -t2 -c64 "http://127.0.0.1:$(port_of $t)$PATH_1K"
    for c in $CONNECTIONS; do # each measured concurrency too: a first round at 256 would open the pool
      [ "$c" = 64 ] || quiet_wrk $(( (WARMUP + 2) / 3 )) -t2 -c"$c" "http://127.0.0.1:$(port_of $t)$PATH_1K"
    done
    [ "$MODE" = h2c ] && { timeout $((WARMUP + 30)) h2load -c16 -m10 -t1 -D "$WARMUP" "http://127.0.0.1:$(port_of $t)$PATH_1K" >/dev/null 2>&1 || true; }
  done
  log "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for ((round = 1; round <= ROUNDS; round++)); do
    for c in $CONNECTIONS; do
      local order="A B nginx"
      [ $((round % 2)) -eq 0 ] && order="B A nginx" # alternate who goes first
      for t in $order; do
        [ "$MODE" = h2c ] && [ "$t" = nginx ] && continue # the bench's nginx has no h2c listener
        run_one "$round" "$t" "$c"
      done
    done
  done
  log "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "== A/B $MODE ($(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s x $ROUNDS rounds, medians) =="
  echo "   A=$JAR_A"
  echo "   B=$JAR_B"
  printf '%-6s %-5s %10s %9s %9s %11s\n' target conns req/s p50ms p99ms cpu_us/req
  for c in $CONNECTIONS; do
    for t in A B nginx; do
      [ -z "$(col $t "$c" 4)" ] && continue
      printf '%-6s %-5s %10s %9s %9s %11s\n' $t "$c" "$(col $t "$c" 4 | median)" "$(col $t "$c" 5 | median)" \
        "$(col $t "$c" 6 | median)" "$(col $t "$c" 7 | median)"
    done
    echo "c=$c  B/A req/s $(ratio "$(col B "$c" 4 | median)" "$(col A "$c" 4 | median)"), B/A cpu $(ratio "$(col B "$c" 7 | median)" "$(col A "$c" 7 | median)");" \
      "B/nginx req/s $(ratio "$(col B "$c" 4 | median)" "$(col nginx "$c" 4 | median)"), B/nginx cpu $(ratio "$(col B "$c" 7 | median)" "$(col nginx "$c" 7 | median)")"
    # The ratio of medians can hide a host that slowed down for one jar's runs; the per-round
    # pairs and how many of them went B's way say whether a difference is more than noise.
    echo "c=$c  paired per round: B/A req/s median $(paired "$c" 4 | ratio_summary '$1 > 1' "B ahead")," \
      "B/A cpu median $(paired "$c" 7 | ratio_summary '$1 < 1' "B cheaper")"
  done
  echo "raw: $results"
}
main "$@"
