namespace ConnectorOperator.TestSupport.Tools;

/// <summary>Debian's <c>lua5.1</c>: the Lua Argo CD runs its health checks on.</summary>
public static class Lua
{
    public static ExternalTool Tool { get; } = new("lua5.1");
}

/// <summary>A theory that needs lua5.1; skipped (visibly), not failed, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LuaTheoryAttribute : TheoryAttribute
{
    public LuaTheoryAttribute()
    {
        if (!Lua.Tool.Exists) Skip = "lua5.1 is not on PATH (Debian package lua5.1)";
    }
}
