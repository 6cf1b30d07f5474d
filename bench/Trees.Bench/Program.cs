// Single-row latency of the managed tree evaluator against the native XGBoost library (DMatrix path), on a depth-4,
// 300-round model over 60 features. Run in Release: dotnet run -c Release --project bench/Trees.Bench
using System.Diagnostics;
using System.Globalization;
using LeadML.Features.Engine;
using LeadML.Features.Randomness;
using LeadML.Features.Trees;

const int Features = 60;
const int TrainRows = 10_000;
const int ProbeRows = 2_000;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var (trainX, trainY) = Leads(1, TrainRows);
var (x, _) = Leads(2, ProbeRows);

var parameters = new BoosterParameters { MaxDepth = 4, Eta = 0.1, Subsample = 0.8, ColsampleByTree = 0.8, NThread = 2, Seed = 42 };
Booster trained;
using (var dtrain = DMatrix.FromDense(trainX, TrainRows, Features, trainY))
{
    trained = Booster.Train(parameters, dtrain, null, 300).Booster;
}
// Serve as production would: a freshly loaded booster (no prediction cache) with one OpenMP thread.
using var native = Booster.Load(trained.SaveUbj());
native.SetParam("nthread", "1");
var json = trained.SaveJson();
trained.Dispose();
var loadWatch = Stopwatch.StartNew();
var ensemble = TreeEnsemble.FromXGBoostJson(json);
loadWatch.Stop();

// Agreement on the probe rows, so the timings compare equal work.
var nativeMargins = native.PredictMargin(x, ProbeRows);
var nativeContributions = native.PredictContributions(x, ProbeRows);
double marginDiff = 0, contributionDiff = 0;
var phi = new double[Features + 1];
for (var r = 0; r < ProbeRows; r++)
{
    var row = x.AsSpan(r * Features, Features);
    marginDiff = Math.Max(marginDiff, Math.Abs(ensemble.Margin(row) - nativeMargins[r]));
    ensemble.Contributions(row, phi);
    for (var j = 0; j <= Features; j++) contributionDiff = Math.Max(contributionDiff, Math.Abs(phi[j] - nativeContributions[r * (Features + 1) + j]));
}

var sink = 0.0;
var nativeMargin = Measure(20_000, r => sink += native.PredictMargin(Row(r), 1)[0]);
var managedMargin = Measure(200_000, r => sink += ensemble.Margin(Row(r)));
var nativeShap = Measure(2_000, r => sink += native.PredictContributions(Row(r), 1)[Features]);
var managedShap = Measure(50_000, r =>
{
    ensemble.Contributions(Row(r), phi);
    sink += phi[0];
});

Console.WriteLine($"Model: depth 4, {ensemble.TreeCount} trees, {Features} features, XGBoost {Booster.Version}; " +
                  $"JSON {json.Length / 1024} KiB parsed in {loadWatch.Elapsed.TotalMilliseconds:F0} ms; {Environment.ProcessorCount} cores.");
Console.WriteLine($"Agreement on {ProbeRows} rows: max |margin diff| {marginDiff:E1}, max |contribution diff| {contributionDiff:E1}.");
Console.WriteLine();
Console.WriteLine("| single row | native median µs (p99) | managed median µs (p99) | native / managed (median) |");
Console.WriteLine("|---|---|---|---|");
Print("margin", nativeMargin, managedMargin);
Print("exact SHAP contributions", nativeShap, managedShap);
Console.WriteLine();
Console.WriteLine($"(checksum {sink:E3})");

void Print(string what, (double Median, double P99) n, (double Median, double P99) m) =>
    Console.WriteLine($"| {what} | {n.Median:F2} ({n.P99:F1}) | {m.Median:F2} ({m.P99:F1}) | {n.Median / m.Median:F1}× |");

ReadOnlySpan<float> Row(int r) => x.AsSpan(r % ProbeRows * Features, Features);

// Times each call separately, after a warm-up pass of the same size; returns the median and p99 in µs.
static (double Median, double P99) Measure(int calls, Action<int> call)
{
    for (var i = 0; i < calls; i++) call(i);
    var ticks = new long[calls];
    for (var i = 0; i < calls; i++)
    {
        var start = Stopwatch.GetTimestamp();
        call(i);
        ticks[i] = Stopwatch.GetTimestamp() - start;
    }
    Array.Sort(ticks);
    var toMicros = 1e6 / Stopwatch.Frequency;
    return (ticks[calls / 2] * toMicros, ticks[(int)(calls * 0.99)] * toMicros);
}

// f0–f29 Gaussian, f30–f34 0/1 flags, f35–f59 uniform; the label's logit mixes linear and nonlinear terms; 3 % of
// f10–f19 become NaN after the labels are drawn.
static (float[] X, float[] Y) Leads(ulong seed, int rows)
{
    var rng = new Xoshiro256(seed);
    var x = new float[rows * Features];
    var y = new float[rows];
    for (var r = 0; r < rows; r++)
    {
        var f = x.AsSpan(r * Features, Features);
        for (var c = 0; c < 30; c++) f[c] = (float)rng.NextGaussian();
        for (var c = 30; c < 35; c++) f[c] = rng.NextBool(0.3) ? 1f : 0f;
        for (var c = 35; c < Features; c++) f[c] = (float)rng.NextDouble();
        var logit = 0.0;
        for (var c = 0; c < 20; c++) logit += (c % 2 == 0 ? 0.3 : -0.2) * f[c];
        logit += 0.8 * f[0] * f[1] + Math.Sin(2 * f[2]) + 0.5 * (f[3] * f[3] - 1) + (f[4] > 1 ? 1.2 : 0) + 0.7 * f[30] * f[5];
        y[r] = rng.NextBool(1 / (1 + Math.Exp(-logit))) ? 1f : 0f;
        for (var c = 10; c < 20; c++)
        {
            if (rng.NextBool(0.03)) f[c] = float.NaN;
        }
    }
    return (x, y);
}
