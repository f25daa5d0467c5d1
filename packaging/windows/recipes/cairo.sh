# cairo 1.16 with its Windows backends, the library and cairo-gobject only
# (its tests need FreeType).  Debian's 03_export-symbols.patch limits the
# exports with a regex that the Windows link does not take: reversed, and
# autoreconf because Debian's patches touch the build files.
patch -R -p1 -s < debian/patches/03_export-symbols.patch
run_logged autoreconf.log autoreconf -fi
run_logged configure.log ./configure --host=$host --prefix="$stage" --enable-shared --disable-static \
  --enable-win32 --enable-win32-font --enable-png --enable-gobject --disable-xlib --disable-xcb \
  --disable-ft --disable-fc --disable-quartz --disable-script --disable-interpreter --disable-trace \
  --disable-gtk-doc --disable-full-testing --disable-symbol-lookup
run_logged make.log make -C src -j"$jobs"
run_logged make-gobject.log make -C util/cairo-gobject -j"$jobs"
run_logged install.log make -C src install
run_logged install-gobject.log make -C util/cairo-gobject install
