namespace ConnectorOperator.Simulator.Faults;

/// <summary>
/// Slows or fails one kind of request: a messaging type (<c>.ams.routing.SetAgentState</c>) or an HTTP
/// one (<c>csds</c>, <c>login</c>, <c>refresh</c>, <c>logout</c>, <c>chat</c>). <see cref="Times"/> null = until cleared.
/// </summary>
public sealed record RequestFault(string RequestType, TimeSpan Delay = default, int? FailWithCode = null, int? Times = null);
