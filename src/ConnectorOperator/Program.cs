namespace ConnectorOperator;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("connector-operator: the reconciler lands with the AgentConnector API issue.");
        return args.Length == 0 ? 0 : 2;
    }
}
