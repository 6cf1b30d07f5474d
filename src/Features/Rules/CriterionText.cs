using System.Globalization;
using LeadML.Features.Featurization;

namespace LeadML.Features.Rules;

/// <summary>
/// The one place that says in a marketer's words what a condition on a feature means: "Viewed /pricing 3–4 times in
/// the last 30 days", "Requested a quote in the last 7 days", "No activity for 30–60 days", "Never opened an e-mail",
/// "Job title: Student", "Company size 200 or more". Sentences are built from how the feature is computed (its
/// attribute or event channel and window, <see cref="FeatureLayout"/>), never from its id; numbers are rounded, and a
/// missing value reads "never" or "not given". The trainer's criterion labels, the report, the procedures guide, the
/// review page and the Api's explanations all come from here.
/// </summary>
public static class CriterionText
{
    /// <summary>The sentence for a condition over a feature of <paramref name="spec"/>; a feature the spec lacks reads
    /// as its name (a criterion that never fires).</summary>
    public static string Label(FeatureSpec spec, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(condition);
        var j = spec.IndexOf(condition.Feature);
        if (j < 0) return condition.Feature;
        var range = condition.Op switch
        {
            ConditionOp.Missing => Range.None,
            ConditionOp.Present => Range.Any,
            ConditionOp.Eq => new Range(condition.Value, condition.Value, false, true),
            ConditionOp.Gte => new Range(condition.Value, double.PositiveInfinity, false, false),
            ConditionOp.Lt => new Range(double.NegativeInfinity, condition.Value, false, false),
            _ => new Range(condition.Value, condition.Upper ?? double.PositiveInfinity, false, false),
        };
        var text = Sentence(spec, j, range);
        return condition.OrMissing && condition.Op != ConditionOp.Missing ? $"{text}, or {Sentence(spec, j, Range.None).ToLowerInvariant()}" : text;
    }

    /// <summary>What one lead's value of feature <paramref name="feature"/> says, e.g. "Viewed /pricing 3 times in the
    /// last 30 days" or "Never requested a quote" (NaN: missing).</summary>
    public static string Value(FeatureSpec spec, int feature, double value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(feature);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(feature, spec.Features.Count);
        return Sentence(spec, feature, double.IsNaN(value) ? Range.None : new Range(value, value, false, true));
    }

