using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Trading.Workflow.Domain.Market.Persistence;

/// <summary>
/// A profile is one immutable value (the verified one, the one waiting, each one in the history), so it is stored as
/// one JSON document per column; the columns lists search and sort on (name, identifier) are promoted beside it.
/// Chinese stays readable in the database (no \u escapes).
/// </summary>
internal static class ProfileJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string Serialize(EntityProfile profile) => JsonSerializer.Serialize(profile, Options);

    public static EntityProfile Deserialize(string json) =>
        JsonSerializer.Deserialize<EntityProfile>(json, Options) ?? throw new InvalidOperationException("An entity profile column holds null JSON.");

    public static ValueConverter<EntityProfile, string> Converter { get; } = new(p => Serialize(p), s => Deserialize(s));

    /// <summary>Profiles are replaced, never mutated; two are the same when their JSON is.</summary>
    public static ValueComparer<EntityProfile?> Comparer { get; } = new(
        (a, b) => ReferenceEquals(a, b) || (a != null && b != null && Serialize(a) == Serialize(b)),
        p => p == null ? 0 : Serialize(p).GetHashCode(StringComparison.Ordinal),
        p => p);
}
