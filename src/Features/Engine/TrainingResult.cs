namespace LeadML.Features.Engine;

/// <summary>
/// The outcome of <see cref="Booster.Train"/>.
/// </summary>
/// <param name="Booster">The model, holding exactly <paramref name="BestIteration"/> + 1 rounds. The caller owns
/// and disposes it.</param>
/// <param name="BestIteration">The zero-based round with the best validation metric (the last round without a
/// validation set).</param>
/// <param name="Rounds">How many rounds were run before stopping (≥ <paramref name="BestIteration"/> + 1).</param>
/// <param name="EvalHistory">The validation metric after each round run (<paramref name="Rounds"/> values); empty
/// without a validation set.</param>
/// <param name="Metric">The metric in <paramref name="EvalHistory"/>, e.g. <c>logloss</c>.</param>
public sealed record TrainingResult(Booster Booster, int BestIteration, int Rounds, IReadOnlyList<double> EvalHistory, string Metric);
