# harfbuzz: pango's shaping, with Windows' GDI fonts and no FreeType.
meson_build -Dglib=enabled -Dgobject=disabled -Dcairo=disabled -Dicu=disabled -Dfreetype=disabled \
  -Dgdi=enabled -Ddirectwrite=disabled -Dchafa=disabled -Dgraphite=disabled -Dtests=disabled \
  -Dintrospection=disabled -Ddocs=disabled -Dbenchmark=disabled
