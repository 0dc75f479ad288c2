#!/bin/sh
# Integration check of the built host, for CI: runs bin/bgupdate --until-complete as a separate
# process, each time with a fresh data directory and a small example database, and checks
#   1. a normal run completes every example update: exit 0, and in the H2 file every event
#      has its back-filled sender_domain and every room its room_stats row;
#   2. a handler that keeps failing ABORTs the run: exit 2;
#   3. a run that cannot finish in time ends at its --timeout: exit 3, promptly.
# Every host run is bounded by timeout(1) as well. Work files stay in target/host-smoke.
#
# Usage: distribution/src/test/host-smoke.sh [HOST_DIR]   (default: distribution/target/bgupdate,
#        built by 'mvn install'). Environment: JAVA (java to use), SMOKE_ROWS (default 3000).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
host=$(cd "${1:-$here/../../target/bgupdate}" && pwd)
work=$here/../../target/host-smoke
rows=${SMOKE_ROWS:-3000}
java=${JAVA:-java}
h2=$(ls "$host"/bundle/h2-*.jar)

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

fail() {
    echo "host-smoke: FAIL: $*" >&2
    exit 1
}

# run NAME TIMEOUT [runner.cfg lines...]: a host in $work/NAME with its own etc/, data/ and log/.
run() {
    name=$1 limit=$2
    shift 2
    dir=$work/$name
    mkdir -p "$dir"
    cp -r "$host/etc" "$dir/etc"
    sed -i "s/^rows = .*/rows = $rows/" "$dir/etc/io.bgupdate.examples.cfg"
    for line in "$@"; do
        echo "$line" >> "$dir/etc/io.bgupdate.runner.cfg"
    done
    started=$(date +%s)
    set +e
    timeout -k 10 $((limit + 40)) "$host/bin/bgupdate" --until-complete --timeout "$limit" --progress 5 \
        --data-dir "$dir/data" --log-dir "$dir/log" --etc "$dir/etc" > "$dir/out.txt" 2>&1
    code=$?
    set -e
    took=$(($(date +%s) - started))
    sed "s/^/  $name| /" "$dir/out.txt"
    echo "host-smoke: $name: exit $code after $took s"
}

# sql NAME QUERY: runs a query on the H2 file of host NAME (stopped), printing H2's table.
sql() {
    "$java" -cp "$h2" org.h2.tools.Shell -url "jdbc:h2:file:$work/$1/data/bgupdate" -sql "$2"
}

# 1. Every example update completes.
run complete 180
[ "$code" -eq 0 ] || fail "complete: expected exit 0, got $code (log: $work/complete/log/bgupdate.log)"
grep -q "every background update has completed" "$work/complete/out.txt" || fail "complete: no completion line"
check=$(sql complete "SELECT 'events=' || COUNT(*) || ' null_domains=' || COUNT(*) FILTER (WHERE sender_domain IS NULL)
    || ' wrong_domains=' || COUNT(*) FILTER (WHERE sender <> LEFT(sender, POSITION(':' IN sender)) || sender_domain) AS c FROM events;
    SELECT 'rooms_without_stats=' || COUNT(*) AS c FROM rooms r WHERE NOT EXISTS (SELECT 1 FROM room_stats s WHERE s.room_id = r.room_id)")
echo "$check" | grep "=" | sed 's/^/  complete| db: /'
echo "$check" | grep -q "null_domains=0 wrong_domains=0" || fail "complete: events without their sender_domain"
echo "$check" | grep -q "events=0 " && fail "complete: no events left"
echo "$check" | grep -q "rooms_without_stats=0" || fail "complete: rooms without room_stats"

# 2. The back-fill fails on every batch (its column is missing): ABORTED after five failures.
broken() {
    mkdir -p "$work/$1/data"
    sql "$1" "CREATE TABLE events (id BIGINT NOT NULL PRIMARY KEY, event_id VARCHAR(255) NOT NULL,
        room_id VARCHAR(255) NOT NULL, sender VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL,
        origin_server_ts BIGINT NOT NULL, content VARCHAR(2000) NOT NULL)" > /dev/null
}
broken aborted
run aborted 120 "retry_backoff_ms = 50"
[ "$code" -eq 2 ] || fail "aborted: expected exit 2, got $code"
grep -q "ABORTED" "$work/aborted/out.txt" || fail "aborted: no ABORTED line"

# 3. The same failing back-fill, retried only after a minute: the run ends at its timeout.
broken timeout
run timeout 5 "retry_backoff_ms = 60000"
[ "$code" -eq 3 ] || fail "timeout: expected exit 3, got $code"
[ "$took" -le 30 ] || fail "timeout: took $took s to stop"

echo "host-smoke: OK"
