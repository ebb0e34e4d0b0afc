#!/usr/bin/env bash
# Installs what the SimPy comparison needs: Debian's python3-simpy3, which
# imports only under the system Python (/usr/bin/python3).
set -euo pipefail
if /usr/bin/python3 -c "import simpy" 2>/dev/null; then exit 0; fi
echo "bench: installing Debian's python3-simpy3 for the SimPy comparison" >&2
if [[ "$(id -u)" -ne 0 ]]; then
  echo "error: installing python3-simpy3 needs root; run 'sudo apt-get install -y python3-simpy3' first" >&2
  exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-simpy3
