using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Schema;

/// <summary>
/// Evaluates x-kubernetes-validations rules with @bufbuild/cel in one long-lived Node process
/// (<c>node tools/cel/evaluate.mjs</c>), one newline-delimited JSON round trip per batch.
/// </summary>
/// <remarks>
/// Standard CEL plus the strings extension (lowerAscii, split, format, ...) is available, and for admission
/// policies the authorizer library (docs/api-server-double.md). Kubernetes' other CEL libraries are not: lists
/// (isSorted, sum, min, max, indexOf), regex (find, findAll), URLs (isURL, url()), quantity, IP/CIDR, semver and format; rules using them fail with an evaluation error. Rules are not
/// type-checked ahead of time (values are dyn), cost budgets are not enforced, and optional syntax (<c>?.</c>)
/// is not parsed. Integers beyond 2^53 lose precision on the way through JSON.
/// A failed <see cref="CelResult.Error"/> starts with <c>rule compile error: </c> when the rule does not parse
/// (or does not yield a bool); otherwise it is the evaluation error, e.g. <c>field not found: x</c>.
/// </remarks>
public sealed class NodeCelEvaluator : ISchemaAwareCelEvaluator, IPolicyCelEvaluator, IDisposable
{
    private readonly NodeCelEvaluatorOptions _options;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<string> _stderrTail = new();
    private Process? _node;
    private long _nextId;
    private bool _disposed;

