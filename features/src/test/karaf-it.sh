#!/usr/bin/env bash
#
# Runs bgupdate in a real Apache Karaf and checks it through Karaf's own console client.
#
#   cd features && mvn -B install      # the bundles must be installed in the local repository too
#   src/test/karaf-it.sh
#
# It takes org.apache.karaf:apache-karaf:KARAF_VERSION:tar.gz from Maven Central (cached under
# target/karaf-it), unpacks a fresh Karaf, enables an admin and a viewer user, lets Karaf resolve
# mvn: URLs from the local Maven repository (and nothing remote), starts it on free ports, and then:
# adds the features repository, installs bgupdate and the examples, waits for the example updates
# to complete, swaps the rate-limit controller in and out (by feature and by bundle), changes a
# limit with config:property-set and sees it in force, and checks the command ACL for the viewer and
# the admin; then the MXBean and the health check over Karaf's JMX connector, as viewer and admin;
# and the Web Console page (feature bgupdate-webconsole: admin only, POSTs need the page's
# token). One PASS or FAIL line per check, a summary, the time taken; exit status 1 on any FAIL.
# Karaf is stopped whatever happens. Everything is bounded by timeouts.
#
# Environment: KARAF_VERSION (4.4.10), M2_REPO (~/.m2/repository), KARAF_IT_TIMEOUT (900 s, the
# whole run), KARAF_IT_KEEP=1 keeps the unpacked Karaf for a look afterwards (it is stopped anyway).
#
set -uo pipefail

MODULE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KARAF_VERSION=${KARAF_VERSION:-4.4.10}
KARAF_IT_TIMEOUT=${KARAF_IT_TIMEOUT:-900}

