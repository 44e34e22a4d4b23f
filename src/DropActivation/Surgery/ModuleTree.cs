using System.Collections;
using System.Reflection;
using static TorchSharp.torch;

namespace DropActivation.Surgery;

/// <summary>
/// Walks a TorchSharp module tree by path and puts a new module in the place of a child.
/// A TorchSharp module's forward reads its own fields, not its child dictionary, so a swap must
/// update every place that holds the child: the registered children, the containers
/// (Sequential, ModuleList, ModuleDict) and the parent's fields.
/// </summary>
internal static class ModuleTree
{
    /// <summary>Every (parent, child name, child, full path) in depth-first order, containers included.</summary>
    public static IEnumerable<(nn.Module Parent, string Name, nn.Module Child, string Path)> Edges(nn.Module root)
    {
        var ordered = new List<(nn.Module, string, nn.Module, string)>();
        Walk(root, "", ordered);
        return ordered;
    }

    private static void Walk(nn.Module module, string prefix, List<(nn.Module, string, nn.Module, string)> into)
    {
        foreach (var (name, child) in module.named_children())
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            into.Add((module, name, child, path));
            Walk(child, path, into);
        }
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="prefix"/> or lies below it.</summary>
    public static bool IsUnder(string path, string prefix) =>
        prefix.Length == 0 || path == prefix || path.StartsWith(prefix + ".", StringComparison.Ordinal);

    /// <summary>Puts <paramref name="replacement"/> wherever <paramref name="parent"/> holds <paramref name="old"/>.</summary>
    public static void Replace(nn.Module parent, string name, nn.Module old, nn.Module replacement, string path)
    {
        int places = 0;
        places += ReplaceInContainers(parent, name, old, replacement);
        places += ReplaceInRegisteredChildren(parent, name, old, replacement);
        places += ReplaceInFields(parent, old, replacement, path);
        if (places == 0)
            throw new InvalidOperationException($"Could not find where '{path}' is held in its parent {parent.GetType().Name}.");
        // Fail loudly rather than leave a model whose forward still uses the old module.
        var seen = parent.named_children().FirstOrDefault(c => c.name == name).module;
        if (seen is not null && !ReferenceEquals(seen, replacement))
            throw new InvalidOperationException($"Replacing '{path}' did not take effect in {parent.GetType().Name}.");
    }

    private static int ReplaceInContainers(nn.Module parent, string name, nn.Module old, nn.Module replacement)
    {
        int count = 0;
        if (parent is TorchSharp.Modules.Sequential)
        {
            var modules = GetField(parent, "_modules") as IList;
            var names = GetField(parent, "_names") as IList<string>;
            if (modules is not null)
            {
                for (int i = 0; i < modules.Count; i++)
                {
                    if (ReferenceEquals(modules[i], old) && (names is null || names[i] == name))
                    {
                        modules[i] = replacement;
                        count++;
                    }
                }
            }
        }
        // ModuleList<T> and other list-like containers keep an internal List<T>.
        if (GetField(parent, "_list") is IList list && parent is not TorchSharp.Modules.Sequential)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (ReferenceEquals(list[i], old))
                {
                    CheckAssignable(list.GetType().GetGenericArguments().FirstOrDefault(), replacement, $"{parent.GetType().Name}[{i}]");
                    list[i] = replacement;
                    count++;
                }
            }
        }
        return count;
    }

    private static int ReplaceInRegisteredChildren(nn.Module parent, string name, nn.Module old, nn.Module replacement)
    {
        if (GetField(parent, "_internal_submodules") is not TorchSharp.Utils.OrderedDict<string, nn.Module> children)
            return 0;
        if (children.TryGetValue(name, out var current) && ReferenceEquals(current, old))
        {
            children[name] = replacement;
            return 1;
        }
        return 0;
    }

    private static int ReplaceInFields(nn.Module parent, nn.Module old, nn.Module replacement, string path)
    {
        int count = 0;
        for (var type = parent.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsValueType || field.Name == "_internal_submodules") continue;
                var value = field.GetValue(parent);
                if (ReferenceEquals(value, old))
                {
                    CheckAssignable(field.FieldType, replacement, $"{type.Name}.{field.Name} (at '{path}')");
                    field.SetValue(parent, replacement);
                    count++;
                }
            }
        }
        return count;
    }

    private static void CheckAssignable(Type? slotType, nn.Module replacement, string where)
    {
        if (slotType is not null && !slotType.IsInstanceOfType(replacement))
            throw new InvalidOperationException(
                $"{where} is declared as {slotType.Name} and cannot hold a {replacement.GetType().Name}; declare it as Module<Tensor, Tensor> to allow activation surgery.");
    }

    private static object? GetField(object target, string name)
    {
        for (var type = target.GetType(); type is not null; type = type.BaseType)
        {
            var field = type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly);
            if (field is not null) return field.GetValue(target);
        }
        return null;
    }
}
