# SQLite's own tools (lemon, tclsh scripts) make the amalgamation on the
# build machine; it is then one DLL, with Debian's compile options.
mkdir native
(cd native && env -u CPPFLAGS -u LDFLAGS CFLAGS=-O2 ../configure --disable-tcl > "$work/configure.log" 2>&1 &&
   make sqlite3.c > "$work/make.log" 2>&1) || { tail -40 "$work/configure.log" "$work/make.log" >&2; exit 1; }
mkdir -p "$stage/bin" "$stage/lib/pkgconfig" "$stage/include"
$host-gcc $CFLAGS -shared -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB \
  -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 \
  -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_UNLOCK_NOTIFY \
  -DSQLITE_ENABLE_PREUPDATE_HOOK -DSQLITE_ENABLE_SESSION -DSQLITE_SECURE_DELETE -DSQLITE_USE_URI=1 \
  -DSQLITE_MAX_VARIABLE_NUMBER=250000 -o "$stage/bin/libsqlite3-0.dll" native/sqlite3.c \
  -Wl,--out-implib,"$stage/lib/libsqlite3.dll.a"
cp native/sqlite3.h src/sqlite3ext.h "$stage/include/"
write_pc sqlite3 "$(sed -n 's/^#define SQLITE_VERSION *"\(.*\)"/\1/p' native/sqlite3.h)" -lsqlite3
