# pixman: cairo's rasterizer.
meson_build -Dgtk=disabled -Dlibpng=disabled -Dopenmp=disabled -Dtests=disabled
