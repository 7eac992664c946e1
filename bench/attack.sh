#!/usr/bin/env bash
# Attack lab (issue 3): floods, slow clients and rejection throughput against `./bulwark serve`
# in front of the demo origin, on loopback only.
#
#   bench/attack.sh                            # every scenario with the issue's settings
#   QUICK=1 bench/attack.sh                    # small settings: proves each scenario works
#   SCENARIOS="ratelimit detect" bench/attack.sh
#
# Scenarios (each starts its own Bulwark from a generated config; the origin is shared):
#   ratelimit  ATTACKERS addresses (127.10.0.0/16) flood as fast as they can while VISITORS users
#              (127.20.0.0/16) send VISITOR_RATE req/s each; the zone has a per-address rate limit
#              (RL_REQUESTS per RL_PERIOD s, banned RL_TIMEOUT s). Targets: legitimate success
#              >= 99.5 %, p99 < 100 ms, origin requests within the rule's limits.
#   detect     the same flood against a zone with no rule at all, automatic detection on (defaults).
#              Target: mitigated within 3 s; prints the attack event the edge opened.
#   slowloris  the users browse alone for SLOW_BASELINE s, then slowhttptest -H with SLOW_CONNECTIONS
#   slowbody   connections (-B: slow bodies) plus SLOW_PROBES own slow connections from 127.30.0.0/16
#              that time how long the edge keeps them. Targets, over the slow attack: legitimate
#              success 100 %, p99 < 50 ms, nothing held past the deadline.
#   reject     wrk against Bulwark refusing every request (a rate-limit ban, and a firewall block
#              rule), nginx (deny all, 403) and HAProxy (http-request deny, 403), and Bulwark
#              proxying, interleaved over REJECT_ROUNDS: rejections/s, CPU us per rejection, ratios.
#              Targets: Bulwark >= nginx's rejections/s and >= 2.5x its own proxied throughput.
#
# The load generator is dev.bulwark.bench.attack.AttackLab (bulwark-bench): each client binds its
# own source address in 127.0.0.0/8 (Linux routes all of it to lo). Settings (environment):
# ATTACKERS (500), ATTACK_PREFIXES (250 /24s), VISITORS (50), VISITOR_RATE (2), BASELINE (15 s of
# users alone before a flood), FLOOD (20 s), TAIL (5 s after it), RL_REQUESTS (30), RL_PERIOD (10),
# RL_TIMEOUT (60), SLOW_BASELINE (5 s), SLOW_CONNECTIONS (8000), SLOW_RATE (500/s), SLOW_INTERVAL (5 s), SLOW_LENGTH
# (40 s), SLOW_PROBES (200), HEADER_TIMEOUT (10 s), BODY_DEADLINE (the longest a slow body may
# hold a connection: HEADER_TIMEOUT unless given), REJECT_DURATION (10 s), REJECT_ROUNDS (3),
# REJECT_CONNECTIONS (64), WRK_THREADS (2), WARMUP (15 s), WORKERS (2), BULWARK_HEAP (256m),
# GEN_THREADS (1), PORT_BASE (19700: origin, +20 Bulwark, +120 nginx, +220 HAProxy, +1010 admin).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then q() { echo "$1"; }; else q() { echo "$2"; }; fi
SCENARIOS="${SCENARIOS:-ratelimit detect slowloris slowbody reject}"
ATTACKERS="${ATTACKERS:-$(q 100 500)}"
ATTACK_PREFIXES="${ATTACK_PREFIXES:-$(q 50 250)}"
VISITORS="${VISITORS:-$(q 20 50)}"
VISITOR_RATE="${VISITOR_RATE:-2}"
BASELINE="${BASELINE:-$(q 10 15)}"
SLOW_BASELINE="${SLOW_BASELINE:-$(q 3 5)}"
FLOOD="${FLOOD:-$(q 8 20)}"
TAIL="${TAIL:-$(q 2 5)}"
RL_REQUESTS="${RL_REQUESTS:-30}"
RL_PERIOD="${RL_PERIOD:-10}"
RL_TIMEOUT="${RL_TIMEOUT:-60}"
SLOW_CONNECTIONS="${SLOW_CONNECTIONS:-$(q 1000 8000)}"
SLOW_RATE="${SLOW_RATE:-500}"
SLOW_INTERVAL="${SLOW_INTERVAL:-5}"
SLOW_LENGTH="${SLOW_LENGTH:-$(q 20 40)}"
SLOW_PROBES="${SLOW_PROBES:-$(q 50 200)}"
HEADER_TIMEOUT="${HEADER_TIMEOUT:-10}"
BODY_DEADLINE="${BODY_DEADLINE:-$HEADER_TIMEOUT}"
REJECT_DURATION="${REJECT_DURATION:-$(q 3 10)}"
REJECT_ROUNDS="${REJECT_ROUNDS:-$(q 1 3)}"
REJECT_CONNECTIONS="${REJECT_CONNECTIONS:-64}"
WRK_THREADS="${WRK_THREADS:-2}"
WARMUP="${WARMUP:-$(q 5 15)}"
WORKERS="${WORKERS:-2}"
BULWARK_HEAP="${BULWARK_HEAP:-256m}"
GEN_THREADS="${GEN_THREADS:-1}"
PORT_BASE="${PORT_BASE:-19700}"

