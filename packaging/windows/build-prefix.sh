#!/bin/sh
# build-prefix.sh: cross-builds ShelterDesk's Windows dependencies from
# Debian 12's own source packages (deps.list) into a prefix cached outside
# the work tree, and prints the prefix's path.
#
# The cache is keyed by the recipe's hash (this script, deps.list, the
# cross file and patches/): an unchanged recipe reuses its prefix, a
# changed one builds a new one.  Everything is built in a temporary folder
# that is renamed into place only when every dependency has built, so a
# failed download, a missing source or a power cut never leaves a prefix a
# later run trusts.
#
# Sources come from apt with a private sources list and state (no change to
# the machine's apt configuration); apt checks them against Debian's signed
# indexes, and the downloads are kept in the cache for the next build.
#
# Usage: packaging/windows/build-prefix.sh
# Environment: SD_WIN_CACHE (default ~/.cache/shelterdesk-win64); SD_WIN_KEEP=1
# keeps the folder of a build that failed.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
host=x86_64-w64-mingw32
cache=${SD_WIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shelterdesk-win64}
jobs=$(nproc)

recipe_hash () {
  # shellcheck disable=SC2046
  cat "$here/build-prefix.sh" "$here/deps.list" "$here/cross-mingw64.txt" \
      $(find "$here/patches" -type f 2>/dev/null | LC_ALL=C sort) | sha256sum | cut -c1-16
}

hash=$(recipe_hash)
prefix=$cache/prefix-$hash
if [ -d "$prefix" ]; then
  echo "$prefix"
  exit 0
fi

mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial" "$cache/sources"
work=$(mktemp -d "$cache/building-$hash.XXXXXX")
built=0
# SD_WIN_KEEP=1 keeps a failed build's folder to look into (never used as a prefix).
trap 'if [ $built = 0 ] && [ "${SD_WIN_KEEP:-0}" = 1 ]; then echo "build-prefix: kept $work" >&2; else rm -rf "$work"; fi' \
  EXIT INT TERM
