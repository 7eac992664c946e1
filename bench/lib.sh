# Shared helpers of the bench scripts (proxy.sh, attack.sh). Source it after setting `work`.

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

wait_http() { # URL SECONDS [curl options...]
  local url=$1 secs=$2 i
  shift 2
  for ((i = 0; i < secs * 10; i++)); do
    curl -fs -o /dev/null "$@" "$url" && return 0
    sleep 0.1
  done
  return 1
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

median() { sort -g | awk '{a[NR] = $1} END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
