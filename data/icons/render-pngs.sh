#!/bin/sh
# render-pngs.sh: the PNG sizes of the icon, made from the SVG, for kiosk
# launchers and panels that draw no SVG.  Run after changing the SVG and
# commit the result (rsvg-convert: Debian's librsvg2-bin).
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
cd "$(dirname "$0")"
id=io.github.shelterdesk.ShelterDesk
for size in 16 24 32 48 64 128 256 512; do
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert --width "$size" --height "$size" --output "hicolor/${size}x${size}/apps/$id.png" "$id.svg"
done
