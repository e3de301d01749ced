namespace ConnectorOperator.Api.Schema;

/// <summary>Contributes <c>x-kubernetes-validations</c> rules to the schema of a class or a property.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public abstract class CelRulesAttribute : Attribute
{
    public abstract IEnumerable<CelRule> Rules();
}
