#!/usr/bin/env bash
# Builds DistriBank's installers: a jpackage app-image (JDK 17+) and, from it, two Debian packages.
#
#   packaging/jpackage.sh                   # mvn package, then in app/target/jpackage/: DistriBank/ (the app-image),
#                                           # distribank_<v>-2_<arch>.deb (servers) and distribank-desktop_<v>-2_<arch>.deb
#   packaging/jpackage.sh --app-image-only  # just the app-image
#
# Options: --app-image-only, --debs-if-dpkg (the .debs only where dpkg-deb is installed: what `mvn verify`
# runs), --no-build (use app/target/distribank.jar, lib/ and javafx/ as they are), --dest DIR (default
# app/target/jpackage), --verbose (jpackage's own log). As root on Debian/Ubuntu, missing tools are installed
# with apt-get; otherwise the script says what is missing. docs/DEPLOYMENT.md describes the packages.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
dest="$root/app/target/jpackage"
image_only=false
debs_if_dpkg=false
build=true
verbose=()
while [ $# -gt 0 ]; do
  case "$1" in
    --app-image-only) image_only=true ;;
    --debs-if-dpkg) debs_if_dpkg=true ;;
    --no-build) build=false ;;
    --verbose) verbose=(--verbose) ;;
    --dest) dest="$(mkdir -p "$2" && cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "jpackage.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "jpackage.sh: $*" >&2; }

# Tools: jpackage and jlink with the JDK's jmods (the image's runtime is jlinked from them); for the .debs
# dpkg-deb (no fakeroot: --root-owner-group).
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
if [ "$debs_if_dpkg" = true ] && ! command -v dpkg-deb >/dev/null 2>&1; then
  say "no dpkg-deb: building the app-image only"
  image_only=true
fi
if [ "$image_only" = false ]; then
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

