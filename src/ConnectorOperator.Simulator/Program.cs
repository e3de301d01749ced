namespace ConnectorOperator.Simulator; internal static class Program { public static int Main() => 0; }
