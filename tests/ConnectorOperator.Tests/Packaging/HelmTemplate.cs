using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConnectorOperator.Tests.Packaging;

/// <summary>
/// Renders Helm templates without a helm binary: Go template text with trim markers, comments, <c>define</c>,
/// <c>if</c>/<c>else</c>, <c>range $x := ...</c>, <c>with</c>, pipelines, and the Sprig functions the chart
/// uses. Anything else is refused with <see cref="NotSupportedException"/>, so a template that outgrows this
/// subset fails its test instead of rendering wrong.
/// </summary>
internal sealed class HelmTemplate
{
    private readonly Dictionary<string, List<Node>> _defines = new(StringComparer.Ordinal);
    private readonly JsonObject _root;

    /// <param name="root">The template root: Values, Release, Chart.</param>
    /// <param name="helpers">Sources whose <c>define</c>s the templates include (_helpers.tpl).</param>
    public HelmTemplate(JsonObject root, IEnumerable<string> helpers)
    {
        _root = root;
        foreach (var helper in helpers)
        {
            Parse(helper);
        }
    }

    public string Render(string template)
    {
        var output = new StringBuilder();
        Execute(Parse(template), new Scope(_root, _root, []), output);
        return output.ToString();
    }

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record OutputNode(Pipeline Pipeline) : Node;

    private sealed record IfNode(Pipeline Condition, List<Node> Then, List<Node> Else) : Node;

    private sealed record WithNode(Pipeline Value, List<Node> Body, List<Node> Else) : Node;

    private sealed record RangeNode(string? Variable, Pipeline Items, List<Node> Body) : Node;

    private sealed record Pipeline(IReadOnlyList<IReadOnlyList<Term>> Commands);

    private abstract record Term;

    private sealed record Literal(object? Value) : Term;

    /// <summary>A field chain from the dot (Base null), from $ (Base "$") or from a variable ("$name").</summary>
    private sealed record FieldChain(string? Base, IReadOnlyList<string> Fields) : Term;

    private sealed record Function(string Name) : Term;

    private sealed record Parenthesized(Pipeline Pipeline) : Term;

    private sealed record Scope(object? Dot, JsonObject Root, Dictionary<string, object?> Variables);

    /// <summary>An open block: what it becomes at its end, built from its body (and else branch).</summary>
    private sealed class Block(string kind, List<Node> parent, Func<List<Node>, List<Node>, Node?> build)
    {
        public string Kind { get; } = kind;
        public List<Node> Parent { get; } = parent;
        public List<Node> Body { get; } = [];
        public List<Node> Else { get; } = [];
        public bool InElse { get; set; }
        public Node? Build() => build(Body, Else);
    }

    // Parsing: text and actions, then the action tree.
    private List<Node> Parse(string source)
    {
        var top = new List<Node>();
        var blocks = new Stack<Block>();
        var current = top;
        var at = 0;
        var trimNext = false;
        while (at < source.Length)
        {
            var open = source.IndexOf("{{", at, StringComparison.Ordinal);
            var text = source[at..(open < 0 ? source.Length : open)];
            if (trimNext) text = text.TrimStart();
            if (open < 0)
            {
                current.Add(new TextNode(text));
                break;
            }
            var trimBefore = source.AsSpan(open + 2).StartsWith("- ");
            if (trimBefore) text = text.TrimEnd();
            current.Add(new TextNode(text));
            var bodyStart = open + (trimBefore ? 3 : 2);
            var close = source.IndexOf("}}", bodyStart, StringComparison.Ordinal);
            if (close < 0) throw new FormatException($"unclosed action at {open}");
            var body = source[bodyStart..close];
            trimNext = body.EndsWith(" -", StringComparison.Ordinal);
            if (trimNext) body = body[..^2];
            at = close + 2;
            body = body.Trim();
            if (body.StartsWith("/*", StringComparison.Ordinal))
            {
                if (!body.EndsWith("*/", StringComparison.Ordinal)) throw new FormatException($"unclosed comment at {open}");
                continue;
            }

            var keyword = body.Split(' ', 2)[0];
            var rest = body.Length > keyword.Length ? body[(keyword.Length + 1)..].Trim() : "";
            Block? opened = null;
            switch (keyword)
            {
                case "define":
                    {
                        var name = (string)((Literal)new ExpressionReader(rest).ReadTerm()).Value!;
                        opened = new Block(keyword, current, (defined, _) =>
                        {
                            _defines[name] = defined;
                            return null;
                        });
                        break;
                    }
                case "if":
                    {
                        var condition = new ExpressionReader(rest).ReadPipeline();
                        opened = new Block(keyword, current, (then, otherwise) => new IfNode(condition, then, otherwise));
                        break;
                    }
                case "with":
                    {
                        var value = new ExpressionReader(rest).ReadPipeline();
                        opened = new Block(keyword, current, (then, otherwise) => new WithNode(value, then, otherwise));
                        break;
                    }
                case "range":
                    {
                        string? variable = null;
                        var assignment = rest.IndexOf(":=", StringComparison.Ordinal);
                        if (assignment >= 0)
                        {
                            variable = rest[..assignment].Trim();
                            if (variable.Contains(',', StringComparison.Ordinal) || !variable.StartsWith('$')) throw new NotSupportedException($"range declaration '{variable}'");
                            rest = rest[(assignment + 2)..];
                        }
                        var items = new ExpressionReader(rest).ReadPipeline();
                        opened = new Block(keyword, current, (loop, _) => new RangeNode(variable, items, loop));
                        break;
                    }
                case "else":
                    {
                        if (rest.Length > 0) throw new NotSupportedException($"else {rest}");
                        var block = blocks.Count > 0 ? blocks.Peek() : throw new FormatException("else outside a block");
                        if (block.Kind is not ("if" or "with") || block.InElse) throw new FormatException($"else in {block.Kind}");
                        block.InElse = true;
                        current = block.Else;
                        break;
                    }
                case "end":
                    {
                        var block = blocks.Count > 0 ? blocks.Pop() : throw new FormatException("end outside a block");
                        if (block.Build() is { } node) block.Parent.Add(node);
                        current = block.Parent;
                        break;
                    }
                case "template" or "block" or "break" or "continue":
                    throw new NotSupportedException(keyword);
                default:
                    if (body.Contains(":=", StringComparison.Ordinal)) throw new NotSupportedException($"variable declaration '{body}'");
                    current.Add(new OutputNode(new ExpressionReader(body).ReadPipeline()));
                    break;
            }
            if (opened is not null)
            {
                blocks.Push(opened);
                current = opened.Body;
            }
        }
        if (blocks.Count > 0) throw new FormatException($"{blocks.Count} blocks not ended");
        return top;
    }

