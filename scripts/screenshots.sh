#!/usr/bin/env bash
# Takes the README's screenshots from the real desktop window under a virtual X display:
# the start screen and every sidebar page of a live 4-bank consortium (app/src/test/.../ScreenshotTour).
# Needs Debian's xvfb and libgtk-3-0 (installed when missing, as root). Writes docs/screenshots/*.png.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
[ -e /usr/lib/x86_64-linux-gnu/libgtk-3.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libgtk-3.so.0 ] || need+=(libgtk-3-0)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
mvn -B -q -DskipTests install
(cd app && mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt)
data=$(mktemp -d)
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
DISPLAY=$display java -Dprism.order=sw \
  -cp "app/target/classes:app/target/test-classes:$(cat app/target/test-classpath.txt)" \
  org.distribank.app.ui.ScreenshotTour docs/screenshots "$data"
ls -l docs/screenshots
