#!/usr/bin/env bash
# P5's full run (about 15 minutes on 2 cores): the adaptive controller against pgbench on a throwaway
# PostgreSQL cluster, with every other controller for comparison. Needs the reactor built
# (mvn -B install -DskipTests) and PostgreSQL's binaries with pgbench. Writes OUT (default
# target/p5-full): P5.md, p5-latency.png, p5-backfill.png, and the pgbench logs.
#   benchmarks/p5-full.sh [OUT [PLAN]]   (PLAN full, the default, or reduced: alone, unthrottled and adaptive
#                                         only, 20-s phases, about 5 minutes; extra Maven options in MAVEN_ARGS)
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q ${MAVEN_ARGS:-} -DskipTests process-test-resources
exec java -Xmx768m -Djava.awt.headless=true -Dbundles.dir=target/bundles -cp "target/classes:target/lib/*" \
  io.bgupdate.benchmarks.P5Bench "${2:-full}" "${1:-target/p5-full}"
