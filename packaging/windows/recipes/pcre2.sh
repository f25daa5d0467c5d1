# pcre2: GLib's GRegex.
configure_make --disable-pcre2grep-libz --disable-pcre2grep-libbz2