stage=$work/prefix
mkdir -p "$stage"
log () { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- sources, through apt with a private configuration ----
cat > "$cache/apt/sources.list" <<EOF
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
EOF
apt_opts="-o Dir::Etc::SourceList=$cache/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists=$cache/apt/lists -o Dir::Cache=$cache/apt/cache -o Debug::NoLocking=1
  -o APT::Sandbox::User=$(id -un)"
# shellcheck disable=SC2086
apt-get -qq $apt_opts update

# Unpacks PACKAGE at VERSION (with Debian's patches) into $work/src/PACKAGE.
unpack () {
  pkg=$1 version=$2
  upstream=${version#*:}
  dsc=$cache/sources/${pkg}_${upstream}.dsc
  if [ ! -f "$dsc" ]; then
    # shellcheck disable=SC2086
    (cd "$cache/sources" && apt-get -qq $apt_opts source --download-only "$pkg=$version") || {
      echo "build-prefix: Debian's source of $pkg $version could not be downloaded." >&2
      exit 1
    }
  fi
  rm -rf "$work/src/$pkg"
  mkdir -p "$work/src"
  dpkg-source --no-check -x "$dsc" "$work/src/$pkg" > /dev/null
  cd "$work/src/$pkg"
}

# ---- how each is built ----
export PKG_CONFIG_LIBDIR="$stage/lib/pkgconfig:/usr/$host/lib/pkgconfig"
export CPPFLAGS="-I$stage/include"
export LDFLAGS="-L$stage/lib"
export CFLAGS="-O2 -Wp,-U_FORTIFY_SOURCE"

configure_make () {
  ./configure --host=$host --prefix="$stage" --enable-shared --disable-static "$@" > "$work/configure.log" 2>&1 ||
    { tail -40 "$work/configure.log" >&2; return 1; }
  make -j"$jobs" > "$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; return 1; }
  make install > /dev/null
}

cat > "$work/prefix.txt" <<EOF
[properties]
pkg_config_libdir = ['$stage/lib/pkgconfig', '/usr/$host/lib/pkgconfig']

[built-in options]
c_args = ['-Wp,-U_FORTIFY_SOURCE', '-I$stage/include']
c_link_args = ['-L$stage/lib']
cpp_args = ['-Wp,-U_FORTIFY_SOURCE', '-I$stage/include']
cpp_link_args = ['-L$stage/lib']
EOF

meson_build () {
  meson setup _build --cross-file "$here/cross-mingw64.txt" --cross-file "$work/prefix.txt" --prefix="$stage" \
    --libdir=lib --buildtype=release --wrap-mode=nodownload "$@" > "$work/meson.log" 2>&1 ||
    { tail -40 "$work/meson.log" >&2; return 1; }
  ninja -C _build -j"$jobs" > "$work/ninja.log" 2>&1 || { tail -40 "$work/ninja.log" >&2; return 1; }
  ninja -C _build install > /dev/null
}

recipe_libffi () { configure_make --disable-docs --disable-multi-os-directory; }
recipe_pcre2 () { configure_make --disable-pcre2grep-libz --disable-pcre2grep-libbz2; }
# Only libintl of gettext: GLib finds it as dependency('intl').
recipe_intl () {
  cd gettext-runtime
  ./configure --host=$host --prefix="$stage" --enable-shared --disable-static --disable-java --disable-csharp \
    --disable-libasprintf --disable-openmp --disable-curses > "$work/configure.log" 2>&1 ||
    { tail -40 "$work/configure.log" >&2; return 1; }
  make -C intl -j"$jobs" > "$work/make.log" 2>&1 || { tail -40 "$work/make.log" >&2; return 1; }
  make -C intl install > /dev/null
}
recipe_glib () {
  meson_build -Dtests=false -Dinstalled_tests=false -Dnls=enabled -Dlibmount=disabled -Dselinux=disabled \
    -Dxattr=false -Dman=false -Dgtk_doc=false -Ddtrace=false -Dsystemtap=false -Dsysprof=disabled -Dlibelf=disabled
}
# SQLite's own tools (lemon, tclsh scripts) make the amalgamation on the
# build machine; it is then one DLL, with Debian's compile options.
recipe_sqlite3 () {
  mkdir native
  (cd native && env -u CPPFLAGS -u LDFLAGS CFLAGS=-O2 ../configure --disable-tcl > "$work/configure.log" 2>&1 &&
     make sqlite3.c > "$work/make.log" 2>&1) || { tail -40 "$work/configure.log" "$work/make.log" >&2; return 1; }
  mkdir -p "$stage/bin" "$stage/lib/pkgconfig"
  $host-gcc $CFLAGS -shared -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB \
    -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
    -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_UNLOCK_NOTIFY \
    -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION -DSQLITE_SECURE_DELETE -DSQLITE_USE_URI=1 \
    -DSQLITE_MAX_VARIABLE_NUMBER=250000 -o "$stage/bin/libsqlite3-0.dll" native/sqlite3.c \
    -Wl,--out-implib,"$stage/lib/libsqlite3.dll.a"
  cp native/sqlite3.h src/sqlite3ext.h "$stage/include/"
  sqlite_version=$(sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' native/sqlite3.h)
  printf '%s\n' "prefix=$stage" 'libdir=${prefix}/lib' 'includedir=${prefix}/include' '' 'Name: SQLite' \
    'Description: SQL database engine' "Version: $sqlite_version" 'Libs: -L${libdir} -lsqlite3' 'Cflags: -I${includedir}' \
    > "$stage/lib/pkgconfig/sqlite3.pc"
}
# Debian's source of libsodium has no configure: made here.
recipe_libsodium () { autoreconf -fi > /dev/null 2>&1; configure_make; }
recipe_jansson () {
  [ -x configure ] || autoreconf -fi > /dev/null 2>&1
  configure_make
}

# ---- the build ----
t0=$(date +%s)
# zlib as Debian builds it for mingw, shipped with the rest.
mkdir -p "$stage/bin"
cp "/usr/$host/lib/zlib1.dll" "$stage/bin/"
grep -v '^[[:space:]]*#' "$here/deps.list" | while read -r pkg version recipe; do
  [ -n "$pkg" ] || continue
  s=$(date +%s)
  unpack "$pkg" "$version"
  "recipe_$recipe" || { echo "build-prefix: $pkg $version did not build (recipe $recipe)." >&2; exit 1; }
  log "$pkg $version: $(( $(date +%s) - s )) s"
done
log "the prefix: $(( $(date +%s) - t0 )) s"

# Trusted only once a program linked against it runs, under Wine.
# shellcheck disable=SC2046
$host-gcc $CFLAGS -o "$stage/bin/sd-smoke.exe" "$here/smoke.c" \
  $(pkg-config --cflags --libs gio-2.0 sqlite3 libsodium jansson)
answer=$(WINEPREFIX="$cache/wine" WINEDEBUG=-all /usr/lib/wine/wine64 "$stage/bin/sd-smoke.exe" 2>/dev/null | tr -d '\r')
rm -f "$stage/bin/sd-smoke.exe"
case "$answer" in
  ok:*) log "under Wine: $answer" ;;
  *) echo "build-prefix: a program linked against the new prefix does not run under Wine: $answer" >&2; exit 1 ;;
esac

# Into place: the paths the files name become the prefix's own.
grep -rlF "$stage" "$stage/lib" "$stage/bin" "$stage/share" 2>/dev/null | while read -r file; do
  case "$file" in
    *.pc|*.la|*.cmake|*-config|*.py) sed -i "s|$stage|$prefix|g" "$file" ;;
  esac
done
mv "$stage" "$prefix"
built=1
# Prefixes of older recipes are not used again.
for old in "$cache"/prefix-*; do
  [ "$old" = "$prefix" ] || rm -rf "$old"
done
echo "$prefix"
