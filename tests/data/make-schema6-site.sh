#!/bin/sh
# make-schema6-site.sh: how tests/data/schema6-site.sqlite was made, by
# ShelterDesk at schema 6 (commit 1b59d1d), for the upgrade test in
# tests/cli/test-cli-store.py.  Kept for the record: the file itself is
# what the test needs, since today's code cannot write schema 6.
#
#   git worktree add /tmp/v6 1b59d1d && (cd /tmp/v6 && meson setup build && ninja -C build)
#   CLI=/tmp/v6/build/src/cli/shelterdesk-cli sh tests/data/make-schema6-site.sh OUT.sqlite
set -eu
export SHELTERDESK_DB="$1"
C="${CLI:?set CLI to a schema 6 shelterdesk-cli}"
"$C" init
"$C" shelter add --code S01 --name みなと川小学校 --kind designated --capacity 300 --address "みなと川市東町1-1"
"$C" shelter add --code S02 --name 福祉センター --kind welfare --capacity 40
"$C" shelter open S01
echo 123456 | "$C" staff add --staff-no 2001 --name "受付 一郎" --kana "うけつけ いちろう" --department 総務部 \
  --role lead --pin-stdin
echo '{"shelter":"S01","stay":"shelter","address":"みなと川市東町9-9","phone":"090-0000-2468","pets":"犬",
 "pets_count":1,"members":[{"name":"試験 太郎","kana":"しけん たろう","birth_date":"昭和40年4月4日","sex":"male",
 "consent_disclose":true,"care_level":"care1","allergies":"小麦"},
 {"name":"試験 花子","kana":"シケン ハナコ","birth_date":"1970-07-07","sex":"2"}]}' | "$C" evacuee add --json > /tmp/add.json
echo '{"shelter":"S02","stay":"shelter","members":[{"name":"Zoé Martin","kana":"ぞえ まるたん",
 "birth_date":"1988-02-29","sex":"female","language":"fr"}]}' | "$C" evacuee add --json
"$C" checkout "$(python3 -c "import json; print(json.load(open('/tmp/add.json'))['person_ids'][1])")"
"$C" shelter condition S01 --electricity out --water limited --supplies "毛布 50枚" --note "断水" --staff 2001
"$C" shelter close S02
"$C" checkout "$(python3 -c "import json; print(json.load(open('/tmp/add.json'))['person_ids'][0])")"
"$C" check
sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
