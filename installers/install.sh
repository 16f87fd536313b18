#!/bin/sh
# Pulse agent installer: installs, upgrades in place, or removes pulse-agent on a Linux host.
#
#   printf '%s\n' TOKEN | sudo sh install.sh --url https://pulse.example:7655 --token-stdin --key KEY
#
# (POST /api/agent-install-command gives the whole line: it saves this script to a private
# temporary file first, so stdin can carry the token and no process has it in its arguments.)
#
# The agent binary is downloaded from the Pulse server, checked against the SHA-256 the server
# publishes, and accepted only when its Ed25519 signature (/download/pulse-agent.sig) verifies
# with the server's public key given by --key (or pinned by an earlier install) through
# `openssl pkeyutl`; without a key, openssl or a valid signature it is refused unless
# --insecure-skip-verify is given. It is installed as /usr/local/bin/pulse-agent. The token is
# kept only in /etc/pulse-agent/token (root, 0600) and never appears on a command line the
# installer writes; the key is kept in /etc/pulse-agent/update-key.pem (0644) and the agent
# accepts only updates signed with it. The service is a systemd unit, an OpenRC script or a SysV
# init script, whichever this host uses. Run it again to upgrade; --uninstall removes everything
# it installed.
set -eu

BIN_DIR=/usr/local/bin
BIN_PATH=$BIN_DIR/pulse-agent
CONF_DIR=/etc/pulse-agent
TOKEN_FILE=$CONF_DIR/token
KEY_FILE=$CONF_DIR/update-key.pem
STATE_DIR=/var/lib/pulse-agent
UNIT_FILE=/etc/systemd/system/pulse-agent.service
UNIT_LINK=/etc/systemd/system/multi-user.target.wants/pulse-agent.service
INIT_SCRIPT=/etc/init.d/pulse-agent
LOG_FILE=/var/log/pulse-agent.log
PID_FILE=/run/pulse-agent.pid

say() {
    printf '[pulse-agent] %s\n' "$*"
}

warn() {
    printf '[pulse-agent] warning: %s\n' "$*" >&2
}

# fail CODE MESSAGE: one line on stderr, then exit with CODE (2: bad arguments, 1: anything else).
fail() {
    code=$1
    shift
    printf '[pulse-agent] error: %s\n' "$*" >&2
    exit "$code"
}

usage() {
    cat <<'EOF'
Usage: install.sh --url URL --token-stdin --key KEY [options] (the token on stdin)
       install.sh --url URL --token-file FILE --key KEY [options]
       install.sh --uninstall

  --url URL              Pulse server, http:// or https:// (required)
  --token-stdin          Read the API token (64 hex characters) from stdin; stored in
                         /etc/pulse-agent/token (root, 0600)
  --token-file FILE      Read the API token from FILE instead
  --token TOKEN          The token as an argument (Pulse v5): other users see it in the
                         process list and sudo logs it; prefer --token-stdin
  --key KEY              The server's Ed25519 public key (base64, from GET /api/agent/signing-key):
                         the agent must be signed with it; kept for the agent's own updates
  --insecure-skip-verify Install even when the agent's signature cannot be verified
  --interval DURATION    Reporting interval such as 30s, 5m, 1h (default 30s)
  --enable-docker        Report Docker/Podman containers        (--disable-docker: do not)
  --enable-kubernetes    Report a Kubernetes cluster            (--disable-kubernetes: do not)
  --disable-host         Do not report host metrics             (--enable-host: do, the default)
  --insecure             Skip TLS certificate verification, here and in the agent
  --cacert FILE          CA certificate (PEM) for a server with a private CA
  --agent-id ID          Agent ID instead of the machine ID
  --hostname NAME        Report this hostname instead of the kernel's
  --tag TAG              A tag for this host; repeat for several
  --health-addr ADDR     Where the agent serves /healthz, /readyz, /metrics: [host]:port or off
                         (the agent's default is :9191)
  --uninstall            Stop and remove the agent, its service, token and state
  -h, --help             Show this help
EOF
}

# --- arguments --------------------------------------------------------------------------------

url=''
token=''
token_stdin=0
token_file=''
token_source=''
key=''
insecure_skip_verify=0
interval=''
enable_docker=0
enable_kubernetes=0
enable_host=1
insecure=0
cacert=''
agent_id=''
hostname_override=''
health_addr=''
tags=''
uninstall=0

NEWLINE='
'

# has_control_chars VALUE: true when VALUE holds a newline, tab or other control character.
has_control_chars() {
    case $1 in
        *"$NEWLINE"*) return 0 ;;
    esac
    [ "$(printf '%s' "$1" | tr -d '\000-\037\177')" != "$1" ]
}

