/// Flags metric values far from their recent history with a robust z-score (Iglewicz and Hoaglin's
/// modified z-score).
///
/// For each metric, over the previous samples (at least `minimumSamples`, at most the history given):
/// `z = 0.6745 × (x − median) / MAD`, where MAD is the median absolute deviation. When MAD is 0 (more than
/// half the samples equal), the mean absolute deviation is used instead: `z = (x − median) / (1.253314 ×
/// MeanAD)`. When both are 0 (a flat series), a value is anomalous when it differs from the median at all
/// and by more than 10% of it. A value is anomalous when `|z| > 3.5`. Cumulative counters (`query_count`)
/// are not judged: only their rates are.
public enum AnomalyDetector {
    public static let threshold = 3.5
    public static let minimumSamples = 5
    static let excluded: Set<String> = ["query_count"]

    /// One anomalous value.
    public struct Anomaly: Sendable, Hashable, Codable {
        public var metric: String
        public var value: Double
        public var median: Double
        /// `nil` for a flat history, where any clear change is anomalous.
        public var zScore: Double?
        public var samples: Int
        public var timestamp: String

        public var message: String {
            let z = zScore.map { String(format: "robust z-score %.1f", $0) } ?? "the history was flat"
            return "\(metric) = \(AlertEvaluator.format(value)) at \(timestamp) is anomalous (\(z); median \(AlertEvaluator.format(median)) of the previous \(samples) samples)"
        }

        enum CodingKeys: String, CodingKey {
            case metric, value, median, samples, timestamp, message
            case zScore = "z_score"
        }

        public init(metric: String, value: Double, median: Double, zScore: Double?, samples: Int, timestamp: String) {
            self.metric = metric; self.value = value; self.median = median; self.zScore = zScore; self.samples = samples; self.timestamp = timestamp
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            metric = try c.decode(String.self, forKey: .metric)
            value = try c.decode(Double.self, forKey: .value)
            median = try c.decode(Double.self, forKey: .median)
            zScore = try c.decodeIfPresent(Double.self, forKey: .zScore)
            samples = try c.decode(Int.self, forKey: .samples)
            timestamp = try c.decode(String.self, forKey: .timestamp)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(metric, forKey: .metric); try c.encode(value, forKey: .value); try c.encode(median, forKey: .median)
            try c.encode(zScore, forKey: .zScore); try c.encode(samples, forKey: .samples); try c.encode(timestamp, forKey: .timestamp)
            try c.encode(message, forKey: .message)
        }
    }

    /// The anomalies of `latest` against `previous` samples (oldest first).
    public static func detect(latest: [String: Double], timestamp: String, previous: [[String: Double]]) -> [Anomaly] {
        var out: [Anomaly] = []
        for (metric, value) in latest.sorted(by: { $0.key < $1.key }) where !excluded.contains(metric) {
            let series = previous.compactMap { $0[metric] }
            guard series.count >= minimumSamples else { continue }
            let median = self.median(series)
            let deviations = series.map { abs($0 - median) }
            let mad = self.median(deviations)
            let meanAD = deviations.reduce(0, +) / Double(deviations.count)
            let z: Double?
            if mad > 0 {
                z = 0.6745 * (value - median) / mad
            } else if meanAD > 0 {
                z = (value - median) / (1.253314 * meanAD)
            } else {
                z = nil
            }
            let anomalous: Bool
            if let z { anomalous = abs(z) > threshold } else { anomalous = value != median && abs(value - median) > 0.1 * abs(median) }
            if anomalous {
                out.append(Anomaly(metric: metric, value: value, median: median, zScore: z.map { $0.rounded(to: 2) }, samples: series.count, timestamp: timestamp))
            }
        }
        return out
    }

    static func median(_ values: [Double]) -> Double {
        TimingStatistics.quantile(values.sorted(), 0.5)
    }
}
