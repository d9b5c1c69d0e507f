using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Trading.Workflow.Web.Errors;

/// <summary>Marks an endpoint whose arguments <see cref="InputChecks"/> checks (the authorization walk test asks for it).</summary>
public sealed class InputChecksMetadata
{
    public static InputChecksMetadata Instance { get; } = new();
}

/// <summary>
/// The one model-binding convention of the platform's endpoints: before a handler runs, every value bound from the
/// request (body records and their nested records and lists, query and route values) is checked, and a request that
/// breaks a rule is answered 400 with the field (as the JSON names it, <c>sections[0].subject</c>) and a message in the
/// user's language:
/// <list type="bullet">
/// <item>every string has a maximum length: its <see cref="MaxLengthAttribute"/> or <see cref="StringLengthAttribute"/>
/// (on the property or the record's parameter) or <see cref="DefaultMaxStringLength"/>;</item>
/// <item>a property that is not nullable (<c>string Name</c>, a record, a list) must be present;</item>
/// <item>dates lie between <see cref="EarliestDate"/> and <see cref="LatestDate"/>.</item>
/// </list>
/// Services, the principal, the HTTP context, streams and files are not inspected.
/// </summary>
public static class InputChecks
{
    /// <summary>Longest string a request may carry in any field without a declared maximum.</summary>
    public const int DefaultMaxStringLength = 4000;

    /// <summary>Most values looked at in one request (lists included); beyond, the request is refused as too large.</summary>
    public const int MaxValues = 100_000;

    public static readonly DateTime EarliestDate = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime LatestDate = new(2199, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    /// <summary>Adds the checks to every route handler of <paramref name="builder"/> (a group: all its endpoints).</summary>
    public static TBuilder CheckInput<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint => endpoint.Metadata.Add(InputChecksMetadata.Instance));
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var services = factory.ApplicationServices.GetService<IServiceProviderIsService>();
            var checkedArguments = factory.MethodInfo.GetParameters()
                .Select((parameter, index) => (parameter, index))
                .Where(p => IsInput(p.parameter, services))
                .ToArray();
            if (checkedArguments.Length == 0)
            {
                return next;
            }

