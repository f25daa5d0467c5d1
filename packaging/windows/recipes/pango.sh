# pango: text for the desk, the printed sheets and cards (Windows' fonts
# through pangowin32 and cairo's win32 font backend).
meson_build -Dfontconfig=disabled -Dfreetype=disabled -Dcairo=enabled -Dxft=disabled -Dlibthai=disabled \
  -Dintrospection=disabled -Dgtk_doc=false -Dinstall-tests=false -Dsysprof=disabled
