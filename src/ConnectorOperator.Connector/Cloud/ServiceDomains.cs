namespace ConnectorOperator.Connector.Cloud;

/// <summary>The service base addresses found through domain lookup, with the scheme already chosen.</summary>
public sealed record ServiceDomains(Uri AgentVep, Uri? MessagingSocket);
