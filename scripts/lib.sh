# Shared by bin/ and scripts/: find a Java 21+ runtime and the packages MHA4J's tests and demo need.

java_major() { # prints the major version of the java binary $1, or 0
  local v
  v=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || { echo 0; return; }
  v=${v#1.}
  echo "${v%%[.+-]*}"
}

find_java_home() { # prints a JDK/JRE home with Java >= 21: JAVA_HOME, then java on PATH, then /usr/lib/jvm/*
  local cand
  for cand in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
              $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    cand=${cand%/}
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    if [ "$(java_major "$cand/bin/java")" -ge 21 ] 2>/dev/null; then echo "$cand"; return 0; fi
  done
  return 1
}

require_java() {
  if ! JAVA_HOME=$(find_java_home); then
    echo "MHA4J needs Java 21 or newer; none found in JAVA_HOME, on PATH or under /usr/lib/jvm." >&2
    echo "Install a JDK >= 21 (for example Temurin 21) and set JAVA_HOME." >&2
    exit 2
  fi
  export JAVA_HOME
}

# Debian/Ubuntu packages the sandbox, the SSH checks and the benchmarks use. Installs only what is missing.
ensure_packages() {
  local missing=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  command -v mariadb >/dev/null 2>&1 || missing+=(mariadb-client)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
  command -v sysbench >/dev/null 2>&1 || missing+=(sysbench)
  # network namespaces for the partition tests and benchmarks; ss for fence=shutdown on a host without a pid file
  [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  # the package test reads the installed man page with man, and builds the .deb with dpkg-deb
  command -v man >/dev/null 2>&1 || missing+=(man-db)
  command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg)
  # the virtual IP test: a forwarder in each host namespace, and the gratuitous ARP MHA4J sends
  command -v socat >/dev/null 2>&1 || missing+=(socat)
  command -v arping >/dev/null 2>&1 || missing+=(iputils-arping)
  # mha serve's tests: a real HAProxy routing by the health checks, a real browser loading the dashboard
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  # the MySQL 5.6 sandbox flavor's mysqld links libaio
  ldconfig -p 2>/dev/null | grep -q 'libaio.so.1 ' || missing+=(libaio1)
  # and its mysql client, which applies a dead master's saved binlog in a failover, links libncurses.so.5
  ldconfig -p 2>/dev/null | grep -q 'libncurses.so.5 ' || missing+=(libncurses5)
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
