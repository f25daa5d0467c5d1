#!/bin/sh
# build-prefix.sh: cross-builds ShelterDesk's Windows dependencies from
# Debian 12's own source packages (deps.list, one recipe per dependency in
# recipes/) into a prefix cached outside the work tree, and prints the
# prefix's path.
#
# The cache is keyed by hashes of what decides the result: each
# dependency's step has a hash of its own that covers recipes/common.sh (the
# flags and the helpers every recipe uses), the cross file, and the lines
# and recipes of every dependency up to it; the finished prefix's hash
# covers them all and smoke.c.  (This script only fetches, snapshots and
# checks: a change to it rebuilds nothing.)  An unchanged recipe reuses its prefix; a changed
# one builds again from the first changed step, starting from a snapshot of
# the steps before it.
#
# Nothing unfinished is ever trusted: each step builds in a working prefix
# ($cache/stage) and only a step that finished is snapshotted (copied, then
# renamed into place); the prefix itself is renamed into place only after a
# program linked against it has run under Wine.  A failed download, a
# missing source, a failed build or a power cut leaves at most a snapshot of
# finished steps, which the next run continues from.
#
# Sources come from apt with a private sources list and state (no change to
# the machine's apt configuration); apt checks them against Debian's signed
# indexes.  Where Debian's mirror has lost a package's Debian part (its
# .debian.tar or .diff.gz is 404), the upstream tarball is used alone, after
# its SHA-256 is checked against the same signed index, and the build says
# so.  Downloads are kept in the cache for the next build.
#
# Usage: packaging/windows/build-prefix.sh
# Environment: SD_WIN_CACHE (default ~/.cache/shelterdesk-win64).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
host=x86_64-w64-mingw32
cache=${SD_WIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shelterdesk-win64}
jobs=$(nproc)
log () { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die () { echo "build-prefix: $*" >&2; exit 1; }

mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial" "$cache/sources" "$cache/steps"
# One build at a time per cache: a second waits for the first.
exec 9> "$cache/lock"
flock 9

steps=$(grep -v '^[[:space:]]*\(#\|$\)' "$here/deps.list")
hash_of () { sha256sum | cut -c1-16; }
# The hash of step N ($1): the previous step's hash, its line, its recipe, its patches.
step_hash () {
  prev=$(cat "$here/recipes/common.sh" "$here/cross-mingw64.txt" | hash_of)
  n=0
  echo "$steps" | while read -r pkg version recipe; do
    n=$((n + 1))
    # shellcheck disable=SC2046
    prev=$({ echo "$prev $pkg $version $recipe"; cat "$here/recipes/$recipe.sh" \
      $(find "$here/patches/$recipe" -type f 2>/dev/null | LC_ALL=C sort); } | hash_of)
    if [ "$n" = "$1" ]; then echo "$prev"; break; fi
  done
}
n_steps=$(echo "$steps" | wc -l)
final=$({ step_hash "$n_steps"; cat "$here/smoke.c"; } | hash_of)
prefix=$cache/prefix-$final
if [ -d "$prefix" ]; then
  echo "$prefix"
  exit 0
fi

# ---- sources, through apt with a private configuration ----
cat > "$cache/apt/sources.list" <<EOF
deb-src http://deb.debian.org/debian bookworm main
deb-src http://deb.debian.org/debian bookworm-updates main
deb-src http://deb.debian.org/debian-security bookworm-security main
EOF
apt_opts="-o Dir::Etc::SourceList=$cache/apt/sources.list -o Dir::Etc::SourceParts=/dev/null
  -o Dir::State::Lists=$cache/apt/lists -o Dir::Cache=$cache/apt/cache -o Debug::NoLocking=1
  -o APT::Sandbox::User=$(id -un)"
apt_updated=0
apt_update () {
  [ $apt_updated = 1 ] && return 0
  # shellcheck disable=SC2086
  apt-get -qq $apt_opts update || die "Debian's source index could not be downloaded (is the network up?)."
  apt_updated=1
}

# The upstream tarball of PACKAGE at VERSION alone, checked against the
# SHA-256 in Debian's signed index: for packages whose Debian part is gone
# from the mirror.  Prints the tarball's path.
fetch_orig () {
  pkg=$1 version=$2
  # shellcheck disable=SC2086
  apt-cache $apt_opts showsrc "$pkg" | awk -v v="$version" '
    /^Package:/ { keep = 0 } /^Version:/ { keep = ($2 == v) }
    /^Directory:/ && keep { dir = $2 }
    /^Checksums-Sha256:/ { sums = keep; next } /^[^ ]/ { sums = 0 }
    sums && $3 ~ /\.orig\.tar\./ { sha = $1; file = $3 }
    END { if (file != "") print dir, sha, file }' | {
    read -r dir sha file || die "$pkg $version is not in Debian's source index."
    out=$cache/sources/$file
    if [ ! -f "$out" ]; then
      for mirror in http://deb.debian.org/debian http://deb.debian.org/debian-security; do
        curl -fsSL -o "$out.part" "$mirror/$dir/$file" 2>/dev/null && break
        rm -f "$out.part"
      done
      [ -f "$out.part" ] || die "$pkg $version: neither Debian's source nor its upstream tarball could be downloaded."
      echo "$sha  $out.part" | sha256sum -c --quiet - || { rm -f "$out.part"; die "$pkg $version: the upstream tarball does not match Debian's index."; }
      mv "$out.part" "$out"
    fi
    echo "$out"
  }
}

