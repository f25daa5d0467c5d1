# GLib, GObject, GIO.
meson_build -Dtests=false -Dinstalled_tests=false -Dnls=enabled -Dlibmount=disabled -Dselinux=disabled \
  -Dxattr=false -Dman=false -Dgtk_doc=false -Ddtrace=false -Dsystemtap=false -Dsysprof=disabled -Dlibelf=disabled
