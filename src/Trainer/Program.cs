namespace LeadML.Trainer; internal static class Program { private static int Main(string[] args) => 0; }
