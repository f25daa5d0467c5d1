# libtiff: required by GTK 4.8 (gdk's texture loaders).  Debian's source
# has no configure: CMake.  Only zlib and JPEG.
cmake_build -Dtiff-tools=OFF -Dtiff-tests=OFF -Dtiff-contrib=OFF -Dtiff-docs=OFF -Dtiff-opengl=OFF -Dcxx=OFF \
  -Djbig=OFF -Dlzma=OFF -Dzstd=OFF -Dwebp=OFF -Dlerc=OFF -Dlibdeflate=OFF -Dsphinx=OFF -Dld-version-script=OFF
