using System.Text.Json;
using System.Text.Json.Nodes;
using LeadML.Features.Bundles;
using LeadML.Features.Featurization;

namespace LeadML.Features.Tests.Bundles;

public sealed class BundleMetricsTests
{
    /// <summary>metrics.json as bundles of this format hold it (names as the report and the Api read them).</summary>
    private const string Written = """
        {
          "test": { "rocAuc": 0.81, "prAuc": 0.4, "logLoss": 0.25, "brier": 0.07, "expectedCalibrationError": 0.012, "ece": 0.012, "positiveRate": 0.085,
                    "calibration": [ { "bin": 1, "lower": 0, "upper": 0.1, "count": 100, "meanPredicted": 0.05, "observedRate": 0.04 } ],
                    "lift": [ { "decile": 1, "count": 200, "positives": 37, "rate": 0.185, "lift": 2.2, "cumulativeGain": 0.2 } ], "rows": 2000, "positives": 170 },
          "validation": { "rows": 30, "positives": 0 },
          "chosen": { "description": "trees, depth 3", "why": "best validation ROC-AUC", "settings": { "depth": "3" }, "calibration": "Platt" },
          "candidates": [ { "description": "trees, depth 3", "kind": "trees", "settings": { "depth": "3" }, "validationRocAuc": 0.8, "validationLogLoss": 0.3, "complexity": 96 } ],
          "positiveRateByPeriod": [ { "cutoff": "2024-09-01", "period": "test", "rows": 100, "positives": 9, "rate": 0.09 } ],
          "drift": [ { "feature": "lead.age_days", "psi": 0.31, "band": "significant" } ],
          "warnings": [ "little history" ],
          "leaks": [ { "kind": "level", "message": "'status' = 'won': 40 training leads, 100.0% of them converted", "column": "status", "level": "won", "leads": 40, "conversions": 40, "share": 1, "handled": false },
                     { "kind": "postConversionEvent", "message": "event type 'login': 100% after conversion", "eventType": "login", "share": 1, "events": 300, "handled": true } ],
          "pointsOnly": { "test": { "rows": 2000, "rocAuc": 0.79, "ratio": 0.975 }, "validation": { "rows": 30 }, "criteria": 12 },
          "thresholds": { "salesReady": 62, "hysteresis": 5, "why": "top 10 % of leads" },
          "grades": { "test": [ { "grade": "A", "minScore": 62, "leads": 186, "share": 0.093, "conversions": 77, "conversionRate": 0.412, "leadsPerMonth": 62 } ], "validation": [] },
          "profile": [ { "criterion": "pricing-3", "label": "pricing views: 3 or more", "group": "engagement", "lift": 2.3, "leads": 40, "conversions": 12, "shareOfConverters": 0.45, "shareOfLeads": 0.2 } ],
          "importance": [ { "family": "pricing", "label": "pricing views", "group": "engagement", "meanAbsContribution": 0.4, "share": 0.3, "kept": true } ],
          "comparison": { "current": { "modelVersion": "v1", "rocAuc": 0.8, "prAuc": 0.4, "ece": 0.01, "topDecileLift": 2.1, "rows": 90, "positives": 9 },
                          "new": { "modelVersion": "v2", "rocAuc": 0.81, "prAuc": 0.41, "ece": 0.01, "topDecileLift": 2.2, "rows": 90, "positives": 9 },
                          "from": "2024-10-01T00:00:00Z", "to": "2024-12-01T00:00:00Z", "gradeChanges": 3, "leads": 90, "moves": [], "newNotWorse": true, "verdict": "not worse" }
        }
        """;

    [Fact]
    public void Parse_ReadsEveryPartOfTheFile()
    {
        var m = BundleMetrics.Parse(Written);

        Assert.Equal((0.81, 2000, 170), (m.Test!.RocAuc, m.Test.Rows, m.Test.Positives));
        Assert.Equal(2.2, Assert.Single(m.Test.Lift!).Lift);
        Assert.Null(m.Validation!.RocAuc);
        Assert.Equal("3", m.Chosen!.Settings["depth"]);
        Assert.Equal(ModelKind.Trees, Assert.Single(m.Candidates).Kind);
        Assert.Equal(new DateOnly(2024, 9, 1), Assert.Single(m.PositiveRateByPeriod).Cutoff);
        Assert.Equal("significant", Assert.Single(m.Drift).Band);
        Assert.Equal(0.975, m.PointsOnly!.Test.Ratio);
        Assert.Equal(62, m.Thresholds!.SalesReady);
        Assert.Equal(0.412, Assert.Single(m.Grades!.Test).ConversionRate);
        Assert.Equal(CriterionGroup.Engagement, Assert.Single(m.Profile!).Group);
        Assert.Null(Assert.Single(m.Importance).Representative);
        Assert.Equal(("v1", true), (m.Comparison!.Current.ModelVersion, m.Comparison.NewNotWorse));
        Assert.Equal(new DateTime(2024, 10, 1, 0, 0, 0, DateTimeKind.Utc), m.Comparison.From);
    }

    [Fact]
    public void ToJson_WritesTheSameNamesAndValues_AsTheFileItRead()
    {
        var written = JsonNode.Parse(Written)!;

        var again = JsonNode.Parse(BundleMetrics.Parse(Written).ToJson())!;

        Assert.True(JsonNode.DeepEquals(written, again), again.ToJsonString());
    }

    [Fact]
    public void Parse_ReadsTheLeakGuardsFindings_WithTheirEvidence()
    {
        var m = BundleMetrics.Parse(Written);

        Assert.Equal([LeakKind.Level, LeakKind.PostConversionEvent], m.Leaks.Select(l => l.Kind).ToArray());
        Assert.Equal(("status", "won", 40, 1.0, false), (m.Leaks[0].Column, m.Leaks[0].Level, m.Leaks[0].Leads, m.Leaks[0].Share, m.Leaks[0].Handled));
        Assert.Equal(("login", 300L, true), (m.Leaks[1].EventType, m.Leaks[1].Events, m.Leaks[1].Handled));
    }

    [Fact]
    public void Parse_AFileWrittenBeforeTheLeakGuard_ReadsWithNoFindings()
    {
        var old = JsonNode.Parse(Written)!.AsObject();
        old.Remove("leaks");

        var m = BundleMetrics.Parse(old.ToJsonString());

        Assert.Empty(m.Leaks);
        Assert.Equal(0.81, m.Test!.RocAuc);
    }

    [Fact]
    public void Parse_NotMetrics_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => BundleMetrics.Parse("""{ "test": [1, 2] }"""));
    }
}
