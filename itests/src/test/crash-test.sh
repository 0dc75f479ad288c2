#!/bin/sh
# The crash test at scale: SIGKILLs the real host (HostMain: Felix, the runner, a non-idempotent
# n = n + 1 back-fill) at random moments, KILLS times (default 100) on H2 and again on
# PostgreSQL, then runs it to completion and checks every row was processed exactly once.
# The build runs the same test (CrashIT) with 10 kills. Needs the modules installed
# ('mvn install -DskipTests' once). Extra Maven options in MAVEN_OPTS_EXTRA, e.g.
# "-o -Dmaven.repo.local=/path". About 5 s per kill on a 2-core machine.
#
# Usage: itests/src/test/crash-test.sh [KILLS]
set -eu
cd "$(dirname "$0")/../../.."
kills=${1:-100}
# shellcheck disable=SC2086
exec mvn -B ${MAVEN_OPTS_EXTRA:-} -pl itests verify -Dit.test=CrashIT -Dcrash.kills="$kills" -Dfailsafe.failIfNoSpecifiedTests=false
