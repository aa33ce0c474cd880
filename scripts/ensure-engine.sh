#!/usr/bin/env bash
# Make sure a Docker engine answers, and that the host packages the offline stand-in images are
# built from are installed. An engine that already answers is used as it is.
# Idempotent: run it as often as you like.
set -euo pipefail

log_dir="${DOCKERLAB_LOG_DIR:-/var/log}"
need_pkgs=()

have() { command -v "$1" >/dev/null 2>&1; }
engine_up() { have docker && docker info >/dev/null 2>&1; }

apt_install() {
  if [ "$(id -u)" != 0 ] || ! have apt-get; then
    echo "dockerlab: please install: $* (needs root and apt-get)" >&2
    return 1
  fi
  if [ ! -f /var/lib/apt/lists/.dockerlab-updated ] || [ -z "$(ls /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
    apt-get update -q >/dev/null
    touch /var/lib/apt/lists/.dockerlab-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
}

# host packages: the stand-in images' sources, tmux for the terminal end-to-end test,
# docker-compose v1 for pytest-docker, openssl for the TLS lab, sudo for the root steps,
# skopeo for the near-miss tests (pushes and pulls without docker, OCI images)
[ -x /usr/bin/docker-registry ] || need_pkgs+=(docker-registry)
[ -x /bin/busybox ] || need_pkgs+=(busybox-static)
[ -x /usr/bin/htpasswd ] || need_pkgs+=(apache2-utils)
have tmux || need_pkgs+=(tmux)
have openssl || need_pkgs+=(openssl)
have skopeo || need_pkgs+=(skopeo)
have docker-compose || need_pkgs+=(docker-compose)
have git || need_pkgs+=(git)
have curl || need_pkgs+=(curl)
have chromium || need_pkgs+=(chromium)  # the browser end-to-end test of `dockerlab serve`
have chromedriver || need_pkgs+=(chromium-driver)
# the labs' few root steps say `sudo` (a learner in the docker group uses it); the non-root
# learner tests make a user with sudo rights
have sudo || need_pkgs+=(sudo)

if ! engine_up; then
  have dockerd || need_pkgs+=(docker.io)
fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "dockerlab: installing ${need_pkgs[*]} from Debian's archive..." >&2
  apt_install "${need_pkgs[@]}"
fi

if ! engine_up; then
  if [ -d /run/systemd/system ] && have systemctl; then
    systemctl start docker || true
  fi
fi
if ! engine_up; then
  if [ "$(id -u)" != 0 ]; then
    echo "dockerlab: no Docker engine answers; start it (sudo systemctl start docker)" >&2
    exit 1
  fi
  echo "dockerlab: starting dockerd (log: $log_dir/dockerd.log)..." >&2
  mkdir -p "$log_dir"
  nohup dockerd >>"$log_dir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    if curl -sf --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; then
      break
    fi
    sleep 0.5
  done
fi
if ! engine_up; then
  echo "dockerlab: dockerd did not come up; see $log_dir/dockerd.log:" >&2
  tail -20 "$log_dir/dockerd.log" >&2 || true
  exit 1
fi
echo "dockerlab: Docker engine $(docker version --format '{{.Server.Version}}') is up" >&2
