using System.CommandLine;
using LeadML.Trainer.Commands;

namespace LeadML.Trainer;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("LeadML: learns lead-scoring points from history, and evaluates them out of time.")
        {
            SampleCommand.Create(),
            ReadCommand.Create(),
            TrainCommand.Create(),
            InspectCommand.Create(),
            ReportCommand.Create(),
            GuideCommand.Create(),
            CompareCommand.Create(),
            RecalibrateCommand.Create(),
            ExportCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
