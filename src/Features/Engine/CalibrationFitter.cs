using System.Globalization;
using LeadML.Features.Evaluation;

namespace LeadML.Features.Engine;

/// <summary>The calibration chosen for a model and the evidence for it.</summary>
/// <param name="Chosen">The calibration fitted on all the given rows.</param>
/// <param name="PlattLogLoss">Cross-validated log-loss of Platt scaling on the given rows.</param>
/// <param name="IsotonicLogLoss">Cross-validated log-loss of isotonic regression on the given rows.</param>
/// <param name="Why">One sentence for the user: which calibration and why.</param>
public sealed record CalibrationChoice(Calibration Chosen, double PlattLogLoss, double IsotonicLogLoss, string Why);

/// <summary>
/// Fits the map from model margin to probability on out-of-sample margins and their outcomes: Platt scaling, or
/// isotonic regression when there is enough data for it to beat Platt clearly. The trainer fits it on out-of-time
/// predictions (rolling origin), recalibration on a bundle's margins for recent outcomes.
/// </summary>
public static class CalibrationFitter
{
    /// <summary>Isotonic maps keep at most this many knots, so they stay smooth and small in the bundle.</summary>
    public const int MaxIsotonicKnots = 50;

    /// <summary>Isotonic regression overfits below these; Platt's two parameters do not.</summary>
    public const int IsotonicMinRows = 1000;

    /// <summary>See <see cref="IsotonicMinRows"/>.</summary>
    public const int IsotonicMinPositives = 50;

    /// <summary>Isotonic must lower the cross-validated log-loss by at least this fraction to be chosen.</summary>
    public const double IsotonicMinGain = 0.01;

    private const int Folds = 5;

    // A tiny ridge keeps Platt finite when the margins separate the classes perfectly (or one class is absent).
    private const double PlattRidge = 1e-8;

    /// <summary>
    /// Platt scaling by maximum likelihood: finds a, b minimising the mean log-loss of sigmoid(a · margin + b), with
    /// Newton steps and backtracking (the problem is convex in a and b).
    /// </summary>
    public static Calibration FitPlatt(double[] margins, float[] y)
    {
        CheckSizes(margins, y);
        var n = margins.Length;
        var positives = Metrics.CountPositives(y);
        var rate = Math.Clamp((positives + 0.5) / (n + 1.0), 1e-6, 1 - 1e-6);
        var a = 0.0;
        var b = Math.Log(rate / (1 - rate));
        var loss = PlattLoss(margins, y, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = PlattRidge * a, gb = PlattRidge * b, haa = PlattRidge, hab = 0, hbb = PlattRidge;
            for (var i = 0; i < n; i++)
            {
                var m = margins[i];
                var p = Calibration.Sigmoid(a * m + b);
                var r = (p - (y[i] > 0.5f ? 1 : 0)) / n;
                var h = p * (1 - p) / n;
                ga += r * m;
                gb += r;
                haa += h * m * m;
                hab += h * m;
                hbb += h;
            }
            var det = haa * hbb - hab * hab;
            if (!(det > 0)) break;
            var da = -(hbb * ga - hab * gb) / det;
            var db = -(haa * gb - hab * ga) / det;
            var step = 1.0;
            var improved = false;
            while (step > 1e-10)
            {
                var candidate = PlattLoss(margins, y, a + step * da, b + step * db);
                if (candidate <= loss)
                {
                    a += step * da;
                    b += step * db;
                    improved = loss - candidate > 1e-15 * Math.Max(1, loss);
                    loss = candidate;
                    break;
                }
                step /= 2;
            }
            if (!improved || Math.Max(Math.Abs(step * da), Math.Abs(step * db)) < 1e-10) break;
        }
        return Calibration.ForPlatt(a, b);
    }

