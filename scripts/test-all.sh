#!/usr/bin/env bash
# The whole test suite, as CI runs it: `npm run test:all`. Keychain tests need a Secret Service, so
# everything runs in a throwaway D-Bus session with a gnome-keyring unlocked by a dummy password.
set -euo pipefail
export NPM_CONFIG_UPDATE_NOTIFIER=false
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npm run typecheck
npm run lint
npm run lint:security
npm run build
# Every benchmark once at small sizes: each must run and yield numbers (no time is checked here).
npm run bench -- --quick
if [ -z "${SORADESK_IN_DBUS:-}" ]; then
  home=$(mktemp -d)
  exec env HOME="$home" SORADESK_IN_DBUS=1 dbus-run-session -- bash -c \
    'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && bash scripts/test-suites.sh'
fi
bash scripts/test-suites.sh
