#!/usr/bin/env bash
# Unit + integration tests, then end-to-end tests in Chromium (both run even if the first fails),
# then one closing line with the totals. Called by scripts/test-all.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
export NPM_CONFIG_UPDATE_NOTIFIER=false
results=$(mktemp -d)
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$results/unit.json" || status=1
npx vitest run --config vitest.e2e.config.ts --passWithNoTests --reporter=default --reporter=json --outputFile="$results/e2e.json" || status=1
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; continue; } // a suite that could not even report
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    // A file that fails to load counts as a failure even though none of its tests ran.
    passed += r.numPassedTests;
    failed += r.numFailedTests || r.numFailedTestSuites;
    skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/unit.json" "$results/e2e.json"
rm -rf "$results"
exit $status
