#!/usr/bin/env bash
# Shared by run-app and run-tests: a Docker engine, a virtualenv with dockerlab installed,
# and the course's images (pulled from Docker Hub, or offline stand-ins). Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

bash scripts/ensure-engine.sh

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.dockerlab-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "dockerlab: installing Python packages into .venv..." >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".[test]" 2>&1 | grep -v -i "warning" || true
  .venv/bin/python -c "import dockerlab, textual, docker, pydantic" 
  touch "$stamp"
fi
.venv/bin/dockerlab images prepare
