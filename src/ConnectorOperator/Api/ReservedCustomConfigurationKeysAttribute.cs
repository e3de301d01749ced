using ConnectorOperator.Api.Schema;
using ConnectorOperator.Contracts;

namespace ConnectorOperator.Api;

/// <summary>
/// One CEL rule per reserved catalogue key (credentials and settings with a first-class spec field), each naming
/// where the value belongs. Map membership is O(1), so the rules stay cheap for the API server's cost estimate.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ReservedCustomConfigurationKeysAttribute : CelRulesAttribute
{
    public override IEnumerable<CelRule> Rules() =>
        CustomConfigurationCatalogue.Entries
            .Where(e => e.IsReserved)
            .Select(e => new CelRule(
                $"!('{e.Key}' in self)",
                AgentConnectorRules.ReservedKeyMessage(e),
                FieldPath: $"['{e.Key}']",
                Reason: "FieldValueForbidden"));
}
