# common.sh: the flags and helpers every recipe builds with, sourced by
# build-prefix.sh with $stage (the working prefix), $work, $host and $jobs
# set.  Part of every step's hash: a change here rebuilds everything.
# SPDX-License-Identifier: GPL-3.0-or-later
export PKG_CONFIG_LIBDIR="$stage/lib/pkgconfig:$stage/share/pkgconfig:/usr/$host/lib/pkgconfig"
export CPPFLAGS="-I$stage/include"
export LDFLAGS="-L$stage/lib"
# mingw cannot link glibc's fortified __memcpy_chk and friends.
export CFLAGS="-O2 -Wp,-U_FORTIFY_SOURCE"
export CXXFLAGS="$CFLAGS"
# Tools the build runs on this machine (glib-compile-resources, sassc, gtk's
# own generators built for Windows run under Wine) find their programs.
export PATH="$stage/bin:$PATH"
export WINEPREFIX="$cache/wine" WINEDEBUG=-all WINEPATH="$stage/bin"

run_logged () {
  logfile=$1; shift
  "$@" > "$work/$logfile" 2>&1 || { tail -40 "$work/$logfile" >&2; return 1; }
}
configure_make () {
  run_logged configure.log ./configure --host=$host --prefix="$stage" --enable-shared --disable-static "$@"
  run_logged make.log make -j"$jobs"
  run_logged install.log make install
}
meson_build () {
  run_logged meson.log meson setup _build --cross-file "$here/cross-mingw64.txt" --cross-file "$work/prefix.txt" \
    --prefix="$stage" --libdir=lib --buildtype=release --wrap-mode=nodownload "$@"
  run_logged ninja.log ninja -C _build -j"$jobs"
  run_logged install.log ninja -C _build install
}
cmake_build () {
  run_logged cmake.log cmake -S . -B _build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$work/toolchain.cmake" \
    -DCMAKE_INSTALL_PREFIX="$stage" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON "$@"
  run_logged ninja.log ninja -C _build -j"$jobs"
  run_logged install.log ninja -C _build install
}
# A pkg-config file for a library that installs none on Windows.
write_pc () {
  name=$1 version=$2 libs=$3
  mkdir -p "$stage/lib/pkgconfig"
  printf '%s\n' "prefix=$stage" 'libdir=${prefix}/lib' 'includedir=${prefix}/include' '' "Name: $name" \
    "Description: $name" "Version: $version" "Libs: -L\${libdir} $libs" 'Cflags: -I${includedir}' \
    > "$stage/lib/pkgconfig/$name.pc"
}

# The meson cross file that names the prefix at PATH (the working one while
# building, the final one in the finished prefix).
cross_prefix_file () {
  cat <<EOF
[properties]
pkg_config_libdir = ['$1/lib/pkgconfig', '$1/share/pkgconfig', '/usr/$host/lib/pkgconfig']

[built-in options]
c_args = ['-Wp,-U_FORTIFY_SOURCE', '-I$1/include']
c_link_args = ['-L$1/lib']
cpp_args = ['-Wp,-U_FORTIFY_SOURCE', '-I$1/include']
cpp_link_args = ['-L$1/lib']
EOF
}
cmake_toolchain () {
  cat <<EOF
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER $host-gcc)
set(CMAKE_CXX_COMPILER $host-g++)
set(CMAKE_RC_COMPILER $host-windres)
set(CMAKE_FIND_ROOT_PATH /usr/$host $stage)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
EOF
}
