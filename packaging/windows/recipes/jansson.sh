# jansson: JSON.
[ -x configure ] || run_logged autoreconf.log autoreconf -fi
configure_make
