/// How the host agent names the machine (Pulse's rules, so IDs carry over from its agent).
enum MachineIdentity {
    /// `/etc/machine-id` written as a UUID (`8-4-4-4-12`), or nil when it is missing or malformed.
    static func machineID(in root: SystemRoot) -> String? {
        for path in ["/etc/machine-id", "/var/lib/dbus/machine-id"] {
            guard let raw = root.readValue(path)?.lowercased(), raw.count == 32,
                raw.allSatisfy({ $0.isHexDigit })
            else { continue }
            let characters = Array(raw)
            let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
            return groups.joined(separator: "-")
        }
        return nil
    }

    /// `mac-<hex>` of the first physical interface (one with a `device` link in /sys), the fallback.
    static func macID(in root: SystemRoot) -> String? {
        for name in root.list("/sys/class/net") where name != "lo" && root.exists("/sys/class/net/\(name)/device") {
            if let mac = root.readValue("/sys/class/net/\(name)/address"), mac != "00:00:00:00:00:00" {
                return "mac-" + mac.replacingAll(":", with: "")
            }
        }
        return nil
    }

    /// The kernel's hostname.
    static func hostname(in root: SystemRoot) -> String? {
        root.readValue("/proc/sys/kernel/hostname")
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self { if character == target { out += replacement } else { out.append(character) } }
        return out
    }
}