# The runtime jars: app/target/distribank.jar, app/target/lib/ and JavaFX's in app/target/javafx/ (mvn package).
if [ "$build" = true ]; then
  say "building the jars (mvn -B -q -DskipTests package)"
  # plain output, as ./distribank's build (see there)
  (cd "$root" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi
jar="$root/app/target/distribank.jar"
if [ ! -f "$jar" ] || [ ! -d "$root/app/target/lib" ] || [ ! -d "$root/app/target/javafx" ]; then
  say "no $jar, app/target/lib or app/target/javafx: run without --no-build, or mvn -B -DskipTests package first"
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

# Stage the jars: jpackage puts every jar of --input on the class path, in app/ of the image. JavaFX is jlinked
# into the runtime instead, as modules (on the class path it warns "Unsupported JavaFX configuration" at every
# start): its modular jars only, not the empty ones Maven resolves beside them (automatic modules, which jlink
# refuses).
work="$dest/input"
fx="$dest/javafx-modules"
rm -rf "$dest"
mkdir -p "$work/lib" "$fx"
cp "$jar" "$work/"
cp "$root"/app/target/lib/*.jar "$work/lib/"
jar_bin="$java_home/bin/jar"
for j in "$root"/app/target/javafx/*.jar; do
  if "$jar_bin" --list --file "$j" | grep -qx module-info.class; then
    cp "$j" "$fx/"
  fi
done
modules+=,javafx.controls

# The application: the desktop launcher (DistribankCli app) and the `distribank` launcher of the headless
# commands. bin/java stays in the runtime (no --strip-native-commands): `distribank consortium --processes`
# starts its banks and data servers with java.home/bin/java.
app=(--input "$work" --main-jar distribank.jar --main-class org.distribank.app.cli.DistribankCli
     --arguments app
     --java-options -XX:+UseParallelGC
     --java-options -XX:+ExitOnOutOfMemoryError
     --add-launcher distribank="$here/jpackage/distribank.properties"
     --module-path "$fx"
     --add-modules "$modules"
     --jlink-options "--strip-debug --no-man-pages --no-header-files")

say "app-image $version -> $dest/DistriBank"
"$jpackage_bin" --type app-image "${verbose[@]}" --dest "$dest" "${common[@]}" "${app[@]}"

rm -rf "$work" "$fx"

if [ "$image_only" = false ]; then
  # The .debs are made from the image with dpkg-deb rather than by jpackage, whose maintainer scripts call
  # xdg-desktop-menu unconditionally (and fail where there is no desktop) and give every launcher a menu entry.
  # distribank: the image, the systemd units and the service user's setup; it installs on a minimal Debian.
  # distribank-desktop: the desktop app's menu entry and icon, and GTK. The desktop launcher bin/DistriBank stays
  # in distribank: a jpackage launcher finds its runtime (lib/libapplauncher.so) among the files of the package
  # that owns it, and fails silently when that package has none; without GTK it only cannot open a window.
  arch="$(dpkg --print-architecture)"
  # The Debian revision: 2 since these packages replaced jpackage's 0.1.0-1, whose scripts failed without a
  # desktop; the higher revision lets apt replace a half-configured 0.1.0-1 (new prerm/postrm failed-upgrade).
  revision=2
  debs="$dest/deb"
  server="$debs/distribank"
  desktop="$debs/distribank-desktop"
  mkdir -p "$server/opt" "$server/DEBIAN" "$server/usr/lib/systemd/system" "$server/usr/bin" \
           "$desktop/DEBIAN" "$desktop/usr/share/applications" "$desktop/usr/share/icons/hicolor/256x256/apps" \
           "$desktop/usr/share/icons/hicolor/scalable/apps"
  cp -a "$dest/DistriBank" "$server/opt/distribank"
  ln -s /opt/distribank/bin/distribank "$server/usr/bin/distribank"
  cp "$here"/deb/distribank/*.service "$server/usr/lib/systemd/system/"
  cp "$here"/deb/distribank/{postinst,prerm,postrm} "$server/DEBIAN/"
  cp "$here/deb/distribank-desktop/distribank.desktop" "$desktop/usr/share/applications/"
  cp "$root/assets/icons/distribank.png" "$desktop/usr/share/icons/hicolor/256x256/apps/"
  cp "$root/assets/icons/distribank.svg" "$desktop/usr/share/icons/hicolor/scalable/apps/"
  # The headless commands load only the JVM's core libraries (libc, zlib); the runtime's AWT and JavaFX
  # libraries need X11/GTK only when a window opens, which distribank-desktop's dependencies bring.
  control() { # package depends description...
    local pkg="$1" depends="$2"
    shift 2
    cat >"$debs/$pkg/DEBIAN/control" <<CONTROL
Package: $pkg
Version: $version-$revision
Architecture: $arch
Maintainer: DistriBank <ops@distribank.example>
Installed-Size: $(du -sk --exclude=DEBIAN "$debs/$pkg" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: $1
$(printf ' %s\n' "${@:2}")
CONTROL
  }
  control distribank "libc6, zlib1g, passwd" "DistriBank: a consortium of banks with no central bank (servers)" \
    "The headless launcher /opt/distribank/bin/distribank (also /usr/bin/distribank) with its own Java" \
    "runtime, and the systemd units distribank-peer@.service and distribank-data-server@.service, which run" \
    "a bank or a data server from /etc/distribank/<name>.json as the distribank user."
  control distribank-desktop "distribank (= $version-$revision), libgtk-3-0 | libgtk-3-0t64" \
    "DistriBank: a consortium of banks with no central bank (desktop app)" \
    "The menu entry (Office/Finance) and icon of the desktop app /opt/distribank/bin/DistriBank, and the" \
    "GTK it needs: launch a consortium on this computer or connect to banks running elsewhere, watch and" \
    "use it."
  chmod -R u+rwX,go+rX,go-w "$debs"
  for pkg in distribank distribank-desktop; do
    deb="$dest/${pkg}_${version}-${revision}_${arch}.deb"
    say "deb -> $deb"
    # gzip: several times faster to build than the default xz, for a few MB more
    dpkg-deb --root-owner-group -Zgzip --build "$debs/$pkg" "$deb" >/dev/null
  done
  rm -rf "$debs"
fi
echo "$dest/DistriBank"
if [ "$image_only" = false ]; then
  echo "$dest/distribank_${version}-${revision}_${arch}.deb"
  echo "$dest/distribank-desktop_${version}-${revision}_${arch}.deb"
fi
