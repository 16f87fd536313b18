import Foundation
package import Persistence

/// The cost summary (`GET /api/ai/cost/summary`) and CSV export (`GET /api/ai/cost/export`) of
/// the usage table, priced with the settings' `model_prices`.
package struct CostReport: Encodable, Sendable {
    package struct ModelTotals: Encodable, Sendable, Equatable {
        package var provider: String
        package var model: String
        package var requests: Int
        package var inputTokens: Int
        package var outputTokens: Int
        package var totalTokens: Int
        package var estimatedUSD: Double
        package var pricingKnown: Bool

        enum CodingKeys: String, CodingKey {
            case provider, model, requests
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case totalTokens = "total_tokens"
            case estimatedUSD = "estimated_usd"
            case pricingKnown = "pricing_known"
        }
    }

    package struct DayTotals: Encodable, Sendable, Equatable {
        package var date: String
        package var inputTokens: Int
        package var outputTokens: Int
        package var totalTokens: Int
        package var estimatedUSD: Double

        enum CodingKeys: String, CodingKey {
            case date
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case totalTokens = "total_tokens"
            case estimatedUSD = "estimated_usd"
        }
    }

    package var days: Int
    package var providerModels: [ModelTotals]
    package var dailyTotals: [DayTotals]
    package var totals: ModelTotals

    enum CodingKeys: String, CodingKey {
        case days
        case providerModels = "provider_models"
        case dailyTotals = "daily_totals"
        case totals
    }

    /// The report of `rows` (the last `days` days).
    package init(rows: [AIUsageTable.Row], days: Int, prices: [ModelPrice]) {
        self.days = days
        var byModel: [String: ModelTotals] = [:]
        var byDay: [String: DayTotals] = [:]
        var totals = ModelTotals(
            provider: "", model: "", requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, estimatedUSD: 0, pricingKnown: true)
        for row in rows {
            let price = Self.price(of: row, in: prices)
            let cost =
                price.map { Double(row.inputTokens) * $0.inputPerMillionUSD / 1e6 + Double(row.outputTokens) * $0.outputPerMillionUSD / 1e6 } ?? 0
            let key = "\(row.provider)\u{0}\(row.model)"
            var model =
                byModel[key]
                ?? ModelTotals(
                    provider: row.provider, model: row.model, requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, estimatedUSD: 0,
                    pricingKnown: price != nil)
            model.requests += row.requests
            model.inputTokens += row.inputTokens
            model.outputTokens += row.outputTokens
            model.totalTokens += row.inputTokens + row.outputTokens
            model.estimatedUSD += cost
            byModel[key] = model
            var day = byDay[row.day] ?? DayTotals(date: row.day, inputTokens: 0, outputTokens: 0, totalTokens: 0, estimatedUSD: 0)
            day.inputTokens += row.inputTokens
            day.outputTokens += row.outputTokens
            day.totalTokens += row.inputTokens + row.outputTokens
            day.estimatedUSD += cost
            byDay[row.day] = day
            totals.requests += row.requests
            totals.inputTokens += row.inputTokens
            totals.outputTokens += row.outputTokens
            totals.totalTokens += row.inputTokens + row.outputTokens
            totals.estimatedUSD += cost
            totals.pricingKnown = totals.pricingKnown && price != nil
        }
        providerModels = byModel.values.sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
        dailyTotals = byDay.values.sorted { $0.date < $1.date }
        self.totals = totals
    }

    static func price(of row: AIUsageTable.Row, in prices: [ModelPrice]) -> ModelPrice? {
        prices.first { $0.provider == row.provider && $0.model == row.model } ?? prices.first { $0.provider.isEmpty && $0.model == row.model }
    }

    /// One line per day, provider and model, with a header line.
    package static func csv(rows: [AIUsageTable.Row], prices: [ModelPrice]) -> String {
        var text = "date,provider,model,requests,input_tokens,output_tokens,total_tokens,estimated_usd\n"
        for row in rows {
            let price = price(of: row, in: prices)
            let cost = price.map { Double(row.inputTokens) * $0.inputPerMillionUSD / 1e6 + Double(row.outputTokens) * $0.outputPerMillionUSD / 1e6 }
            let fields = [
                row.day, csvField(row.provider), csvField(row.model), String(row.requests), String(row.inputTokens), String(row.outputTokens),
                String(row.inputTokens + row.outputTokens), cost.map { String(format: "%.6f", $0) } ?? "",
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@` is
    /// prefixed with `'` so a spreadsheet does not run it as a formula.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