# Unpacks PACKAGE at VERSION (with Debian's patches) into $work/src/PACKAGE.
unpack () {
  pkg=$1 version=$2
  upstream=${version#*:}
  dsc=$cache/sources/${pkg}_${upstream}.dsc
  rm -rf "$work/src/$pkg"
  mkdir -p "$work/src"
  if [ ! -f "$dsc" ]; then
    apt_update
    # shellcheck disable=SC2086
    if ! (cd "$cache/sources" && apt-get -qq $apt_opts source --download-only "$pkg=$version") > "$work/download.log" 2>&1; then
      rm -f "$dsc"
      log "$pkg $version: Debian's part is not on the mirror; building the upstream tarball alone, checked against Debian's index."
      orig=$(fetch_orig "$pkg" "$version")
      mkdir "$work/src/$pkg"
      tar -xf "$orig" -C "$work/src/$pkg" --strip-components=1
      cd "$work/src/$pkg"
      return 0
    fi
  fi
  dpkg-source --no-check -x "$dsc" "$work/src/$pkg" > /dev/null
  cd "$work/src/$pkg"
}

# ---- what every recipe builds with (hashed) ----
stage=$cache/stage
. "$here/recipes/common.sh"

# ---- the build ----
work=$(mktemp -d "${TMPDIR:-/tmp}/sd-win-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

cross_prefix_file "$stage" > "$work/prefix.txt"
cmake_toolchain > "$work/toolchain.cmake"

# The furthest finished step of this recipe, if any, is where the build starts.
start=0
rm -rf "$stage"
n=$n_steps
while [ "$n" -gt 0 ]; do
  h=$(step_hash "$n")
  if [ -d "$cache/steps/$h" ]; then
    cp -a "$cache/steps/$h" "$stage"
    start=$n
    log "continuing from the snapshot of step $n of $n_steps"
    break
  fi
  n=$((n - 1))
done
[ -d "$stage" ] || { mkdir -p "$stage/bin"; cp "/usr/$host/lib/zlib1.dll" "$stage/bin/"; }

t0=$(date +%s)
n=0
echo "$steps" > "$work/steps"
while read -r pkg version recipe; do
  n=$((n + 1))
  [ "$n" -gt "$start" ] || continue
  s=$(date +%s)
  # In the background so that errexit holds inside (it does not in a "|| die" list).
  (
    unpack "$pkg" "$version"
    for p in $(find "$here/patches/$recipe" -name '*.patch' 2>/dev/null | LC_ALL=C sort); do
      patch -p1 -s < "$p"
    done
    . "$here/recipes/$recipe.sh"
  ) < /dev/null &
  wait $! || die "$pkg $version did not build (recipe recipes/$recipe.sh; step $n of $n_steps)."
  rm -rf "$work/src"
  h=$(step_hash "$n")
  rm -rf "$cache/steps/.new"
  cp -a "$stage" "$cache/steps/.new"
  mv "$cache/steps/.new" "$cache/steps/$h"
  for old in "$cache"/steps/*; do
    [ "$old" = "$cache/steps/$h" ] || rm -rf "$old"
  done
  log "$pkg $version: $(( $(date +%s) - s )) s"
done < "$work/steps"
log "the prefix: $(( $(date +%s) - t0 )) s"

# Trusted only once a program linked against it runs, under Wine.
# shellcheck disable=SC2046
$host-gcc $CFLAGS -o "$work/sd-smoke.exe" "$here/smoke.c" \
  $(pkg-config --cflags --libs gio-2.0 sqlite3 libsodium jansson)
answer=$(/usr/lib/wine/wine64 "$work/sd-smoke.exe" 2>/dev/null | tr -d '\r')
case "$answer" in
  ok:*) log "under Wine: $answer" ;;
  *) die "a program linked against the new prefix does not run under Wine: $answer" ;;
esac

# Into place: the paths the files name become the prefix's own.
rm -rf "$prefix.new"
cp -a "$stage" "$prefix.new"
grep -rlF "$stage" "$prefix.new/lib" "$prefix.new/bin" "$prefix.new/share" 2>/dev/null | while read -r file; do
  case "$file" in
    *.pc|*.la|*.cmake|*-config|*.py|*.txt) sed -i "s|$stage|$prefix|g" "$file" ;;
  esac
done
mkdir -p "$prefix.new/share/shelterdesk"
cross_prefix_file "$prefix" > "$prefix.new/share/shelterdesk/cross-prefix.txt"
mv "$prefix.new" "$prefix"
# Snapshots and prefixes of older recipes are not used again.
rm -rf "$stage" "$cache"/steps/*
for old in "$cache"/prefix-*; do
  [ "$old" = "$prefix" ] || rm -rf "$old"
done
echo "$prefix"
