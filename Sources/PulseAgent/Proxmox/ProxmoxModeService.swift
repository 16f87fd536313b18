import Logging

/// Runs `ProxmoxSetup` for each product once, beside reporting: a registration the server cannot
/// take yet (unreachable, or this host's first report not in) is tried again after 2 s, 4 s, …
/// up to 5 minutes; any other failure is logged and leaves host reporting as it is.
struct ProxmoxModeService {
    let setup: ProxmoxSetup
    let logger: Logger
    var firstRetry: Duration = .seconds(2)
    var longestRetry: Duration = .seconds(300)

    func run() async throws {
        let products: [ProxmoxProduct]
        do {
            products = try setup.products()
        } catch {
            logger.error("--enable-proxmox: nothing to set up", metadata: ["reason": .string(error.description)])
            return
        }
        let shutdown = ShutdownSignal.current
        for product in products {
            var delay = firstRetry
            attempts: while !shutdown.isRequested && !Task.isCancelled {
                do {
                    switch try await setup.run(product) {
                    case .registered(_, let nodeID):
                        logger.notice("Proxmox node registered", metadata: ["type": .string(product.rawValue), "nodeId": .string(nodeID)])
                    case .unchanged:
                        logger.info("Proxmox node already registered", metadata: ["type": .string(product.rawValue)])
                    }
                    break attempts
                } catch  where error.retry {
                    logger.warning(
                        "Proxmox registration will be tried again",
                        metadata: ["type": .string(product.rawValue), "reason": .string(error.description)])
                    let wait = delay
                    delay = min(delay * 2, longestRetry)
                    do { try await shutdown.cancellingOnRequest { try await Task.sleep(for: wait) } } catch { return }
                } catch {
                    logger.error("Proxmox setup failed", metadata: ["type": .string(product.rawValue), "reason": .string(error.description)])
                    break attempts
                }
            }
        }
    }
}
