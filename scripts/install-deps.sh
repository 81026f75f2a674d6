#!/usr/bin/env bash
# Installs every Debian 12 package Sluice needs to build, test and run.
# Idempotent: packages already present are skipped by apt.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ca-certificates
  libboost1.81-dev libboost-json1.81-dev
  libpoco-dev libssl-dev libsqlite3-dev sqlite3
  libvalijson-dev catch2
  # RE2: config patterns run in linear time and bounded stack (std::regex
  # overflowed the stack on a long config value; host/config/pattern.hpp).
  libre2-dev
  # yaml-cpp: connection files in YAML (host/config/yaml_document.hpp); Debian's
  # maintained C++ YAML library, rejecting what has no JSON meaning is ours.
  libyaml-cpp-dev
  # The fuzz smoke (scripts/fuzz.sh): clang and its libFuzzer runtime.
  clang libclang-rt-14-dev
  libpq-dev libmariadb-dev
  # The daemon's schedules in named time zones (host/serve/schedule): the
  # date/tz library reads the system's zoneinfo (GCC 12 has no
  # std::chrono::tzdb).
  libhowardhinnant-date-dev tzdata
  # Servers for the target conformance suite: the tests start throwaway
  # instances on 127.0.0.1 from these binaries; no system service is used.
  postgresql mariadb-server
  # The demo's daemon leg (scripts/demo.sh) talks to `sluice serve` with curl.
  curl
  # zsh: the test that runs `sluice completion zsh` in zsh itself.
  zsh
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "installing: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
