# libepoxy: GTK's OpenGL (WGL on Windows).
meson_build -Ddocs=false -Dtests=false -Dglx=no -Degl=no -Dx11=false