ORIGIN_PORT=$PORT_BASE
BULWARK_PORT=$((PORT_BASE + 20))
NGINX_PORT=$((PORT_BASE + 120))
HAPROXY_PORT=$((PORT_BASE + 220))
ADMIN_PORT=$((PORT_BASE + 1010))
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$JAVA_HOME/bin/java" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' \
  || export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

work="$(mktemp -d -t bulwark-attack.XXXXXX)"
summary="$work/summary.txt"
pids=()

say() { echo "$*" | tee -a "$summary"; }

trap cleanup EXIT
trap 'exit 130' INT TERM

verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "MISSED"; fi; }
result() { sed -n 's/^RESULT //p' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

build_tools() {
  log "building Bulwark and the load generator if needed"
  "$root/bulwark" version >&2
  (cd "$root" && ./mvnw -B -q -DskipTests package dependency:build-classpath -pl bulwark-bench -am \
    -Dmdep.outputFile=target/attack.classpath -Dmdep.includeScope=runtime >&2) || die "could not build bulwark-bench"
  GEN_CP="$root/bulwark-bench/target/classes:$(cat "$root/bulwark-bench/target/attack.classpath")"
}

# bulwark_config NAME GUARD_YAML ZONES_YAML: writes $work/NAME.yaml
bulwark_config() {
  cat >"$work/$1.yaml" <<YAML
edge:
  listeners: [{name: http, address: "127.0.0.1:$BULWARK_PORT"}]
  access_log: "off"
  worker_threads: $WORKERS
  http: {header_timeout: ${HEADER_TIMEOUT}s}
$2
admin: {address: "127.0.0.1:$ADMIN_PORT"}
zones:
$3
  - id: warm   # the JIT warm-up goes here, so it teaches no other zone's detector and trips no limit
    hostnames: [warm.lab]
    origins: {servers: [{url: "http://127.0.0.1:$ORIGIN_PORT"}]}
    ddos: {auto_mitigate: false}
YAML
}

# A cold JVM proxies several times slower: WARMUP seconds of wrk on the warm-up zone first.
warm_up() {
  log "warm-up (JIT): ${WARMUP}s of wrk -c64 through Bulwark (zone warm.lab)"
  quiet_wrk "$WARMUP" -t"$WRK_THREADS" -c64 -H "Host: warm.lab" "http://127.0.0.1:$BULWARK_PORT/1k"
}

# The zone every flood scenario protects; $1: extra YAML for the zone (indented 4).
lab_zone() {
  cat <<YAML
  - id: lab
    hostnames: [localhost, 127.0.0.1]
    origins: {servers: [{url: "http://127.0.0.1:$ORIGIN_PORT"}]}
$1
YAML
}

# ban_zone ID ACTION: zone ID (host ID.lab) whose rate limit of 1 per minute on ip.src bans for an
# hour with ACTION, so once tripped every request is refused from the ban table
ban_zone() {
  cat <<YAML
  - id: $1
    hostnames: [$1.lab]
    origins: {servers: [{url: "http://127.0.0.1:$ORIGIN_PORT"}]}
    rate_limits:
      - {id: one-per-minute, key: [ip.src], period: 60s, requests: 1, action: $2, mitigation_timeout: 1h}
    ddos: {auto_mitigate: false}
YAML
}

# gen NAME [AttackLab options...]: runs the load generator, output in $work/gen-NAME.txt
gen() {
  local name=$1 limit
  shift
  log "load generator: $*"
  limit=$((BASELINE + FLOOD + TAIL + SLOW_BASELINE + SLOW_LENGTH + 60))
  timeout "$limit" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$GEN_CP" \
    dev.bulwark.bench.attack.AttackLab --target "http://127.0.0.1:$BULWARK_PORT/1k" --host localhost \
    --origin-stats "http://127.0.0.1:$ORIGIN_PORT/stats" --threads "$GEN_THREADS" "$@" \
    >"$work/gen-$name.txt" 2>"$work/gen-$name.err" || log "load generator exited with $? (see $work/gen-$name.err)"
  grep -v '^RESULT' "$work/gen-$name.txt" | sed '/^$/d' | tee -a "$summary"
}

flood_args() {
  echo --duration $((BASELINE + FLOOD + TAIL)) --flood-start "$BASELINE" --flood-duration "$FLOOD" \
    --attackers "$ATTACKERS" --attack-prefixes "$ATTACK_PREFIXES" --visitors "$VISITORS" --visitor-rate "$VISITOR_RATE"
}

load_line() { say "machine load during the run: $(uptime | sed 's/.*load average/load average/')"; }

scenario_ratelimit() {
  say ""
  say "== a. flood against a per-address rate limit: $ATTACKERS attackers, $VISITORS users at $VISITOR_RATE req/s,"
  say "   rule: ip.src, $RL_REQUESTS requests per ${RL_PERIOD}s, block 429, banned ${RL_TIMEOUT}s (automatic mitigation off: the rule alone)"
  bulwark_config ratelimit "" "$(lab_zone "    rate_limits:
      - {id: per-address, key: [ip.src], period: ${RL_PERIOD}s, requests: $RL_REQUESTS, action: block, mitigation_timeout: ${RL_TIMEOUT}s}
    ddos: {auto_mitigate: false}")"
  start_bulwark ratelimit
  warm_up
  gen ratelimit $(flood_args)
  load_line
  local out="$work/gen-ratelimit.txt" ok p99 perAddr origin legit windows bound allowedPer
  ok="$(result "$out" legit_success_pct)"
  p99="$(result "$out" legit_p99_ms)"
  perAddr="$(result "$out" attack_max_passed_per_address)"
  origin="$(result "$out" origin_requests)"
  legit="$(result "$out" legit_requests)"
  # The sliding count is previous window x remaining fraction + current window, so an address
  # passes at most RL_REQUESTS per fixed window of RL_PERIOD; once over, it is banned RL_TIMEOUT
  # (>= the flood here). A flood of FLOOD seconds touches at most ceil(FLOOD / RL_PERIOD) + 1 windows.
  [ "$RL_TIMEOUT" -ge "$FLOOD" ] || log "warning: RL_TIMEOUT < FLOOD: the bound below assumes one ban lasts the flood"
  windows=$(( (FLOOD + RL_PERIOD - 1) / RL_PERIOD + 1 ))
  allowedPer=$((RL_REQUESTS * windows))
  bound=$((legit + ATTACKERS * allowedPer))
  say "-> legitimate success ${ok} % (target >= 99.5 %: $(verdict "$ok >= 99.5")), p99 ${p99} ms (target < 100 ms: $(verdict "$p99 < 100"))"
  say "-> attack requests passed by one address at most ${perAddr} (the rule allows $RL_REQUESTS per fixed ${RL_PERIOD}s window, $allowedPer in the $windows windows a ${FLOOD}s flood touches: $(verdict "$perAddr <= $allowedPer"));" \
    "origin saw ${origin} requests, bound ${bound} = ${legit} legitimate + $ATTACKERS x $allowedPer ($(verdict "$origin <= $bound"))"
}

scenario_detect() {
  say ""
  say "== b. flood from no rule at all, automatic detection on (defaults: sensitivity medium, action block):"
  say "   ${BASELINE}s of users alone (the baseline), then $ATTACKERS attackers over $ATTACK_PREFIXES /24s for ${FLOOD}s"
  bulwark_config detect "" "$(lab_zone "")"
  # The users are there from the start, as on a live site: the generator waits for the edge to
  # listen and starts with it (the detector warms up on them: a surge of visitors is learnt, not
  # taken for an attack), and the JIT warm-up (on its own zone) runs while the users build the
  # baseline, ending before the flood.
  stop_bulwark
  gen detect $(flood_args) --wait-for-target 180 &
  local gen_pid=$! warm=$WARMUP
  start_bulwark detect
  [ "$warm" -le $((BASELINE - 5)) ] || warm=$((BASELINE - 5))
  sleep 2
  WARMUP=$warm warm_up
  wait "$gen_pid" || true
  load_line
  local out="$work/gen-detect.txt" ttm
  ttm="$(result "$out" ttm_s)"
  say "-> time to mitigate ${ttm} s (target <= 3 s: $(verdict "$ttm >= 0 && $ttm <= 3"))"
  local events
  events="$(grep -h 'attack on zone' "$work/bulwark-detect.out" "$work/bulwark-detect.err" 2>/dev/null | sed -E 's/^.*(attack on zone)/\1/' || true)"
  say "-> attack events the edge logged:"
  say "${events:-   (none logged)}"
  # the listing by the admin API, where this build has one
  local listing
  listing="$(curl -fs --max-time 5 "http://127.0.0.1:$ADMIN_PORT/api/v1/zones/lab/attacks" 2>/dev/null || true)"
  [ -n "$listing" ] && say "-> admin listing: $listing"
  return 0
}

# slowhttptest's CSV (seconds,closed,pending,connected,service available) -> how long connections
# stayed: matching the k-th opened with the k-th closed connection (first in, first out).
slow_csv_summary() {
  awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ {
      t = $1; c = $2; o = $2 + $3 + $4; opened[NR] = o; closed[NR] = c; at[NR] = t; n = NR
      if ($4 > maxconn) maxconn = $4
      if ($5 + 0 == 0) down++   # the column holds the connection count while the service answers, 0 when not
    }
    END {
      total = opened[n]; worst = 0
      for (k = total / 50; k <= total && total > 0; k += total / 50) {
        to = -1; tc = -1
        for (i = 2; i <= n; i++) { if (to < 0 && opened[i] >= k) to = at[i]; if (tc < 0 && closed[i] >= k) tc = at[i] }
        if (tc < 0) { open_at_end = 1; tc = at[n] }
        if (tc - to > worst) worst = tc - to
      }
      printf "connections opened %d, closed %d by the end, most connected at once %d, seconds with service unavailable %d;" \
        " longest hold (k-th opened vs k-th closed, 1 s resolution) %d s%s\n", total, closed[n], maxconn, down + 0, worst,
        open_at_end ? " (some still open when the test ended)" : ""
    }' "$1"
}

scenario_slow() { # headers|body
  local mode=$1 flag name
  if [ "$mode" = headers ]; then flag=-H; name=slowloris; else flag=-B; name=slowbody; fi
  say ""
  say "== c. slowhttptest $flag ($name): $SLOW_CONNECTIONS connections at $SLOW_RATE/s, a follow-up every ${SLOW_INTERVAL}s, ${SLOW_LENGTH}s;"
  say "   $VISITORS users at $VISITOR_RATE req/s and $SLOW_PROBES own slow $mode probes from 127.30.0.0/16; header_timeout ${HEADER_TIMEOUT}s"
  say "   (slowhttptest opens everything from 127.0.0.1, so this config raises the per-address guard caps: the deadlines are tested, not the caps)"
  bulwark_config "$name" "$OPEN_GUARD" "$(lab_zone "    ddos: {auto_mitigate: false}")"
  start_bulwark "$name"
  warm_up
  # the users browse alone for SLOW_BASELINE s (their connections and the lab warm), then the slow
  # attack starts; the targets are judged over the attack (the "flood" window of the lab)
  gen "$name" --duration $((SLOW_BASELINE + SLOW_LENGTH)) --flood-start "$SLOW_BASELINE" --flood-duration "$SLOW_LENGTH" \
    --attackers 0 --visitors "$VISITORS" --visitor-rate "$VISITOR_RATE" --slow-clients "$SLOW_PROBES" --slow-mode "$mode" \
    --slow-interval-ms $((SLOW_INTERVAL * 1000)) --slow-rate 50 &
  local gen_pid=$!
  sleep "$SLOW_BASELINE"
  log "slowhttptest $flag -c $SLOW_CONNECTIONS"
  (cd "$work" && timeout $((SLOW_LENGTH + 60)) slowhttptest $flag -c "$SLOW_CONNECTIONS" -r "$SLOW_RATE" -i "$SLOW_INTERVAL" \
    -l "$SLOW_LENGTH" -s 1000000 -t "$([ "$mode" = body ] && echo POST || echo GET)" \
    -u "http://127.0.0.1:$BULWARK_PORT/$([ "$mode" = body ] && echo upload || echo 1k)" -g -o "$work/$name" -p 3 \
    >"$work/$name.slowhttptest.txt" 2>&1 || true) &
  local slow_pid=$!
  pids+=($slow_pid)
  wait "$gen_pid" 2>/dev/null || true
  wait "$slow_pid" 2>/dev/null || true
  load_line
  local out="$work/gen-$name.txt" ok p99 held open deadline=$HEADER_TIMEOUT
  [ "$mode" = body ] && deadline=$BODY_DEADLINE
  ok="$(result "$out" flood_legit_success_pct)"
  p99="$(result "$out" flood_legit_p99_ms)"
  held="$(result "$out" slow_held_max_s)"
  open="$(result "$out" slow_still_open)"
  say "-> slowhttptest: $(grep -E 'Exit status|test ended' "$work/$name.slowhttptest.txt" | tail -1 | sed 's/^ *//')"
  if [ -f "$work/$name.csv" ]; then say "-> slowhttptest CSV: $(slow_csv_summary "$work/$name.csv")"; fi
  say "-> legitimate success during the slow attack ${ok} % (target 100 %: $(verdict "$ok >= 100")), p99 ${p99} ms (target < 50 ms: $(verdict "$p99 < 50"))"
  say "-> own probes: longest held ${held} s, ${open} still open at the end (deadline ${deadline}s: $(verdict "$open == 0 && $held <= $deadline + 1"))"
}

# run_wrk ROUND TARGET: one wrk run, a line "target round rps cpu_us p99 non2xx errors" in $work/reject.tsv
run_wrk() {
  local round=$1 target=$2 port pid host out before after reqs rps cpu p99 non2xx errors
  case "$target" in
    bulwark-ban) port=$BULWARK_PORT pid=$BULWARK_PID host=ban.lab ;;
    bulwark-firewall) port=$BULWARK_PORT pid=$BULWARK_PID host=firewall.lab ;;
    bulwark-proxied) port=$BULWARK_PORT pid=$BULWARK_PID host=localhost ;;
    bulwark-close) port=$BULWARK_PORT pid=$BULWARK_PID host=close.lab ;;
    nginx) port=$NGINX_PORT pid=$NGINX_PID host=localhost ;;
    haproxy) port=$HAPROXY_PORT pid=$HAPROXY_PID host=localhost ;;
  esac
  out="$work/wrk-$target-r$round.txt"
  before="$(cpu_ticks "$pid")"
  timeout $((REJECT_DURATION + 30)) wrk -t"$WRK_THREADS" -c"$REJECT_CONNECTIONS" -d"${REJECT_DURATION}s" --latency \
    -H "Host: $host" "http://127.0.0.1:$port/1k" >"$out" 2>&1 || log "wrk against $target exited with $?"
  after="$(cpu_ticks "$pid")"
  reqs="$(awk '/requests in/ {print $1}' "$out")"
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' "$out")"
  errors="$(awk '/Socket errors/ {print $0}' "$out" | sed 's/^ *//')"
  cpu="$(cpu_us $((after - before)) "$reqs")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$round" "${rps:-0}" "$cpu" "${non2xx:-0}" "${errors:-none}" >>"$work/reject.tsv"
  printf '  %-17s round %s %9s req/s  cpu %6s us/req  p99 %8s  non-2xx %10s  %s\n' "$target" "$round" "${rps:-0}" "$cpu" "$p99" \
    "${non2xx:-0}" "${errors:-}" | tee -a "$summary" >&2
}

