#!/usr/bin/env bash
# Builds target/mha4j.jar (tests skipped; scripts/test.sh runs them).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/lib.sh"
require_java
cd "$root"
mvn -B -ntp -q package -DskipTests
echo "Built $root/target/mha4j.jar"
