/// The parts of Proxmox Mail Gateway API replies the poller reads (`/api2/json`, PMG 8).
package enum PMGAPI {
    package struct Version: Decodable, Sendable {
        package let version: String?
    }

    /// `/config/cluster/status`: one entry per cluster member (`master` or `node`).
    package struct ClusterMember: Decodable, Sendable {
        package let name: String
        package let type: String?
        package let ip: String?
    }

    /// `/statistics/mail` (totals over the time frame asked for) and each entry of
    /// `/statistics/mailcount?timespan=3600` (one per hour, with its `time`): the same counters.
    package struct MailStatistics: Decodable, Sendable {
        package let time: LooseNumber?
        package let count: LooseNumber?
        let count_in: LooseNumber?
        let count_out: LooseNumber?
        let spamcount_in: LooseNumber?
        let spamcount_out: LooseNumber?
        let viruscount_in: LooseNumber?
        let viruscount_out: LooseNumber?
        let bounces_in: LooseNumber?
        let bounces_out: LooseNumber?
        let bytes_in: LooseNumber?
        let bytes_out: LooseNumber?
        let avptime: LooseNumber?
        let junk_in: LooseNumber?
        let rbl_rejects: LooseNumber?
        let pregreet_rejects: LooseNumber?
        let glcount: LooseNumber?
    }

    /// `/statistics/spamscores`
    package struct SpamScore: Decodable, Sendable {
        package let level: LooseNumber?
        package let count: LooseNumber?
        let ratio: LooseNumber?
    }

    /// `/quarantine/spamstatus`, `/quarantine/virusstatus`
    package struct QuarantineStatus: Decodable, Sendable {
        package let count: LooseNumber?
    }

    /// `/nodes/{node}/postfix/queue`
    package struct Queue: Decodable, Sendable {
        package let queue: String
        package let count: LooseNumber?
    }
}