    /// <summary>The running Node process, if any (for tests).</summary>
    internal int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _node is { HasExited: false } node ? node.Id : null;
            }
        }
    }

    public NodeCelEvaluator(NodeCelEvaluatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Evaluates without schema typing: integral JSON numbers become CEL ints, other numbers doubles.</summary>
    public IReadOnlyList<CelResult> Evaluate(IReadOnlyList<CelCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        return Evaluate(checks, checks.Select(_ => new CelCheckContext(null, false)).ToList());
    }

    IReadOnlyList<CelResult> ISchemaAwareCelEvaluator.Evaluate(IReadOnlyList<CelCheck> checks, IReadOnlyList<CelCheckContext> contexts) =>
        Evaluate(checks, contexts);

    private List<CelResult> Evaluate(IReadOnlyList<CelCheck> checks, IReadOnlyList<CelCheckContext> contexts)
    {
        if (checks.Count == 0)
        {
            return [];
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var node = _node is { HasExited: false } running ? running : Start();
            var id = ++_nextId;
            node.StandardInput.WriteLine(Request(id, checks, contexts));
            node.StandardInput.Flush();
            var line = ReadLine(node);
            return Results(line, id, checks.Count);
        }
    }

    JsonObject IPolicyCelEvaluator.EvaluatePolicy(JsonObject policy) =>
        Exchange(id => new JsonObject { ["id"] = id, ["policy"] = policy.DeepClone() }.ToJsonString())["policy"] as JsonObject
        ?? throw new InvalidOperationException("The CEL evaluator's policy response has no policy result.");

    IReadOnlyList<string?> IPolicyCelEvaluator.Compile(IReadOnlyList<string> expressions)
    {
        if (expressions.Count == 0)
        {
            return [];
        }
        var request = new JsonArray([.. expressions.Select(e => (JsonNode)e)]);
        var results = Exchange(id => new JsonObject { ["id"] = id, ["compile"] = request }.ToJsonString())["compile"] as JsonArray;
        return results is { } list && list.Count == expressions.Count
            ? [.. list.Select(JsonNodes.AsString)]
            : throw new InvalidOperationException("The CEL evaluator's compile response does not match the request.");
    }

    private JsonObject Exchange(Func<long, string> request)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var node = _node is { HasExited: false } running ? running : Start();
            var id = ++_nextId;
            node.StandardInput.WriteLine(request(id));
            node.StandardInput.Flush();
            var response = JsonNode.Parse(ReadLine(node)) as JsonObject
                ?? throw new InvalidOperationException("The CEL evaluator sent a response that is not a JSON object.");
            if (response["fatal"] is { } fatal)
            {
                throw new InvalidOperationException($"The CEL evaluator rejected the request: {fatal}");
            }
            return response["id"]?.GetValue<long>() == id ? response : throw new InvalidOperationException("The CEL evaluator's response does not match the request.");
        }
    }

    // Written straight from the caller's nodes: building a JsonObject would have to deep-clone every self value.
    private static string Request(long id, IReadOnlyList<CelCheck> checks, IReadOnlyList<CelCheckContext> contexts)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteStartArray("checks");
            for (var i = 0; i < checks.Count; i++)
            {
                var check = checks[i];
                writer.WriteStartObject();
                writer.WriteString("rule", check.Rule);
                WriteNode(writer, "self", check.Self);
                writer.WriteBoolean("hasOldSelf", check.HasOldSelf);
                if (check.HasOldSelf)
                {
                    WriteNode(writer, "oldSelf", check.OldSelf);
                }
                if (check.MessageExpression is not null)
                {
                    writer.WriteString("messageExpression", check.MessageExpression);
                }
                if (contexts[i].TypeHint is { } hint)
                {
                    WriteNode(writer, "types", hint);
                }
                if (contexts[i].OptionalOldSelf)
                {
                    writer.WriteBoolean("optionalOldSelf", true);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNode(Utf8JsonWriter writer, string name, JsonNode? node)
    {
        writer.WritePropertyName(name);
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer);
        }
    }

    // A plain blocking read: waiting on a thread-pool continuation here would starve the pool when many request
    // threads queue on the lock. The timer only fires when Node hangs, and then kills it to end the read.
    private string ReadLine(Process node)
    {
        var timedOut = false;
        string? line;
        using (new Timer(_ => { timedOut = true; TryKill(node); }, null, _options.RequestTimeout, Timeout.InfiniteTimeSpan))
        {
            line = node.StandardOutput.ReadLine();
        }
        if (timedOut)
        {
            Stop();
            throw new TimeoutException($"The CEL evaluator did not answer within {_options.RequestTimeout}; it will be restarted on the next call.");
        }
        if (line is null)
        {
            Stop();
            throw new InvalidOperationException($"The CEL evaluator (node) exited unexpectedly: {string.Join('\n', _stderrTail)}");
        }
        return line;
    }

    private static void TryKill(Process node)
    {
        try
        {
            node.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static List<CelResult> Results(string line, long id, int expected)
    {
        var response = JsonNode.Parse(line) as JsonObject
            ?? throw new InvalidOperationException("The CEL evaluator sent a response that is not a JSON object.");
        if (response["fatal"] is { } fatal)
        {
            throw new InvalidOperationException($"The CEL evaluator rejected the request: {fatal}");
        }
        if (response["id"]?.GetValue<long>() != id || response["results"] is not JsonArray results || results.Count != expected)
        {
            throw new InvalidOperationException("The CEL evaluator's response does not match the request.");
        }
        return results.Select(r => new CelResult(
            Passed: r?["passed"]?.GetValueKind() == JsonValueKind.True,
            Error: JsonNodes.AsString(r?["error"]),
            Message: JsonNodes.AsString(r?["message"]))).ToList();
    }

    private Process Start()
    {
        Stop();
        var toolDirectory = CelToolInstaller.Locate(_options.ToolDirectory);
        CelToolInstaller.EnsureInstalled(toolDirectory, _options);
        var start = new ProcessStartInfo(_options.NodeExecutable)
        {
            WorkingDirectory = toolDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(toolDirectory, "evaluate.mjs"));
        var node = new Process { StartInfo = start };
        node.ErrorDataReceived += (_, e) => RememberStderr(e.Data);
        if (!node.Start())
        {
            node.Dispose();
            throw new InvalidOperationException($"Could not start {_options.NodeExecutable}.");
        }
        node.BeginErrorReadLine();
        _node = node;
        return node;
    }

    private void RememberStderr(string? line)
    {
        if (line is null)
        {
            return;
        }
        _stderrTail.Enqueue(line);
        while (_stderrTail.Count > 20 && _stderrTail.TryDequeue(out _))
        {
        }
    }

    private void Stop()
    {
        if (_node is not { } node)
        {
            return;
        }
        _node = null;
        try
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
                node.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing left to stop.
        }
        node.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (_node is { } node)
            {
                try
                {
                    // Closing stdin lets evaluate.mjs exit on its own; kill only if it lingers.
                    node.StandardInput.Close();
                    if (!node.WaitForExit(TimeSpan.FromSeconds(2)))
                    {
                        node.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                    // The process already exited.
                }
                node.Dispose();
                _node = null;
            }
        }
    }
}