# The whole run under one deadline. When it expires the run's trap stops Karaf; should the run be
# killed outright, this outer shell still finds Karaf by its pid file and stops it.
if [ -z "${KARAF_IT_CHILD:-}" ]; then
    KARAF_IT_CHILD=1 timeout -k 300 "$KARAF_IT_TIMEOUT" bash "${BASH_SOURCE[0]}" "$@"
    rc=$?
    [ "$rc" -eq 124 ] && echo "FAIL  the run did not finish within $KARAF_IT_TIMEOUT s"
    pid=$(cat "$MODULE/target/karaf-it/apache-karaf-$KARAF_VERSION/karaf.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        echo "Stopping the Karaf the run left behind (pid $pid)"
        kill "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null
    fi
    exit "$rc"
fi

M2_REPO=${M2_REPO:-$HOME/.m2/repository}
VERSION=$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' "$MODULE/pom.xml")
OSGI_VERSION=${VERSION/-/.}    # 0.1.0-SNAPSHOT is 0.1.0.SNAPSHOT to Karaf
WORK=$MODULE/target/karaf-it
KARAF=$WORK/apache-karaf-$KARAF_VERSION
TRANSCRIPT=$WORK/transcript.txt
FEATURES_URL=mvn:io.bgupdate/bgupdate-features/$VERSION/xml/features
ADMIN_PW=admin-secret
VIEWER_PW=viewer-secret
EXAMPLE_ROWS=20000        # events the example schema is generated with (the default, 200000, takes minutes)
START=$SECONDS
KARAF_PID=

if [ -z "${JAVA_HOME:-}" ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    export JAVA_HOME
fi

log() { printf '%s\n' "$*" >>"$TRANSCRIPT"; }
say() { printf '%s\n' "$*"; log "# $*"; }
section() { say "$* (at $((SECONDS - START)) s)"; }

# ---- Karaf lifecycle -------------------------------------------------------------------------------

stop_karaf() {
    [ -z "$KARAF_PID" ] && [ -f "$KARAF/karaf.pid" ] && KARAF_PID=$(cat "$KARAF/karaf.pid")
    if [ -n "$KARAF_PID" ] && kill -0 "$KARAF_PID" 2>/dev/null; then
        timeout 60 "$KARAF/bin/stop" >>"$WORK/karaf-stop.log" 2>&1 </dev/null
        for _ in $(seq 1 60); do kill -0 "$KARAF_PID" 2>/dev/null || break; sleep 1; done
        if kill -0 "$KARAF_PID" 2>/dev/null; then
            say "Karaf (pid $KARAF_PID) did not stop in 60 s: killing it"
            kill -9 "$KARAF_PID" 2>/dev/null
        fi
    fi
    KARAF_PID=
}

finish() {
    local rc=$?
    trap - EXIT INT TERM
    stop_karaf
    if [ -d "$KARAF" ]; then
        cp "$KARAF/data/log/karaf.log" "$WORK/karaf.log" 2>/dev/null
        [ -z "${KARAF_IT_KEEP:-}" ] && rm -rf "$KARAF"
    fi
    exit "$rc"
}
trap finish EXIT
trap 'say "interrupted"; exit 2' INT TERM

# A free TCP port on the loopback interface, from a range Karaf does not use by default.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Runs console commands, one per argument, in one session of USER; prints their output without
# colours. Karaf's client prints nothing for a command's result unless it is wrapped: echo (cmd).
client() {
    local user=$1 password=$2
    shift 2
    log "\$ ($user) $*"
    local out
    out=$(printf '%s\n' "$@" | JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" timeout 120 "$KARAF/bin/client" -a "$SSH_PORT" -h 127.0.0.1 -u "$user" -p "$password" -b 2>&1 \
        | sed 's/\x1b\[[0-9;]*[A-Za-z]//g' | grep -v 'JAVA_HOME not set')
    log "$out"
    printf '%s\n' "$out"
}
admin() { client admin "$ADMIN_PW" "$@"; }
viewer() { client viewer "$VIEWER_PW" "$@"; }

# ---- checks -----------------------------------------------------------------------------------------

PASSED=0
FAILED=0
# matches TEXT REGEX: whether a line of TEXT matches the extended REGEX. (A here-string, not a pipe:
# under pipefail, grep -q leaving early would fail the pipe when the writer gets SIGPIPE.)
matches() { grep -Eq -- "$2" <<<"$1"; }
pass() { PASSED=$((PASSED + 1)); say "PASS  $1"; }
fail() {
    FAILED=$((FAILED + 1))
    say "FAIL  $1${2:+: $2}"
}
# check NAME TEXT REGEX: passes when TEXT has a line matching the extended REGEX.
check() {
    if matches "$2" "$3"; then pass "$1"; else fail "$1" "no line matches /$3/ in: ${2:0:600}"; fi
}
# check_not NAME TEXT REGEX: passes when no line of TEXT matches REGEX.
check_not() {
    if matches "$2" "$3"; then fail "$1" "unexpected /$3/ in: ${2:0:600}"; else pass "$1"; fi
}
# wait_until SECONDS COMMAND...: runs COMMAND every 2 s until it succeeds, or the deadline passes.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    while ! "$@"; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 2
    done
}

status() { admin 'echo (bgupdate:status)'; }
controller_is() { LAST=$(status); matches "$LAST" "^  controller +$1"; }
state_is() { LAST=$(status); matches "$LAST" "^main +$1"; }
# The items done by the current update, from bgupdate:status; empty if none is running.
items_done() { status | sed -n 's/^  items *\([0-9,]*\) done.*/\1/p' | tr -d ','; }
ratelimit_bundle() { admin 'bundle:list -s -t 0' | awk -F'|' '$5 ~ /io\.bgupdate\.ratelimit/ {gsub(/ /, "", $1); print $1}'; }

# ---- prepare ------------------------------------------------------------------------------------------

mkdir -p "$WORK"
: >"$TRANSCRIPT"
say "bgupdate $VERSION on Apache Karaf $KARAF_VERSION ($(java -version 2>&1 | head -1))"

for a in bgupdate-features/$VERSION/bgupdate-features-$VERSION-features.xml bgupdate-runner/$VERSION/bgupdate-runner-$VERSION.jar \
        bgupdate-examples/$VERSION/bgupdate-examples-$VERSION.jar bgupdate-ratelimit-controller/$VERSION/bgupdate-ratelimit-controller-$VERSION.jar; do
    if [ ! -f "$M2_REPO/io/bgupdate/$a" ]; then
        say "FAIL  setup: $M2_REPO/io/bgupdate/$a is missing: run mvn -B install first (or set M2_REPO)"
        exit 1
    fi
done

TARBALL=$WORK/apache-karaf-$KARAF_VERSION.tar.gz
if [ ! -f "$TARBALL" ]; then
    say "Downloading org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz"
    (cd "$WORK" && timeout 600 mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz" -DoutputDirectory="$WORK" </dev/null) >>"$TRANSCRIPT" 2>&1 \
        || { say "FAIL  setup: cannot download Karaf $KARAF_VERSION"; exit 1; }
fi
stop_karaf    # one left running from an earlier run that was killed
rm -rf "$KARAF"
timeout 120 tar xzf "$TARBALL" -C "$WORK" || { say "FAIL  setup: cannot unpack $TARBALL"; exit 1; }

SSH_PORT=$(free_port) && RMI_REGISTRY_PORT=$(free_port) && RMI_SERVER_PORT=$(free_port) && JMXMP_PORT=$(free_port) \
    || { say "FAIL  setup: no free port"; exit 1; }

# Users: Karaf ships none enabled. The groups are Karaf's own, commented out in users.properties.
cat >>"$KARAF/etc/users.properties" <<EOF
admin = $ADMIN_PW,_g_:admingroup
viewer = $VIEWER_PW,_g_:viewergroup
_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
_g_\\:viewergroup = group,viewer,ssh
EOF
# mvn: URLs: Karaf's system folder, then the local Maven repository; nothing remote.
cat >>"$KARAF/etc/org.ops4j.pax.url.mvn.cfg" <<EOF
org.ops4j.pax.url.mvn.localRepository = $M2_REPO
org.ops4j.pax.url.mvn.repositories =
EOF
sed -i -e "s/^sshPort *=.*/sshPort = $SSH_PORT/" -e "s/^sshHost *=.*/sshHost = 127.0.0.1/" "$KARAF/etc/org.apache.karaf.shell.cfg"
sed -i -e "s/^rmiRegistryPort *=.*/rmiRegistryPort = $RMI_REGISTRY_PORT/" -e "s/^rmiServerPort *=.*/rmiServerPort = $RMI_SERVER_PORT/" -e "s/^jmxmpPort *=.*/jmxmpPort = $JMXMP_PORT/" \
    "$KARAF/etc/org.apache.karaf.management.cfg"
# The Web Console (section 7): pax-web on the loopback interface, on a free port.
HTTP_PORT=$(free_port) || { say "FAIL  setup: no free port"; exit 1; }
printf 'org.osgi.service.http.enabled = true\norg.osgi.service.http.port = %s\norg.ops4j.pax.web.listening.addresses = 127.0.0.1\njavax.servlet.context.tempdir = %s\n' \
    "$HTTP_PORT" "$KARAF/data/pax-web/tmp" >"$KARAF/etc/org.ops4j.pax.web.cfg"

# ---- start ------------------------------------------------------------------------------------------------

say "Starting Karaf (ssh port $SSH_PORT)"
timeout 60 "$KARAF/bin/start" >"$WORK/karaf-start.log" 2>&1 </dev/null
for _ in $(seq 1 60); do [ -s "$KARAF/karaf.pid" ] && break; sleep 0.5; done
KARAF_PID=$(cat "$KARAF/karaf.pid" 2>/dev/null)
[ -n "$KARAF_PID" ] || { say "FAIL  setup: Karaf wrote no pid file"; exit 1; }

karaf_ready() { matches "$(admin 'echo ready')" '^ready$'; }
boot_done() { matches "$(admin 'feature:list -i')" '^kar +\|.*\| Started'; }
if wait_until 120 karaf_ready && wait_until 60 boot_done; then
    pass "Karaf $KARAF_VERSION started and its boot features are installed ($((SECONDS - START)) s)"
else
    fail "Karaf $KARAF_VERSION started" "no console within 180 s; see $WORK/karaf.log"
    exit 1
fi

# ---- 1. the features repository ---------------------------------------------------------------------------

section "1. feature:repo-add $FEATURES_URL"
admin "feature:repo-add $FEATURES_URL" >/dev/null
OUT=$(admin 'feature:list')
for f in bgupdate-api bgupdate-runner bgupdate-h2 bgupdate-shell bgupdate bgupdate-ratelimit bgupdate-adaptive bgupdate-examples bgupdate-healthcheck bgupdate-jmx; do
    check "repository lists feature $f" "$OUT" "^$f +\| $OSGI_VERSION"
done

# ---- 2. feature:install bgupdate --------------------------------------------------------------------------

section "2. feature:install bgupdate"
OUT=$(admin 'feature:install bgupdate')
check_not "feature:install bgupdate reports no error" "$OUT" 'Error|Exception'
OUT=$(admin 'feature:list -i')
for f in bgupdate bgupdate-runner bgupdate-h2; do
    check "feature $f started" "$OUT" "^$f +\|.*\| Started"
done
check "feature bgupdate-shell started, by bgupdate's shell condition" "$OUT" "^bgupdate-shell +\|.*\| Started"
OUT=$(admin 'bundle:list -s -t 0')
for b in io.bgupdate.api io.bgupdate.runner io.bgupdate.shell; do
    check "bundle $b active" "$OUT" "\| Active .*\| $b *$"
done
for f in io.bgupdate.runner.cfg org.ops4j.datasource-bgupdate.cfg org.apache.karaf.command.acl.bgupdate.cfg; do
    if [ -f "$KARAF/etc/$f" ]; then pass "etc/$f installed"; else fail "etc/$f installed"; fi
done
OUT=$(admin 'service:list javax.sql.DataSource')
check "pax-jdbc DataSource named bgupdate is an H2 file under \${karaf.data}/bgupdate" "$OUT" "url = jdbc:h2:file:$KARAF/data/bgupdate/bgupdate"
check "the runner uses it" "$OUT" 'bgupdate runner'
N=$(grep -c '^ *dataSourceName = bgupdate' <<<"$OUT")
if [ "$N" -eq 1 ]; then pass "exactly one DataSource named bgupdate"; else fail "exactly one DataSource named bgupdate" "$N of them"; fi
if wait_until 30 controller_is 'DefaultController \(built-in\)'; then
    pass "bgupdate:status shows database main with the built-in default controller"
else
    fail "bgupdate:status shows database main with the built-in default controller" "$LAST"
fi
if [ ! -e "$KARAF/etc/io.bgupdate.embedded.cfg" ] && ! grep -q 'io\.bgupdate\.datasource' <<<"$(admin 'bundle:list -s -t 0')"; then
    pass "no embedded database to switch off: io.bgupdate.datasource is not installed, no io.bgupdate.embedded configuration"
else
    fail "no embedded database to switch off" "io.bgupdate.datasource installed or etc/io.bgupdate.embedded.cfg present"
fi
if [ ! -e "$KARAF/data/bgupdate.mv.db" ]; then
    pass "no embedded H2 file of the Felix host was created"
else
    fail "no embedded H2 file of the Felix host was created" "$KARAF/data/bgupdate.mv.db exists"
fi

# ---- 3. the example updates complete ----------------------------------------------------------------------

section "3. feature:install bgupdate-examples ($EXAMPLE_ROWS generated events; the default controller sleeping 100 ms)"
admin "config:property-set -p io.bgupdate.examples rows $EXAMPLE_ROWS" \
      'config:property-set -p io.bgupdate.runner sleep_duration_ms 100' >/dev/null
T0=$SECONDS
OUT=$(admin 'feature:install bgupdate-examples')
check_not "feature:install bgupdate-examples reports no error" "$OUT" 'Error|Exception'
EXAMPLES='events_sender_domain_backfill|events_sender_domain_index|events_purge_expired|room_stats_populate'
examples_done() {
    LAST=$(admin 'echo (bgupdate:history)')
    [ "$(printf '%s\n' "$LAST" | grep -Ec "^main +($EXAMPLES) .* COMPLETE *$")" -eq 4 ] && state_is 'COMPLETE'
}
if wait_until 240 examples_done; then
    pass "the 4 example updates completed in $((SECONDS - T0)) s (bgupdate:history)"
else
    fail "the 4 example updates completed within 240 s" "$LAST"
fi
check "bgupdate:list shows an empty queue" "$(admin 'echo (bgupdate:list)')" '^nothing queued$'

# ---- 4. hot swap of the rate-limit controller ------------------------------------------------------------

section "4. the rate-limit controller in and out"
admin 'feature:install bgupdate-ratelimit' >/dev/null
if wait_until 30 controller_is 'RateLimitController .*ranking 100'; then
    pass "feature:install bgupdate-ratelimit: bgupdate:status shows RateLimitController (ranking 100)"
else
    fail "feature:install bgupdate-ratelimit: RateLimitController in force" "$LAST"
fi
BID=$(ratelimit_bundle)
admin "bundle:stop $BID" >/dev/null
if wait_until 30 controller_is 'DefaultController \(built-in\)'; then
    pass "bundle:stop $BID (io.bgupdate.ratelimit): the built-in default controller is back"
else
    fail "bundle:stop $BID: the default controller is back" "$LAST"
fi
admin "bundle:start $BID" >/dev/null
if wait_until 30 controller_is 'RateLimitController'; then
    pass "bundle:start $BID: RateLimitController in force again"
else
    fail "bundle:start $BID: RateLimitController in force again" "$LAST"
fi
admin 'feature:uninstall bgupdate-ratelimit' >/dev/null
if wait_until 30 controller_is 'DefaultController \(built-in\)' && [ -z "$(ratelimit_bundle)" ]; then
    pass "feature:uninstall bgupdate-ratelimit: bundle gone, the default controller is back"
else
    fail "feature:uninstall bgupdate-ratelimit: the default controller is back" "$LAST"
fi
admin 'feature:install bgupdate-ratelimit' >/dev/null
if wait_until 30 controller_is 'RateLimitController'; then
    pass "feature:install bgupdate-ratelimit again: RateLimitController in force"
else
    fail "feature:install bgupdate-ratelimit again: RateLimitController in force" "$LAST"
fi
check "bgupdate:controllers marks RateLimitController active" "$(admin 'echo (bgupdate:controllers)')" '^\* +100 .*RateLimitController'

# ---- 5. a limit changed with config:property-set is in force ------------------------------------------------

section "5. config:edit io.bgupdate.ratelimit; config:property-set rate 500 (and duty 1, so the rate is the only limit)"
admin 'config:edit io.bgupdate.ratelimit' 'config:property-set rate 500' 'config:property-set duty 1' 'config:update' >/dev/null
ratelimit_shows() { LAST=$(admin 'echo (bgupdate:ratelimit)'); matches "$LAST" "$1"; }
if wait_until 20 ratelimit_shows '^In force +rate=500/s burst=500 duty=1 '; then
    pass "bgupdate:ratelimit shows rate=500/s in force"
else
    fail "bgupdate:ratelimit shows rate=500/s in force" "$LAST"
fi
OUT=$(admin 'echo (bgupdate:start-job events_sender_domain_backfill main)')
check "bgupdate:start-job events_sender_domain_backfill (admin)" "$OUT" 'events_sender_domain_backfill'
if wait_until 30 state_is 'RUNNING'; then
    sleep 3
    I0=$(items_done); T0=$SECONDS
    sleep 12
    I1=$(items_done); T1=$SECONDS
    if [ -n "$I0" ] && [ -n "$I1" ]; then
        RATE=$(( (I1 - I0) / (T1 - T0) ))
        # 500 items/s, plus the slack of a 500-item bucket refilled over the window and of the sampling.
        if [ "$RATE" -gt 0 ] && [ "$RATE" -le 600 ]; then
            pass "the back-fill runs at $RATE items/s under rate=500 ($((I1 - I0)) items in $((T1 - T0)) s)"
        else
            fail "the back-fill runs at about 500 items/s" "$RATE items/s ($I0 -> $I1 in $((T1 - T0)) s)"
        fi
    else
        fail "the back-fill runs at about 500 items/s" "no items in bgupdate:status ($I0, $I1)"
    fi
    check "bgupdate:ratelimit shows the bucket of 500 tokens" "$(admin 'echo (bgupdate:ratelimit)')" '^main +events_sender_domain_backfill .* -?[0-9]+/500 '
else
    fail "the re-queued back-fill runs" "$LAST"
fi

# ---- 6. the command ACL -------------------------------------------------------------------------------------

section "6. the command ACL: viewer and admin"
check "viewer may run bgupdate:status" "$(viewer 'echo (bgupdate:status)')" '^main +(RUNNING|COMPLETE)'
check "viewer may run bgupdate:list" "$(viewer 'echo (bgupdate:list)')" '^(DATABASE|nothing queued)'
check "viewer may run bgupdate:history" "$(viewer 'echo (bgupdate:history)')" '^DATABASE +UPDATE'
check "viewer may run bgupdate:controllers" "$(viewer 'echo (bgupdate:controllers)')" '^ACTIVE +RANKING'
check "viewer may run bgupdate:ratelimit without options" "$(viewer 'echo (bgupdate:ratelimit)')" '^In force +rate=500/s'
check "viewer is refused bgupdate:pause" "$(viewer 'echo (bgupdate:pause)')" 'Command not found: bgupdate:pause|Insufficient credentials'
check_not "... and nothing was paused" "$(status)" '^main +DISABLED'
check "viewer is refused bgupdate:resume" "$(viewer 'echo (bgupdate:resume)')" 'Command not found: bgupdate:resume|Insufficient credentials'
check "viewer is refused bgupdate:start-job" "$(viewer 'echo (bgupdate:start-job room_stats_populate main)')" 'Command not found: bgupdate:start-job|Insufficient credentials'
check "viewer is refused bgupdate:ratelimit --rate 1" "$(viewer 'echo (bgupdate:ratelimit --rate 1)')" 'Insufficient credentials'
check "viewer is refused config:property-set on io.bgupdate.ratelimit (Karaf's config ACL)" \
    "$(viewer 'config:property-set -p io.bgupdate.ratelimit rate 1')" 'Command not found|Insufficient credentials'
check "... and the rate is still 500" "$(admin 'echo (bgupdate:ratelimit)')" '^In force +rate=500/s'
check "admin may run bgupdate:pause" "$(admin 'echo (bgupdate:pause)')" 'paused'
if wait_until 15 state_is 'DISABLED'; then pass "... and main is paused (DISABLED)"; else fail "... and main is paused (DISABLED)" "$LAST"; fi
check "admin may run bgupdate:resume" "$(admin 'echo (bgupdate:resume)')" 'resumed'
if wait_until 15 state_is '(RUNNING|COMPLETE)'; then pass "... and main runs again"; else fail "... and main runs again" "$LAST"; fi

# ---- 7. ops: the health check and JMX ------------------------------------------------------------------------

section "7. feature:install bgupdate-healthcheck bgupdate-jmx"
OUT=$(admin 'feature:install bgupdate-healthcheck bgupdate-jmx')
check_not "feature:install bgupdate-healthcheck bgupdate-jmx reports no error" "$OUT" 'Error|Exception'
# A JMX client over Karaf's RMI connector, logged in through JAAS (features/src/test/JmxCheck.java).
JMX_URL="service:jmx:rmi://127.0.0.1:$RMI_SERVER_PORT/jndi/rmi://127.0.0.1:$RMI_REGISTRY_PORT/karaf-root"
jmx() {
    log "\$ jmx ($1) ${*:3}"
    local out
    out=$(timeout 120 java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$MODULE/src/test/JmxCheck.java" "$JMX_URL" "$@" 2>&1)
    log "$out"
    printf '%s\n' "$out"
}
registered() { LAST=$(jmx viewer "$VIEWER_PW" State); matches "$LAST" '^mbean io\.bgupdate:type=BackgroundUpdates,database=main$'; }
if wait_until 30 registered; then
    pass "io.bgupdate:type=BackgroundUpdates,database=main is in Karaf's MBean server (management feature), seen over JMX"
else
    fail "the MXBean of main is in Karaf's MBean server" "$LAST"
fi
OUT=$(jmx viewer "$VIEWER_PW" State Controller 'pause()')
check "viewer reads State over JMX" "$OUT" '^get State=(RUNNING|COMPLETE)$'
check "viewer reads Controller over JMX" "$OUT" '^get Controller=io\.bgupdate\.ratelimit\.internal\.RateLimitController '
check "viewer is refused pause over JMX (JAAS, jmx.acl.io.bgupdate.BackgroundUpdates)" "$OUT" '^invoke pause: refused: SecurityException'
check_not "... and nothing was paused" "$(status)" '^main +DISABLED'
OUT=$(jmx admin "$ADMIN_PW" 'pause()' State 'resume()')
check "admin pauses over JMX" "$OUT" '^invoke pause: ok$'
check "... and main is DISABLED" "$OUT" '^get State=DISABLED$'
check "admin resumes over JMX" "$OUT" '^invoke resume: ok$'
if wait_until 15 state_is '(RUNNING|COMPLETE)'; then pass "... and main runs again"; else fail "... and main runs again" "$LAST"; fi
# The health check, executed by Felix Health Checks through its MBean (hc.mbean.name = bgupdate).
HC='org.apache.felix.healthcheck:type=HealthCheck,name=bgupdate'
hc_is() { LAST=$(jmx viewer "$VIEWER_PW" "$HC#status"); matches "$LAST" "^get $HC#status=$1\$"; }
if wait_until 30 hc_is OK; then pass "the health check (Felix Health Checks, over JMX) is OK"; else fail "the health check is OK" "$LAST"; fi
admin 'bgupdate:pause' >/dev/null
if wait_until 30 hc_is WARN; then pass "... and WARN while main is paused"; else fail "... and WARN while main is paused" "$LAST"; fi
admin 'bgupdate:resume' >/dev/null
if wait_until 30 hc_is OK; then pass "... and OK once resumed"; else fail "... and OK once resumed" "$LAST"; fi
# ---- 8. the Web Console page ------------------------------------------------------------------------------

section "8. feature:install bgupdate-webconsole (Karaf's webconsole, JAAS, role admin; port $HTTP_PORT)"
OUT=$(admin 'feature:install bgupdate-webconsole')
check_not "feature:install bgupdate-webconsole reports no error" "$OUT" 'Error|Exception'
PAGE=http://127.0.0.1:$HTTP_PORT/system/console/bgupdate
TOKEN=
# http_code [curl options...]: the HTTP status of the page, 000 while nothing listens.
http_code() { curl -s -o "$WORK/page.html" -w '%{http_code}' --max-time 20 "$@" "$PAGE" 2>/dev/null; }
# Installing the web features refreshes H2 (optional servlet imports), so the DataSource and the
# runner's database come back a few seconds after the page does: wait for both.
page_up() { LAST=$(http_code -u "admin:$ADMIN_PW"); [ "$LAST" = 200 ] && grep -q 'data-database="main"' "$WORK/page.html"; }
if wait_until 90 page_up; then
    pass "GET /system/console/bgupdate as admin: 200"
    check "... the page shows database main" "$(cat "$WORK/page.html")" 'data-database="main"'
    check "... and the controllers, the one in force marked" "$(cat "$WORK/page.html")" 'bgu-in-force'
    check "... in Karaf's Web Console frame" "$(cat "$WORK/page.html")" 'Background updates'
    TOKEN=$(sed -n 's/.*data-token="\([^"]*\)".*/\1/p' "$WORK/page.html" | head -1)
else
    fail "GET /system/console/bgupdate as admin: 200" "HTTP $LAST"
fi
check "GET without credentials: 401" "$(http_code)" '^401$'
check "GET as viewer (not admin): refused" "$(http_code -u "viewer:$VIEWER_PW")" '^(401|403)$'
check "POST pause without the page's token: 403" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 -u "admin:$ADMIN_PW" -d action=pause -d database=main "$PAGE/action.json")" '^403$'
check_not "... and nothing was paused" "$(status)" '^main +DISABLED'
check "POST pause with the token: paused" "$(curl -s --max-time 20 -u "admin:$ADMIN_PW" -d action=pause -d database=main -d "token=$TOKEN" "$PAGE/action.json")" '"main: paused"'
if wait_until 15 state_is 'DISABLED'; then pass "... and bgupdate:status shows main DISABLED"; else fail "... and bgupdate:status shows main DISABLED" "$LAST"; fi
check "POST resume with the token: resumed" "$(curl -s --max-time 20 -u "admin:$ADMIN_PW" -d action=resume -d database=main -d "token=$TOKEN" "$PAGE/action.json")" '"main: resumed"'
if wait_until 15 state_is '(RUNNING|COMPLETE)'; then pass "... and main runs again"; else fail "... and main runs again" "$LAST"; fi

# ---- 9. the adaptive controller ------------------------------------------------------------------------------

section "9. feature:install bgupdate-adaptive; bgupdate:adaptive; feature:uninstall bgupdate-adaptive"
admin 'feature:install bgupdate-adaptive' >/dev/null
if wait_until 30 controller_is 'AdaptiveController +bundle io\.bgupdate\.adaptive, service [0-9]+, ranking 150'; then
    pass "feature:install bgupdate-adaptive: AdaptiveController (ranking 150) in force"
else
    fail "feature:install bgupdate-adaptive: AdaptiveController in force" "$LAST"
fi
check "viewer may run bgupdate:adaptive" "$(viewer 'echo (bgupdate:adaptive)')" '^Controller +io\.bgupdate\.adaptive \(service\.ranking 150\)'
admin 'feature:uninstall bgupdate-adaptive' >/dev/null
if wait_until 30 controller_is 'RateLimitController'; then
    pass "feature:uninstall bgupdate-adaptive: the rate-limit controller is back"
else
    fail "feature:uninstall bgupdate-adaptive: the rate-limit controller is back" "$LAST"
fi

# ---- summary ------------------------------------------------------------------------------------------------

OUT=$(grep -E 'Ignoring a second DataSource|Embedded database main at' "$KARAF/data/log/karaf.log")
check_not "karaf.log: one DataSource named main all along, never an embedded one" "$OUT" '.'
ERRORS=$(grep -c '| ERROR |' "$KARAF/data/log/karaf.log" 2>/dev/null)
say "karaf.log: ${ERRORS:-0} ERROR lines, the refusals of the viewer among them (copied to $WORK/karaf.log); console transcript: $TRANSCRIPT"
if [ "$FAILED" -eq 0 ]; then
    say "PASSED: all $PASSED checks in $((SECONDS - START)) s"
    exit 0
fi
say "FAILED: $FAILED of $((PASSED + FAILED)) checks in $((SECONDS - START)) s"
exit 1
