using System.Globalization;
using System.Text.Json;

namespace LeadML.Features.Trees;

/// <summary>Reads the parts of an XGBoost (1.7) JSON model that <see cref="TreeEnsemble"/> evaluates, refusing any
/// model it could not evaluate exactly; and writes trees of another learner in that form (<see cref="Write"/>), so
/// that they are saved, loaded and served like XGBoost's own.</summary>
public static class XGBoostJsonModel
{
    public const string SupportedObjective = "binary:logistic";
    public const string SupportedBooster = "gbtree";

    /// <summary>The feature count, <c>base_score</c> (a probability) and trees of a saved model.</summary>
    /// <exception cref="NotSupportedException">Not a <c>gbtree</c> / <c>binary:logistic</c> model, or a categorical
    /// split.</exception>
    /// <exception cref="InvalidDataException">A required field is missing or a tree is malformed.</exception>
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

    /// <summary>
    /// A complete XGBoost 1.7 JSON model (<c>gbtree</c>, <c>binary:logistic</c>) holding <paramref name="trees"/>, which
    /// XGBoost loads (<c>XGBoosterLoadModelFromBuffer</c>) and <see cref="TreeEnsemble"/> reads. The margin of a row is
    /// <paramref name="baseMargin"/> plus the leaf value each tree routes it to; <c>base_score</c> is its sigmoid.
    /// </summary>
    /// <exception cref="ArgumentException">No trees, a feature count below 1, or a base margin whose sigmoid is not
    /// strictly between 0 and 1 in single precision.</exception>
    public static string Write(int featureCount, double baseMargin, IReadOnlyList<SavedTree> trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        if (featureCount < 1) throw new ArgumentException($"a model needs at least one feature, got {featureCount}", nameof(featureCount));
        if (trees.Count == 0) throw new ArgumentException("a model needs at least one tree", nameof(trees));
        var baseScore = (float)(1 / (1 + Math.Exp(-baseMargin)));
        if (!(baseScore > 0 && baseScore < 1))
        {
            throw new ArgumentException($"base margin {baseMargin.ToString(CultureInfo.InvariantCulture)} is too far from 0 for a base_score in (0, 1)", nameof(baseMargin));
        }
        var f = featureCount.ToString(CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("learner");
            w.WriteStartObject("attributes");
            w.WriteEndObject();
            w.WriteStartArray("feature_names");
            w.WriteEndArray();
            w.WriteStartArray("feature_types");
            w.WriteEndArray();
            w.WriteStartObject("gradient_booster");
            w.WriteStartObject("model");
            w.WriteStartObject("gbtree_model_param");
            w.WriteString("num_parallel_tree", "1");
            w.WriteString("num_trees", trees.Count.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartArray("tree_info");
            for (var t = 0; t < trees.Count; t++) w.WriteNumberValue(0);
            w.WriteEndArray();
            w.WriteStartArray("trees");
            for (var t = 0; t < trees.Count; t++) WriteTree(w, trees[t], t, f);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("name", SupportedBooster);
            w.WriteEndObject();
            w.WriteStartObject("learner_model_param");
            w.WriteString("base_score", baseScore.ToString("R", CultureInfo.InvariantCulture));
            w.WriteString("num_class", "0");
            w.WriteString("num_feature", f);
            w.WriteString("num_target", "1");
            w.WriteEndObject();
            w.WriteStartObject("objective");
            w.WriteString("name", SupportedObjective);
            w.WriteStartObject("reg_loss_param");
            w.WriteString("scale_pos_weight", "1");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("version");
            w.WriteNumberValue(1);
            w.WriteNumberValue(7);
            w.WriteNumberValue(4);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTree(Utf8JsonWriter w, SavedTree given, int id, string featureCount)
    {
        var n = given.Left.Length;
        if (n == 0 || given.Right.Length != n || given.Features.Length != n || given.Conditions.Length != n || given.DefaultLeft.Length != n || given.Cover.Length != n)
        {
            throw new ArgumentException($"tree {id} has no nodes or arrays of different lengths", nameof(given));
        }
        var tree = SiblingsAdjacent(given, id);
        // XGBoost's parent links: the root's is 2147483647 (its "no node"), every other node's is the split above it.
        var parents = new int[n];
        parents[0] = int.MaxValue;
        for (var i = 0; i < n; i++)
        {
            if (tree.Left[i] == -1) continue;
            parents[tree.Left[i]] = i;
            parents[tree.Right[i]] = i;
        }
        w.WriteStartObject();
        Numbers(w, "base_weights", n, i => tree.Left[i] == -1 ? tree.Conditions[i] : 0f);
        foreach (var empty in new[] { "categories", "categories_nodes", "categories_segments", "categories_sizes" })
        {
            w.WriteStartArray(empty);
            w.WriteEndArray();
        }
        Ints(w, "default_left", n, i => tree.DefaultLeft[i] ? 1 : 0);
        w.WriteNumber("id", id);
        Ints(w, "left_children", n, i => tree.Left[i]);
        Numbers(w, "loss_changes", n, _ => 0f);
        Ints(w, "parents", n, i => parents[i]);
        Ints(w, "right_children", n, i => tree.Right[i]);
        Numbers(w, "split_conditions", n, i => tree.Conditions[i]);
        Ints(w, "split_indices", n, i => tree.Left[i] == -1 ? 0 : tree.Features[i]);
        Ints(w, "split_type", n, _ => 0);
        Numbers(w, "sum_hessian", n, i => tree.Cover[i]);
        w.WriteStartObject("tree_param");
        w.WriteString("num_deleted", "0");
        w.WriteString("num_feature", featureCount);
        w.WriteString("num_nodes", n.ToString(CultureInfo.InvariantCulture));
        w.WriteString("size_leaf_vector", "0");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The tree renumbered breadth first with each right child right after its left sibling: XGBoost's
    /// predictor takes a split's right child to be its left child + 1, whatever the saved links say.</summary>
    private static SavedTree SiblingsAdjacent(SavedTree tree, int id)
    {
        var n = tree.Left.Length;
        var order = new List<int>(n) { 0 };
        var position = new int[n];
        Array.Fill(position, -1);
        position[0] = 0;
        for (var i = 0; i < order.Count; i++)
        {
            var node = order[i];
            if (tree.Left[node] == -1) continue;
            foreach (var child in new[] { tree.Left[node], tree.Right[node] })
            {
                if (child < 0 || child >= n || position[child] >= 0)
                {
                    throw new ArgumentException($"tree {id} node {node} links to child {child}, which is outside [0, {n}) or already linked", nameof(tree));
                }
                position[child] = order.Count;
                order.Add(child);
            }
        }
        int Map(int child) => child == -1 ? -1 : position[child];
        return new SavedTree(
            [.. order.Select(i => Map(tree.Left[i]))], [.. order.Select(i => Map(tree.Right[i]))], [.. order.Select(i => tree.Features[i])],
            [.. order.Select(i => tree.Conditions[i])], [.. order.Select(i => tree.DefaultLeft[i])], [.. order.Select(i => tree.Cover[i])]);
    }

    private static void Ints(Utf8JsonWriter w, string name, int n, Func<int, int> value)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < n; i++) w.WriteNumberValue(value(i));
        w.WriteEndArray();
    }

    /// <summary>Single-precision values in their shortest round-trip form, so XGBoost reads back the same floats, and
    /// always with a decimal point or exponent: XGBoost's reader takes "0" for an integer and refuses it where it
    /// expects a number.</summary>
    private static void Numbers(Utf8JsonWriter w, string name, int n, Func<int, float> value)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < n; i++)
        {
            var v = value(i);
            if (!float.IsFinite(v)) throw new ArgumentException($"{name}[{i}] is {v}; a saved tree holds finite values only");
            var text = v.ToString("R", CultureInfo.InvariantCulture);
            w.WriteRawValue(text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text);
        }
        w.WriteEndArray();
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
