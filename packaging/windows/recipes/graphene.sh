# graphene: GTK's geometry.
meson_build -Dtests=false -Dinstalled_tests=false -Dintrospection=disabled -Dgtk_doc=false -Dgobject_types=true
