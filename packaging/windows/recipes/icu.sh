# ICU: search's transliterators.  Cross-building ICU needs ICU's own tools
# built for this machine first (--with-cross-build); its data is one DLL.
# ICU needs std::mutex, which only mingw's posix-threads compilers have:
# it is built with them, its C++ runtime linked in statically (so that it
# cannot clash with harfbuzz's libstdc++-6.dll); it then needs
# libwinpthread-1.dll, a C library.  The static libraries' symbols are not
# exported (--exclude-libs), or icuin would get libgcc's twice.
cd source
mkdir native cross
(cd native && env -u CPPFLAGS -u LDFLAGS -u CFLAGS -u CXXFLAGS \
   PKG_CONFIG_LIBDIR= ../configure --disable-tests --disable-samples --disable-extras --disable-layoutex \
   > "$work/native-configure.log" 2>&1 && make -j"$jobs" > "$work/native-make.log" 2>&1) ||
  { tail -40 "$work/native-configure.log" "$work/native-make.log" >&2; exit 1; }
cd cross
run_logged configure.log env CC=$host-gcc-posix CXX=$host-g++-posix \
  LDFLAGS="$LDFLAGS -static-libgcc -static-libstdc++ -Wl,--exclude-libs,ALL" ../configure --host=$host --prefix="$stage" --enable-shared --disable-static \
  --with-cross-build="$PWD/../native" --with-data-packaging=library --disable-tests --disable-samples \
  --disable-extras --disable-layoutex --disable-tools
run_logged make.log make -j"$jobs"
run_logged install.log make install
