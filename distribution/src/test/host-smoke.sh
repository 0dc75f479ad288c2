#!/bin/sh
# Integration check of the built host, for CI: runs bin/bgupdate --until-complete as a separate
# process, each time with a fresh data directory and a small example database, and checks
#   1. a normal run completes every example update: exit 0, and in the H2 file every event
#      has its back-filled sender_domain and every room its room_stats row;
#   2. a handler that keeps failing ABORTs the run: exit 2;
#   3. a run that cannot finish in time ends at its --timeout: exit 3, promptly;
#   4. a host running without a shell answers bin/bgupdate --exec (exit 0; 1 for a bad command;
#      4 for a forged token or no host), and its deploy folder hot-swaps a real controller jar
#      (the rate-limit controller's, left out of bundle/): drop -> in force, replace -> updated,
#      restart -> still there, delete -> the built-in default is back;
#   5. commands piped into the host run line by line until 'exit', with their exit status.
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
    timeout -k 10 $((limit + 40)) "$host/bin/bgupdate" --until-complete --timeout "$limit" --progress "${progress:-5}" \
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
progress=1 run timeout 5 "retry_backoff_ms = 60000"
[ "$code" -eq 3 ] || fail "timeout: expected exit 3, got $code"
[ "$took" -le 30 ] || fail "timeout: took $took s to stop"
# The verdict is the last word: no progress line after it (a line every second while the host stops).
sed -n '/timed out after/,$p' "$work/timeout/out.txt" | grep -q '^\[ *[0-9.]*s\]' && fail "timeout: progress lines after the verdict"

# 4. --exec against a running host, and the deploy folder.
live=$work/live
mkdir -p "$live/host"
cp -r "$host/bin" "$host/lib" "$host/conf" "$host/etc" "$host/bundle" "$live/host/"
sed -i "s/^rows = .*/rows = $rows/" "$live/host/etc/io.bgupdate.examples.cfg"
mv "$live"/host/bundle/bgupdate-ratelimit-controller-*.jar "$live/controller.jar"
cp "$live/controller.jar" "$live/controller-v2.jar"
printf 'Bgupdate-Smoke: v2\n' > "$live/v2.mf"
jar=$(dirname "$(readlink -f "$(command -v "$java")")")/jar
"$jar" ufm "$live/controller-v2.jar" "$live/v2.mf"
deploy=$live/host/deploy
pid=
stop_live() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; }
trap stop_live EXIT
start_live() {
    timeout -k 10 600 "$live/host/bin/bgupdate" --no-shell --data-dir "$live/data" --log-dir "$live/log" \
        >> "$live/out.txt" 2>&1 < /dev/null &
    pid=$!
}
# ex COMMAND: runs it in the live host; its answer in $answer, its exit status in $rc.
ex() {
    set +e
    answer=$(timeout -k 5 60 "$live/host/bin/bgupdate" --data-dir "$live/data" --timeout 30 --exec "$1" 2>&1)
    rc=$?
    set -e
}
# wait_for SECONDS COMMAND REGEX: until the command succeeds with an answer that matches.
wait_for() {
    limit=$(($(date +%s) + $1))
    while :; do
        ex "$2"
        if [ "$rc" -eq 0 ] && printf '%s\n' "$answer" | grep -Eq "$3"; then
            return 0
        fi
        [ "$(date +%s)" -lt "$limit" ] || { echo "$answer" | sed 's/^/  live| last answer: /'; return 1; }
        sleep 1
    done
}
in_force() { printf '%s\n' "$answer" | awk '/^\*/ {print "service " $3 ", ranking " $2}'; }
ok() { echo "host-smoke: live: $*"; }

start_live
wait_for 120 bgupdate:status '^main ' || fail "live: --exec bgupdate:status did not answer within 120 s"
ok "--exec bgupdate:status: exit 0"
[ "$(stat -c %a "$live/data/exec.credentials")" = 600 ] || fail "live: exec.credentials is not owner-only"
ex 'bgupdate:start-job nope'
[ "$rc" -eq 1 ] && printf '%s\n' "$answer" | grep -q "^error: no handler" || fail "live: a bad command gave exit $rc: $answer"
ex 'nosuch:command'
[ "$rc" -eq 1 ] && printf '%s\n' "$answer" | grep -q "^error: " || fail "live: an unknown command gave exit $rc: $answer"
ok "--exec of a bad or unknown command: exit 1, 'error: ...'"
mkdir -p "$live/forged"
sed 's/^token=.*/token=0123/' "$live/data/exec.credentials" > "$live/forged/exec.credentials"
set +e
timeout 60 "$live/host/bin/bgupdate" --data-dir "$live/forged" --exec bgupdate:pause > "$live/forged.txt" 2>&1
rc=$?
set -e
[ "$rc" -eq 4 ] && grep -q refused "$live/forged.txt" || fail "live: a forged token gave exit $rc: $(cat "$live/forged.txt")"
ex bgupdate:status
printf '%s\n' "$answer" | grep -q "^main  *DISABLED" && fail "live: the forged request paused the runner"
ok "--exec with a forged token: refused, exit 4, nothing paused"

