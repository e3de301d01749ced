using System.Text;
using System.Text.Json.Nodes;
using ConnectorOperator.LocalCluster.Primitives;

namespace ConnectorOperator.LocalCluster.Writes.Patching;

/// <summary>Server-side apply (application/apply-patch+yaml): create-or-merge under a field manager, recording managedFields.</summary>
/// <remarks>
/// Field ownership follows structured-merge-diff: an applier owns exactly the fields of its last configuration;
/// a field it applied before and omits now is removed unless another manager owns it; changing a field another
/// manager owns is a conflict unless forced, and forcing takes the field over. Ownership is tracked in FieldsV1
/// (<c>f:</c> fields, <c>k:</c> associative list items, <c>v:</c> set items).
/// Simplifications: list types come from the built-in merge keys (custom kinds' lists are atomic, whatever their
/// x-kubernetes-list-type); associative lists use a single key (container ports: containerPort only); nulls in an
/// apply configuration are ignored; managers are not capped and versions are not converted between apiVersions.
/// </remarks>
public static class ServerSideApply
{
    /// <summary>The manager that owns everything in an object that existed before it was first applied to.</summary>
    public const string BeforeFirstApplyManager = "before-first-apply";

    /// <inheritdoc cref="Apply(JsonObject?, JsonObject, string, bool, string, DateTimeOffset)"/>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string fieldManager, bool force, string kind) =>
        Apply(live, applied, fieldManager, force, kind, DateTimeOffset.UtcNow);

    /// <param name="live">The stored object, or null to create. Not changed.</param>
    /// <param name="applied">The applied configuration (already parsed from YAML or JSON). Not changed.</param>
    /// <param name="fieldManager">The applier (the fieldManager query parameter); required.</param>
    /// <param name="force">Take over conflicting fields instead of failing.</param>
    /// <param name="kind">Picks the list merge keys of built-in kinds; custom kinds merge lists atomically.</param>
    /// <param name="now">Stamped on the applier's managedFields entry.</param>
    /// <returns>A new merged object, with metadata.managedFields updated.</returns>
    /// <exception cref="PatchException">400 for a missing manager or a configuration carrying managedFields; 409 when another manager owns a changed field and <paramref name="force"/> is false.</exception>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string fieldManager, bool force, string kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(kind);
        if (string.IsNullOrEmpty(fieldManager))
        {
            throw new PatchException(400, "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        }

        if (applied["metadata"]?["managedFields"] is not null)
        {
            throw new PatchException(400, "metadata.managedFields must be nil");
        }

        var apiVersion = JsonNodes.AsString(applied["apiVersion"]) ?? JsonNodes.AsString(live?["apiVersion"]);
        var appliedFields = ObjectFields.Set(applied, kind, withContainers: false);
        var time = ObjectMeta.Timestamp(now);

        if (live is null)
        {
            var created = (JsonObject)applied.DeepClone();
            ManagedFieldsEntry.Write(created, [NewApplier(fieldManager, apiVersion, time, appliedFields)]);
            return created;
        }

        var current = (JsonObject)live.DeepClone();
        var entries = ManagedFieldsEntry.Read(current);
        if (current["metadata"] is JsonObject liveMetadata)
        {
            liveMetadata.Remove("managedFields");
        }

        if (entries.Count == 0)
        {
            entries.Add(new ManagedFieldsEntry
            {
                Manager = BeforeFirstApplyManager,
                Operation = ManagedFieldsEntry.Update,
                ApiVersion = JsonNodes.AsString(current["apiVersion"]),
                Time = time,
                Fields = ObjectFields.Set(current, kind, withContainers: true),
            });
        }

        var merged = ApplyMerge.Merge(current, applied, kind);
        var changed = ObjectFields.Changed(current, merged, kind);
        var self = entries.Find(e => e.IsSameManager(fieldManager, ManagedFieldsEntry.Apply, apiVersion));
        var others = entries.Where(e => e != self).ToList();

        var conflicts = others
            .Select(e => (Entry: e, Fields: e.Fields.Intersect(changed)))
            .Where(c => !c.Fields.IsEmpty)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new PatchException(409, ConflictMessage(conflicts));
        }

        foreach (var (entry, fields) in conflicts)
        {
            entry.Fields = entry.Fields.Except(fields);
        }

        var previous = self?.Fields ?? FieldSet.Empty;
        if (self is null)
        {
            self = NewApplier(fieldManager, apiVersion, time, appliedFields);
            entries.Add(self);
        }

        var ownedByOthers = others.Aggregate(FieldSet.Empty, (all, e) => all.Union(e.Fields));
        RemoveAbandoned(merged, previous.Except(appliedFields).Except(ownedByOthers), ownedByOthers);

        if (!previous.SetEquals(appliedFields) || !JsonNodes.DeepEquals(current, merged))
        {
            self.Time = time;
        }

        self.Fields = appliedFields;
        self.ApiVersion = apiVersion;
        var existing = ObjectFields.Set(merged, kind, withContainers: true);
        foreach (var entry in entries)
        {
            entry.Fields = entry.Fields.Intersect(existing);
        }

        ManagedFieldsEntry.Write(merged, entries);
        return merged;
    }

