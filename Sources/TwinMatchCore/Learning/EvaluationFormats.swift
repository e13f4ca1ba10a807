import Foundation

// The JSON and text forms of evaluation figures, shared by `evaluate`, `cross-validate` and a server.

extension MetricValues {
    /// recall_at_10, recall_at_50, recall_at_100 and mrr.
    public var json: JSON {
        .object([("recall_at_10", .number(r6(recallAt10))), ("recall_at_50", .number(r6(recallAt50))),
                 ("recall_at_100", .number(r6(recallAt100))), ("mrr", .number(r6(mrr)))])
    }

    var fields: [(String, JSON)] {
        guard case .object(let fields) = json else { return [] }
        return fields
    }
}

extension EvaluationReport {
    /// One part: its query count, four figures and their standard errors.
    public func json(_ part: Part) -> JSON {
        let m = metrics(part)
        return .object([("queries", .int(m.queries))] + m.values.fields + [("standard_errors", standardErrors(part).json)])
    }

    /// All queries' figures, then the cold and warm parts and the seconds of ranking.
    public var fields: [(String, JSON)] {
        guard case .object(let all) = json(.all) else { return [] }
        return all + [("cold", json(.cold)), ("warm", json(.warm)), ("seconds", .number(r1(seconds)))]
    }

    /// The change from `other` on one part, with its standard errors and the top-10 targets gained and lost.
    public func changeJSON(from other: EvaluationReport, _ part: Part) -> JSON {
        guard let c = change(from: other, part) else { return .null }
        return .object(c.change.fields + [("standard_errors", c.errors.json), ("gained_at_10", .int(c.gainedAt10)), ("lost_at_10", .int(c.lostAt10))])
    }
}

extension EvaluationRun {
    /// The model's figures, the compared model's (named `compareName`) with the change, the breakdown, and
    /// the baselines.
    public func json(compareName: String?) -> JSON {
        var fields = main.fields
        if let compared, let compareName {
            let change = JSON.object([("all", main.changeJSON(from: compared, .all)), ("cold", main.changeJSON(from: compared, .cold)),
                                      ("warm", main.changeJSON(from: compared, .warm))])
            fields.append(("compared", .object([("model", .string(compareName))] + compared.fields + [("change", change)])))
        }
        if !breakdown.isEmpty {
            fields.append(("breakdown", .array(breakdown.map { g in
                .object([("group", .string(g.relation.rawValue)), ("queries", .int(g.queries)), ("hits_at_10", .int(g.hits)),
                         ("recall_at_10", .number(r6(g.recallAt10))), ("median_rank", .int(g.medianRank))])
            })))
        }
        return .object(fields + [("baselines", .object(baselines.map { ($0.name, .object($0.report.fields)) }))])
    }
}

extension CrossValidation {
    /// Every fold's figures and timings, then per part the mean over the folds and its standard error.
    public func json(pairs: String, folds count: Int, splitSeed: UInt64, fitSeed: UInt64) -> JSON {
        let results = JSON.array(folds.map { f in
            guard case .object(let all) = f.report.json(.all) else { return .null }
            return .object([("fold", .int(f.index)), ("train_pairs", .int(f.trainPairs)), ("test_pairs", .int(f.testPairs))] + all
                           + [("cold", f.report.json(.cold)), ("warm", f.report.json(.warm)),
                              ("fit_seconds", .number(r1(f.fitSeconds))), ("evaluate_seconds", .number(r1(f.report.seconds)))])
        })
        let summary = [("all", EvaluationReport.Part.all), ("cold", .cold), ("warm", .warm)].map { name, part -> (String, JSON) in
            let s = self.summary(part)
            return (name, .object([("mean", s.mean.json), ("standard_errors", s.errors.json)]))
        }
        return .object([("pairs", .string(pairs)), ("folds", .int(count)), ("split_seed", .string(String(splitSeed))), ("fit_seed", .string(String(fitSeed))),
                        ("fold_results", results)] + summary)
    }

    /// Every test query's rank, as CSV: `fold,query_id,target_id,cold,rank`.
    public func ranksCSV(_ set: ProfileSet) -> String {
        var text = "fold,query_id,target_id,cold,rank\n"
        for f in folds {
            for (i, q) in f.queries.enumerated() {
                text += "\(f.index),\(set.profiles.id(q.query)),\(set.profiles.id(q.target)),\(f.report.isCold[i] ? 1 : 0),\(f.report.ranks[i])\n"
            }
        }
        return text
    }
}