wait_for 30 bgupdate:controllers '^\* .*DefaultController' || fail "live: the built-in default is not in force at first"
t0=$(date +%s)
cp "$live/controller.jar" "$deploy/.ratelimit.tmp" && mv "$deploy/.ratelimit.tmp" "$deploy/ratelimit.jar"
wait_for 30 bgupdate:controllers '^\* .*RateLimitController' || fail "live: the dropped controller is not in force"
first=$(in_force)
ex 'lb -s io.bgupdate.ratelimit'
bundle=$(printf '%s\n' "$answer" | sed -n 's/^ *\([0-9]*\)|Active .*io.bgupdate.ratelimit.*/\1/p')
[ -n "$bundle" ] || fail "live: the dropped bundle is not active: $answer"
ok "dropped into deploy/: bundle $bundle active, RateLimitController in force ($first) within $(($(date +%s) - t0)) s"
t0=$(date +%s)
cp "$live/controller-v2.jar" "$deploy/.ratelimit.tmp" && mv -f "$deploy/.ratelimit.tmp" "$deploy/ratelimit.jar"
wait_for 30 "headers $bundle" 'Bgupdate-Smoke = v2' || fail "live: bundle $bundle was not updated from the replaced jar"
wait_for 30 bgupdate:controllers '^\* .*RateLimitController' || fail "live: the updated controller is not in force"
[ "$(in_force)" != "$first" ] || fail "live: the controller's service was not registered again after the update"
ok "replaced in deploy/: bundle $bundle updated (Bgupdate-Smoke: v2), in force again ($(in_force)) within $(($(date +%s) - t0)) s"

ex 'stop 0'
[ "$rc" -eq 0 ] || fail "live: --exec 'stop 0' gave exit $rc: $answer"
limit=$(($(date +%s) + 60))
while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$limit" ] || fail "live: the host did not stop within 60 s of 'stop 0'"
    sleep 1
done
[ ! -e "$live/data/exec.credentials" ] || fail "live: exec.credentials left behind by a stopped host"
ex bgupdate:status
[ "$rc" -eq 4 ] || fail "live: --exec without a running host gave exit $rc: $answer"
ok "--exec 'stop 0' stopped the host; then --exec: exit 4 ($answer)"
start_live
wait_for 120 bgupdate:controllers '^\* .*RateLimitController' || fail "live: the deployed controller did not come back at the restart"
ok "restarted: the controller in deploy/ is installed again and in force"
t0=$(date +%s)
rm "$deploy/ratelimit.jar"
wait_for 30 bgupdate:controllers '^\* .*DefaultController' || fail "live: the built-in default is not back after the delete"
ex 'lb -s io.bgupdate.ratelimit'
printf '%s\n' "$answer" | grep -q 'io.bgupdate.ratelimit' && fail "live: the deleted bundle is still installed: $answer"
ok "deleted from deploy/: uninstalled, the built-in default in force within $(($(date +%s) - t0)) s"
kill "$pid"
wait "$pid" || true
pid=

# 5. Commands piped in: run line by line, answers printed, 'exit' ends, exit status 1 as one failed.
piped() {
    set +e
    printf "$1" | timeout -k 10 180 "$live/host/bin/bgupdate" --data-dir "$work/piped/data" --log-dir "$work/piped/log" \
        > "$work/piped/out.txt" 2> "$work/piped/err.txt"
    code=$?
    set -e
}
mkdir -p "$work/piped"
piped 'bgupdate:status\n\nbgupdate:start-job nope\nexit\nbgupdate:pause\n'
[ "$code" -eq 1 ] || fail "piped: expected exit 1, got $code"
grep -Eq '^main +(RUNNING|COMPLETE|NOT_STARTED|DISABLED)' "$work/piped/out.txt" || fail "piped: no status printed: $(cat "$work/piped/out.txt")"
grep -q "^error: no handler" "$work/piped/err.txt" || fail "piped: no error line: $(cat "$work/piped/err.txt")"
grep -q "paused" "$work/piped/out.txt" && fail "piped: a command after 'exit' ran"
piped 'bgupdate:controllers\n'
[ "$code" -eq 0 ] || fail "piped: expected exit 0 at the end of the input, got $code"
grep -q 'DefaultController' "$work/piped/out.txt" || fail "piped: no controllers printed"
echo "host-smoke: piped: status printed, error line and exit 1, nothing after 'exit'; end of input: exit 0"

echo "host-smoke: OK"
