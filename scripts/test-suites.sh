#!/usr/bin/env bash
# Unit + integration tests, then end-to-end tests in Chromium. Called by scripts/test-all.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
npx vitest run
npx vitest run --config vitest.e2e.config.ts --passWithNoTests
