# libpsl: libsoup's public-suffix checks, with the list Debian ships
# (package publicsuffix) built in, as Debian builds it; no IDNA library.
# Its psl tool calls localtime_r, which Windows spells localtime_s.
sed -i 's/localtime_r(&t, &tm) != NULL/localtime_s(\&tm, \&t) == 0/' tools/psl.c
meson_build -Druntime=no -Dbuiltin=true -Dpsl_file=/usr/share/publicsuffix/public_suffix_list.dat -Ddocs=false
