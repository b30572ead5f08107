#!/bin/sh
# The image's `distribank` command: the launcher's CLI on the jars in /opt/distribank. PID 1 is then the JVM,
# so `docker stop` (SIGTERM) runs its shutdown hook: stop HTTP, finish the queued writes, close the data.
set -eu
# shellcheck disable=SC2086 # DISTRIBANK_JAVA_OPTS holds several options; unset: the parallel collector (see ./distribank)
exec java -XX:+ExitOnOutOfMemoryError ${DISTRIBANK_JAVA_OPTS--XX:+UseParallelGC} -cp "/opt/distribank/distribank.jar:/opt/distribank/lib/*" \
  org.distribank.app.cli.DistribankCli "$@"
