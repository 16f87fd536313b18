#!/usr/bin/env bash
# The OpenID Connect provider the single sign-on tests log in through: oidc-provider-mock (PyPI)
# in a venv. 0.3.4 is its last release for Python 3.11 (Debian 12's); later ones need 3.12.
exec "$(dirname "${BASH_SOURCE[0]}")/test-venv.sh" oidc-provider-mock oidc_provider_mock 'oidc-provider-mock==0.3.4' 'authlib<2'