    /// <summary>
    /// Puts stretches of out-of-time margins on the level of the last one: a Platt map with one slope shared by every
    /// stretch and an offset per stretch (each has its own conversion rate) is fitted by maximum likelihood, and each
    /// stretch's margins are shifted by (its offset − the last's) / slope. Pooled afterwards, the stretches give the
    /// calibration its shape, the last one its level. Returned as they are when the shared slope is not positive (the
    /// margins do not rank) or with one stretch.
    /// </summary>
    /// <param name="margins">Each stretch's margins, oldest first.</param>
    /// <param name="y">Each stretch's outcomes.</param>
    /// <returns>The shifted margins, the shared slope and each stretch's offset (log-odds).</returns>
    public static (double[][] Margins, double Slope, double[] Offsets) AlignLevels(IReadOnlyList<double[]> margins, IReadOnlyList<float[]> y)
    {
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(y);
        if (margins.Count != y.Count) throw new ArgumentException($"{margins.Count} stretches of margins for {y.Count} of outcomes");
        for (var g = 0; g < margins.Count; g++) CheckSizes(margins[g], y[g]);
        var groups = margins.Count;
        var offsets = new double[groups];
        for (var g = 0; g < groups; g++)
        {
            var rate = Math.Clamp((Metrics.CountPositives(y[g]) + 0.5) / (y[g].Length + 1.0), 1e-6, 1 - 1e-6);
            offsets[g] = Math.Log(rate / (1 - rate));
        }
        var a = 0.0;
        double Loss(double slope, double[] b)
        {
            var sum = 0.0;
            for (var g = 0; g < groups; g++) sum += PlattLoss(margins[g], y[g], slope, b[g]) * margins[g].Length;
            return sum;
        }
        // Newton steps on (slope, offsets) with backtracking; the Hessian is an arrow (the offsets only meet the slope),
        // so the step comes from its Schur complement.
        var loss = Loss(a, offsets);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = PlattRidge * a, haa = PlattRidge;
            var gb = new double[groups];
            var hab = new double[groups];
            var hbb = new double[groups];
            for (var g = 0; g < groups; g++)
            {
                gb[g] = PlattRidge * offsets[g];
                hbb[g] = PlattRidge;
                for (var i = 0; i < margins[g].Length; i++)
                {
                    var m = margins[g][i];
                    var p = Calibration.Sigmoid(a * m + offsets[g]);
                    var r = p - (y[g][i] > 0.5f ? 1 : 0);
                    var w = p * (1 - p);
                    ga += r * m;
                    gb[g] += r;
                    haa += w * m * m;
                    hab[g] += w * m;
                    hbb[g] += w;
                }
            }
            var schur = haa;
            var rhs = ga;
            for (var g = 0; g < groups; g++)
            {
                schur -= hab[g] * hab[g] / hbb[g];
                rhs -= hab[g] * gb[g] / hbb[g];
            }
            if (!(schur > 0)) break;
            var da = -rhs / schur;
            var db = new double[groups];
            for (var g = 0; g < groups; g++) db[g] = -(gb[g] + hab[g] * da) / hbb[g];
            var step = 1.0;
            var improved = false;
            while (step > 1e-10)
            {
                var trial = offsets.Select((o, g) => o + step * db[g]).ToArray();
                var candidate = Loss(a + step * da, trial);
                if (candidate <= loss)
                {
                    improved = loss - candidate > 1e-12 * Math.Max(1, loss);
                    a += step * da;
                    offsets = trial;
                    loss = candidate;
                    break;
                }
                step /= 2;
            }
            if (!improved) break;
        }
        if (groups < 2 || !(a > 1e-6)) return ([.. margins.Select(m => (double[])m.Clone())], a, offsets);
        var last = offsets[^1];
        var shifted = new double[groups][];
        for (var g = 0; g < groups; g++)
        {
            var shift = (offsets[g] - last) / a;
            shifted[g] = [.. margins[g].Select(m => m + shift)];
        }
        return (shifted, a, offsets);
    }

    /// <summary>
    /// Isotonic regression: pool-adjacent-violators on the margins sorted ascending (equal margins pooled first),
    /// blocks then merged into at most <see cref="MaxIsotonicKnots"/> groups of similar size, and the map drawn as
    /// straight lines between each group's (mean margin, conversion rate), flat beyond the ends.
    /// </summary>
    public static Calibration FitIsotonic(double[] margins, float[] y)
    {
        CheckSizes(margins, y);
        if (margins.Length == 0) throw new ArgumentException("isotonic calibration needs at least one row", nameof(margins));
        var order = Enumerable.Range(0, margins.Length).ToArray();
        var keys = (double[])margins.Clone();
        Array.Sort(keys, order);

        // Blocks: (sum of labels, rows, sum of margins). Equal margins must share a value, so they start pooled.
        var blocks = new List<Block>();
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k];
            var label = y[i] > 0.5f ? 1.0 : 0.0;
            var row = new Block(label, 1, keys[k], keys[k]);
            if (blocks.Count > 0 && keys[k].Equals(blocks[^1].Last)) blocks[^1] = blocks[^1].Add(row);
            else blocks.Add(row);
            while (blocks.Count > 1 && blocks[^2].Rate >= blocks[^1].Rate)
            {
                blocks[^2] = blocks[^2].Add(blocks[^1]);
                blocks.RemoveAt(blocks.Count - 1);
            }
        }

        // Pooling neighbours of a non-decreasing sequence keeps it non-decreasing.
        var knots = new List<Block>();
        var target = (double)margins.Length / MaxIsotonicKnots;
        Block? open = null;
        foreach (var block in blocks)
        {
            open = open is null ? block : open.Value.Add(block);
            if (open.Value.Rows >= target)
            {
                knots.Add(open.Value);
                open = null;
            }
        }
        if (open is not null)
        {
            if (knots.Count > 0 && knots.Count >= MaxIsotonicKnots) knots[^1] = knots[^1].Add(open.Value);
            else knots.Add(open.Value);
        }
        return Calibration.ForIsotonic([.. knots.Select(b => b.MeanMargin)], [.. knots.Select(b => b.Rate)]);
    }

    /// <summary>
    /// Chooses Platt or isotonic by 5-fold cross-validated log-loss on these out-of-sample margins, folds interleaved
    /// in margin order so each covers the whole score range. Isotonic wins only with at least
    /// <see cref="IsotonicMinRows"/> rows and <see cref="IsotonicMinPositives"/> conversions and a log-loss at least
    /// <see cref="IsotonicMinGain"/> lower; otherwise Platt, which cannot overfit much. The winner is refit on all rows.
    /// </summary>
    public static CalibrationChoice Choose(double[] margins, float[] y)
    {
        CheckSizes(margins, y);
        var n = margins.Length;
        var positives = Metrics.CountPositives(y);
        var (platt, isotonic) = n >= 2 * Folds ? CrossValidate(margins, y) : InSample(margins, y);
        string Fmt(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

        if (n < IsotonicMinRows || positives < IsotonicMinPositives)
        {
            return new CalibrationChoice(FitPlatt(margins, y), platt, isotonic,
                $"Platt scaling: {n:N0} rows with {positives:N0} conversions are too few for isotonic regression (it needs {IsotonicMinRows:N0} rows and {IsotonicMinPositives} conversions)");
        }
        if (isotonic <= platt * (1 - IsotonicMinGain))
        {
            return new CalibrationChoice(FitIsotonic(margins, y), platt, isotonic,
                $"isotonic regression: cross-validated log-loss {Fmt(isotonic)} against {Fmt(platt)} for Platt scaling");
        }
        return new CalibrationChoice(FitPlatt(margins, y), platt, isotonic,
            $"Platt scaling: isotonic regression's cross-validated log-loss {Fmt(isotonic)} is not clearly below Platt's {Fmt(platt)}");
    }

    /// <summary>
    /// Out-of-fold probabilities: each of 5 folds (interleaved in margin order) is calibrated by <see cref="Choose"/>
    /// fitted on the other four, so the calibration error measured on them is an honest estimate of the refit's.
    /// With fewer than 10 rows, the in-sample probabilities of <see cref="Choose"/>.
    /// </summary>
    public static double[] CrossValidatedProbabilities(double[] margins, float[] y)
    {
        CheckSizes(margins, y);
        var n = margins.Length;
        if (n < 2 * Folds)
        {
            var all = Choose(margins, y).Chosen;
            return [.. margins.Select(all.Apply)];
        }
        var fold = Folds5(margins);
        var result = new double[n];
        for (var f = 0; f < Folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
            var fitted = Choose([.. train.Select(i => margins[i])], [.. train.Select(i => y[i])]).Chosen;
            for (var i = 0; i < n; i++)
            {
                if (fold[i] == f) result[i] = fitted.Apply(margins[i]);
            }
        }
        return result;
    }

    private static int[] Folds5(double[] margins)
    {
        var n = margins.Length;
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort((double[])margins.Clone(), order);
        var fold = new int[n];
        for (var rank = 0; rank < n; rank++) fold[order[rank]] = rank % Folds;
        return fold;
    }

    private static (double Platt, double Isotonic) CrossValidate(double[] margins, float[] y)
    {
        var n = margins.Length;
        var fold = Folds5(margins);

        double plattLoss = 0, isotonicLoss = 0;
        for (var f = 0; f < Folds; f++)
        {
            var train = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
            var held = Enumerable.Range(0, n).Where(i => fold[i] == f).ToArray();
            var trainM = train.Select(i => margins[i]).ToArray();
            var trainY = train.Select(i => y[i]).ToArray();
            var heldM = held.Select(i => margins[i]).ToArray();
            var heldY = held.Select(i => y[i]).ToArray();
            var platt = FitPlatt(trainM, trainY);
            var isotonic = FitIsotonic(trainM, trainY);
            plattLoss += Metrics.LogLoss([.. heldM.Select(platt.Apply)], heldY) * held.Length;
            isotonicLoss += Metrics.LogLoss([.. heldM.Select(isotonic.Apply)], heldY) * held.Length;
        }
        return (plattLoss / n, isotonicLoss / n);
    }

    private static (double Platt, double Isotonic) InSample(double[] margins, float[] y)
    {
        if (margins.Length == 0) return (0, 0);
        var platt = FitPlatt(margins, y);
        var isotonic = FitIsotonic(margins, y);
        return (Metrics.LogLoss([.. margins.Select(platt.Apply)], y), Metrics.LogLoss([.. margins.Select(isotonic.Apply)], y));
    }

    private static double PlattLoss(double[] margins, float[] y, double a, double b)
    {
        var sum = 0.0;
        for (var i = 0; i < margins.Length; i++)
        {
            var m = a * margins[i] + b;
            // -log sigmoid(m) for a conversion, -log(1 - sigmoid(m)) otherwise, without overflow.
            var z = y[i] > 0.5f ? -m : m;
            sum += z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
        }
        return margins.Length == 0 ? 0 : sum / margins.Length + 0.5 * PlattRidge * (a * a + b * b);
    }

    private static void CheckSizes(double[] margins, float[] y)
    {
        ArgumentNullException.ThrowIfNull(margins);
        ArgumentNullException.ThrowIfNull(y);
        if (margins.Length != y.Length) throw new ArgumentException($"{margins.Length} margins for {y.Length} labels");
        foreach (var m in margins)
        {
            if (!double.IsFinite(m)) throw new ArgumentException($"a margin is {m}; calibration needs finite margins", nameof(margins));
        }
    }

    private readonly record struct Block(double Positives, int Rows, double MarginSum, double Last)
    {
        public double Rate => Positives / Rows;

        public double MeanMargin => MarginSum / Rows;

        public Block Add(Block other) => new(Positives + other.Positives, Rows + other.Rows, MarginSum + other.MarginSum, other.Last);
    }
}