is_hex() {
    case $1 in
        '' | *[!0-9a-fA-F]*) return 1 ;;
    esac
    return 0
}

# option_value NAME COUNT VALUE: fails unless a value follows option NAME.
option_value() {
    if [ "$2" -lt 2 ]; then
        fail 2 "$1 needs a value"
    fi
    case $3 in
        --*) fail 2 "$1 needs a value (got the option $3)" ;;
        '') fail 2 "$1 needs a non-empty value" ;;
    esac
}

while [ $# -gt 0 ]; do
    option=$1
    value=''
    case $option in
        --*=*)
            value=${option#*=}
            option=${option%%=*}
            case $option in
                --url | --token | --token-file | --key | --interval | --cacert | --agent-id | --hostname | --tag | --health-addr) ;;
                *) fail 2 "unknown option $1 (see --help)" ;;
            esac
            [ -n "$value" ] || fail 2 "$option needs a non-empty value"
            shift
            set -- "$option" "$value" "$@"
            ;;
    esac
    case $option in
        --url | --token | --token-file | --key | --interval | --cacert | --agent-id | --hostname | --tag | --health-addr)
            option_value "$option" "$#" "${2-}"
            value=$2
            shift 2
            ;;
        *)
            shift
            ;;
    esac
    case $option in
        --url) url=$value ;;
        --token)
            token=$value
            token_source=--token
            ;;
        --token-file) token_file=$value ;;
        --token-stdin) token_stdin=1 ;;
        --key) key=$value ;;
        --insecure-skip-verify) insecure_skip_verify=1 ;;
        --interval) interval=$value ;;
        --cacert) cacert=$value ;;
        --agent-id) agent_id=$value ;;
        --hostname) hostname_override=$value ;;
        --health-addr) health_addr=$value ;;
        --tag)
            has_control_chars "$value" && fail 2 "--tag must not contain control characters"
            tags="$tags$value$NEWLINE"
            ;;
        --enable-docker) enable_docker=1 ;;
        --disable-docker) enable_docker=0 ;;
        --enable-kubernetes) enable_kubernetes=1 ;;
        --disable-kubernetes) enable_kubernetes=0 ;;
        --enable-host) enable_host=1 ;;
        --disable-host) enable_host=0 ;;
        --insecure) insecure=1 ;;
        --uninstall) uninstall=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        -*) fail 2 "unknown option $option (see --help)" ;;
        *)
            if [ "${#option}" -eq 64 ] && is_hex "$option"; then
                fail 2 "unexpected argument that looks like a token; pass it on stdin with --token-stdin"
            fi
            fail 2 "unexpected argument '$option' (options start with --; see --help)"
            ;;
    esac
done

token_ways=$token_stdin
[ -n "$token_source" ] && token_ways=$((token_ways + 1))
[ -n "$token_file" ] && token_ways=$((token_ways + 1))
if [ "$token_ways" -gt 1 ]; then
    fail 2 "give the token one way: --token-stdin, --token-file FILE or --token TOKEN"
fi
if [ -n "$token_file" ]; then
    has_control_chars "$token_file" && fail 2 "--token-file must not contain control characters"
    { [ -f "$token_file" ] && [ -r "$token_file" ]; } || fail 2 "--token-file $token_file cannot be read"
    token_source=--token-file
    IFS= read -r token <"$token_file" || true
elif [ "$token_stdin" -eq 1 ]; then
    token_source=--token-stdin
    IFS= read -r token || true
fi
# A file written on Windows ends its line with CR.
token=${token%"$(printf '\r')"}
if [ -n "$token_source" ]; then
    [ -n "$token" ] || fail 2 "$token_source gave no token"
    if [ "${#token}" -ne 64 ]; then
        fail 2 "$token_source: the token must be exactly 64 hexadecimal characters (got ${#token} characters)"
    fi
    is_hex "$token" || fail 2 "$token_source: the token must be exactly 64 hexadecimal characters (it holds other characters)"
fi

