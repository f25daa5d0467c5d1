# gdk-pixbuf with its loaders built in (no loaders.cache to keep in step).
meson_build -Dpng=enabled -Dtiff=enabled -Djpeg=enabled -Dbuiltin_loaders=all -Dgtk_doc=false -Ddocs=false \
  -Dman=false -Dintrospection=disabled -Dtests=false -Dinstalled_tests=false -Drelocatable=true
