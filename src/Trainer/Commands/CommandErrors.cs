using LeadML.Features.Bundles;
using LeadML.Features.Engine;
using LeadML.Features.History;
using Spectre.Console;

namespace LeadML.Trainer.Commands;

/// <summary>Exit codes and the one place where expected failures become a readable message instead of a stack trace.</summary>
internal static class CommandErrors
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int Failed = 2;

    /// <summary>Runs a command body; input problems print one clear line and exit 2, anything else exits 1.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is HistoryFormatException or BundleException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (XGBoostException e)
        {
            Console.Error.WriteLine($"error: the XGBoost engine failed: {e.Message}");
            return Failed;
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
    }

    /// <summary>A console for human output on standard error when standard output carries JSON.</summary>
    public static IAnsiConsole Human(bool json) => json
        ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
        : AnsiConsole.Console;
}
