#!/usr/bin/env bash
# Installs every Debian package T.A.R.S. needs to build, test and run. Idempotent: packages
# already present are skipped, so a second run does nothing and needs no network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git curl
  libgtest-dev libgmock-dev libbenchmark-dev
  libeigen3-dev libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libbox2d-dev libssl-dev libsqlite3-dev libpqxx-dev
  libboost1.74-dev libsodium-dev libjwt-dev zlib1g-dev
  postgresql-15 wrk chromium
  clang clang-format clang-tidy
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js and npm for the dashboard: Debian's, unless a Node.js (with npm) is already installed.
command -v npm >/dev/null || missing+=(nodejs npm)

# The dashboard's npm packages (web/package-lock.json): `npm ci` when node_modules is missing or
# the lock file changed since the last install (its hash is kept in node_modules).
web_packages() {
  local root lock stamp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  lock="$root/web/package-lock.json"
  stamp="$root/web/node_modules/.package-lock.sha256"
  [ -f "$lock" ] || return 0
  if [ -f "$stamp" ] && [ "$(sha256sum "$lock" | cut -d' ' -f1)" = "$(cat "$stamp")" ]; then
    echo "setup: web/node_modules up to date"
    return 0
  fi
  echo "setup: npm ci in web/"
  (cd "$root/web" && npm ci --no-audit --no-fund)
  sha256sum "$lock" | cut -d' ' -f1 >"$stamp"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages present"
  web_packages
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# The PostgreSQL server is for the tests, which start their own on a temporary directory: keep
# the package from creating (and starting) a system-wide cluster.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends postgresql-common
"${sudo_cmd[@]}" sed -i 's/^#* *create_main_cluster *=.*/create_main_cluster = false/' \
  /etc/postgresql-common/createcluster.conf
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
web_packages