    /// <summary>
    /// Records an ordinary write (create, update, non-apply patch) by <paramref name="manager"/>: it takes ownership of
    /// every field it added or changed (other managers lose those), and nobody keeps fields that no longer exist.
    /// </summary>
    /// <param name="before">The stored object before the write, or null for a create.</param>
    /// <param name="after">The object about to be stored; its metadata.managedFields is rewritten in place.
    /// Entries it already carries (sent by the client, or copied from the stored object) are the starting point;
    /// when it carries none, those of <paramref name="before"/> are.</param>
    /// <param name="manager">The fieldManager query parameter, or the apiserver's default (the user agent's program name).</param>
    /// <param name="apiVersion">The apiVersion the write was made through.</param>
    /// <param name="now">Stamped on the manager's entry when its fields change.</param>
    public static void RecordUpdate(JsonObject? before, JsonObject after, string manager, string apiVersion, DateTimeOffset now) =>
        RecordUpdate(before, after, manager, apiVersion, now, subresource: null);

    /// <inheritdoc cref="RecordUpdate(JsonObject?, JsonObject, string, string, DateTimeOffset)"/>
    /// <param name="subresource">"status" (or "scale") for writes through a subresource: the apiserver keeps those in separate entries.</param>
    public static void RecordUpdate(JsonObject? before, JsonObject after, string manager, string apiVersion, DateTimeOffset now, string? subresource)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentException.ThrowIfNullOrEmpty(manager);
        var kind = JsonNodes.AsString(after["kind"]) ?? JsonNodes.AsString(before?["kind"]) ?? "";

        var entries = ManagedFieldsEntry.Read(after);
        if (entries.Count == 0 && before is not null)
        {
            entries = ManagedFieldsEntry.Read(before);
        }

        // Walk a copy: walking the object about to be stored would turn its lazily parsed values into nodes, and every
        // later read, watch event and list of it would copy and serialize those node by node (≈ 8% more allocation).
        var members = ObjectFields.Enumerate((JsonObject)after.DeepClone(), kind, withContainers: true);
        var changed = ObjectFields.Changed(before, members);
        var self = entries.Find(e => e.IsSameManager(manager, ManagedFieldsEntry.Update, apiVersion, subresource));
        foreach (var entry in entries.Where(e => e != self))
        {
            entry.Fields = entry.Fields.Except(changed);
        }

        if (!changed.IsEmpty)
        {
            if (self is null)
            {
                self = new ManagedFieldsEntry { Manager = manager, Operation = ManagedFieldsEntry.Update, ApiVersion = apiVersion, Subresource = subresource };
                entries.Add(self);
            }

            self.Fields = self.Fields.Union(changed);
            self.Time = ObjectMeta.Timestamp(now);
        }

        var existing = new FieldSet(members.Select(m => m.Path));
        foreach (var entry in entries)
        {
            entry.Fields = entry.Fields.Intersect(existing);
        }

        ManagedFieldsEntry.Write(after, entries);
    }

    private static ManagedFieldsEntry NewApplier(string manager, string? apiVersion, string time, FieldSet fields) =>
        new() { Manager = manager, Operation = ManagedFieldsEntry.Apply, ApiVersion = apiVersion, Time = time, Fields = fields };

    /// <summary>
    /// Removes fields the applier dropped from its configuration, then the maps and lists that held only them,
    /// unless someone owns those containers.
    /// </summary>
    private static void RemoveAbandoned(JsonObject merged, FieldSet abandoned, FieldSet ownedByOthers)
    {
        foreach (var path in abandoned.Members.OrderBy(p => p.Length))
        {
            if (!ObjectFields.Remove(merged, path))
            {
                continue;
            }

            for (var parent = path.Parent; parent.Length > 1 && !ownedByOthers.Contains(parent); parent = parent.Parent)
            {
                var empty = ObjectFields.TryFind(merged, parent, out var value)
                    && value is JsonObject { Count: 0 } or JsonArray { Count: 0 };
                if (!empty || !ObjectFields.Remove(merged, parent))
                {
                    break;
                }
            }
        }
    }

    private static string ConflictMessage(List<(ManagedFieldsEntry Entry, FieldSet Fields)> conflicts)
    {
        var total = conflicts.Sum(c => c.Fields.Members.Count);
        var builder = new StringBuilder($"Apply failed with {total} conflict{(total == 1 ? "" : "s")}: ");
        if (total == 1)
        {
            var (entry, fields) = conflicts[0];
            builder.Append($"conflict with {entry.Describe()}: {fields.Members.Single()}");
            return builder.ToString();
        }

        builder.AppendJoin('\n', conflicts.Select(c =>
            $"conflicts with {c.Entry.Describe()}:\n" + string.Join('\n', c.Fields.Members.Select(p => "- " + p).Order(StringComparer.Ordinal))));
        return builder.ToString();
    }
}
