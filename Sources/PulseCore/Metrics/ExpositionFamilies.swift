/// One label of a sample: a name fixed by Pulse and a value from the monitored data.
package struct MetricLabel: Sendable, Equatable {
    package var name: String
    package var value: String

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// One sample of a family: its labels in Pulse's order and a finite value.
package struct ExpositionSample: Sendable, Equatable {
    package var labels: [MetricLabel]
    package var value: Double

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(labels: [MetricLabel], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// A metric family as Prometheus knows one: a name, its help text, its type and its samples.
package struct ExpositionFamily: Sendable, Equatable {
    /// Prometheus's metric types that Pulse exposes.
    package enum Kind: String, Sendable {
        case gauge
        case counter
    }

    package var name: String
    package var help: String
    package var kind: Kind
    package var samples: [ExpositionSample]

    /// Every stored property, in declaration order (for the modules that build this value).
    package init(name: String, help: String, kind: Kind = .gauge, samples: [ExpositionSample]) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }
}

/// Collects samples family by family, in the order each family first gets a value.
///
/// A missing or non-finite reading is left out rather than reported as NaN; a family none of
/// whose readings exist is left out with it. `/metrics` renders the result as text, remote write
/// sends the same samples, so both name and label every series alike.
package struct ExpositionFamilies: Sendable {
    package typealias Labels = KeyValuePairs<String, String>

    package private(set) var families: [ExpositionFamily] = []
    private var positions: [String: Int] = [:]

    package init() {}

    package mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: Double?) {
        add(name, help, labels, value)
    }

    package mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: (some BinaryInteger)?) {
        add(name, help, labels, value.map(Double.init))
    }

    package mutating func gauge(_ name: String, _ help: String, _ labels: Labels = [:], _ value: Bool) {
        add(name, help, labels, value ? 1 : 0)
    }

    /// Adds one sample of counter `name` (a total that only grows while the server runs).
    package mutating func counter(_ name: String, _ help: String, _ labels: Labels = [:], _ value: (some BinaryInteger)?) {
        add(name, help, labels, value.map(Double.init), kind: .counter)
    }

    private mutating func add(_ name: String, _ help: String, _ labels: Labels, _ value: Double?, kind: ExpositionFamily.Kind = .gauge) {
        guard let value, value.isFinite else { return }
        let sample = ExpositionSample(labels: labels.map { MetricLabel(name: $0.key, value: $0.value) }, value: value)
        if let position = positions[name] {
            families[position].samples.append(sample)
        } else {
            positions[name] = families.count
            families.append(ExpositionFamily(name: name, help: help, kind: kind, samples: [sample]))
        }
    }
}
