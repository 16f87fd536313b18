#!/usr/bin/env bash
# The SMTP server the notification tests deliver email to: aiosmtpd (PyPI) in a venv.
exec "$(dirname "${BASH_SOURCE[0]}")/test-venv.sh" aiosmtpd aiosmtpd 'aiosmtpd==1.4.6'
