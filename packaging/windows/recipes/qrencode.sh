# libqrencode: QR evacuee cards.  The library only (the tool needs libpng's
# command-line support, which the desk does not use).
[ -x configure ] || run_logged autoreconf.log autoreconf -fi
configure_make --without-tools
