#!/usr/bin/env bash
# System packages the test suite needs, installed from Debian when missing:
# PostgreSQL server binaries and a Java 17 runtime (the cross-engine tests
# start a throwaway PostgreSQL and a local Spark) and headless Chromium (the
# report's browser test). Sourced by scripts/test.sh, so README's test
# command works on a fresh machine exactly as CI runs it.
set -euo pipefail

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
    echo "==> apt-get install ${need[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}"
fi
