using System.Reflection;
using System.Runtime.CompilerServices;

namespace Forwarder.Hosting;

/// <summary>
/// Compiles a worker's code before it is needed: every method of its type, of the types it is built from (generic
/// arguments) and of the types it holds (fields), within the forwarder's own assemblies. An upgrade's successor does
/// this while its predecessor still forwards, so that its first batch does not wait for the JIT.
/// </summary>
public static class HotPathWarmUp
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Compiles what <paramref name="type"/> runs; returns how many methods were prepared.</summary>
    public static int Prepare(Type type)
    {
        var seen = new HashSet<Type>();
        return Prepare(type, seen);
    }

    private static int Prepare(Type type, HashSet<Type> seen)
    {
        if (type.IsGenericParameter || !seen.Add(type) || !Ours(type))
            return 0;
        int prepared = 0;
        RuntimeTypeHandle[]? instantiation = type.IsGenericType ? type.GetGenericArguments().Select(t => t.TypeHandle).ToArray() : null;
        foreach (MethodInfo method in type.GetMethods(Declared))
        {
            if (method.IsAbstract || method.ContainsGenericParameters)
                continue;
            try
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation);
                prepared++;
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or TypeLoadException or BadImageFormatException)
            {
                // Not compilable ahead (e.g. shared generic code); it is compiled at its first call.
            }
        }
        foreach (Type argument in type.GetGenericArguments())
            prepared += Prepare(argument, seen);
        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            prepared += Prepare(field.FieldType.IsArray ? field.FieldType.GetElementType()! : field.FieldType, seen);
        return prepared;
    }

    private static bool Ours(Type type) =>
        type.Namespace is { } ns && (ns.StartsWith("Forwarder.", StringComparison.Ordinal) || ns.StartsWith("AfXdp", StringComparison.Ordinal));
}
