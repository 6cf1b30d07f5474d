namespace LeadML.Api.Hosting;

public sealed class ModelOptions
{
    /// <summary>Bundle folder written by <c>leadml train</c> (relative paths are relative to the content root).</summary>
    public string Bundle { get; set; } = "";
}
