using System.Globalization;
using System.Text.Json;

namespace LeadML.Features.Trees;

/// <summary>Reads the parts of an XGBoost (1.7) JSON model that <see cref="TreeEnsemble"/> evaluates, refusing any
/// model it could not evaluate exactly.</summary>
internal static class XGBoostJsonModel
{
    public const string SupportedObjective = "binary:logistic";
    public const string SupportedBooster = "gbtree";

    public static (int FeatureCount, double BaseScore, List<SavedTree> Trees) Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var learner = Property(document.RootElement, "learner", "learner");

        var booster = Text(Property(Property(learner, "gradient_booster", "learner.gradient_booster"), "name", "learner.gradient_booster.name"));
        if (booster != SupportedBooster)
        {
            throw new NotSupportedException(
                $"XGBoost model: booster '{booster}' (learner.gradient_booster.name) is not supported; only '{SupportedBooster}' is");
        }
        var objective = Text(Property(Property(learner, "objective", "learner.objective"), "name", "learner.objective.name"));
        if (objective != SupportedObjective)
        {
            throw new NotSupportedException(
                $"XGBoost model: objective '{objective}' (learner.objective.name) is not supported; only '{SupportedObjective}' is");
        }

        var parameters = Property(learner, "learner_model_param", "learner.learner_model_param");
        var featureCount = (int)Number(Property(parameters, "num_feature", "learner.learner_model_param.num_feature"), "learner.learner_model_param.num_feature");
        var baseScore = Number(Property(parameters, "base_score", "learner.learner_model_param.base_score"), "learner.learner_model_param.base_score");
        if (featureCount < 1) throw new InvalidDataException($"XGBoost model: num_feature is {featureCount}; expected at least 1");
        if (!(baseScore > 0 && baseScore < 1))
        {
            throw new InvalidDataException(
                $"XGBoost model: base_score {baseScore.ToString(CultureInfo.InvariantCulture)} is not a probability in (0, 1), as {SupportedObjective} needs");
        }

        var trees = Property(Property(Property(learner, "gradient_booster", "learner.gradient_booster"), "model", "learner.gradient_booster.model"),
            "trees", "learner.gradient_booster.model.trees");
        var list = new List<SavedTree>(trees.GetArrayLength());
        var t = 0;
        foreach (var tree in trees.EnumerateArray())
        {
            list.Add(ReadTree(tree, t++));
        }
        return (featureCount, baseScore, list);
    }

    private static SavedTree ReadTree(JsonElement tree, int index)
    {
        var where = $"learner.gradient_booster.model.trees[{index}]";
        if (tree.TryGetProperty("split_type", out var splitTypes))
        {
            var node = 0;
            foreach (var type in splitTypes.EnumerateArray())
            {
                if (type.GetInt32() != 0)
                {
                    throw new NotSupportedException($"XGBoost model: {where} node {node} is a categorical split (split_type {type.GetInt32()}); only numerical splits are supported");
                }
                node++;
            }
        }
        var left = Ints(tree, "left_children", where);
        var right = Ints(tree, "right_children", where);
        var features = Ints(tree, "split_indices", where);
        var conditions = Floats(tree, "split_conditions", where);
        var cover = Floats(tree, "sum_hessian", where);
        var defaults = Property(tree, "default_left", where + ".default_left");
        var defaultLeft = new bool[defaults.GetArrayLength()];
        var i = 0;
        foreach (var d in defaults.EnumerateArray())
        {
            defaultLeft[i++] = d.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => d.GetInt32() != 0,
            };
        }
        var n = left.Length;
        if (n == 0 || right.Length != n || features.Length != n || conditions.Length != n || cover.Length != n || defaultLeft.Length != n)
        {
            throw new InvalidDataException(
                $"XGBoost model: {where} has arrays of different lengths (left_children {n}, right_children {right.Length}, split_indices {features.Length}, " +
                $"split_conditions {conditions.Length}, sum_hessian {cover.Length}, default_left {defaultLeft.Length})");
        }
        return new SavedTree(left, right, features, conditions, defaultLeft, cover);
    }

    private static JsonElement Property(JsonElement element, string name, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"XGBoost model JSON: '{where}' is missing");

    private static string Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.ToString();

    /// <summary>XGBoost writes learner parameters as strings ("5E-1"), tree values as numbers; accept either.</summary>
    private static double Number(JsonElement element, string where)
    {
        if (element.ValueKind == JsonValueKind.Number) return element.GetDouble();
        if (element.ValueKind == JsonValueKind.String
            && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        throw new InvalidDataException($"XGBoost model JSON: '{where}' value '{element}' is not a number");
    }

    private static int[] Ints(JsonElement tree, string name, string where)
    {
        var array = Property(tree, name, $"{where}.{name}");
        var result = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var v in array.EnumerateArray()) result[i++] = v.GetInt32();
        return result;
    }

    private static float[] Floats(JsonElement tree, string name, string where)
    {
        var array = Property(tree, name, $"{where}.{name}");
        var result = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var v in array.EnumerateArray()) result[i++] = v.GetSingle();
        return result;
    }
}
