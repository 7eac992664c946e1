#!/usr/bin/env bash
# Runs Bulwark's JMH benchmarks (bulwark-bench) with a JDK >= 21.
#   bench/jmh.sh                       every benchmark, default settings
#   bench/jmh.sh 'rules' -f 1 -wi 3 -i 5   a regex of benchmarks plus JMH options
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
./mvnw -B -q -DskipTests package dependency:build-classpath -pl bulwark-bench -am \
  -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=runtime >&2
cp="bulwark-bench/target/classes:$(cat bulwark-bench/target/jmh.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$@"
