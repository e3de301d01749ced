using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Http;

namespace ConnectorOperator.LocalCluster.Tests.Support;

/// <summary>YAML manifests under Fixtures/, copied next to the test assembly.</summary>
internal static class Fixtures
{
    public static string PathOf(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static JsonObject Load(string name) => BodyParser.ParseObject(File.ReadAllText(PathOf(name)), yaml: true);
}