# The server's Ed25519 key: base64 of 32 bytes, 43 characters and one '='.
if [ -n "$key" ]; then
    case ${key%=} in
        *[!A-Za-z0-9+/]*) key_ok=0 ;;
        *) key_ok=1 ;;
    esac
    if [ "$key_ok" -eq 0 ] || [ "${#key}" -ne 44 ] || [ "${key%=}" = "$key" ]; then
        fail 2 "--key must be the server's Ed25519 public key: 44 base64 characters ending in '=' (GET /api/agent/signing-key)"
    fi
fi

if [ -n "$interval" ]; then
    number=${interval%[smh]}
    case $number in
        '' | *[!0-9]*) fail 2 "--interval must be a number with an optional s, m or h suffix, such as 30s or 5m (got '$interval')" ;;
    esac
    case $number in
        *[!0]*) ;;
        *) fail 2 "--interval must not be zero (got '$interval')" ;;
    esac
    # A bare number means seconds.
    [ "$number" = "$interval" ] && interval=${interval}s
fi

if [ -n "$url" ]; then
    case $url in
        *[[:space:]\"\'\`\\\<\>]*) fail 2 "--url must not contain whitespace, quotes, backslashes or angle brackets" ;;
    esac
    has_control_chars "$url" && fail 2 "--url must not contain control characters"
    case $url in
        http://* | https://*) ;;
        *) fail 2 "--url must start with http:// or https:// (got '$url')" ;;
    esac
    case $url in
        *[?#]*) fail 2 "--url must be the server's base URL, without a query or fragment (got '$url')" ;;
    esac
    rest=${url#*://}
    host=${rest%%/*}
    host=${host##*@}
    case $host in
        '' | :*) fail 2 "--url must name a host after the scheme (got '$url')" ;;
    esac
    while :; do
        case $url in
            */) url=${url%/} ;;
            *) break ;;
        esac
    done
fi

if [ -n "$cacert" ]; then
    has_control_chars "$cacert" && fail 2 "--cacert must not contain control characters"
    [ -f "$cacert" ] || fail 2 "--cacert file $cacert does not exist"
    [ -r "$cacert" ] || fail 2 "--cacert file $cacert is not readable"
    case $cacert in
        /*) ;;
        *) cacert=$(pwd)/$cacert ;;
    esac
fi

if [ -n "$agent_id" ]; then
    case $agent_id in
        *[[:space:]]*) fail 2 "--agent-id must not contain whitespace" ;;
    esac
    has_control_chars "$agent_id" && fail 2 "--agent-id must not contain control characters"
fi

if [ -n "$hostname_override" ]; then
    case $hostname_override in
        *[[:space:]]*) fail 2 "--hostname must not contain whitespace" ;;
    esac
    has_control_chars "$hostname_override" && fail 2 "--hostname must not contain control characters"
fi

if [ -n "$health_addr" ] && [ "$health_addr" != off ]; then
    port=${health_addr##*:}
    case $health_addr in
        *:*) ;;
        *) port='' ;;
    esac
    case $port in
        '' | *[!0-9]*) fail 2 "--health-addr must be [host]:port such as :9191 or 127.0.0.1:9191, or off (got '$health_addr')" ;;
    esac
    case ${health_addr%:*} in
        *[!A-Za-z0-9.:_[\]-]*) fail 2 "--health-addr must be [host]:port such as :9191 or 127.0.0.1:9191, or off (got '$health_addr')" ;;
    esac
fi

if [ "$uninstall" -eq 0 ]; then
    [ -n "$url" ] || fail 2 "--url is required (the Pulse server, such as https://pulse.example:7655)"
    [ -n "$token" ] || fail 2 "a token is required: --token-stdin (the token on stdin), --token-file FILE or --token TOKEN"
fi
if [ "$token_source" = --token ]; then
    warn "--token puts the token in the process list and sudo's log; use --token-stdin or --token-file"
fi

if [ "$(id -u)" -ne 0 ]; then
    fail 1 "this installer must run as root (try: curl -fsSL URL/install.sh | sudo sh -s -- ...)"
fi

# --- cleanup on every exit path ---------------------------------------------------------------

work_dir=''
tmp_bin=''
tmp_token=''
tmp_key=''

cleanup() {
    [ -n "$tmp_bin" ] && rm -f "$tmp_bin"
    [ -n "$tmp_token" ] && rm -f "$tmp_token"
    [ -n "$tmp_key" ] && rm -f "$tmp_key"
    [ -n "$work_dir" ] && rm -rf "$work_dir"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# --- service manager --------------------------------------------------------------------------

systemd_running() {
    [ -d /run/systemd/system ]
}

# systemd, openrc or sysv.
service_manager() {
    if systemd_running; then
        echo systemd
    elif command -v openrc-run >/dev/null 2>&1 || [ -x /sbin/openrc-run ]; then
        echo openrc
    elif command -v systemctl >/dev/null 2>&1 || [ -x /lib/systemd/systemd ] || [ -x /usr/lib/systemd/systemd ]; then
        echo systemd
    else
        echo sysv
    fi
}

have() {
    command -v "$1" >/dev/null 2>&1
}

stop_service() {
    case $(service_manager) in
        systemd)
            if systemd_running; then
                systemctl stop pulse-agent >/dev/null 2>&1 || true
            fi
            ;;
        openrc)
            if [ -f "$INIT_SCRIPT" ] && have rc-service; then
                rc-service pulse-agent stop >/dev/null 2>&1 || true
            fi
            ;;
        sysv)
            if [ -x "$INIT_SCRIPT" ]; then
                "$INIT_SCRIPT" stop >/dev/null 2>&1 || true
            fi
            ;;
    esac
}

# --- uninstall --------------------------------------------------------------------------------

removed=0

remove_path() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        rm -rf "$1"
        say "removed $1"
        removed=$((removed + 1))
    fi
}

uninstall_agent() {
    manager=$(service_manager)
    case $manager in
        systemd)
            if systemd_running; then
                systemctl stop pulse-agent >/dev/null 2>&1 || true
                # Removed here rather than by systemctl disable, so the output names it.
                remove_path "$UNIT_LINK"
                systemctl disable pulse-agent >/dev/null 2>&1 || true
            fi
            ;;
        openrc)
            if have rc-service; then
                rc-service pulse-agent stop >/dev/null 2>&1 || true
            fi
            if have rc-update; then
                rc-update del pulse-agent >/dev/null 2>&1 || true
            fi
            ;;
        sysv)
            if [ -x "$INIT_SCRIPT" ]; then
                "$INIT_SCRIPT" stop >/dev/null 2>&1 || true
            fi
            ;;
    esac
    for link in /etc/rc[0-6S].d/[SK][0-9][0-9]pulse-agent; do
        remove_path "$link"
    done
    if [ "$manager" = sysv ] && [ -f "$INIT_SCRIPT" ]; then
        if have update-rc.d; then
            update-rc.d -f pulse-agent remove >/dev/null 2>&1 || true
        elif have chkconfig; then
            chkconfig --del pulse-agent >/dev/null 2>&1 || true
        fi
    fi
    remove_path "$UNIT_LINK"
    remove_path "$UNIT_FILE"
    remove_path "$INIT_SCRIPT"
    remove_path "$BIN_PATH"
    remove_path "$CONF_DIR"
    remove_path "$STATE_DIR"
    remove_path "$LOG_FILE"
    remove_path "$PID_FILE"
    if [ "$manager" = systemd ] && systemd_running; then
        systemctl daemon-reload >/dev/null 2>&1 || true
    fi
    if [ "$removed" -eq 0 ]; then
        say "nothing to remove: pulse-agent is not installed"
    else
        say "pulse-agent uninstalled"
    fi
}

if [ "$uninstall" -eq 1 ]; then
    uninstall_agent
    exit 0
fi

# --- architecture -----------------------------------------------------------------------------

machine=$(uname -m)
case $machine in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    armv7l | armv7 | armhf) arch=armv7 ;;
    armv6l | armv6) arch=armv6 ;;
    i386 | i486 | i586 | i686) arch=386 ;;
    *) fail 1 "unsupported CPU architecture '$machine' (pulse-agent is built for x86_64, aarch64, armv7l, armv6l and i686)" ;;
esac
platform=linux-$arch

# --- download and verify ----------------------------------------------------------------------

have curl || fail 1 "curl is required; install it first (apt-get install curl, apk add curl, dnf install curl)"

sha256_of() {
    if have sha256sum; then
        sha256sum "$1" | awk '{ print $1 }'
    elif have shasum; then
        shasum -a 256 "$1" | awk '{ print $1 }'
    elif have openssl; then
        openssl dgst -sha256 -r "$1" | awk '{ print $1 }'
    else
        fail 1 "no SHA-256 tool found (sha256sum, shasum or openssl); cannot verify the download"
    fi
}

lowercase() {
    printf '%s' "$1" | tr 'A-F' 'a-f'
}

is_sha256() {
    [ "${#1}" -eq 64 ] && is_hex "$1"
}

# fetch OUTPUT URL: downloads URL into OUTPUT with the headers in $work_dir/headers; prints the
# HTTP status (000 when the server could not be reached). Never follows redirects.
fetch() {
    set -- "$1" "$2"
    if [ "$insecure" -eq 1 ]; then
        set -- "$@" -k
    fi
    if [ -n "$cacert" ]; then
        set -- "$@" --cacert "$cacert"
    fi
    output=$1
    address=$2
    shift 2
    curl -fsS --proto '=http,https' --connect-timeout 15 --retry 2 "$@" \
        -D "$work_dir/headers" -o "$output" -w '%{http_code}' "$address" 2>"$work_dir/curl.err" || true
}

header_value() {
    tr -d '\r' <"$work_dir/headers" | awk -v name="$1" '
        index($0, ":") > 0 {
            key = tolower(substr($0, 1, index($0, ":") - 1))
            value = substr($0, index($0, ":") + 1)
            gsub(/^[ \t]+|[ \t]+$/, "", value)
            if (key == name) found = value
        }
        END { print found }'
}

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/pulse-agent-install.XXXXXX")
mkdir -p "$BIN_DIR"
tmp_bin=$(mktemp "$BIN_DIR/.pulse-agent.XXXXXX")

if [ "$insecure" -eq 1 ]; then
    say "warning: --insecure: the server's TLS certificate is not verified, here or by the agent"
fi
download_url="$url/download/pulse-agent?arch=$platform"
say "downloading pulse-agent for $platform from $url"
status=$(fetch "$tmp_bin" "$download_url")
case $status in
    200) ;;
    000 | '')
        detail=$(head -n 1 "$work_dir/curl.err" 2>/dev/null || true)
        fail 1 "could not reach $url: ${detail:-curl failed}"
        ;;
    301 | 302 | 303 | 307 | 308)
        location=$(header_value location)
        fail 1 "the server answered HTTP $status, a redirect to ${location:-another address}; pass the final address with --url (redirects are not followed)"
        ;;
    404) fail 1 "the server has no pulse-agent build for $platform (HTTP 404 from $download_url)" ;;
    401 | 403) fail 1 "the server refused the download (HTTP $status from $download_url)" ;;
    *) fail 1 "downloading $download_url failed with HTTP status $status" ;;
esac

expected=$(header_value x-checksum-sha256)
if ! is_sha256 "$expected"; then
    checksum_url="$url/download/pulse-agent.sha256?arch=$platform"
    status=$(fetch "$work_dir/checksum" "$checksum_url")
    expected=''
    if [ "$status" = 200 ]; then
        expected=$(awk 'NR == 1 { print $1 }' "$work_dir/checksum" | tr -d '\r')
    fi
fi
if ! is_sha256 "$expected"; then
    fail 1 "the server offered no SHA-256 checksum; refusing to install an unverified binary"
fi

[ -s "$tmp_bin" ] || fail 1 "the server sent an empty file for $platform; refusing to install it"
actual=$(sha256_of "$tmp_bin")
expected=$(lowercase "$expected")
actual=$(lowercase "$actual")
if [ "$actual" != "$expected" ]; then
    fail 1 "checksum mismatch: the server published SHA-256 $expected but the download has $actual; refusing to install it"
fi
magic=$(od -An -tx1 -N4 "$tmp_bin" | tr -d ' \n')
if [ "$magic" != 7f454c46 ]; then
    fail 1 "the download is not a Linux executable (no ELF header); refusing to install it"
fi
say "verified SHA-256 $actual"

# The checksum only catches a damaged download: whoever can alter the binary on the way (over
# http://) can alter the checksum too. The signature needs the server's private key.
key_pem=''
if [ -n "$key" ]; then
    key_pem=$work_dir/update-key.pem
    # An Ed25519 SubjectPublicKeyInfo is 12 fixed bytes (MCowBQYDK2VwAyEA in base64, a whole
    # number of base64 groups) followed by the 32 key bytes.
    printf '%s\n' '-----BEGIN PUBLIC KEY-----' "MCowBQYDK2VwAyEA$key" '-----END PUBLIC KEY-----' >"$key_pem"
elif [ -f "$KEY_FILE" ]; then
    key_pem=$KEY_FILE
fi
unverified=''
if [ -z "$key_pem" ]; then
    unverified="no key to verify the agent's signature with (pass --key from the install command Pulse shows)"
elif ! have openssl; then
    unverified="openssl is needed to verify the agent's signature (apt-get install openssl, apk add openssl, dnf install openssl)"
else
    case $(openssl version 2>/dev/null) in
        'OpenSSL '[3-9]*) ;;
        *) unverified="OpenSSL 3 or newer is needed to verify the agent's Ed25519 signature (this host has $(openssl version 2>/dev/null || echo 'an unknown openssl'))" ;;
    esac
fi
if [ -z "$unverified" ]; then
    signature_url="$url/download/pulse-agent.sig?arch=$platform"
    status=$(fetch "$work_dir/agent.sig" "$signature_url")
    if [ "$status" != 200 ] || [ "$(wc -c <"$work_dir/agent.sig")" -ne 64 ]; then
        unverified="the server offered no signature for the agent (HTTP $status from $signature_url)"
    elif ! openssl pkeyutl -verify -pubin -inkey "$key_pem" -rawin -in "$tmp_bin" -sigfile "$work_dir/agent.sig" >"$work_dir/openssl.out" 2>&1; then
        unverified="the agent's Ed25519 signature does not verify with the server's key: it was altered on the way or signed by another server"
    fi
fi
if [ -z "$unverified" ]; then
    say "verified the Ed25519 signature with the server's key"
elif [ "$insecure_skip_verify" -eq 1 ]; then
    warn "--insecure-skip-verify: installing an agent whose signature was not verified: $unverified"
else
    fail 1 "$unverified; refusing to install it (--insecure-skip-verify would install it anyway)"
fi
chmod 0755 "$tmp_bin"

# version_of BINARY: its --version output, or "unknown" when it does not run here.
version_of() {
    if have timeout; then
        v=$(timeout 10 "$1" --version 2>/dev/null | head -n 1) || v=''
    else
        v=$("$1" --version 2>/dev/null | head -n 1) || v=''
    fi
    printf '%s\n' "${v:-unknown}"
}

new_version=$(version_of "$tmp_bin")
if [ "$new_version" = unknown ]; then
    say "warning: the downloaded agent does not run on this host (pulse-agent --version failed); installing it anyway"
    new_version='(version unknown)'
fi
if [ -e "$BIN_PATH" ]; then
    old_version=$(version_of "$BIN_PATH")
    if [ "$(sha256_of "$BIN_PATH")" = "$actual" ]; then
        say "upgrading pulse-agent $old_version -> $new_version (the same build; reinstalling)"
    else
        say "upgrading pulse-agent $old_version -> $new_version"
    fi
else
    say "installing pulse-agent $new_version"
fi

# --- token ------------------------------------------------------------------------------------

umask 077
mkdir -p "$CONF_DIR"
chmod 0700 "$CONF_DIR"
tmp_token=$(mktemp "$CONF_DIR/.token.XXXXXX")
chmod 0600 "$tmp_token"
# printf is a shell builtin: the token never shows up in a process list.
printf '%s\n' "$token" >"$tmp_token"
mv -f "$tmp_token" "$TOKEN_FILE"
tmp_token=''
chown 0:0 "$CONF_DIR" "$TOKEN_FILE"
say "token stored in $TOKEN_FILE (readable by root only)"
if [ -n "$key" ]; then
    tmp_key=$(mktemp "$CONF_DIR/.update-key.XXXXXX")
    cat "$key_pem" >"$tmp_key"
    chmod 0644 "$tmp_key"
    chown 0:0 "$tmp_key"
    mv -f "$tmp_key" "$KEY_FILE"
    tmp_key=''
    say "the server's signing key stored in $KEY_FILE; the agent accepts only updates signed with it"
elif [ -f "$KEY_FILE" ]; then
    say "keeping the signing key in $KEY_FILE"
else
    warn "no signing key stored: the agent will not update itself (install with --key to change that)"
fi
umask 022

# --- agent arguments --------------------------------------------------------------------------

# Quoting for a systemd ExecStart= word: double quotes, with \ " escaped and % $ doubled.
systemd_quote() {
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/%/%%/g' -e 's/\$/$$/g')"
}

# Quoting for sh: single quotes, with ' written as '\''.
sh_quote() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

systemd_args=''
sh_args=''
add_args() {
    for word in "$@"; do
        case $word in
            --*) systemd_args="$systemd_args $word" sh_args="$sh_args $word" ;;
            *)
                systemd_args="$systemd_args $(systemd_quote "$word")"
                sh_args="$sh_args $(sh_quote "$word")"
                ;;
        esac
    done
}

add_args --url "$url" --token-file "$TOKEN_FILE" --interval "${interval:-30s}"
[ "$enable_docker" -eq 1 ] && add_args --enable-docker
[ "$enable_kubernetes" -eq 1 ] && add_args --enable-kubernetes
[ "$enable_host" -eq 0 ] && add_args --no-enable-host
[ "$insecure" -eq 1 ] && add_args --insecure
[ -n "$cacert" ] && add_args --cacert "$cacert"
[ -n "$agent_id" ] && add_args --agent-id "$agent_id"
[ -n "$hostname_override" ] && add_args --hostname "$hostname_override"
[ -n "$health_addr" ] && add_args --health-addr "$health_addr"
if [ -n "$tags" ]; then
    saved_ifs=$IFS
    IFS=$NEWLINE
    set -f
    for tag in $tags; do
        add_args --tag "$tag"
    done
    set +f
    IFS=$saved_ifs
fi
[ -f "$KEY_FILE" ] && add_args --update-key-file "$KEY_FILE"

# --- install ----------------------------------------------------------------------------------

manager=$(service_manager)
upgrade=0
[ -e "$BIN_PATH" ] && upgrade=1

if [ "$upgrade" -eq 1 ]; then
    stop_service
fi
mv -f "$tmp_bin" "$BIN_PATH"
tmp_bin=''
say "installed $BIN_PATH"
mkdir -p "$STATE_DIR"
chmod 0700 "$STATE_DIR"

write_systemd_unit() {
    mkdir -p "$(dirname "$UNIT_FILE")"
    cat >"$UNIT_FILE.tmp" <<EOF
# Written by the Pulse agent installer; re-run it to change settings.
[Unit]
Description=Pulse monitoring agent
After=network-online.target docker.service
Wants=network-online.target

[Service]
Type=simple
User=root
ExecStart=$BIN_PATH$systemd_args
Restart=always
RestartSec=5s
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full
ProtectHome=read-only

[Install]
WantedBy=multi-user.target
EOF
    chmod 0644 "$UNIT_FILE.tmp"
    mv -f "$UNIT_FILE.tmp" "$UNIT_FILE"
    say "wrote $UNIT_FILE"
}

write_openrc_script() {
    mkdir -p "$(dirname "$INIT_SCRIPT")"
    cat >"$INIT_SCRIPT.tmp" <<EOF
#!/sbin/openrc-run
# Written by the Pulse agent installer; re-run it to change settings.
name="pulse-agent"
description="Pulse monitoring agent"
command="$BIN_PATH"
command_args=$(sh_quote "${sh_args# }")
supervisor="supervise-daemon"
respawn_delay=5
respawn_max=0
pidfile="$PID_FILE"
output_log="$LOG_FILE"
error_log="$LOG_FILE"

depend() {
    need net
    after docker
}
EOF
    chmod 0755 "$INIT_SCRIPT.tmp"
    mv -f "$INIT_SCRIPT.tmp" "$INIT_SCRIPT"
    say "wrote $INIT_SCRIPT"
}

write_sysv_script() {
    mkdir -p "$(dirname "$INIT_SCRIPT")"
    cat >"$INIT_SCRIPT.tmp" <<EOF
#!/bin/sh
# Written by the Pulse agent installer; re-run it to change settings.
### BEGIN INIT INFO
# Provides:          pulse-agent
# Required-Start:    \$network \$remote_fs \$syslog
# Required-Stop:     \$network \$remote_fs \$syslog
# Should-Start:      docker
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: Pulse monitoring agent
### END INIT INFO

ACTION=\${1:-}
DAEMON=$BIN_PATH
PIDFILE=$PID_FILE
LOGFILE=$LOG_FILE
# The agent's arguments.
set --$sh_args
EOF
    cat >>"$INIT_SCRIPT.tmp" <<'EOF'

running() {
    [ -f "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    kill -0 "$pid" 2>/dev/null || return 1
    # An agent that died at start may linger a moment as a zombie.
    ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

start() {
    if running; then
        echo "pulse-agent is already running (pid $(cat "$PIDFILE"))"
        return 0
    fi
    echo "Starting pulse-agent"
    if command -v start-stop-daemon >/dev/null 2>&1; then
        # sh execs the agent, so the recorded pid is the agent's and its output goes to the log.
        start-stop-daemon --start --quiet --background --make-pidfile --pidfile "$PIDFILE" \
            --startas /bin/sh -- -c 'exec "$0" "$@" >>"'"$LOGFILE"'" 2>&1' "$DAEMON" "$@"
    else
        nohup "$DAEMON" "$@" >>"$LOGFILE" 2>&1 </dev/null &
        echo $! >"$PIDFILE"
    fi
    sleep 1
    if ! running; then
        echo "pulse-agent exited right away; see $LOGFILE" >&2
        return 1
    fi
}

stop() {
    if ! running; then
        echo "pulse-agent is not running"
        rm -f "$PIDFILE"
        return 0
    fi
    echo "Stopping pulse-agent"
    if command -v start-stop-daemon >/dev/null 2>&1; then
        start-stop-daemon --stop --quiet --pidfile "$PIDFILE" --retry TERM/10/KILL/5 || true
    else
        pid=$(cat "$PIDFILE")
        kill "$pid" 2>/dev/null || true
        tries=0
        while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 10 ]; do
            sleep 1
            tries=$((tries + 1))
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
}

case $ACTION in
    start) start "$@" ;;
    stop) stop ;;
    restart | force-reload)
        stop
        start "$@"
        ;;
    status)
        if running; then
            echo "pulse-agent is running (pid $(cat "$PIDFILE"))"
        else
            echo "pulse-agent is not running"
            exit 3
        fi
        ;;
    *)
        echo "Usage: $0 {start|stop|restart|status}" >&2
        exit 2
        ;;
esac
EOF
    chmod 0755 "$INIT_SCRIPT.tmp"
    mv -f "$INIT_SCRIPT.tmp" "$INIT_SCRIPT"
    say "wrote $INIT_SCRIPT"
}

case $manager in
    systemd)
        write_systemd_unit
        if systemd_running; then
            systemctl daemon-reload
            systemctl enable pulse-agent >/dev/null 2>&1
            systemctl restart pulse-agent
            sleep 2
            if systemctl is-active --quiet pulse-agent; then
                say "pulse-agent is running (systemctl status pulse-agent)"
            else
                say "warning: pulse-agent did not stay up; see journalctl -u pulse-agent"
            fi
        else
            mkdir -p "$(dirname "$UNIT_LINK")"
            ln -sf "$UNIT_FILE" "$UNIT_LINK"
            say "systemd is not running here: the unit is installed and enabled and will start at boot"
        fi
        ;;
    openrc)
        write_openrc_script
        if have rc-update; then
            rc-update add pulse-agent default >/dev/null 2>&1 || say "warning: rc-update add pulse-agent default failed"
        fi
        if have rc-service && rc-service pulse-agent restart >/dev/null 2>&1; then
            say "pulse-agent is running (rc-service pulse-agent status)"
        else
            say "pulse-agent is installed but could not be started now; it will start at boot"
        fi
        ;;
    sysv)
        write_sysv_script
        if have update-rc.d; then
            update-rc.d pulse-agent defaults >/dev/null 2>&1 || say "warning: update-rc.d pulse-agent defaults failed"
        elif have chkconfig; then
            chkconfig --add pulse-agent >/dev/null 2>&1 || say "warning: chkconfig --add pulse-agent failed"
        else
            say "no update-rc.d or chkconfig here: start $INIT_SCRIPT from your boot scripts"
        fi
        if "$INIT_SCRIPT" restart >/dev/null 2>&1; then
            say "pulse-agent is running ($INIT_SCRIPT status)"
        else
            say "warning: pulse-agent did not start; see $LOG_FILE"
        fi
        ;;
esac

if [ "$upgrade" -eq 1 ]; then
    say "pulse-agent upgraded to $new_version"
else
    say "pulse-agent $new_version installed; it reports to $url every ${interval:-30s}"
fi
