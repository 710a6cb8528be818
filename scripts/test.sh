#!/usr/bin/env bash
# Installs what is missing (MariaDB, OpenSSH server, sysbench, Maven), then runs every test:
# unit and property tests, and integration tests against real mariadbd and sshd processes on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/lib.sh"
ensure_packages
require_java
echo "Using Java at $JAVA_HOME ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
cd "$root"
exec mvn -B -ntp verify "$@"
