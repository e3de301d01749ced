using System.Reflection;
using System.Text.RegularExpressions;
using ConnectorOperator.Contracts;
using ConnectorOperator.Tests.Support;

namespace ConnectorOperator.Tests.Contracts;

public sealed class ConnectorEnvironmentTests
{
    [Fact]
    public void Every_variable_of_the_connector_contract_has_a_constant_and_no_constant_is_invented()
    {
        var documented = Regex.Matches(RepositoryFiles.Read("docs/connector-contract.md"), @"`((?:CONNECTOR|LP)_[A-Z_]+)`")
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        var constants = typeof(ConnectorEnvironment).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        Assert.Equal(documented.Order(StringComparer.Ordinal), constants.Order(StringComparer.Ordinal));
    }
}
