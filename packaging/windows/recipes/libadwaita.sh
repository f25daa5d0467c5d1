# libadwaita 1.2: the desk's widgets and style manager.  Its stack
# protector needs mingw's libssp, which nothing else links: left out, as
# for every other library here.
sed -i "/-fstack-protector/d" meson.build
meson_build -Dintrospection=disabled -Dvapi=false -Dgtk_doc=false -Dtests=false -Dexamples=false
