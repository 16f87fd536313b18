#!/usr/bin/env bash
# Selenium (PyPI) for the dashboard's browser test, driving Debian's chromium and chromedriver.
exec "$(dirname "${BASH_SOURCE[0]}")/test-venv.sh" selenium selenium 'selenium==4.27.1'
