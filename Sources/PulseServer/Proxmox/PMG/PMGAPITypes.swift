/// The parts of Proxmox Mail Gateway API replies the poller reads (`/api2/json`, PMG 8).
enum PMGAPI {
    struct Version: Decodable, Sendable {
        let version: String?
    }

    /// `/config/cluster/status`: one entry per cluster member (`master` or `node`).
    struct ClusterMember: Decodable, Sendable {
        let name: String
        let type: String?
        let ip: String?
    }

    /// `/statistics/mail` (totals over the time frame asked for) and each entry of
    /// `/statistics/mailcount?timespan=3600` (one per hour, with its `time`): the same counters.
    struct MailStatistics: Decodable, Sendable {
        let time: LooseNumber?
        let count: LooseNumber?
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
    struct SpamScore: Decodable, Sendable {
        let level: LooseNumber?
        let count: LooseNumber?
        let ratio: LooseNumber?
    }

    /// `/quarantine/spamstatus`, `/quarantine/virusstatus`
    struct QuarantineStatus: Decodable, Sendable {
        let count: LooseNumber?
    }

    /// `/nodes/{node}/postfix/queue`
    struct Queue: Decodable, Sendable {
        let queue: String
        let count: LooseNumber?
    }
}