extension EvaluationRun {
    /// The figures as a text table: the model with its standard errors, the compared model and the change,
    /// the baselines, and the breakdown; `headline` is the cut-off named first.
    public func table(headline: Int, compareName: String?) -> String {
        let groups = breakdown
        let rows = [("model", main)] + baselines.map { ($0.name, $0.report) }
        var out = "queries: \(rows[0].1.all.queries) (cold \(rows[0].1.cold.queries), warm \(rows[0].1.warm.queries)); headline recall@\(headline)\n\n"
        func row(_ name: String, all: MetricValues, cold: MetricValues, warm: MetricValues, seconds: String = "") -> [String] {
            [name, fixed(all.recallAt10), fixed(all.recallAt50), fixed(all.recallAt100), fixed(all.mrr, 4),
             fixed(cold.recallAt10), fixed(cold.mrr, 4), fixed(warm.recallAt10), fixed(warm.mrr, 4), seconds]
        }
        func reportRow(_ name: String, _ r: EvaluationReport) -> [String] {
            row(name, all: r.all.values, cold: r.cold.values, warm: r.warm.values, seconds: String(format: "%.1f", r.seconds))
        }
        var table = rows.map(reportRow)
        table.insert(row("± s.e.", all: main.standardErrors(.all), cold: main.standardErrors(.cold), warm: main.standardErrors(.warm)), at: 1)
        var gained = ""
        if let compared, let compare = compareName, let all = main.change(from: compared, .all),
           let cold = main.change(from: compared, .cold), let warm = main.change(from: compared, .warm) {
            table.insert(contentsOf: [reportRow("compared", compared), row("change", all: all.change, cold: cold.change, warm: warm.change),
                                      row("± s.e.", all: all.errors, cold: cold.errors, warm: warm.errors)], at: 2)
            gained = "compared: \(compare); change = model − compared, paired by query. In the top 10: \(all.gainedAt10) targets gained, \(all.lostAt10) lost.\n"
        }
        out += tableText(["ranking", "R@10", "R@50", "R@100", "MRR", "cold R@10", "cold MRR", "warm R@10", "warm MRR", "s"], table,
                               rightAligned: Set(1...9))
        out += "\n± s.e.: standard errors of the row above, the two directions of a test pair taken as one cluster.\n" + gained
        if !groups.isEmpty {
            out += "\nThe model's hits by what the known pairs say about the test pair (disjoint groups):\n\n"
            out += tableText(["test query", "queries", "top-10 hits", "R@10", "median rank"], groups.map { g in
                [g.relation.label, String(g.queries), String(g.hits), fixed(g.recallAt10), String(g.medianRank)]
            }, rightAligned: Set(1...4))
        }
        return out
    }
}

extension CrossValidation {
    /// Every fold's figures and timings, then the mean and its standard error, as a text table.
    public func table(pairs: String, folds count: Int, splitSeed: UInt64) -> String {
        let parts: [(String, EvaluationReport.Part)] = [("all", .all), ("cold", .cold), ("warm", .warm)]
        var out = "\(count)-fold cross-validation of \(pairs) (split seed \(splitSeed)): each fold's test pairs ranked by a model fitted on the other folds\n\n"
        func row(_ name: String, _ counts: [String], _ metrics: [MetricValues], _ seconds: [String]) -> [String] {
            let (all, cold, warm) = (metrics[0], metrics[1], metrics[2])
            return [name] + counts + [fixed(all.recallAt10), fixed(all.recallAt50), fixed(all.recallAt100), fixed(all.mrr, 4),
                                      fixed(cold.recallAt10), fixed(cold.mrr, 4), fixed(warm.recallAt10), fixed(warm.mrr, 4)] + seconds
        }
        var table = folds.map { f in
            row(String(f.index), [String(f.trainPairs), String(f.testPairs), String(f.report.all.queries)],
                parts.map { f.report.metrics($0.1).values }, [fixed(f.fitSeconds, 1), fixed(f.report.seconds, 1)])
        }
        let summaries = parts.map { summary($0.1) }
        table.append(row("mean", ["", "", ""], summaries.map(\.mean), ["", ""]))
        table.append(row("± s.e.", ["", "", ""], summaries.map(\.errors), ["", ""]))
        out += tableText(["fold", "train pairs", "test pairs", "queries", "R@10", "R@50", "R@100", "MRR", "cold R@10", "cold MRR",
                          "warm R@10", "warm MRR", "fit s", "evaluate s"], table, rightAligned: Set(1...13))
        return out + "\n± s.e.: the folds' standard deviation over √folds.\n"
    }
}
