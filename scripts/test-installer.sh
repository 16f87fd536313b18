#!/usr/bin/env bash
# End-to-end test of installers/install.sh on a real Debian bookworm root.
#
# Builds (once; cached in .build/test-data/installer-rootfs.tar.gz) a minimal Debian root with
# debootstrap, starts the real `pulse` server from .build/debug with a binaries folder holding the
# debug agent, and runs the installer the server serves at /install.sh inside a fresh copy of that
# root: the exact command POST /api/agent-install-command returns (token on stdin), fresh install,
# upgrade in place, uninstall, a tampered download, a build altered with its checksum (the
# Ed25519 signature refuses it), a missing signature, a foreign or missing key,
# --insecure-skip-verify, a server without checksums, bad arguments, a missing build (all with
# chroot; systemd installed but not running), the SysV fallback and OpenRC, and finally the root
# booted with systemd-nspawn so the unit really starts, reports, upgrades and goes. Needs root
# (chroot, mount, systemd-nspawn) and, the first time, the Debian mirror.
#
#   sudo scripts/test-installer.sh          (after swift build; make test runs it)
#
# PULSE_SERVER_BINARY / PULSE_AGENT_BINARY test other builds than .build/debug's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$PWD
SECONDS=0
PULSE=${PULSE_SERVER_BINARY:-$REPO/.build/debug/pulse}
AGENT=${PULSE_AGENT_BINARY:-$REPO/.build/debug/pulse-agent}
CACHE_DIR=$REPO/.build/test-data
ROOTFS_TAR=$CACHE_DIR/installer-rootfs.tar.gz
ROOTFS_INFO=$CACHE_DIR/installer-rootfs.info
SUITE=bookworm
INCLUDE=curl,ca-certificates,systemd
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# The servers are on 127.0.0.1: never through a proxy from the environment (debootstrap may
# still need one for the mirror; the installer runs with a clean environment).
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

say() { printf '%s\n' "$*"; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || die "the installer test needs root (chroot and mount): sudo $0"
[ -x "$PULSE" ] || die "$PULSE is missing: build first (swift build)"
[ -x "$AGENT" ] || die "$AGENT is missing: build first (swift build)"

scripts/install-deps.sh debootstrap shellcheck curl python3 tar gzip systemd-container util-linux

# server_has_report_from HOSTNAME: waits up to 30 s for the server to list HOSTNAME as connected.
server_has_report_from() {
    local _
    for _ in $(seq 60); do
        if curl -fsS -H "Authorization: Bearer $TOKEN" "$SERVER/api/agents/host/lookup?hostname=$1" 2>/dev/null | grep -q '"connected":true'; then
            return 0
        fi
        sleep 0.5
    done
    return 1
}

# --- results ----------------------------------------------------------------------------------

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    say "PASS: $*"
}
fail() {
    failed=$((failed + 1))
    say "FAIL: $*"
}
# check DESCRIPTION COMMAND...: PASS when COMMAND succeeds.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
scenario() {
    say ""
    say "== $* (at ${SECONDS}s)"
}

# --- cleanup: processes, mounts, temporary folders --------------------------------------------

TMP=''
PIDS=()

# Mount points at or under $1, deepest first.
mounts_under() {
    awk -v root="$1" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/mounts | sort -r
}