scenario_reject() {
  say ""
  say "== d. rejection throughput: wrk -t$WRK_THREADS -c$REJECT_CONNECTIONS ${REJECT_DURATION}s x $REJECT_ROUNDS rounds, interleaved"
  say "   bulwark-ban: a rate limit of 1 per minute on ip.src, tripped by the warm-up: every request refused from the ban table (429)"
  say "   bulwark-firewall: firewall rule 'ip.src in {127.0.0.0/8}' action block (403); nginx: deny all (403); HAProxy: http-request deny (403)"
  say "   bulwark-proxied: the same Bulwark proxying /1k to the origin (no rule)"
  say "   bulwark-close (no target, for comparison): the ban with action close, 429 then the connection ends, so wrk reconnects for each request"
  bulwark_config reject "$OPEN_GUARD" "$(lab_zone "    ddos: {auto_mitigate: false}")
$(ban_zone ban block)
$(ban_zone close close)
  - id: firewall
    hostnames: [firewall.lab]
    origins: {servers: [{url: \"http://127.0.0.1:$ORIGIN_PORT\"}]}
    firewall:
      - {id: block-loopback, expression: \"ip.src in {127.0.0.0/8}\", action: block}
    ddos: {auto_mitigate: false}"
  start_bulwark reject
  start_nginx "$NGINX_PORT" 403 "deny all;" crit
  start_haproxy "$HAPROXY_PORT" 403 "  http-request deny"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: ban.lab' "http://127.0.0.1:$BULWARK_PORT/1k")" = 200 ] || log "warning: the first ban.lab request was not let through"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: ban.lab' "http://127.0.0.1:$BULWARK_PORT/1k")" = 429 ] || die "ban.lab does not refuse with 429"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: firewall.lab' "http://127.0.0.1:$BULWARK_PORT/1k")" = 403 ] || die "firewall.lab does not refuse with 403"
  curl -s -o /dev/null -H 'Host: close.lab' "http://127.0.0.1:$BULWARK_PORT/1k"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: close.lab' "http://127.0.0.1:$BULWARK_PORT/1k")" = 429 ] || die "close.lab does not refuse with 429"
  log "warm-up (JIT): ${WARMUP}s each of refused and proxied requests against Bulwark"
  local h
  for h in ban.lab firewall.lab close.lab localhost; do
    quiet_wrk "$WARMUP" -t"$WRK_THREADS" -c"$REJECT_CONNECTIONS" -H "Host: $h" "http://127.0.0.1:$BULWARK_PORT/1k"
  done
  : >"$work/reject.tsv"
  local round target
  for ((round = 1; round <= REJECT_ROUNDS; round++)); do
    for target in $(in_turn "$round" bulwark-ban bulwark-firewall nginx haproxy bulwark-proxied bulwark-close); do run_wrk "$round" "$target"; done
  done
  load_line
  med() { awk -F'\t' -v t="$1" -v c="$2" '$1 == t {print $c}' "$work/reject.tsv" | median; }
  say ""
  printf '%-17s %14s %16s\n' target "req/s (median)" "cpu us/req (med)" | tee -a "$summary"
  for target in bulwark-ban bulwark-firewall nginx haproxy bulwark-proxied bulwark-close; do
    printf '%-17s %14s %16s\n' "$target" "$(med "$target" 3)" "$(med "$target" 4)" | tee -a "$summary"
  done
  local ban fw ng ha px
  ban="$(med bulwark-ban 3)" fw="$(med bulwark-firewall 3)" ng="$(med nginx 3)" ha="$(med haproxy 3)" px="$(med bulwark-proxied 3)"
  say "-> Bulwark ban: $(ratio "$ban" "$ng") nginx, $(ratio "$ban" "$ha") HAProxy, $(ratio "$ban" "$px") its own proxied throughput" \
    "(targets >= 1.0x nginx: $(verdict "$ban >= $ng"), >= 2.5x proxied: $(verdict "$ban >= 2.5 * $px"))"
  say "-> Bulwark firewall block: $(ratio "$fw" "$ng") nginx, $(ratio "$fw" "$ha") HAProxy, $(ratio "$fw" "$px") its own proxied throughput" \
    "(targets >= 1.0x nginx: $(verdict "$fw >= $ng"), >= 2.5x proxied: $(verdict "$fw >= 2.5 * $px"))"
  say "-> CPU per rejection: Bulwark ban $(med bulwark-ban 4) us, firewall $(med bulwark-firewall 4) us, nginx $(med nginx 4) us, HAProxy $(med haproxy 4) us;" \
    "per proxied request $(med bulwark-proxied 4) us"
  say "-> Bulwark ban with action close: $(med bulwark-close 3) refusals/s at $(med bulwark-close 4) us each, every one on a new connection" \
    "($(ratio "$(med bulwark-close 3)" "$ban") of the ban's rate with keep-alive)"
}

main() {
  install_tools wrk slowhttptest nginx haproxy
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  [ "$(ulimit -n)" -ge $((SLOW_CONNECTIONS * 2 + 1000)) ] || log "warning: ulimit -n is $(ulimit -n); $SLOW_CONNECTIONS slow connections need about twice that"
  ports_free $ORIGIN_PORT $BULWARK_PORT $NGINX_PORT $HAPROXY_PORT $ADMIN_PORT
  build_tools
  start_origin
  : >"$summary"
  say "== Bulwark attack lab ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, QUICK=$QUICK, $(uptime | sed 's/.*load average/load average/'))"
  local s
  for s in $SCENARIOS; do
    case "$s" in
      ratelimit) scenario_ratelimit ;;
      detect) scenario_detect ;;
      slowloris) scenario_slow headers ;;
      slowbody) scenario_slow body ;;
      reject) scenario_reject ;;
      *) die "unknown scenario $s (ratelimit detect slowloris slowbody reject)" ;;
    esac
    stop_bulwark
  done
  say ""
  say "summary: $summary"
}

main "$@"
