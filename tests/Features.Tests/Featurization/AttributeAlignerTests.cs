using LeadML.Features.Featurization;
using LeadML.Features.History;

namespace LeadML.Features.Tests.Featurization;

/// <summary>Attribute values of a history or a request, aligned to a model's spec.</summary>
public sealed class AttributeAlignerTests
{
    private static Lead Lead(string id, string? text, double number = double.NaN) => new()
    {
        Id = id, CreatedAt = FeatureFixtures.Utc(2024, 1, 1), Categories = [text], Numbers = [number],
    };

    [Fact]
    public void Align_NumberColumnReadAsText_ParsesItsNumbersAndLeavesTheRestMissing()
    {
        // The model knows employees as a number; a history (a store with one odd value, read before types were set)
        // holds it as text. Its numbers count; a value that is not a number is missing, never a category.
        var spec = FeatureFixtures.Spec();
        var table = new LeadTable([new AttributeColumn("employees", ColumnType.Category, true, [])],
            [Lead("a", "120"), Lead("b", "another value"), Lead("c", null)]);

        var values = new AttributeAligner(spec).Align(table);

        var employees = spec.Attributes.ToList().FindIndex(a => a.Column == "employees");
        Assert.Equal(120, values[0].Numbers[employees]);
        Assert.True(double.IsNaN(values[1].Numbers[employees]));
        Assert.True(double.IsNaN(values[2].Numbers[employees]));
        Assert.All(values, v => Assert.Null(v.Categories[employees]));
    }

    [Fact]
    public void FromText_NumberThatIsNotANumber_IsMissingAndReported()
    {
        var spec = FeatureFixtures.Spec();
        var invalid = new List<string>();

        var values = new AttributeAligner(spec).FromText(new Dictionary<string, string?> { ["employees"] = "another value", ["industry"] = "Retail" }, invalid: invalid);

        var employees = spec.Attributes.ToList().FindIndex(a => a.Column == "employees");
        Assert.True(double.IsNaN(values.Numbers[employees]));
        Assert.Null(values.Categories[employees]);
        Assert.Equal(["employees: 'another value' is not a number"], invalid);
        // The vector is that of a lead without the value: no "another value" column exists for a number.
        var f = new Featurizer(spec);
        var withText = FeatureFixtures.OneLead(f, values, FeatureFixtures.Utc(2024, 1, 1), FeatureFixtures.Utc(2024, 2, 1), []);
        var without = FeatureFixtures.OneLead(f, new AttributeAligner(spec).FromText(new Dictionary<string, string?> { ["industry"] = "Retail" }),
            FeatureFixtures.Utc(2024, 1, 1), FeatureFixtures.Utc(2024, 2, 1), []);
        Assert.Equal(without, withText);
        Assert.DoesNotContain(spec.Features, d => d.Name.StartsWith("attr.employees=", StringComparison.Ordinal));
    }
}