    /// <summary>What feature <paramref name="feature"/> is, in words, as a feature search lists it: "Job title: Student",
    /// "Job title not given", "Company size", "Budget known", "Days since signup date", "Page views of /pricing in the
    /// last 30 days" — the column or event in words, never the feature's id.</summary>
    public static string Feature(FeatureSpec spec, int feature)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(feature);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(feature, spec.Features.Count);
        var step = spec.Steps[feature];
        switch (step.Op)
        {
            case FeatureLayout.Op.Level:
            case FeatureLayout.Op.Other:
            case FeatureLayout.Op.Missing:
                return Sentence(spec, feature, Range.Any);
            case FeatureLayout.Op.Number:
            case FeatureLayout.Op.Flag:
                return Column(spec.Attributes[step.Source].Column);
            case FeatureLayout.Op.DateDays:
                return "Days since " + Column(spec.Attributes[step.Source].Column).ToLowerInvariant();
            default:
            {
                var label = spec.Features[feature].Label;
                return label.Length == 0 ? label : char.ToUpperInvariant(label[0]) + label[1..];
            }
        }
    }

    /// <summary>Why a disqualified lead is not sales-ready, in words: "Not sales-ready whatever the score: knocked out by
    /// “Unsubscribed at some time”" (labels of the knock-outs that fired, in order).</summary>
    public static string KnockedOut(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var quoted = labels.Select(l => $"“{l}”").ToList();
        if (quoted.Count == 0) return "";
        var list = quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted.Take(quoted.Count - 1)) + " and " + quoted[^1];
        return $"Not sales-ready whatever the score: knocked out by {list}";
    }

    /// <summary>What one event of a lead reads as, a past-tense phrase: <c>page_view</c> of <c>/pricing</c> → "Viewed
    /// /pricing", <c>demo_request</c> → "Requested a demo"; a type without a verb of its own reads "Had a … event".</summary>
    public static string Event(string type, string? detail)
    {
        ArgumentNullException.ThrowIfNull(type);
        var act = Action(new EventChannel(type, string.IsNullOrWhiteSpace(detail) ? null : detail));
        return act.Past + act.Object;
    }

    /// <summary>A column name as words: <c>job_title</c> → "Job title".</summary>
    public static string Column(string column)
    {
        var words = column.Replace('_', ' ').Trim();
        return words.Length == 0 ? column : char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>A number as people write it: whole numbers with thousands separators, others to three significant
    /// digits and at most two decimals (never an exponent or a long decimal).</summary>
    public static string Number(double v)
    {
        if (!double.IsFinite(v)) return v > 0 ? "any" : "none";
        var c = CultureInfo.InvariantCulture;
        if (Math.Abs(v - Math.Round(v)) < 1e-9) return Math.Round(v).ToString("#,0", c);
        var magnitude = Math.Floor(Math.Log10(Math.Abs(v)));
        // Three significant digits, at most two decimals (a share of a few thousandths keeps its first digit).
        var decimals = (int)Math.Clamp(2 - magnitude, 0, 2);
        var rounded = Math.Round(v, decimals);
        if (rounded == 0) rounded = Math.Round(v, (int)Math.Clamp(-magnitude, 0, 12));
        return Math.Abs(rounded) >= 1000 ? rounded.ToString("#,0", c) : rounded.ToString("0.############", c);
    }

    /// <summary>A band of values: <c>[Lower, Upper)</c>, one value (<see cref="Exact"/>), none (missing) or any.</summary>
    private readonly record struct Range(double Lower, double Upper, bool Missing, bool Exact)
    {
        public static Range None => new(double.NaN, double.NaN, true, false);

        public static Range Any => new(double.NegativeInfinity, double.PositiveInfinity, false, false);

        public bool IsAny => !Missing && !Exact && double.IsNegativeInfinity(Lower) && double.IsPositiveInfinity(Upper);

        public bool Below => !Missing && !Exact && double.IsNegativeInfinity(Lower) && !double.IsPositiveInfinity(Upper);

        public bool Above => !Missing && !Exact && !double.IsNegativeInfinity(Lower) && double.IsPositiveInfinity(Upper);
    }

    private static string Sentence(FeatureSpec spec, int j, Range r)
    {
        var step = spec.Steps[j];
        switch (step.Op)
        {
            case FeatureLayout.Op.Level:
            case FeatureLayout.Op.Other:
            case FeatureLayout.Op.Missing:
            {
                var column = Column(spec.Attributes[step.Source].Column);
                var level = step.Op switch { FeatureLayout.Op.Level => step.Level!, FeatureLayout.Op.Other => "another value", _ => "not given" };
                var has = r.Missing || r.IsAny || (r.Exact ? r.Lower >= 0.5 : r.Lower >= 0.5 || (r.Below && r.Upper > 1));
                if (step.Op == FeatureLayout.Op.Missing) return has ? $"{column} not given" : $"{column} given";
                return has ? $"{column}: {level}" : $"{column}: not {level}";
            }
            case FeatureLayout.Op.Flag:
            {
                var column = Column(spec.Attributes[step.Source].Column);
                if (r.Missing) return $"{column} not given";
                if (r.IsAny) return $"{column} given";
                return $"{column}: {(r.Lower >= 0.5 ? "yes" : "no")}";
            }
            case FeatureLayout.Op.Number:
            {
                var column = Column(spec.Attributes[step.Source].Column);
                return r.Missing ? $"{column} not given" : r.IsAny ? $"{column} given" : $"{column} {Amount(r, Number)}";
            }
            case FeatureLayout.Op.DateDays:
                return Ago(Column(spec.Attributes[step.Source].Column), r, $"{Column(spec.Attributes[step.Source].Column)} not given");
            case FeatureLayout.Op.LeadAge:
                return r.Below ? $"Lead created in the last {Number(r.Upper)} days" : Ago("Lead created", r, "Lead creation date unknown");
            case FeatureLayout.Op.Count:
                return Count(Action(spec.Channels[step.Source]), r, $" in the last {Number(step.Window)} days");
            case FeatureLayout.Op.DaysSince:
            {
                var a = Action(spec.Channels[step.Source]);
                if (r.Missing) return $"Never {a.Past.ToLowerInvariant()}{a.Object}";
                if (r.IsAny) return $"{a.Past}{a.Object} at some time";
                if (r.Below) return $"{a.Past}{a.Object} in the last {Number(r.Upper)} days";
                if (r.Exact && r.Lower < 1) return $"{a.Past}{a.Object} today";
                return $"Last {a.Past.ToLowerInvariant()}{a.Object} {Days(r)} ago";
            }
            case FeatureLayout.Op.Ever:
            {
                var a = Action(spec.Channels[step.Source]);
                var yes = !r.Missing && (r.Exact ? r.Lower >= 0.5 : r.Lower >= 0.5 || (r.Below && r.Upper > 1) || r.IsAny);
                return yes ? $"{a.Past}{a.Object} at some time" : $"Never {a.Past.ToLowerInvariant()}{a.Object}";
            }
            case FeatureLayout.Op.Trend:
            {
                var a = Action(spec.Channels[step.Source]);
                if (r.Missing) return $"{a.Past}{a.Object}: no trend";
                return $"{a.Past}{a.Object} {Change(r)} times a month in the last 30 days than in the 60 before";
            }
            case FeatureLayout.Op.ActiveDays:
            {
                var window = $" in the last {Number(step.Window)} days";
                if (r.Exact) return r.Lower < 0.5 ? $"No active day{window}" : $"Active on {Number(r.Lower)} day{(r.Lower == 1 ? "" : "s")}{window}";
                if (r.Below && r.Upper <= 1) return $"No active day{window}";
                if (r.Below) return $"Active on at most {Number(r.Upper - 1)} days{window}";
                if (r.IsAny) return $"Any activity{window}";
                return $"Active on {Whole(r)} days{window}";
            }
            case FeatureLayout.Op.DaysSinceAny:
                if (r.Missing) return "No activity ever";
                if (r.IsAny) return "Some activity at some time";
                if (r.Below) return $"Active in the last {Number(r.Upper)} days";
                if (r.Exact) return r.Lower < 1 ? "Active today" : $"No activity for {Number(Math.Floor(r.Lower))} days";
                return r.Above ? $"No activity for {Number(r.Lower)} days or more" : $"No activity for {Number(r.Lower)}–{Number(r.Upper)} days";
            case FeatureLayout.Op.ClickRate:
                if (r.Missing) return "Opened no e-mail in the last 90 days";
                return $"Clicked {Amount(r, Percent)} of the e-mails opened in the last 90 days";
            default:
                return spec.Features[j].Label;
        }
    }

    /// <summary>How an event reads: a past-tense verb phrase and its object ("Viewed", " /pricing").</summary>
    private readonly record struct Act(string Past, string Object);

    private static Act Action(EventChannel ch)
    {
        var d = ch.Detail;
        var email = d is null ? " an e-mail" : $" a{(StartsWithVowel(d) ? "n" : "")} {d} e-mail";
        return ch.Type switch
        {
            "page_view" => new Act("Viewed", d is null ? " a page" : $" {d}"),
            "email_open" => new Act("Opened", email),
            "email_click" => new Act("Clicked", email),
            "form_submit" => new Act("Submitted", d is null ? " a form" : d.StartsWith('/') ? $" the {d} form" : $" a form ({d})"),
            "quote_request" => new Act("Requested", d is null ? " a quote" : $" a quote ({d})"),
            "demo_request" => new Act("Requested", d is null ? " a demo" : $" a demo ({d})"),
            "webinar" => new Act("Attended", d is null ? " a webinar" : $" a webinar ({d})"),
            "social_share" => new Act("Shared", d is null ? " on social media" : $" on social media ({d})"),
            "social_comment" => new Act("Commented", d is null ? " on social media" : $" on social media ({d})"),
            "unsubscribe" => new Act("Unsubscribed", d is null ? "" : $" ({d})"),
            "email_bounce" => new Act("Had", d is null ? " an e-mail bounce" : $" an e-mail bounce ({d})"),
            "login" => new Act("Logged in", d is null ? "" : $" ({d})"),
            "invoice_paid" => new Act("Paid", d is null ? " an invoice" : $" an invoice ({d})"),
            "download" => new Act("Downloaded", d is null ? " a file" : $" {d}"),
            _ => new Act("Had", $" a{(StartsWithVowel(ch.Type) ? "n" : "")} {ch.Type.Replace('_', ' ')} event{(d is null ? "" : $" ({d})")}"),
        };
    }

    private static bool StartsWithVowel(string s) => s.Length > 0 && "aeiouAEIOU".Contains(s[0], StringComparison.Ordinal);

    private static string Count(Act a, Range r, string window)
    {
        var did = $"{a.Past}{a.Object}";
        var never = $"Did not {Base(a.Past)}{a.Object}{window}";
        if (r.Missing) return never;
        if (r.IsAny) return $"{did} any number of times{window}";
        if (r.Exact) return r.Lower < 0.5 ? never : $"{did} {Times(r.Lower)}{window}";
        if (r.Below) return r.Upper <= 1 ? never : $"{did} at most {Times(Math.Ceiling(r.Upper) - 1)}{window}";
        if (r.Above) return r.Lower <= 1 ? $"{did}{window}" : $"{did} {Number(r.Lower)} or more times{window}";
        var low = Math.Ceiling(r.Lower);
        var high = Math.Ceiling(r.Upper) - 1;
        if (low <= 0 && high >= 1) return $"{did} at most {Times(high)}{window}";
        if (low <= 0) return never;
        return low >= high ? $"{did} {Times(low)}{window}" : $"{did} {Number(low)}–{Number(high)} times{window}";
    }

    private static string Times(double n) => n == 1 ? "once" : n == 2 ? "twice" : $"{Number(n)} times";

    /// <summary>The base form of a past-tense phrase: "Viewed" → "view", "Opened an e-mail" → "open an e-mail".</summary>
    private static string Base(string past)
    {
        var space = past.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? past : past[..space];
        var rest = space < 0 ? "" : past[space..];
        var b = verb switch
        {
            "Had" => "have",
            "Paid" => "pay",
            "Submitted" => "submit",
            "Shared" => "share",
            "Unsubscribed" => "unsubscribe",
            _ when verb.EndsWith("ed", StringComparison.Ordinal) => verb[..^2].ToLowerInvariant(),
            _ => verb.ToLowerInvariant(),
        };
        return b + rest;
    }

    /// <summary>"30–60 days", "60 or more days", "12 days" (a band of days, for "… ago").</summary>
    private static string Days(Range r)
    {
        if (r.Exact) return $"{Number(Math.Floor(r.Lower))} day{(Math.Floor(r.Lower) == 1 ? "" : "s")}";
        if (r.Above) return $"{Number(r.Lower)} or more days";
        if (r.Below) return $"under {Number(r.Upper)} days";
        return $"{Number(r.Lower)}–{Number(r.Upper)} days";
    }

    private static string Ago(string what, Range r, string missing)
    {
        if (r.Missing) return missing;
        if (r.IsAny) return $"{what} at any time";
        if (r.Below) return $"{what} in the last {Number(r.Upper)} days";
        if (r.Exact && r.Lower < 1) return $"{what} today";
        return $"{what} {Days(r)} ago";
    }

    private static string Whole(Range r)
    {
        var low = Math.Ceiling(r.Lower);
        var high = Math.Ceiling(r.Upper) - 1;
        return low >= high ? Number(low) : $"{Number(low)}–{Number(high)}";
    }

    /// <summary>"200 or more", "under 10", "from 10 to under 50", "120".</summary>
    private static string Amount(Range r, Func<double, string> format)
    {
        if (r.Exact) return format(r.Lower);
        if (r.Above) return $"{format(r.Lower)} or more";
        if (r.Below) return $"under {format(r.Upper)}";
        return $"from {format(r.Lower)} to under {format(r.Upper)}";
    }

    private static string Percent(double v) => $"{Number(Math.Round(100 * v, v < 0.1 ? 1 : 0))} %";

    /// <summary>A change in a monthly count as words: "at least 2 more", "at least 1 fewer", "between 1 fewer and 2 more".</summary>
    private static string Change(Range r)
    {
        static string Signed(double v) => v >= 0 ? $"{Number(v)} more" : $"{Number(-v)} fewer";
        if (r.Exact) return r.Lower == 0 ? "as many" : Signed(r.Lower);
        if (r.Above) return r.Lower > 0 ? $"at least {Number(r.Lower)} more" : $"no more than {Number(-r.Lower)} fewer";
        if (r.Below) return r.Upper <= 0 ? $"more than {Number(-r.Upper)} fewer" : $"under {Number(r.Upper)} more";
        return $"between {Signed(r.Lower)} and {Signed(r.Upper)}";
    }
}
