import Foundation
import PulseSupport

/// The shell script `GET /api/setup-script` serves: run as root on a PVE node or a PBS host, it
/// creates a read-only monitoring user and API token there and registers the host with Pulse
/// through `POST /api/auto-register`, using the one-time setup code the user enters (or
/// `PULSE_SETUP_CODE`). The code and the token secret never appear in a URL or a command line.
///
/// An admin pipes this into `bash` as root, so no request value is written into it as text:
/// `host` and `pulseURL` are validated (`HostAddress`) before they get here and enter the script
/// only as `ShellWord`-quoted assignments, never in a comment or an unquoted word.
package enum SetupScript {
    /// The script for `product`; every request-derived value goes through `ShellWord.quote`.
    package static func render(product: ProxmoxProduct, host: String, pulseURL: String, backupPermissions: Bool) -> String {
        let create: String
        switch product {
        case .pve:
            create = """
                command -v pveum >/dev/null || fail "pveum not found: run this on a Proxmox VE node, as root"
                USER_ID='pulse-monitor@pam'
                pveum user add "$USER_ID" --comment 'Pulse monitoring' 2>/dev/null || true
                pveum aclmod / -user "$USER_ID" -role PVEAuditor
                \(backupPermissions ? "pveum aclmod /storage -user \"$USER_ID\" -role PVEDatastoreAdmin" : "# backup permissions not requested")
                TOKEN_JSON=$(pveum user token add "$USER_ID" "$TOKEN_NAME" --privsep 0 --output-format json)
                """
        case .pbs:
            create = """
                command -v proxmox-backup-manager >/dev/null || fail "proxmox-backup-manager not found: run this on a Proxmox Backup Server, as root"
                USER_ID='pulse-monitor@pbs'
                proxmox-backup-manager user create "$USER_ID" --comment 'Pulse monitoring' 2>/dev/null || true
                proxmox-backup-manager acl update / Audit --auth-id "$USER_ID"
                TOKEN_JSON=$(proxmox-backup-manager user generate-token "$USER_ID" "$TOKEN_NAME" --output-format json)
                proxmox-backup-manager acl update / Audit --auth-id "$USER_ID!$TOKEN_NAME"
                """
        case .pmg:
            create = "fail 'Proxmox Mail Gateway has no API tokens: add it in Pulse with a user and password'"
        }
        return """
            #!/bin/bash
            # Pulse: monitoring access for this Proxmox host.
            # Creates a read-only user and API token here and registers this host with Pulse.
            set -euo pipefail
            PULSE_URL=\(ShellWord.quote(pulseURL))
            HOST=\(ShellWord.quote(host))
            TYPE=\(ShellWord.quote(product.rawValue))
            TOKEN_NAME="pulse-$(date +%s)"
            fail() { echo "error: $*" >&2; exit 1; }
            [ "$(id -u)" -eq 0 ] || fail "run this as root"
            command -v curl >/dev/null || fail "curl is needed"
            \(create)
            TOKEN_VALUE=$(printf '%s' "$TOKEN_JSON" | sed -n 's/.*"value" *: *"\\([^"]*\\)".*/\\1/p')
            [ -n "$TOKEN_VALUE" ] || fail "the new API token could not be read"
            CODE=${PULSE_SETUP_CODE:-${PULSE_SETUP_TOKEN:-}}
            if [ -z "$CODE" ]; then
                read -r -p "Setup code shown by Pulse: " CODE </dev/tty
            fi
            SERVER_NAME=$(hostname -s 2>/dev/null || hostname)
            # The secret and the code go through stdin, never the command line.
            printf '{"type":"%s","host":"%s","serverName":"%s","tokenId":"%s!%s","tokenValue":"%s","setupCode":"%s"}' \\
                "$TYPE" "$HOST" "$SERVER_NAME" "$USER_ID" "$TOKEN_NAME" "$TOKEN_VALUE" "$CODE" |
                curl -fsS -X POST -H 'Content-Type: application/json' --data-binary @- "$PULSE_URL/api/auto-register" >/dev/null ||
                fail "Pulse refused the registration (is the code still valid? codes last 5 minutes)"
            echo "Registered $SERVER_NAME with Pulse at $PULSE_URL"

            """
    }
}
