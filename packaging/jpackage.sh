#!/usr/bin/env bash
# Builds DistriBank's installers with jpackage (JDK 17+): an app-image and a Debian package.
#
#   packaging/jpackage.sh                   # mvn package, then app/target/jpackage/DistriBank/ and distribank_<v>_amd64.deb
#   packaging/jpackage.sh --app-image-only  # just the app-image (what `mvn verify` builds and tests)
#
# Options: --app-image-only, --no-build (use app/target/distribank.jar and app/target/lib as they are),
# --dest DIR (default app/target/jpackage), --verbose (jpackage's own log). As root on Debian/Ubuntu,
# missing tools are installed with apt-get; otherwise the script says what is missing.
# docs/DEPLOYMENT.md describes what the packages contain and how to install them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
dest="$root/app/target/jpackage"
image_only=false
build=true
verbose=()
while [ $# -gt 0 ]; do
  case "$1" in
    --app-image-only) image_only=true ;;
    --no-build) build=false ;;
    --verbose) verbose=(--verbose) ;;
    --dest) dest="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "jpackage.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "jpackage.sh: $*" >&2; }

# Tools: jpackage and jlink with the JDK's jmods (the image's runtime is jlinked from them); for the .deb
# also fakeroot and dpkg-deb.
jpackage_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jpackage"
if ! command -v "$jpackage_bin" >/dev/null 2>&1; then
  say "jpackage not found: install a full JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  exit 1
fi
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v "$jpackage_bin")")")")"
missing_packages=()
if [ ! -f "$java_home/jmods/java.base.jmod" ]; then
  say "no $java_home/jmods: jlink needs the JDK's jmods (Debian: openjdk-17-jdk-headless; Ubuntu: openjdk-17-jmods)"
  missing_packages+=(openjdk-17-jmods)
fi
if [ "$image_only" = false ]; then
  command -v fakeroot >/dev/null 2>&1 || missing_packages+=(fakeroot)
  command -v dpkg-deb >/dev/null 2>&1 || missing_packages+=(dpkg)
fi
if [ ${#missing_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q "${missing_packages[@]}" </dev/null
  else
    say "missing: ${missing_packages[*]} (install them, as root: apt-get install ${missing_packages[*]})"
    exit 1
  fi
fi

# The runtime jars: app/target/distribank.jar and app/target/lib/ (mvn package).
if [ "$build" = true ]; then
  say "building the jars (mvn -B -q -DskipTests package)"
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi
jar="$root/app/target/distribank.jar"
if [ ! -f "$jar" ] || [ ! -d "$root/app/target/lib" ]; then
  say "no $jar or app/target/lib: run without --no-build, or mvn -B -DskipTests package first"
  exit 1
fi

# jpackage wants a numeric version: the project's, without -SNAPSHOT.
version="$(sed -n 's:^  <version>\([0-9][0-9.]*\)[^<]*</version>.*:\1:p' "$root/pom.xml")"
if ! [[ "$version" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]]; then
  say "cannot read the project version from pom.xml (got '$version')"
  exit 1
fi

# Modules of the jlinked runtime: all of Java SE, plus the JDK's service providers and runtime modules that
# no jar names but the app needs at run time (EC and PKCS#11 crypto for TLS, DNS naming, locales, charsets,
# zip file system, jdk.unsupported for JavaFX/Kotlin, JFR and management for operations, jcmd for thread
# dumps). Left out: the development tools (javac, javadoc, jshell, jlink, jpackage, debugger agents).
modules=java.se,jdk.accessibility,jdk.attach,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.dynalink
modules+=,jdk.httpserver,jdk.jcmd,jdk.jfr,jdk.jsobject,jdk.localedata,jdk.management,jdk.management.agent
modules+=,jdk.management.jfr,jdk.naming.dns,jdk.naming.rmi,jdk.net,jdk.nio.mapmode,jdk.random,jdk.sctp
modules+=,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.unsupported.desktop,jdk.xml.dom,jdk.zipfs

common=(--name DistriBank --app-version "$version" --vendor DistriBank
        --description "DistriBank: a consortium of banks with no central bank"
        --copyright "DistriBank" --icon "$root/assets/icons/distribank.png")

# Stage the jars: jpackage puts every jar of --input on the class path, in app/ of the image.
work="$dest/input"
rm -rf "$dest"
mkdir -p "$work/lib"
cp "$jar" "$work/"
cp "$root"/app/target/lib/*.jar "$work/lib/"

# The application: the desktop launcher (DistribankCli app) and the `distribank` launcher of the headless
# commands. bin/java stays in the runtime (no --strip-native-commands): `distribank consortium --processes`
# starts its banks and data servers with java.home/bin/java.
app=(--input "$work" --main-jar distribank.jar --main-class org.distribank.app.cli.DistribankCli
     --arguments app
     --java-options -XX:+UseParallelGC
     --java-options -XX:+ExitOnOutOfMemoryError
     --add-launcher distribank="$here/jpackage/distribank.properties"
     --add-modules "$modules"
     --jlink-options "--strip-debug --no-man-pages --no-header-files")

say "app-image $version -> $dest/DistriBank"
"$jpackage_bin" --type app-image "${verbose[@]}" --dest "$dest" "${common[@]}" "${app[@]}"

if [ "$image_only" = false ]; then
  # From the same inputs rather than from the image (which does not keep the launchers' properties). JDK 17
  # gives every launcher a menu entry when --linux-shortcut is set: resources/distribank.desktop hides the
  # terminal command's entry (NoDisplay) and marks it Terminal.
  say "deb $version -> $dest"
  "$jpackage_bin" --type deb "${verbose[@]}" --dest "$dest" "${common[@]}" "${app[@]}" \
    --linux-package-name distribank --linux-deb-maintainer "ops@distribank.example" \
    --linux-menu-group "Office;Finance" --linux-app-category misc --linux-shortcut \
    --linux-package-deps libgtk-3-0 \
    --resource-dir "$here/jpackage/resources"
fi
rm -rf "$work"
echo "$dest/DistriBank"
if [ "$image_only" = false ]; then
  echo "$dest/distribank_${version}-1_amd64.deb"
fi
