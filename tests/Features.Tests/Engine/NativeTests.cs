using System.Text;
using LeadML.Features.Engine;

namespace LeadML.Features.Tests.Engine;

public sealed class NativeTests
{
    [Fact]
    public void LoadFirst_NoCandidateLoads_ExplainsHowToInstall()
    {
        string[] names = ["libxgboost-not-here.so.0", "xgboost-not-here"];

        var e = Assert.Throws<DllNotFoundException>(() => Native.LoadFirst(names, typeof(Native).Assembly, null));

        Assert.Contains("apt-get install -y libxgboost0", e.Message);
        Assert.Contains("libxgboost-not-here.so.0", e.Message);
        Assert.Contains("xgboost-not-here", e.Message);
    }

    [Fact]
    public void LoadFirst_SkipsCandidatesThatDoNotLoad()
    {
        var handle = Native.LoadFirst(["libxgboost-not-here.so.0", .. Native.LibraryCandidates], typeof(Native).Assembly, null);

        Assert.NotEqual(IntPtr.Zero, handle);
    }

    [Fact]
    public void Utf8Z_EncodesUtf8WithATerminatingNul()
    {
        var bytes = Native.Utf8Z("größe");

        Assert.Equal(0, bytes[^1]);
        Assert.Equal("größe", Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1));
        Assert.Equal(Encoding.UTF8.GetByteCount("größe") + 1, bytes.Length);
    }

    [Theory]
    [InlineData("[3]\tvalid-logloss:0.51234", "logloss", 0.51234)]
    [InlineData("[0]\tvalid-auc:0.75\tvalid-logloss:0.6", "logloss", 0.6)]
    [InlineData("[0]\tvalid-auc:0.75\tvalid-logloss:0.6", "auc", 0.75)]
    public void ParseMetric_ReadsTheValidationValue(string line, string metric, double expected)
    {
        Assert.Equal(expected, Booster.ParseMetric(line, metric), 12);
    }

    [Fact]
    public void ParseMetric_MetricAbsent_ThrowsWithTheLine()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Booster.ParseMetric("[0]\tvalid-auc:0.7", "logloss"));

        Assert.Contains("valid-auc:0.7", e.Message);
    }
}
