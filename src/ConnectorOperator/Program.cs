using System.CommandLine;
using ConnectorOperator.Commands;

namespace ConnectorOperator;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("connector-operator: runs LivePerson Conversational Cloud bot agent connectors as pods.")
        {
            ManifestsCommand.Create(),
            RunCommand.Create(),
        };
        root.SetAction(_ =>
        {
            Console.Error.WriteLine("connector-operator: name a command (run, manifests); --help lists them.");
            return 0;
        });
        return root.Parse(args).InvokeAsync();
    }
}
