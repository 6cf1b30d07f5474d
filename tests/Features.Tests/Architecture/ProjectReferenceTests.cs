using System.Xml.Linq;
using LeadML.Features.Tests.History;

namespace LeadML.Features.Tests.Architecture;

/// <summary>
/// The import rules of docs/architecture.md, read from the project files of <c>src/</c>: Features references no
/// host, the Trainer only Features, the Api only Features; no project grants <c>InternalsVisibleTo</c> to a product
/// assembly (only test and bench assemblies).
/// </summary>
public sealed class ProjectReferenceTests
{
    /// <summary>Which src projects each src project may reference, by project folder name.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Features"] = [],
        ["Trainer"] = ["Features"],
        ["Api"] = ["Features"],
    };

    [Fact]
    public void SrcProjects_FollowTheImportRules()
    {
        var problems = Violations(Path.Combine(RepoPaths.Root, "src"));

        Assert.Empty(problems);
    }

    [Fact]
    public void SrcProjects_AreAllCoveredByTheRules()
    {
        var projects = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetFileName(Path.GetDirectoryName(p)!)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), projects);
    }

    [Fact]
    public void ApiReferencingTheTrainer_OrAGrantToAProductAssembly_IsAViolation()
    {
        var src = Directory.CreateTempSubdirectory("leadml-architecture-").FullName;
        try
        {
            Project(src, "Features", "LeadML.Features", [], ["LeadML.Features.Tests", "LeadML.Api"]);
            Project(src, "Trainer", "leadml", ["Features"], []);
            Project(src, "Api", "LeadML.Api", ["Features", "Trainer"], ["LeadML.Api.Tests"]);

            var problems = Violations(src);

            Assert.Equal(
            [
                "Api references Trainer; it may reference only Features",
                "Features grants InternalsVisibleTo to LeadML.Api, a product assembly",
            ], problems.Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(src, true);
        }
    }

    /// <summary>Every broken rule in the projects under <paramref name="src"/>, in words.</summary>
    private static List<string> Violations(string src)
    {
        var projects = Directory.GetFiles(src, "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetFileName(Path.GetDirectoryName(p)!), XDocument.Load, StringComparer.Ordinal);
        var products = projects.Select(p => AssemblyName(p.Key, p.Value)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, project) in projects)
        {
            var allowed = Allowed.GetValueOrDefault(name) ?? [];
            foreach (var reference in Items(project, "ProjectReference"))
            {
                var target = Path.GetFileName(Path.GetDirectoryName(reference.Replace('\\', '/'))) ?? reference;
                if (!allowed.Contains(target, StringComparer.Ordinal))
                {
                    problems.Add($"{name} references {target}; it may reference {(allowed.Length == 0 ? "no project" : "only " + string.Join(", ", allowed))}");
                }
            }
            foreach (var grant in Items(project, "InternalsVisibleTo"))
            {
                var toTests = grant.EndsWith(".Tests", StringComparison.Ordinal) || grant.EndsWith(".Bench", StringComparison.Ordinal);
                if (products.Contains(grant) || !toTests)
                {
                    problems.Add($"{name} grants InternalsVisibleTo to {grant}, a product assembly");
                }
            }
        }
        return problems;
    }

    private static IEnumerable<string> Items(XDocument project, string item) =>
        project.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    private static string AssemblyName(string folder, XDocument project) =>
        project.Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault() ?? folder;

    private static void Project(string src, string folder, string assembly, string[] references, string[] grants)
    {
        var dir = Directory.CreateDirectory(Path.Combine(src, folder)).FullName;
        new XDocument(new XElement("Project",
            new XElement("PropertyGroup", new XElement("AssemblyName", assembly)),
            new XElement("ItemGroup", references.Select(r => new XElement("ProjectReference", new XAttribute("Include", $"../{r}/{r}.csproj")))),
            new XElement("ItemGroup", grants.Select(g => new XElement("InternalsVisibleTo", new XAttribute("Include", g))))))
            .Save(Path.Combine(dir, $"{folder}.csproj"));
    }
}
