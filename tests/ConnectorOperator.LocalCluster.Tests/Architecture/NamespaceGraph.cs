using System.Reflection;
using System.Reflection.Emit;

namespace ConnectorOperator.LocalCluster.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which, read from the compiled types: base types, interfaces, fields,
/// properties, signatures, locals and every type, method and field token in the method bodies' IL. What the
/// compiler bound counts, so <c>var</c>, extension calls and lambdas are seen too; comments and crefs are not.
/// </summary>
internal sealed class NamespaceGraph
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly string _root;
    private readonly Dictionary<(string From, string To), SortedSet<string>> _edges = [];

    private NamespaceGraph(string root) => _root = root;

    /// <summary>Every namespace at or under <see cref="_root"/> that declares a type.</summary>
    public SortedSet<string> Namespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>Uses between different namespaces, each with a few "Type → Type" examples.</summary>
    public IReadOnlyDictionary<(string From, string To), SortedSet<string>> Edges => _edges;

    public static NamespaceGraph Of(Assembly assembly, string root)
    {
        var graph = new NamespaceGraph(root);
        foreach (var type in assembly.GetTypes())
        {
            if (type.Namespace is { } ns && graph.Within(ns))
            {
                graph.Namespaces.Add(ns);
                foreach (var used in UsedTypes(type))
                {
                    graph.Add(type, used);
                }
            }
        }
        return graph;
    }

    public IEnumerable<string> UsedBy(string ns) => _edges.Keys.Where(e => e.From == ns).Select(e => e.To);

    /// <summary>One cycle of namespaces (first repeated at the end), or null when there is none.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();
        foreach (var start in Namespaces)
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }
        return null;

        List<string>? Visit(string ns)
        {
            if (state.TryGetValue(ns, out var done))
            {
                return done ? null : [.. path.SkipWhile(p => p != ns), ns];
            }
            state[ns] = false;
            path.Add(ns);
            foreach (var next in UsedBy(ns).Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[ns] = true;
            return null;
        }
    }

    private bool Within(string ns) => ns == _root || ns.StartsWith(_root + ".", StringComparison.Ordinal);

    private void Add(Type from, Type used)
    {
        foreach (var part in Parts(used))
        {
            if (part.Namespace is { } to && Within(to) && to != from.Namespace)
            {
                var key = (from.Namespace!, to);
                if (!_edges.TryGetValue(key, out var examples))
                {
                    _edges[key] = examples = new SortedSet<string>(StringComparer.Ordinal);
                }
                examples.Add($"{Outermost(from).Name} → {Outermost(part).Name}");
            }
        }
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    /// <summary>A type and what it is made of: element types and generic arguments.</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }
        if (type.HasElementType)
        {
            foreach (var part in Parts(type.GetElementType()!))
            {
                yield return part;
            }
            yield break;
        }
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
        {
            foreach (var part in type.GetGenericArguments().SelectMany(Parts))
            {
                yield return part;
            }
        }
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }
        foreach (var contract in type.GetInterfaces())
        {
            yield return contract;
        }
        foreach (var field in type.GetFields(Everything))
        {
            yield return field.FieldType;
        }
        foreach (var property in type.GetProperties(Everything))
        {
            yield return property.PropertyType;
        }
        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            foreach (var used in Signature(method).Concat(Body(type, method)))
            {
                yield return used;
            }
        }
    }

    private static IEnumerable<Type> Signature(MethodBase method)
    {
        if (method is MethodInfo info)
        {
            yield return info.ReturnType;
        }
        foreach (var parameter in method.GetParameters())
        {
            yield return parameter.ParameterType;
        }
    }

    private static IEnumerable<Type> Body(Type type, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            return [];
        }
        var used = body.LocalVariables.Select(l => l.LocalType).ToList();
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[unchecked((short)(0xFE00 | il[at + 1]))] : OpCodesByValue[il[at]];
            at += code.Size;
            if (code.OperandType is OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                switch (member)
                {
                    case Type t:
                        used.Add(t);
                        break;
                    case MethodBase called:
                        used.Add(called.DeclaringType!);
                        used.AddRange(Signature(called));
                        break;
                    case FieldInfo field:
                        used.Add(field.DeclaringType!);
                        used.Add(field.FieldType);
                        break;
                }
            }
            at += OperandSize(code.OperandType, il, at);
        }
        return used;
    }

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
