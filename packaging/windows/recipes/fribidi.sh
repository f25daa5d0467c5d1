# fribidi: pango's bidirectional text.
meson_build -Ddocs=false
