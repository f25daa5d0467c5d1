# GTK 4.8: the desk.  Its theme is made with sassc on this machine; its
# build-time tools are built for Windows and run under Wine.
meson_build -Dmedia-gstreamer=disabled -Dmedia-ffmpeg=disabled -Dprint-cups=disabled -Dvulkan=disabled \
  -Dcloudproviders=disabled -Dsysprof=disabled -Dtracker=disabled -Dcolord=disabled -Dintrospection=disabled \
  -Dx11-backend=false -Dwayland-backend=false -Dmacos-backend=false -Ddemos=false -Dbuild-examples=false -Dbuild-tests=false -Dinstall-tests=false -Dgtk_doc=false -Dman-pages=false
