#!/usr/bin/env bash
# The vendors' official SDKs driven against idconn-sim (issue 8): npm auth0 7.1.0,
# npm authing-node-sdk 4.0.1 and PyPI authing 5.1.0, each through a CRUD story that stops at the
# first difference; and Auth0's own Deploy CLI (npm auth0-deploy-cli 8.44.0), whose export and
# import of connections and clients run against the simulator (issue 17). Installs the pinned
# packages (npm ci; a virtual environment in .venv).
# Needs cargo, node >= 20.19 with npm, and python3 with venv. Run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."

echo "== building idconn-sim"
cargo build --quiet -p idconn-sim --bin idconn-sim
target_dir="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
export IDCONN_SIM_BIN="$target_dir/debug/idconn-sim"

echo "== npm ci (conformance/node)"
(cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error)

echo "== pip install (conformance/.venv)"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r "$here/python/requirements.txt"

# Each story starts its own idconn-sim on a free loopback port and stops at the first difference.
story_auth0_node() { node "$here/node/auth0-story.mjs"; }
story_deploy_cli_node() { node "$here/node/deploy-cli-story.mjs"; }
story_authing_node() { node "$here/node/authing-story.mjs"; }
story_authing_python() { "$here/.venv/bin/python" "$here/python/authing_story.py"; }

passed=0
for story in story_auth0_node story_deploy_cli_node story_authing_node story_authing_python; do
  if "$story"; then
    passed=$((passed + 1))
  else
    echo "conformance: $passed passed, 1 failed"
    exit 1
  fi
done
echo "conformance: $passed passed, 0 failed"
