# libjpeg-turbo: gdk-pixbuf's JPEG loader (TIFF and JPEG are required by
# GTK 4.8).  No SIMD: nasm is not needed for a kiosk's few images.
cmake_build -DENABLE_STATIC=OFF -DWITH_TURBOJPEG=OFF -DWITH_SIMD=OFF