    // Execution.
    private void Execute(List<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case OutputNode action:
                    output.Append(Print(Evaluate(action.Pipeline, scope)));
                    break;
                case IfNode branch:
                    Execute(Truthy(Evaluate(branch.Condition, scope)) ? branch.Then : branch.Else, scope, output);
                    break;
                case WithNode with:
                    {
                        var value = Evaluate(with.Value, scope);
                        if (Truthy(value)) Execute(with.Body, scope with { Dot = value }, output);
                        else Execute(with.Else, scope, output);
                        break;
                    }
                case RangeNode range:
                    {
                        var items = Evaluate(range.Items, scope) switch
                        {
                            null => [],
                            JsonArray array => array.Select(Plain).ToList(),
                            var other => throw new NotSupportedException($"range over {other.GetType().Name}"),
                        };
                        foreach (var item in items)
                        {
                            var variables = new Dictionary<string, object?>(scope.Variables, StringComparer.Ordinal);
                            if (range.Variable is { } name) variables[name] = item;
                            Execute(range.Body, scope with { Dot = item, Variables = variables }, output);
                        }
                        break;
                    }
            }
        }
    }

    private object? Evaluate(Pipeline pipeline, Scope scope)
    {
        object? piped = null;
        for (var i = 0; i < pipeline.Commands.Count; i++)
        {
            var command = pipeline.Commands[i];
            if (command[0] is Function function)
            {
                var arguments = command.Skip(1).Select(t => Evaluate(t, scope)).ToList();
                if (i > 0) arguments.Add(piped);
                piped = Call(function.Name, arguments, scope);
            }
            else
            {
                if (command.Count > 1 || i > 0) throw new NotSupportedException("arguments to a value");
                piped = Evaluate(command[0], scope);
            }
        }
        return piped;
    }

    private object? Evaluate(Term term, Scope scope) => term switch
    {
        Literal literal => literal.Value,
        Parenthesized parenthesized => Evaluate(parenthesized.Pipeline, scope),
        Function function => Call(function.Name, [], scope),
        FieldChain chain => chain.Fields.Aggregate(
            chain.Base switch
            {
                null => scope.Dot,
                "$" => scope.Root,
                var name => scope.Variables.TryGetValue(name, out var value) ? value : throw new FormatException($"undefined variable {name}"),
            },
            (value, field) => value switch
            {
                JsonObject map => map.TryGetPropertyValue(field, out var child) ? Plain(child) : null,
                null => throw new InvalidOperationException($"nil pointer evaluating .{field}"),
                _ => throw new InvalidOperationException($"can't evaluate field {field} in {value.GetType().Name}"),
            }),
        _ => throw new NotSupportedException(term.ToString()),
    };

    private object? Call(string name, List<object?> a, Scope scope) => name switch
    {
        "include" => Include((string)a[0]!, a[1]),
        "nindent" => "\n" + Indent(Int(a[0]), Text(a[1])),
        "indent" => Indent(Int(a[0]), Text(a[1])),
        "toYaml" => ToYaml(a[0]),
        "default" => a.Count == 2 && Truthy(a[1]) ? a[1] : a[0],
        "printf" => Printf(Text(a[0]), a.Skip(1).ToList()),
        "trunc" => Text(a[1]) is var s && s.Length > Int(a[0]) ? s[..Int(a[0])] : Text(a[1]),
        "trimSuffix" => Text(a[1]).EndsWith(Text(a[0]), StringComparison.Ordinal) ? Text(a[1])[..^Text(a[0]).Length] : Text(a[1]),
        "contains" => Text(a[1]).Contains(Text(a[0]), StringComparison.Ordinal),
        "replace" => Text(a[2]).Replace(Text(a[0]), Text(a[1]), StringComparison.Ordinal),
        "quote" => string.Join(" ", a.Select(v => "\"" + Text(v).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")),
        "and" => a.FirstOrDefault(v => !Truthy(v), a[^1]),
        "or" => a.FirstOrDefault(Truthy, a[^1]),
        "not" => !Truthy(a[0]),
        "true" => true,
        "false" => false,
        "nil" => null,
        _ => throw new NotSupportedException($"template function '{name}' (extend HelmTemplate)"),
    };

    private string Include(string name, object? dot)
    {
        if (!_defines.TryGetValue(name, out var body)) throw new InvalidOperationException($"no template \"{name}\"");
        var output = new StringBuilder();
        Execute(body, new Scope(dot, _root, []), output);
        return output.ToString();
    }

    private static string Indent(int spaces, string text)
    {
        var pad = new string(' ', spaces);
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string Printf(string format, List<object?> arguments)
    {
        var output = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }
            var verb = format[++i];
            if (verb == '%') output.Append('%');
            else if (verb is 's' or 'v' or 'd') output.Append(Print(arguments[next++]));
            else throw new NotSupportedException($"printf %{verb}");
        }
        return output.ToString();
    }

    private static string ToYaml(object? value)
    {
        if (value is null) return "null";
        var serializer = new YamlDotNet.Serialization.SerializerBuilder().Build();
        return serializer.Serialize(ToClr(value)).TrimEnd('\n');
    }

    private static object? ToClr(object? value) => value switch
    {
        JsonObject map => map.ToDictionary(p => p.Key, p => ToClr(Plain(p.Value))),
        JsonArray list => list.Select(n => ToClr(Plain(n))).ToList(),
        _ => value,
    };

    /// <summary>JSON values as plain values (string, bool, long, double); maps and lists stay nodes.</summary>
    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        // Typed object: with JsonNode arms, C# would convert the plain values back into JSON nodes.
        JsonValue v => (object?)(v.GetValueKind() switch
        {
            JsonValueKind.String => (object?)v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            var kind => throw new NotSupportedException($"JSON {kind}"),
        }),
        _ => node,
    };

    private static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        JsonArray array => array.Count > 0,
        JsonObject map => map.Count > 0,
        _ => true,
    };

    private static int Int(object? value) => value switch
    {
        long l => (int)l,
        int i => i,
        _ => throw new InvalidOperationException($"not an integer: {value}"),
    };

    private static string Text(object? value) => value as string ?? Print(value);

    private static string Print(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"printing a {value.GetType().Name} (use toYaml)"),
    };

    /// <summary>Reads one action's pipeline: commands split by '|', each a function and its arguments or one value.</summary>
    private sealed class ExpressionReader(string text)
    {
        private int _at;

        public Pipeline ReadPipeline()
        {
            var commands = new List<IReadOnlyList<Term>>();
            var command = new List<Term>();
            while (true)
            {
                SkipSpace();
                if (_at >= text.Length || text[_at] == ')')
                {
                    break;
                }
                if (text[_at] == '|')
                {
                    _at++;
                    commands.Add(command);
                    command = [];
                    continue;
                }
                command.Add(ReadTerm());
            }
            if (command.Count == 0) throw new FormatException($"empty command in '{text}'");
            commands.Add(command);
            return new Pipeline(commands);
        }

        public Term ReadTerm()
        {
            SkipSpace();
            var c = text[_at];
            if (c == '(')
            {
                _at++;
                var inner = ReadPipeline();
                if (_at >= text.Length || text[_at] != ')') throw new FormatException($"unclosed ( in '{text}'");
                _at++;
                return new Parenthesized(inner);
            }
            if (c == '"')
            {
                var value = new StringBuilder();
                for (_at++; text[_at] != '"'; _at++)
                {
                    value.Append(text[_at] == '\\' ? text[++_at] switch { 'n' => '\n', 't' => '\t', var e => e } : text[_at]);
                }
                _at++;
                return new Literal(value.ToString());
            }
            var word = ReadWord();
            if (word.StartsWith('.') || word.StartsWith('$'))
            {
                var parts = word.Split('.');
                var fields = parts.Skip(1).Where(p => p.Length > 0).ToList();
                return new FieldChain(parts[0].Length == 0 ? null : parts[0], fields);
            }
            if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return new Literal(number);
            }
            return new Function(word);
        }

        private string ReadWord()
        {
            var start = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not ('(' or ')' or '|'))
            {
                _at++;
            }
            return text[start.._at];
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }
    }
}
