# libsodium: batch signatures, PIN hashes.  Debian's source has no
# configure: made here.
run_logged autoreconf.log autoreconf -fi
configure_make
