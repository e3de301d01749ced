namespace ConnectorOperator.LocalCluster.Api;

/// <summary>The <c>fieldValidation</c> query parameter: what to do with fields the schema does not know.</summary>
public enum FieldValidationMode
{
    Warn,
    Strict,
    Ignore,
}