            return async context =>
            {
                var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                var culture = CultureInfo.CurrentUICulture;
                var walker = new Walker(errors, culture);
                foreach (var (parameter, index) in checkedArguments)
                {
                    var value = index < context.Arguments.Count ? context.Arguments[index] : null;
                    // A body record's or [AsParameters] record's fields are named as sent; a plain value by its parameter.
                    var path = IsSimple(parameter.ParameterType) ? parameter.Name ?? string.Empty : string.Empty;
                    walker.Check(value, parameter.ParameterType, path, MaxLengthOf(parameter), depth: 0);
                }

                if (errors.Count == 0)
                {
                    return await next(context);
                }

                var problem = PlatformProblems.Create(
                    StatusCodes.Status400BadRequest, PlatformProblems.Message("Input.Invalid", culture), culture,
                    errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
                // A download opened in a tab gets the refused-file page (this filter runs before the endpoint's own).
                return FileRefusals.ForBrowser(context.HttpContext, TypedResults.Problem(problem.ToProblemDetails()));
            };
        });
        return builder;
    }

    private static bool IsInput(ParameterInfo parameter, IServiceProviderIsService? services)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (type == typeof(HttpContext) || type == typeof(ClaimsPrincipal) || type == typeof(CancellationToken)
            || typeof(Stream).IsAssignableFrom(type) || typeof(IFormFile).IsAssignableFrom(type) || typeof(IFormFileCollection).IsAssignableFrom(type)
            || type == typeof(HttpRequest) || type == typeof(HttpResponse) || typeof(IResult).IsAssignableFrom(type))
        {
            return false;
        }

        if (parameter.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromServicesAttribute>() is not null
            || parameter.GetCustomAttribute<FromKeyedServicesAttribute>() is not null)
        {
            return false;
        }

        return IsSimple(type) || (services?.IsService(type) != true && IsOurs(type)) || IsCollection(type);
    }

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("Trading.Workflow", StringComparison.Ordinal) == true;

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
               || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly)
               || type == typeof(TimeSpan) || type == typeof(JsonElement) || type == typeof(StringValues);
    }

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static int? MaxLengthOf(ICustomAttributeProvider member)
    {
        var attributes = member.GetCustomAttributes(true);
        return attributes.OfType<MaxLengthAttribute>().Select(a => (int?)a.Length).FirstOrDefault()
               ?? attributes.OfType<StringLengthAttribute>().Select(a => (int?)a.MaximumLength).FirstOrDefault();
    }

    private sealed record Member(PropertyInfo Property, string JsonName, int? MaxLength, bool Required);

    private static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    private static readonly NullabilityInfoContext Nullability = new();

    private static Member[] MembersOf(Type type) => Members.GetOrAdd(type, t =>
    {
        // Positional records carry their attributes on the constructor's parameters unless written [property: ...].
        var parameters = t.GetConstructors().SelectMany(c => c.GetParameters()).Where(p => p.Name is not null)
            .GroupBy(p => p.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Select(p =>
            {
                parameters.TryGetValue(p.Name, out var parameter);
                var maxLength = MaxLengthOf(p) ?? (parameter is null ? null : MaxLengthOf(parameter));
                bool required;
                lock (Nullability)
                {
                    required = !p.PropertyType.IsValueType && Nullability.Create(p).ReadState == NullabilityState.NotNull;
                }

                return new Member(p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), maxLength, required);
            })
            .ToArray();
    });

    private sealed class Walker(Dictionary<string, List<string>> errors, CultureInfo culture)
    {
        private int _seen;

        public void Check(object? value, Type declared, string path, int? maxLength, int depth)
        {
            if (++_seen > MaxValues || depth > 16)
            {
                Add(path.Length == 0 ? "$" : path, PlatformProblems.Message("Input.TooMany", culture, MaxValues));
                return;
            }

            switch (value)
            {
                case null:
                    return;
                case string text:
                    var limit = maxLength ?? DefaultMaxStringLength;
                    if (text.Length > limit)
                    {
                        Add(path, PlatformProblems.Message("Input.TooLong", culture, limit, text.Length));
                    }

                    return;
                case StringValues strings:
                    foreach (var s in strings)
                    {
                        Check(s, typeof(string), path, maxLength, depth + 1);
                    }

                    return;
                case DateTimeOffset at:
                    CheckDate(at.UtcDateTime, path);
                    return;
                case DateTime at:
                    CheckDate(at, path);
                    return;
                case DateOnly day:
                    CheckDate(day.ToDateTime(TimeOnly.MinValue), path);
                    return;
                case JsonElement element:
                    CheckJson(element, path, depth);
                    return;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        var key = entry.Key?.ToString() ?? string.Empty;
                        Check(key, typeof(string), Join(path, key), 200, depth + 1);
                        Check(entry.Value, typeof(object), Join(path, key), maxLength, depth + 1);
                    }

                    return;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                    {
                        Check(item, typeof(object), $"{path}[{index++}]", maxLength, depth + 1);
                    }

                    return;
            }

            var type = value.GetType();
            if (IsSimple(type) || !IsOurs(type))
            {
                return;
            }

            foreach (var member in MembersOf(type))
            {
                var memberPath = Join(path, member.JsonName);
                var memberValue = member.Property.GetValue(value);
                if (memberValue is null && member.Required)
                {
                    Add(memberPath, PlatformProblems.Message("Input.Required", culture));
                    continue;
                }

                Check(memberValue, member.Property.PropertyType, memberPath, member.MaxLength, depth + 1);
            }
        }

        private void CheckJson(JsonElement element, string path, int depth)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    Check(element.GetString(), typeof(string), path, null, depth + 1);
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckJson(item, $"{path}[{index++}]", depth + 1);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Check(property.Name, typeof(string), Join(path, property.Name), 200, depth + 1);
                        CheckJson(property.Value, Join(path, property.Name), depth + 1);
                    }

                    break;
                default:
                    ++_seen;
                    break;
            }
        }

        private void CheckDate(DateTime at, string path)
        {
            var utc = at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at.ToUniversalTime();
            if (utc < EarliestDate || utc > LatestDate)
            {
                Add(path, PlatformProblems.Message("Input.DateOutOfRange", culture,
                    EarliestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), LatestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            }
        }

        private void Add(string path, string message)
        {
            var key = path.Length == 0 ? "$" : path;
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }

            if (!list.Contains(message))
            {
                list.Add(message);
            }
        }

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
