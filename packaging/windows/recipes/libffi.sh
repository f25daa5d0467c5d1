# libffi: GLib's closures.
configure_make --disable-docs --disable-multi-os-directory
