# libpng: cairo's PNG output (QR cards, map tiles).
configure_make
