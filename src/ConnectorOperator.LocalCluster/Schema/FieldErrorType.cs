namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>The API's StatusCause reasons: FieldValueRequired, FieldValueInvalid, ...</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    TypeInvalid,
    TooLong,
    TooMany,
    Duplicate,
    Forbidden,
}