# Kills every process whose root directory is $1 or under it (what an init script started in a
# chroot there).
kill_chroot_processes() {
    local dir=$1 link pid
    for link in /proc/[0-9]*/root; do
        pid=${link#/proc/}
        pid=${pid%/root}
        case $(readlink "$link" 2>/dev/null) in
            "$dir" | "$dir"/*) kill -9 "$pid" 2>/dev/null || true ;;
        esac
    done
}

# Removes $1 after ending its chroot processes and unmounting what is mounted under it; refuses
# (and says so) when something stays mounted, so a bind mount's source is never deleted.
release_dir() {
    local dir=$1 mount_point
    [ -d "$dir" ] || return 0
    kill_chroot_processes "$dir"
    while read -r mount_point; do
        [ -n "$mount_point" ] || continue
        umount "$mount_point" 2>/dev/null || umount -l "$mount_point" 2>/dev/null || true
    done < <(mounts_under "$dir")
    if [ -n "$(mounts_under "$dir")" ]; then
        say "warning: $dir still has mounts; not removing it" >&2
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

# stop_process PID: TERM, up to 15 s to exit (a booted container halts), then KILL.
stop_process() {
    local pid=$1 tries=0
    kill "$pid" 2>/dev/null || return 0
    while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 75 ]; do
        sleep 0.2
        tries=$((tries + 1))
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Kills the PID 1 of a container (and so everything in its PID namespace), if PID is still one.
CONTAINER_INITS=()
kill_container_init() {
    local pid=$1
    [ -e "/proc/$pid/ns/pid" ] || return 0
    if [ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]; then
        kill -9 "$pid" 2>/dev/null || true
    fi
}

summarized=0
# The script's own stdout and stderr: a signal can arrive while a function's output is redirected.
exec 3>&1 4>&2
cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    exec 1>&3 2>&4
    if [ "$summarized" -eq 0 ] && [ "$passed" -gt 0 ]; then
        failed=$((failed + 1))
        say "FAIL: the test stopped early (exit $status)"
        say "installer tests: $passed passed, $failed failed"
    fi
    local pid
    for pid in "${CONTAINER_INITS[@]}"; do kill_container_init "$pid"; done
    for pid in "${PIDS[@]}"; do stop_process "$pid"; done
    if [ -n "$TMP" ] && [ -d "$TMP" ]; then
        release_dir "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d /tmp/pulse-installer-test.XXXXXX)
# Copies of the builds, so a rebuild during the run changes nothing under the test.
mkdir -p "$TMP/builds"
cp "$PULSE" "$TMP/builds/pulse"
cp "$AGENT" "$TMP/builds/pulse-agent"
PULSE=$TMP/builds/pulse
AGENT=$TMP/builds/pulse-agent

# --- shellcheck -------------------------------------------------------------------------------

scenario "shellcheck"
check "shellcheck -s sh installers/install.sh" shellcheck -s sh installers/install.sh
check "shellcheck scripts/test-installer.sh" shellcheck scripts/test-installer.sh
if [ "$failed" -gt 0 ]; then
    die "shellcheck found problems; fix them first"
fi

# --- the Debian root --------------------------------------------------------------------------

# The Debian mirror this machine's apt uses (deb822 sources or sources.list), else deb.debian.org.
debian_mirror() {
    local found=''
    if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
        found=$(awk 'BEGIN { RS = ""; FS = "\n" }
            {
                uris = ""; suites = ""
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
                    if ($i ~ /^Suites:/) { suites = " " $i " " }
                }
                if (uris != "" && suites ~ /[ \t]bookworm[ \t]/) { split(uris, u, /[ \t]+/); print u[1]; exit }
            }' /etc/apt/sources.list.d/*.sources)
    fi
    if [ -z "$found" ] && [ -f /etc/apt/sources.list ]; then
        found=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
    fi
    case $found in
        http://* | https://*) printf '%s\n' "${found%/}" ;;
        *) printf '%s\n' http://deb.debian.org/debian ;;
    esac
}

scenario "Debian $SUITE root"
rootfs_key="debootstrap --variant=minbase --include=$INCLUDE $SUITE"
mkdir -p "$CACHE_DIR"
BASE=$TMP/base
if [ -f "$ROOTFS_TAR" ] && [ "$(cat "$ROOTFS_INFO" 2>/dev/null)" = "$rootfs_key" ]; then
    say "using the cached root $ROOTFS_TAR"
    untar_started=$SECONDS
    mkdir -p "$BASE"
    tar --numeric-owner -C "$BASE" -xzf "$ROOTFS_TAR"
    say "unpacked in $((SECONDS - untar_started))s"
else
    mirror=$(debian_mirror)
    say "building the root: $rootfs_key (mirror $mirror)"
    debootstrap_started=$SECONDS
    if ! debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$BASE" "$mirror" >"$TMP/debootstrap.log" 2>&1; then
        tail -n 30 "$TMP/debootstrap.log" >&2
        die "debootstrap failed (log above); this test needs the Debian mirror $mirror"
    fi
    say "debootstrap took $((SECONDS - debootstrap_started))s"
    tar_started=$SECONDS
    tar --numeric-owner -C "$BASE" -cf - . | gzip -1 >"$ROOTFS_TAR.tmp"
    mv -f "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    printf '%s\n' "$rootfs_key" >"$ROOTFS_INFO"
    say "cached as $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1), $((SECONDS - tar_started))s)"
fi

# The debug agent links the Swift runtime from the toolchain (its RUNPATH); copying the libraries
# the root lacks lets `pulse-agent --version` and the scenarios that start the agent run it in the
# root. Nothing the installer does depends on them.
copied=0
while read -r library; do
    if [ ! -e "$BASE$library" ]; then
        mkdir -p "$BASE$(dirname "$library")"
        cp -L "$library" "$BASE$library"
        copied=$((copied + 1))
    fi
done < <(ldd "$AGENT" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }')
say "copied $copied shared libraries of the agent build into the root"

ROOT=''
OVERLAY=1
INSTALLER=/tmp/install.sh
IN_ROOT=()
# new_root [boot]: a fresh copy of the base root in $ROOT (an overlay on it: the base stays
# untouched; a full copy where overlayfs is unavailable) and the served installer in it. Commands
# run in it with "${IN_ROOT[@]}": chroot with /proc mounted, or for `boot` (systemd-nspawn mounts
# /proc and a tmpfs on /tmp itself) nsenter, set by boot_root.
new_root() {
    local dir
    dir=$(mktemp -d "$TMP/root.XXXXXX")
    ROOT=$dir/root
    mkdir -p "$ROOT" "$dir/upper" "$dir/work"
    if [ "$OVERLAY" -eq 1 ] && ! mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$dir/upper,workdir=$dir/work" "$ROOT" 2>/dev/null; then
        OVERLAY=0
        say "overlayfs is unavailable here; copying the root for each scenario instead"
    fi
    if [ "$OVERLAY" -eq 0 ]; then
        cp -a "$BASE/." "$ROOT/"
    fi
    if [ "${1:-}" = boot ]; then
        INSTALLER=/root/install.sh
        IN_ROOT=()
    else
        INSTALLER=/tmp/install.sh
        IN_ROOT=(chroot "$ROOT")
        mount -t proc proc "$ROOT/proc"
    fi
    curl -fsS -o "$ROOT$INSTALLER" "$SERVER/install.sh"
    if [ "$served_installer_current" -eq 0 ]; then
        cp "$REPO/installers/install.sh" "$ROOT$INSTALLER"
    fi
}
# in_root COMMAND...: runs COMMAND in $ROOT as root with a clean environment.
in_root() {
    "${IN_ROOT[@]}" /usr/bin/env -i PATH="$CHROOT_PATH" HOME=/root LC_ALL=C "$@"
}

# --- servers ----------------------------------------------------------------------------------

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL PID LOG: waits up to 30 s for URL to answer 200 while PID lives.
wait_http() {
    local url=$1 pid=$2 log=$3 tries=0
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$log" >&2
            die "the server behind $url exited (log above)"
        fi
        tries=$((tries + 1))
        [ "$tries" -lt 150 ] || die "$url did not answer within 30 s"
        sleep 0.2
    done
}

case $(uname -m) in
    x86_64) ARCH=amd64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    armv7l | armhf) ARCH=armv7 ;;
    armv6l) ARCH=armv6 ;;
    i386 | i486 | i586 | i686) ARCH=386 ;;
    *) die "no agent build name for this machine ($(uname -m))" ;;
esac
BIN_DIR=$TMP/bin
SERVED_AGENT=$BIN_DIR/pulse-agent-linux-$ARCH
mkdir -p "$BIN_DIR" "$TMP/data"
cp "$AGENT" "$SERVED_AGENT"
# An agent token, minted the way an operator would.
TOKEN=$("$PULSE" --data-dir "$TMP/data" --log-level error token create --name installer-test --scope host-agent:report)
[[ $TOKEN =~ ^[0-9a-f]{64}$ ]] || die "pulse token create printed no 64-hex token"
# An admin token, to ask for the install command as the dashboard would.
ADMIN=$("$PULSE" --data-dir "$TMP/data" --log-level error token create --name installer-admin)
printf '%s\n' "$TOKEN" >"$TMP/token"

scenario "server"
PORT=$(free_port)
SERVER=http://127.0.0.1:$PORT
"$PULSE" --data-dir "$TMP/data" --bind-address 127.0.0.1 --port "$PORT" --bin-dir "$BIN_DIR" >"$TMP/server.log" 2>&1 &
PIDS+=($!)
wait_http "$SERVER/api/health" "$!" "$TMP/server.log"
say "pulse is up at $SERVER"

curl -fsS -o "$TMP/served-install.sh" "$SERVER/install.sh"
served_installer_current=1
if cmp -s "$TMP/served-install.sh" installers/install.sh; then
    pass "GET /install.sh serves installers/install.sh"
else
    served_installer_current=0
    fail "GET /install.sh serves a different installer than installers/install.sh (the server embeds it at build time: rebuild); the scenarios use the repository's copy"
fi
# GET /uninstall-host-agent.sh: the installer with one fixed line after the shebang that puts
# --uninstall first (so `curl … | sudo sh` uninstalls), and shellcheck-clean as served.
curl -fsS -o "$TMP/served-uninstall.sh" "$SERVER/uninstall-host-agent.sh"
{ head -n 1 installers/install.sh; printf '%s\n' 'set -- --uninstall "$@"'; tail -n +2 installers/install.sh; } >"$TMP/expected-uninstall.sh"
check "GET /uninstall-host-agent.sh serves install.sh with --uninstall first" cmp -s "$TMP/served-uninstall.sh" "$TMP/expected-uninstall.sh"
check "shellcheck -s sh uninstall-host-agent.sh" shellcheck -s sh "$TMP/served-uninstall.sh"
# The server's signing key, as the install command passes it (--key), and as PEM.
KEY=$(curl -fsS "$SERVER/api/agent/signing-key" | python3 -c 'import json, sys; print(json.load(sys.stdin)["publicKey"])')
KEY_PEM=$(curl -fsS "$SERVER/api/agent/signing-key" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pem"], end="")')
[[ $KEY =~ ^[A-Za-z0-9+/]{43}=$ ]] || die "GET /api/agent/signing-key gave no base64 Ed25519 key"

# --- helpers for the scenarios ----------------------------------------------------------------

RC=0
OUT=''
ERR=''
# What the next run_installer reads on stdin (--token-stdin); /dev/null unless set.
STDIN=/dev/null
# run_installer NAME ARGS...: runs /tmp/install.sh in $ROOT with a clean environment, as root.
# Sets RC, OUT (stdout file), ERR (stderr file) and prints the output indented.
run_installer() {
    local name=$1
    shift
    OUT=$TMP/$name.out
    ERR=$TMP/$name.err
    set +e
    in_root /bin/sh "$INSTALLER" "$@" <"$STDIN" >"$OUT" 2>"$ERR"
    RC=$?
    set -e
    STDIN=/dev/null
    sed 's/^/    | /' "$OUT" "$ERR"
    say "    (exit $RC)"
}

said() { grep -qF -- "$1" "$OUT" "$ERR"; }
# stderr_says TEXT...: every TEXT is in the installer's stderr.
stderr_says() {
    local text
    for text in "$@"; do grep -qF -- "$text" "$ERR" || return 1; done
}
exited() { [ "$RC" -eq "$1" ]; }
failed_saying() { [ "$RC" -ne 0 ] && stderr_says "$@"; }
never_printed_token() { ! grep -qF -- "$TOKEN" "$OUT" "$ERR"; }
starts_with() { case $1 in "$2"*) return 0 ;; esac; return 1; }
contains() { case $1 in *"$2"*) return 0 ;; esac; return 1; }
lacks() { ! contains "$@"; }
running() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
one_of() {
    local value=$1
    shift
    case " $* " in *" $value "*) return 0 ;; esac
    return 1
}
new_process() { [ -n "$2" ] && [ "$2" != 0 ] && [ "$2" != "$1" ]; }
unit_unknown() { ! in_root systemctl cat pulse-agent >/dev/null 2>&1; }
not_running() { ! running "$1"; }
cmdline_of() { tr '\0' '\n' <"/proc/$1/cmdline"; }
file_mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
file_owner() { stat -c %u:%g "$1" 2>/dev/null || echo missing; }
sha_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
content_of() { cat "$1" 2>/dev/null || echo missing; }
absent() { [ ! -e "$ROOT$1" ] && [ ! -L "$ROOT$1" ]; }
# Files the installer left behind in folders it works in (temporary names start with a dot).
leftovers() { find "$ROOT/usr/local/bin" "$ROOT/tmp" "$ROOT/etc/pulse-agent" -mindepth 1 -name '.*' -o -name 'pulse-agent-install.*' 2>/dev/null; }
no_leftovers() { [ -z "$(leftovers)" ]; }
# Files holding the token under the root's /etc, /usr/local, /lib/systemd, /var and /tmp.
token_holders() {
    grep -rlF -- "$TOKEN" "$ROOT/etc" "$ROOT/usr/local" "$ROOT/usr/lib/systemd" "$ROOT/var" "$ROOT/tmp" 2>/dev/null | sed "s|^$ROOT||" | sort
}
nothing_installed() {
    absent /usr/local/bin/pulse-agent && absent /etc/pulse-agent && absent /etc/systemd/system/pulse-agent.service \
        && absent /etc/init.d/pulse-agent && no_leftovers
}
unit_lines() { grep -c "$1" "$ROOT/etc/systemd/system/pulse-agent.service" 2>/dev/null || true; }
installed_units() {
    find "$ROOT/etc/systemd" "$ROOT/usr/lib/systemd" -name 'pulse-agent*.service' -type f | wc -l
}
layout() {
    (cd "$ROOT" && find etc/pulse-agent etc/systemd usr/local/bin var/lib/pulse-agent etc/init.d -printf '%p %y %m %u\n' 2>/dev/null | sort)
}

UNIT=/etc/systemd/system/pulse-agent.service
UNIT_LINK=/etc/systemd/system/multi-user.target.wants/pulse-agent.service
AGENT_VERSION=$("$AGENT" --version)
first_sha=$(sha_of "$SERVED_AGENT")

# --- 0. the install command the server gives ---------------------------------------------------

scenario "0. the command POST /api/agent-install-command returns, pasted into bash"
new_root
command_reply=$(curl -fsS -X POST -H "X-API-Token: $ADMIN" -H 'Content-Type: application/json' -d '{"type":"host"}' \
    "$SERVER/api/agent-install-command")
install_command=$(printf '%s' "$command_reply" | python3 -c 'import json, sys; print(json.load(sys.stdin)["command"])')
minted=$(printf '%s' "$command_reply" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
say "    command: ${install_command//$minted/<token>}"
# A stand-in for sudo (the root has none; the test runs as root) that records its arguments.
cat >"$ROOT/usr/local/bin/sudo" <<'SH'
#!/bin/sh
printf '%s\n' "$*" >>/root/sudo-calls
exec "$@"
SH
chmod 0755 "$ROOT/usr/local/bin/sudo"
set +e
in_root /bin/bash -c "$install_command" >"$TMP/command.out" 2>"$TMP/command.err" </dev/null
RC=$?
set -e
OUT=$TMP/command.out ERR=$TMP/command.err
sed 's/^/    | /' "$OUT" "$ERR"
check "the command exits 0" exited 0
check "it verified the agent's signature" said "verified the Ed25519 signature"
check "the agent is installed" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent")" = "$first_sha" ]
check "the token it minted is in /etc/pulse-agent/token" [ "$(content_of "$ROOT/etc/pulse-agent/token")" = "$minted" ]
check "sudo ran the installer (sh FILE --url …)" grep -q "^sh /tmp/tmp\..* --url $SERVER --token-stdin --key $KEY\$" "$ROOT/root/sudo-calls"
check "the token was in no command's arguments (sudo logs them)" [ -z "$(grep -F -- "$minted" "$ROOT/root/sudo-calls")" ]
check "the command did not put the token in argv: no --token" lacks "$install_command" "--token "
check "the temporary installer is gone" [ -z "$(find "$ROOT/tmp" -maxdepth 1 -name 'tmp.*')" ]
check "the signing key is pinned, 0644, root's" [ "$(file_mode "$ROOT/etc/pulse-agent/update-key.pem"):$(file_owner "$ROOT/etc/pulse-agent/update-key.pem")" = 644:0:0 ]
check "the pinned key is the server's PEM" [ "$(content_of "$ROOT/etc/pulse-agent/update-key.pem")" = "$KEY_PEM" ]
check "no warning about a token in argv" [ -z "$(grep -F 'process list' "$ERR")" ]
release_dir "$(dirname "$ROOT")"

# --- 1. fresh install -------------------------------------------------------------------------

scenario "1. fresh install (systemd present but not running), the token on stdin"
new_root
STDIN=$TMP/token
run_installer fresh --url "$SERVER" --token-stdin --key "$KEY" --interval 15s --enable-docker \
    --hostname installer-test --tag prod --tag 'rack 3' --tag "50%\$off"
check "installer exits 0" [ "$RC" -eq 0 ]
check "says it verified the signature" said "verified the Ed25519 signature with the server's key"
check "update key stored as the server's PEM" [ "$(content_of "$ROOT/etc/pulse-agent/update-key.pem")" = "$KEY_PEM" ]
check "update key mode 0644, owned by root" [ "$(file_mode "$ROOT/etc/pulse-agent/update-key.pem"):$(file_owner "$ROOT/etc/pulse-agent/update-key.pem")" = 644:0:0 ]
check "unit ExecStart passes the key to the agent" grep -sqE '^ExecStart=.* --update-key-file "/etc/pulse-agent/update-key.pem"$' "$ROOT$UNIT"
check "binary installed with the served file's SHA-256" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent" 2>/dev/null)" = "$first_sha" ]
check "binary mode 0755" [ "$(file_mode "$ROOT/usr/local/bin/pulse-agent")" = 755 ]
check "token file holds exactly the token" [ "$(content_of "$ROOT/etc/pulse-agent/token")" = "$TOKEN" ]
check "token file is the token and a newline" [ "$(stat -c %s "$ROOT/etc/pulse-agent/token" 2>/dev/null)" = 65 ]
check "token file mode 0600" [ "$(file_mode "$ROOT/etc/pulse-agent/token")" = 600 ]
check "token file owned by root" [ "$(file_owner "$ROOT/etc/pulse-agent/token")" = 0:0 ]
check "/etc/pulse-agent mode 0700" [ "$(file_mode "$ROOT/etc/pulse-agent")" = 700 ]
check "unit file written" [ -f "$ROOT$UNIT" ]
check "unit ExecStart has --url" grep -sqE "^ExecStart=/usr/local/bin/pulse-agent .*--url \"$SERVER\"" "$ROOT$UNIT"
check "unit ExecStart has --token-file" grep -sqE '^ExecStart=.* --token-file "/etc/pulse-agent/token"' "$ROOT$UNIT"
check "unit ExecStart has the options (interval, docker, hostname, tags quoted for systemd)" \
    grep -sqF -- "--interval \"15s\" --enable-docker --hostname \"installer-test\" --tag \"prod\" --tag \"rack 3\" --tag \"50%%\$\$off\"" "$ROOT$UNIT"
check "unit has Restart=always" grep -sqx 'Restart=always' "$ROOT$UNIT"
check "the token is only in /etc/pulse-agent/token" [ "$(token_holders)" = /etc/pulse-agent/token ]
check "the installer never printed the token" never_printed_token
check "enable symlink points at the unit" [ "$(readlink "$ROOT$UNIT_LINK")" = "$UNIT" ]
check "says systemd is not running and the unit starts at boot" said "systemd is not running here"
check "systemd-analyze verify accepts the unit" \
    in_root /usr/bin/env SYSTEMD_LOG_LEVEL=err systemd-analyze verify "$UNIT"
check "no temporary files left" no_leftovers
check "pulse-agent --version runs inside the root" [ "$(in_root /usr/local/bin/pulse-agent --version 2>&1)" = "$AGENT_VERSION" ]
check "says it installed version $AGENT_VERSION" said "installing pulse-agent $AGENT_VERSION"
layout_before=$(layout)

# --- 2. upgrade in place ----------------------------------------------------------------------

scenario "2. re-run: upgrade in place to a different build"
# Another ELF: the same agent with bytes appended (still runs); swapped in atomically, as a
# release would be, so the server sees a new file.
cp "$AGENT" "$BIN_DIR/.next"
head -c 4096 /dev/urandom >>"$BIN_DIR/.next"
mv -f "$BIN_DIR/.next" "$SERVED_AGENT"
second_sha=$(sha_of "$SERVED_AGENT")
# The token from a file this time, and no --key: the key pinned by the first install verifies.
cp "$TMP/token" "$ROOT/root/token"
run_installer upgrade --url "$SERVER" --token-file /root/token --interval 15s --enable-docker \
    --hostname installer-test --tag prod --tag 'rack 3' --tag "50%\$off"
check "installer exits 0" [ "$RC" -eq 0 ]
check "verified the signature with the pinned key" said "verified the Ed25519 signature with the server's key"
check "says it keeps the pinned key" said "keeping the signing key in /etc/pulse-agent/update-key.pem"
check "says it is upgrading" said "upgrading pulse-agent $AGENT_VERSION -> $AGENT_VERSION"
check "the new build is installed" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent")" = "$second_sha" ]
check "the new build differs from the first" [ "$second_sha" != "$first_sha" ]
check "exactly one unit file" [ "$(installed_units)" -eq 1 ]
check "exactly one ExecStart line" [ "$(unit_lines '^ExecStart=')" -eq 1 ]
check "enable symlink still points at the unit" [ "$(readlink "$ROOT$UNIT_LINK")" = "$UNIT" ]
check "token file intact" [ "$(content_of "$ROOT/etc/pulse-agent/token")" = "$TOKEN" ]
check "token file still mode 0600" [ "$(file_mode "$ROOT/etc/pulse-agent/token")" = 600 ]
check "same file layout as after the first install" [ "$(layout)" = "$layout_before" ]
check "the token is only in /etc/pulse-agent/token" [ "$(token_holders)" = /etc/pulse-agent/token ]
check "no temporary files left" no_leftovers

# --- 3. uninstall -----------------------------------------------------------------------------

scenario "3. --uninstall"
run_installer uninstall --uninstall
check "installer exits 0" [ "$RC" -eq 0 ]
for path in /usr/local/bin/pulse-agent "$UNIT" "$UNIT_LINK" /etc/pulse-agent /var/lib/pulse-agent; do
    check "$path is gone" absent "$path"
    check "says removed $path" said "removed $path"
done
check "the token is nowhere" [ -z "$(token_holders)" ]
run_installer uninstall-again --uninstall
check "a second --uninstall exits 0" [ "$RC" -eq 0 ]
check "a second --uninstall says nothing to remove" said "nothing to remove"
release_dir "$(dirname "$ROOT")"

# --- 4. tampered download ---------------------------------------------------------------------

cat >"$TMP/proxy.py" <<'PY'
# A proxy in front of the Pulse server that damages agent downloads.
# Modes: flip (flip one byte of the body, keep the checksum header), nohdr (drop the header),
# rehash (flip a byte and send the altered body's SHA-256, as a man in the middle of http:// can),
# nosig (drop the signature header, answer the .sig with 404).
import hashlib
import http.server
import sys
import urllib.error
import urllib.request

port, upstream, modes = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        try:
            with opener.open(upstream + self.path, timeout=60) as reply:
                status, headers, body = reply.status, reply.headers, reply.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        binary = self.path.split("?")[0] == "/download/pulse-agent"
        signature = self.path.split("?")[0] == "/download/pulse-agent.sig"
        if signature and "nosig" in modes:
            status, body = 404, b"{}"
        if binary and status == 200 and ("flip" in modes or "rehash" in modes):
            damaged = bytearray(body)
            damaged[len(damaged) // 2] ^= 0xFF
            body = bytes(damaged)
        self.send_response(status)
        for name, value in headers.items():
            lowered = name.lower()
            if lowered in ("content-length", "transfer-encoding", "connection", "date", "server"):
                continue
            if lowered == "x-checksum-sha256" and binary and "nohdr" in modes:
                continue
            if lowered == "x-checksum-sha256" and binary and "rehash" in modes:
                value = hashlib.sha256(body).hexdigest()
            if lowered == "x-signature-ed25519" and "nosig" in modes:
                continue
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY

# start_proxy MODES: a damaging proxy on a free port; sets PROXY to its URL.
PROXY=''
start_proxy() {
    local port
    port=$(free_port)
    python3 "$TMP/proxy.py" "$port" "$SERVER" "$1" >"$TMP/proxy-$1.log" 2>&1 &
    PIDS+=($!)
    PROXY=http://127.0.0.1:$port
    wait_http "$PROXY/api/health" "$!" "$TMP/proxy-$1.log"
}

scenario "4. tampered download (one byte flipped, checksum header kept) is refused"
start_proxy flip
new_root
STDIN=$TMP/token
run_installer tampered --url "$PROXY" --token-stdin --key "$KEY"
check "installer exits non-zero" [ "$RC" -ne 0 ]
check "says the checksum does not match, with the published value" stderr_says "checksum mismatch" "$second_sha"
check "nothing installed, no temporary files left" nothing_installed

scenario "4b. checksum header missing: the .sha256 file is used instead"
start_proxy nohdr
STDIN=$TMP/token
run_installer sha256-file --url "$PROXY" --token-stdin --key "$KEY"
check "installer exits 0" [ "$RC" -eq 0 ]
check "binary installed with the served file's SHA-256" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent" 2>/dev/null)" = "$second_sha" ]
release_dir "$(dirname "$ROOT")"

scenario "4c. checksum header missing and a byte flipped: the .sha256 file catches it"
start_proxy nohdr,flip
new_root
STDIN=$TMP/token
run_installer tampered-sha256-file --url "$PROXY" --token-stdin --key "$KEY"
check "installer exits non-zero" [ "$RC" -ne 0 ]
check "says the checksum does not match" said "checksum mismatch"
check "nothing installed, no temporary files left" nothing_installed
release_dir "$(dirname "$ROOT")"

scenario "4d. a byte flipped and the checksum made to match: the signature refuses it"
start_proxy rehash
new_root
STDIN=$TMP/token
run_installer rehashed --url "$PROXY" --token-stdin --key "$KEY"
check "installer exits 1" exited 1
check "the checksum matched (so only the signature caught it)" said "verified SHA-256"
check "says the signature does not verify" stderr_says "Ed25519 signature does not verify with the server's key" "refusing to install it"
check "nothing installed, no temporary files left" nothing_installed

scenario "4e. no signature (.sig 404): refused"
start_proxy nosig
STDIN=$TMP/token
run_installer no-signature --url "$PROXY" --token-stdin --key "$KEY"
check "installer exits 1" exited 1
check "says the server offered no signature" stderr_says "the server offered no signature for the agent (HTTP 404"
check "nothing installed, no temporary files left" nothing_installed

scenario "4f. a key the build was not signed with: refused"
other_key=$(openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout 2>/dev/null | sed -n 2p | base64 -d | tail -c 32 | base64)
STDIN=$TMP/token
run_installer foreign-key --url "$SERVER" --token-stdin --key "$other_key"
check "installer exits 1" exited 1
check "says the signature does not verify" stderr_says "does not verify with the server's key"
check "nothing installed, no temporary files left" nothing_installed

scenario "4g. no key given and none pinned: refused"
STDIN=$TMP/token
run_installer no-key --url "$SERVER" --token-stdin
check "installer exits 1" exited 1
check "says there is no key" stderr_says "no key to verify the agent's signature with" "--insecure-skip-verify"
check "nothing installed, no temporary files left" nothing_installed

scenario "4h. --insecure-skip-verify installs without a signature, and says so"
STDIN=$TMP/token
run_installer skip-verify --url "$PROXY" --token-stdin --key "$KEY" --insecure-skip-verify
check "installer exits 0" exited 0
check "warns that the signature was not verified" stderr_says "--insecure-skip-verify: installing an agent whose signature was not verified"
check "the build is installed" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent")" = "$second_sha" ]
check "the key is still pinned for the agent's own updates" [ "$(content_of "$ROOT/etc/pulse-agent/update-key.pem")" = "$KEY_PEM" ]
release_dir "$(dirname "$ROOT")"

# --- 5. a server with no checksum at all ------------------------------------------------------

scenario "5. a plain file server with no checksum is refused"
plain_dir=$TMP/plain
mkdir -p "$plain_dir/download"
cp "$AGENT" "$plain_dir/download/pulse-agent"
plain_port=$(free_port)
python3 -m http.server "$plain_port" --bind 127.0.0.1 --directory "$plain_dir" >"$TMP/plain.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$plain_port/" "$!" "$TMP/plain.log"
new_root
STDIN=$TMP/token
run_installer no-checksum --url "http://127.0.0.1:$plain_port" --token-stdin --key "$KEY"
check "installer exits non-zero" [ "$RC" -ne 0 ]
check "says it refuses an unverified binary" said "the server offered no SHA-256 checksum; refusing to install an unverified binary"
check "nothing installed, no temporary files left" nothing_installed
release_dir "$(dirname "$ROOT")"

# --- 6. bad arguments -------------------------------------------------------------------------

scenario "6. bad arguments exit 2 with a message"
new_root
# expect_usage_error NAME TEXT ARGS...: exit 2, TEXT on stderr in one line, nothing on stdout.
expect_usage_error() {
    local name=$1 text=$2
    shift 2
    run_installer "$name" "$@"
    check "$name: exit 2" [ "$RC" -eq 2 ]
    check "$name: stderr names the problem ($text)" stderr_says "$text"
    check "$name: in one line" [ "$(wc -l <"$ERR")" -eq 1 ]
    check "$name: nothing on stdout" [ ! -s "$OUT" ]
}
expect_usage_error unknown-flag "--frobnicate" --url "$SERVER" --token "$TOKEN" --frobnicate
expect_usage_error token-not-hex "64 hexadecimal" --url "$SERVER" --token "${TOKEN:0:63}z"
expect_usage_error token-too-short "64 hexadecimal" --url "$SERVER" --token "${TOKEN:0:63}"
expect_usage_error token-too-long "64 hexadecimal" --url "$SERVER" --token "${TOKEN}0"
expect_usage_error token-missing "a token is required" --url "$SERVER"
expect_usage_error token-two-ways "give the token one way" --url "$SERVER" --token "$TOKEN" --token-file /etc/hostname
expect_usage_error token-file-missing "--token-file /nonexistent cannot be read" --url "$SERVER" --token-file /nonexistent
expect_usage_error token-stdin-empty "--token-stdin gave no token" --url "$SERVER" --token-stdin
expect_usage_error key-not-base64 "--key must be the server's Ed25519 public key" --url "$SERVER" --token "$TOKEN" --key "x';id;'"
expect_usage_error key-too-short "--key must be the server's Ed25519 public key" --url "$SERVER" --token "$TOKEN" --key "${KEY:1}"
expect_usage_error token-no-value "--token needs a value" --url "$SERVER" --token
expect_usage_error interval-zero "--interval must not be zero" --url "$SERVER" --token "$TOKEN" --interval 0s
expect_usage_error interval-unit "--interval must be a number" --url "$SERVER" --token "$TOKEN" --interval 10x
expect_usage_error url-ftp "--url must start with http:// or https://" --url ftp://x --token "$TOKEN"
expect_usage_error url-no-host "--url must name a host" --url http:// --token "$TOKEN"
expect_usage_error url-quote "--url must not contain" --url "http://x\"y" --token "$TOKEN"
expect_usage_error url-missing "--url is required" --token "$TOKEN"
expect_usage_error cacert-missing "--cacert file /nonexistent.pem does not exist" --url "$SERVER" --token "$TOKEN" --cacert /nonexistent.pem
check "no message printed the token" [ -z "$(grep -lF -- "$TOKEN" "$TMP"/*.out "$TMP"/*.err)" ]
check "nothing installed by any of them" nothing_installed
release_dir "$(dirname "$ROOT")"

# --- 7. no build for this architecture --------------------------------------------------------

scenario "7. the server has no build for the architecture (404)"
new_root
mv "$SERVED_AGENT" "$TMP/stashed-agent"
run_installer no-build --url "$SERVER" --token "$TOKEN" --key "$KEY"
mv "$TMP/stashed-agent" "$SERVED_AGENT"
check "installer exits non-zero" [ "$RC" -ne 0 ]
check "says the server has no build for linux-$ARCH, with the status" \
    stderr_says "no pulse-agent build for linux-$ARCH" "HTTP 404"
check "nothing installed, no temporary files left" nothing_installed

# A uname that reports another machine: a build the server lacks, and one that does not exist.
fake_uname() {
    cat >"$ROOT/usr/local/bin/uname" <<EOF
#!/bin/sh
if [ "\$1" = -m ]; then echo $1; else exec /usr/bin/uname "\$@"; fi
EOF
    chmod 0755 "$ROOT/usr/local/bin/uname"
}
other_machine=aarch64
other_arch=arm64
if [ "$ARCH" = arm64 ]; then other_machine=x86_64 other_arch=amd64; fi
fake_uname "$other_machine"
run_installer other-arch --url "$SERVER" --token "$TOKEN" --key "$KEY"
check "$other_machine: exits non-zero, says there is no linux-$other_arch build" \
    failed_saying "no pulse-agent build for linux-$other_arch"
fake_uname sparc64
run_installer unknown-arch --url "$SERVER" --token "$TOKEN" --key "$KEY"
check "sparc64: exits 1" exited 1
check "sparc64: names the unsupported architecture" stderr_says "unsupported CPU architecture 'sparc64'"
rm -f "$ROOT/usr/local/bin/uname"
check "nothing installed, no temporary files left" nothing_installed
release_dir "$(dirname "$ROOT")"

# --- 8. SysV fallback, with the agent really running ------------------------------------------

scenario "8. no systemd: SysV init script; the agent starts, reports, upgrades and stops"
new_root
mv "$ROOT/usr/bin/systemctl" "$ROOT/usr/bin/systemctl.hidden"
mv "$ROOT/usr/lib/systemd/systemd" "$ROOT/usr/lib/systemd/systemd.hidden"
sysv_host=installer-sysv-$RANDOM
health_port=$(free_port)
HEALTH=http://127.0.0.1:$health_port
sysv_args=(--url "$SERVER" --token "$TOKEN" --key "$KEY" --interval 5s --hostname "$sysv_host" --tag "it's"
    --health-addr "127.0.0.1:$health_port")
run_installer sysv "${sysv_args[@]}"
check "installer exits 0" [ "$RC" -eq 0 ]
check "Pulse v5's --token still works, with a warning that ps shows it" stderr_says "--token puts the token in the process list"
check "init script written, executable" [ -x "$ROOT/etc/init.d/pulse-agent" ]
check "no systemd unit written" absent "$UNIT"
rc_links() { find "$ROOT"/etc/rc?.d -name '[SK][0-9][0-9]pulse-agent' 2>/dev/null | sed "s|^$ROOT||" | sort; }
say "    runlevel links: $(rc_links | tr '\n' ' ')"
check "update-rc.d started it in runlevel 2" contains "$(rc_links)" /etc/rc2.d/S
check "update-rc.d stops it in runlevel 0" contains "$(rc_links)" /etc/rc0.d/K
check "the token is only in /etc/pulse-agent/token" [ "$(token_holders)" = /etc/pulse-agent/token ]
agent_pid=$(cat "$ROOT/run/pulse-agent.pid" 2>/dev/null || true)
check "the agent is running (pid file)" running "$agent_pid"
agent_args=$(cmdline_of "${agent_pid:-0}" 2>/dev/null | tr '\n' ' ' || true)
say "    agent command line: $agent_args"
check "the agent runs /usr/local/bin/pulse-agent --url $SERVER --token-file /etc/pulse-agent/token" \
    starts_with "$agent_args" "/usr/local/bin/pulse-agent --url $SERVER --token-file /etc/pulse-agent/token "
check "the token is not on the agent's command line" lacks "$agent_args" "$TOKEN"
check "the tag with a quote reached the agent intact" contains "$agent_args" " --tag it's "
reported=0
server_has_report_from "$sysv_host" && reported=1
check "the server has a report from $sysv_host" [ "$reported" -eq 1 ]
check "the agent's /readyz says its reports reach the server" curl -fsS -o /dev/null "$HEALTH/readyz"
if [ "$reported" -ne 1 ]; then
    sed 's/^/    agent log | /' "$ROOT/var/log/pulse-agent.log" 2>/dev/null | tail -n 20 || true
fi
cp "$AGENT" "$BIN_DIR/.next"
head -c 4096 /dev/urandom >>"$BIN_DIR/.next"
mv -f "$BIN_DIR/.next" "$SERVED_AGENT"
third_sha=$(sha_of "$SERVED_AGENT")
run_installer sysv-upgrade "${sysv_args[@]}"
new_pid=$(cat "$ROOT/run/pulse-agent.pid" 2>/dev/null || true)
check "upgrade exits 0" exited 0
check "upgrade installed the new build" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent")" = "$third_sha" ]
check "the old agent stopped" not_running "$agent_pid"
check "a new agent runs" running "$new_pid"
check "init script status says running" in_root /etc/init.d/pulse-agent status
check "init script stop exits 0" in_root /etc/init.d/pulse-agent stop
check "init script stop ends the agent" not_running "$new_pid"
run_installer sysv-uninstall --uninstall
check "uninstall exits 0" [ "$RC" -eq 0 ]
check "init script removed" absent /etc/init.d/pulse-agent
check "runlevel links removed" [ -z "$(rc_links)" ]
check "says removed /etc/rc2.d/…pulse-agent" grep -qE '^\[pulse-agent\] removed /etc/rc2.d/S[0-9]{2}pulse-agent$' "$OUT"
check "says removed /etc/init.d/pulse-agent" said "removed /etc/init.d/pulse-agent"
for path in /usr/local/bin/pulse-agent /etc/pulse-agent /var/lib/pulse-agent /var/log/pulse-agent.log; do
    check "$path removed" absent "$path"
done
release_dir "$(dirname "$ROOT")"

# --- 9. OpenRC, with stand-ins for its commands ----------------------------------------------

scenario "9. OpenRC detected: an openrc-run script whose command_args keep every argument"
new_root
# Stand-ins: openrc-run makes the installer pick OpenRC; rc-update and rc-service log their calls.
printf '#!/bin/sh\nexit 0\n' >"$ROOT/usr/local/bin/openrc-run"
for command in rc-update rc-service; do
    printf '#!/bin/sh\necho "%s $*" >>/tmp/openrc-calls\n' "$command" >"$ROOT/usr/local/bin/$command"
done
chmod 0755 "$ROOT"/usr/local/bin/openrc-run "$ROOT"/usr/local/bin/rc-update "$ROOT"/usr/local/bin/rc-service
STDIN=$TMP/token
run_installer openrc --url "$SERVER" --token-stdin --key "$KEY" --disable-host --enable-kubernetes --tag "it's" --tag 'a b'
check "installer exits 0" exited 0
check "wrote an openrc-run script" [ "$(head -n 1 "$ROOT/etc/init.d/pulse-agent" 2>/dev/null)" = "#!/sbin/openrc-run" ]
check "the script parses (sh -n)" in_root sh -n /etc/init.d/pulse-agent
# What OpenRC does with command_args: eval it into the command's arguments.
cat >"$ROOT/tmp/openrc-argv" <<'SH'
. /etc/init.d/pulse-agent
eval "set -- $command_args"
printf '<%s>' "$@"
SH
openrc_argv=$(in_root sh /tmp/openrc-argv 2>&1 || true)
say "    command_args as OpenRC splits them: $openrc_argv"
check "command_args split into the exact agent arguments" [ "$openrc_argv" = \
    "<--url><$SERVER><--token-file></etc/pulse-agent/token><--interval><30s><--enable-kubernetes><--no-enable-host><--tag><it's><--tag><a b><--update-key-file></etc/pulse-agent/update-key.pem>" ]
check "rc-update add pulse-agent default" grep -qx 'rc-update add pulse-agent default' "$ROOT/tmp/openrc-calls"
check "rc-service pulse-agent restart" grep -qx 'rc-service pulse-agent restart' "$ROOT/tmp/openrc-calls"
check "the token is only in /etc/pulse-agent/token" [ "$(token_holders)" = /etc/pulse-agent/token ]
run_installer openrc-uninstall --uninstall
check "uninstall exits 0" exited 0
check "uninstall stopped the service" grep -qx 'rc-service pulse-agent stop' "$ROOT/tmp/openrc-calls"
check "uninstall removed it from its runlevel" grep -qx 'rc-update del pulse-agent' "$ROOT/tmp/openrc-calls"
check "says removed /etc/init.d/pulse-agent" said "removed /etc/init.d/pulse-agent"
check "nothing left installed" nothing_installed
release_dir "$(dirname "$ROOT")"

# --- 10. systemd running: the root booted in a container --------------------------------------

scenario "10. systemd running (the root booted with systemd-nspawn): enable, start, report, upgrade, uninstall"
new_root boot
machine=pulse-installer-$$
# --register=no --keep-unit: no machined or system bus needed on the host; the host's network is
# shared, so the container reaches the server at 127.0.0.1.
systemd-nspawn --quiet --register=no --keep-unit --console=read-only --machine="$machine" -D "$ROOT" --boot \
    >"$TMP/nspawn.log" 2>&1 </dev/null &
nspawn_pid=$!
PIDS+=("$nspawn_pid")
leader=''
state=''
boot_deadline=$((SECONDS + 90))
# The container's PID 1 is nspawn's child; until it has become systemd, systemctl says offline.
while [ "$SECONDS" -lt "$boot_deadline" ] && kill -0 "$nspawn_pid" 2>/dev/null; do
    leader=$(pgrep -P "$nspawn_pid" 2>/dev/null | head -n 1 || true)
    if [ -n "$leader" ]; then
        case " ${CONTAINER_INITS[*]} " in
            *" $leader "*) ;;
            *) CONTAINER_INITS+=("$leader") ;;
        esac
        IN_ROOT=(nsenter --target "$leader" --all)
        state=$(timeout 60 "${IN_ROOT[@]}" systemctl is-system-running --wait 2>/dev/null || true)
        case $state in
            running | degraded | maintenance | stopping) break ;;
        esac
    fi
    sleep 0.2
done
say "    container boot: ${state:-failed} (at ${SECONDS}s)"
check "the root boots with systemd as PID 1 (running or degraded)" one_of "$state" running degraded
if [ "$state" != running ] && [ "$state" != degraded ]; then
    sed 's/^/    console | /' "$TMP/nspawn.log" | tail -n 30
else
    systemd_host=installer-systemd-$RANDOM
    # Every character systemd's ExecStart= treats specially: quotes, backslash, % and $.
    odd_tag="it's 50% \$HOME \"q\" back\\slash %n"
    health_port=$(free_port)
    HEALTH=http://127.0.0.1:$health_port
    systemd_args=(--url "$SERVER" --token-file /root/token --key "$KEY" --interval 5s --hostname "$systemd_host"
        --health-addr "127.0.0.1:$health_port" --tag systemd --tag "$odd_tag")
    cp "$TMP/token" "$ROOT/root/token"
    run_installer systemd "${systemd_args[@]}"
    check "installer exits 0" exited 0
    check "says the agent is running under systemd" said "pulse-agent is running (systemctl status pulse-agent)"
    check "systemctl is-enabled: enabled" [ "$(in_root systemctl is-enabled pulse-agent 2>&1)" = enabled ]
    check "systemctl is-active: active" [ "$(in_root systemctl is-active pulse-agent 2>&1)" = active ]
    main_pid=$(in_root systemctl show --property MainPID --value pulse-agent 2>/dev/null || true)
    agent_args=$(in_root cat "/proc/${main_pid:-0}/cmdline" 2>/dev/null | tr '\0' ' ' || true)
    say "    agent command line: $agent_args"
    check "systemd runs /usr/local/bin/pulse-agent --url $SERVER --token-file /etc/pulse-agent/token" \
        starts_with "$agent_args" "/usr/local/bin/pulse-agent --url $SERVER --token-file /etc/pulse-agent/token "
    check "the token is not on the agent's command line" lacks "$agent_args" "$TOKEN"
    check "systemd passed the tag [$odd_tag] through unchanged" \
        grep -qxF -- "$odd_tag" < <(in_root cat "/proc/${main_pid:-0}/cmdline" 2>/dev/null | tr '\0' '\n')
    reported=0
    server_has_report_from "$systemd_host" && reported=1
    check "the server has a report from $systemd_host (the hardened unit can read what it needs)" [ "$reported" -eq 1 ]
    check "the agent's /readyz says its reports reach the server" curl -fsS -o /dev/null "$HEALTH/readyz"
    if [ "$reported" -ne 1 ]; then
        in_root journalctl -u pulse-agent --no-pager 2>&1 | tail -n 20 | sed 's/^/    journal | /'
    fi

    cp "$AGENT" "$BIN_DIR/.next"
    head -c 4096 /dev/urandom >>"$BIN_DIR/.next"
    mv -f "$BIN_DIR/.next" "$SERVED_AGENT"
    fourth_sha=$(sha_of "$SERVED_AGENT")
    run_installer systemd-upgrade "${systemd_args[@]}"
    new_main_pid=$(in_root systemctl show --property MainPID --value pulse-agent 2>/dev/null || true)
    check "upgrade exits 0" exited 0
    check "says it is upgrading" said "upgrading pulse-agent"
    check "upgrade installed the new build" [ "$(sha_of "$ROOT/usr/local/bin/pulse-agent")" = "$fourth_sha" ]
    check "systemd restarted the agent (a new main PID)" new_process "$main_pid" "$new_main_pid"
    check "systemctl is-active: active" [ "$(in_root systemctl is-active pulse-agent 2>&1)" = active ]
    check "exactly one unit file" [ "$(installed_units)" -eq 1 ]
    check "the token is only in /etc/pulse-agent/token (journal included)" [ "$(token_holders)" = /etc/pulse-agent/token ]
    check "no temporary files left in /usr/local/bin" [ -z "$(find "$ROOT/usr/local/bin" -name '.*')" ]

    run_installer systemd-uninstall --uninstall
    check "uninstall exits 0" exited 0
    check "the service is gone from systemd" [ "$(in_root systemctl is-active pulse-agent 2>&1)" != active ]
    check "systemd no longer knows the unit" unit_unknown
    for path in /usr/local/bin/pulse-agent "$UNIT" "$UNIT_LINK" /etc/pulse-agent /var/lib/pulse-agent; do
        check "$path removed" absent "$path"
        check "says removed $path" said "removed $path"
    done
    in_root systemctl poweroff >/dev/null 2>&1 || true
    for _ in $(seq 100); do
        kill -0 "$nspawn_pid" 2>/dev/null || break
        sleep 0.2
    done
fi
[ -n "$leader" ] && kill_container_init "$leader"
stop_process "$nspawn_pid"
# Left by nspawn when it is killed, or when /run is not a tmpfs.
rmdir "/run/systemd/nspawn/propagate/$machine" 2>/dev/null || true
IN_ROOT=()
release_dir "$(dirname "$ROOT")"

# --- summary ----------------------------------------------------------------------------------

say ""
say "installer tests took ${SECONDS}s"
say "installer tests: $passed passed, $failed failed"
summarized=1
[ "$failed" -eq 0 ]
