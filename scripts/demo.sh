#!/usr/bin/env bash
# The main job on this machine: install what is missing, build, start a local 3-node MariaDB cluster
# (GTID, semi-sync, read-only replicas, a private sshd), run MHA's checks against it, then a failover under load.
# Usage: scripts/demo.sh [sandbox-dir] [gtid|position]
#   sandbox-dir: default ./sandbox-data (`bin/mha sandbox down` removes it)
#   position:    replicas by binlog file and position, failed over with the node tools as MHA does without GTID
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$root/scripts/lib.sh"
dir="${1:-$root/sandbox-data}"
replication="${2:-gtid}"
case "$replication" in gtid|position) ;; *) echo "replication must be gtid or position, not $replication" >&2; exit 2 ;; esac
ensure_packages
require_java
cd "$root"
echo "== Building MHA4J"
mvn -B -ntp -q package -DskipTests
if [ -f "$dir/sandbox.properties" ]; then
  echo "== Sandbox already in $dir; recreating it"
  bin/mha sandbox down --dir "$dir"
fi
echo "== Starting a 3-node MariaDB sandbox in $dir ($replication replication)"
bin/mha sandbox up --dir "$dir" --replication "$replication"
echo
echo "== masterha_check_ssh --conf=$dir/app1.conf"
bin/masterha_check_ssh --conf="$dir/app1.conf"
echo
echo "== masterha_check_repl --conf=$dir/app1.conf"
bin/masterha_check_repl --conf="$dir/app1.conf"
echo
echo "== The failover story: a fresh sandbox, masterha_manager watching it, writers committing on the master,"
echo "   kill -9 of the master, the failover report, and the acknowledged commits checked on the new master"
bin/mha bench failover --trials 1 --replication "$replication" --dir "$dir-failover"
echo
sed -n '/----- Failover Report -----/,/completed successfully/p' "$dir-failover/trial1-kill-manager.log"
echo
echo "== Now break something and check again, for example:"
echo "   bin/mha sandbox stop-node 3 --dir $dir && bin/masterha_check_repl --conf=$dir/app1.conf"
echo "   bin/mha sandbox down --dir $dir      # remove the sandbox"
