# Only libintl of gettext (there is no proxy-libintl source package in
# Debian): GLib and ShelterDesk find it as dependency('intl').
cd gettext-runtime
run_logged configure.log ./configure --host=$host --prefix="$stage" --enable-shared --disable-static \
  --disable-java --disable-csharp --disable-libasprintf --disable-openmp --disable-curses
run_logged make.log make -C intl -j"$jobs"
run_logged install.log make -C intl install
