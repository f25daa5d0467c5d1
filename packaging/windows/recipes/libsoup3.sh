# libsoup 3: HQ's receiver and the kiosk's push.
meson_build -Dgssapi=disabled -Dntlm=disabled -Dbrotli=disabled -Dtls_check=false -Dintrospection=disabled \
  -Dvapi=disabled -Ddocs=disabled -Ddoc_tests=false -Dtests=false -Dautobahn=disabled -Dinstalled_tests=false \
  -Dsysprof=disabled
