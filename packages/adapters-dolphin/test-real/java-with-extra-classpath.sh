#!/usr/bin/env bash
# Stands in for `java` when the test set-up starts the DolphinScheduler kit (JAVA=<this file>):
# appends $DS_EXTRA_CLASSPATH (the MySQL JDBC driver) to the `-cp` argument, so SQL tasks can
# reach MariaDB without touching the kit or its resolved jars.
set -euo pipefail
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "-cp" ] && [ $# -ge 2 ]; then
    args+=("-cp" "$2${DS_EXTRA_CLASSPATH:+:$DS_EXTRA_CLASSPATH}")
    shift 2
    continue
  fi
  args+=("$1")
  shift
done
exec "${DS_REAL_JAVA:-java}" "${args[@]}"
