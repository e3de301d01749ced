using System.Text.RegularExpressions;
using ConnectorOperator.Api;
using ConnectorOperator.Contracts;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Api;

/// <summary>docs/user-guide.md is what bot developers read instead of the code: it must say what the code does.</summary>
public sealed partial class UserGuideTests(CelEvaluatorFixture cel) : IClassFixture<CelEvaluatorFixture>
{
    private static readonly string Guide = RepositoryFiles.Read("docs/user-guide.md");

    [GeneratedRegex(@"^\| `(?<key>[A-Za-z_]+)` \| [^|]* \| (?<m>[YN]) \| (?<c>[YN]) \| (?<where>[^|]+) \|$", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();

    [GeneratedRegex(@"```yaml\n(?<yaml>apiVersion: connectoroperator\.dev/v1alpha1\n.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleResource();

    [Fact]
    public void Custom_configuration_table_lists_every_catalogue_field_once_with_its_messaging_and_chat_applicability()
    {
        var rows = CatalogueRow().Matches(Guide).Select(m => m.Groups).ToList();

        Assert.Equal(CustomConfigurationCatalogue.Entries.Select(e => e.Key), rows.Select(r => r["key"].Value));
        foreach (var row in rows)
        {
            var entry = CustomConfigurationCatalogue.Get(row["key"].Value);
            Assert.True((entry.AppliesToMessaging ? "Y" : "N", entry.AppliesToChat ? "Y" : "N") == (row["m"].Value, row["c"].Value),
                $"{entry.Key}: the guide says Messaging {row["m"].Value}, Chat {row["c"].Value}");
            // A field the resource refuses in customConfiguration must not be documented as set there.
            Assert.True(!entry.IsReserved || !row["where"].Value.Trim().StartsWith("`customConfiguration`", StringComparison.Ordinal),
                $"{entry.Key} is refused in customConfiguration, but the guide says to set it there");
        }
    }

    [Fact]
    public void Example_resource_passes_the_crd_and_the_operator_without_warnings()
    {
        var example = YamlDocuments.ParseSingle(ExampleResource().Match(Guide).Groups["yaml"].Value);

        Assert.Empty(GeneratedCrd.Validate(example, cel.Evaluator));
        var result = GeneratedCrd.ValidateSpec(example);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Troubleshooting_table_explains_every_offline_reason_the_connector_and_the_operator_report()
    {
        var troubleshooting = Guide[Guide.IndexOf("## Troubleshooting", StringComparison.Ordinal)..];
        var explained = TroubleshootingReason().Matches(troubleshooting).Select(m => m.Groups["reason"].Value).ToHashSet(StringComparer.Ordinal);
        var connectorReasons = typeof(ConnectorReasons).GetFields().Select(f => (string)f.GetRawConstantValue()!).Where(r => r != ConnectorReasons.Connected);

        var reported = connectorReasons.Concat(ConnectorOperator.Reconciliation.StatusBuilder.ReasonPriority).Append("NoAgentUsers").Distinct();
        var unexplained = reported.Where(r => !explained.Contains(r)).ToList();
        Assert.True(unexplained.Count == 0, $"not in the troubleshooting table: {string.Join(", ", unexplained)}");
    }

    [GeneratedRegex(@"`(?<reason>[A-Za-z]+)`")]
    private static partial Regex TroubleshootingReason();

    [Fact]
    public void Sizing_numbers_are_the_codes()
    {
        Assert.Contains($"`conversationsPerConnector` defaults to {AgentConnectorRules.BaselineConversationsPerConnector}. Above {AgentConnectorRules.BaselineConversationsPerConnector} (up to {AgentConnectorRules.MaxConversationsPerConnector},",
            Guide.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains(ConnectorOperator.Reconciliation.ConnectorLabels.RestartedAt, Guide, StringComparison.Ordinal);
    }
}
