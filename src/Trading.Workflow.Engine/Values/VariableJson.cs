using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Trading.Workflow.Engine.Values;

/// <summary>
/// Typed JSON for variable values, exact in both directions. Strings, booleans, null, lists and objects are
/// plain JSON; numbers are JSON numbers written with their decimal scale (1.50 stays 1.50); the types JSON
/// lacks are one-key objects: <c>{"$date":"2026-01-01"}</c>, <c>{"$dateTime":"2026-01-01T09:30:00.0000000+08:00"}</c>
/// (offset kept), <c>{"$duration":"P1MT2H"}</c> (years and months kept apart from days). An object whose first
/// key is one of those tags (or "$object") is written as <c>{"$object":{...}}</c> so it cannot be mistaken for one.
/// </summary>
public static class VariableJson
{
    private const string DateTag = "$date";
    private const string DateTimeTag = "$dateTime";
    private const string DurationTag = "$duration";
    private const string ObjectTag = "$object";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = VariableValues.MaxDepth + 2, CommentHandling = JsonCommentHandling.Disallow };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Serialize(object? value)
    {
        var buffer = RentBuffer();
        var writer = RentWriter(buffer);
        Write(writer, value);
        writer.Flush();

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static byte[] SerializeToUtf8Bytes(object? value)
    {
        var buffer = RentBuffer();
        var writer = RentWriter(buffer);
        Write(writer, value);
        writer.Flush();

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a map of variables as one JSON object, each value in the typed form.</summary>
    public static string SerializeVariables(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var buffer = RentBuffer();
        var writer = RentWriter(buffer);
        WriteVariables(writer, variables);
        writer.Flush();

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteVariables(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> variables)
    {
        writer.WriteStartObject();
        foreach (var entry in variables)
        {
            writer.WritePropertyName(entry.Key);
            Write(writer, entry.Value, 1);
        }

        writer.WriteEndObject();
    }

    public static object? Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, bytes);
            return Deserialize(bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public static object? Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            Advance(ref reader);
            var value = Read(ref reader, 0);
            if (reader.Read())
            {
                throw Invalid("JSON 结尾有多余内容", "Unexpected content after the JSON value.");
            }

            return value;
        }
        catch (JsonException ex)
        {
            throw new VariableValueException($"变量 JSON 无效：{ex.Message}", $"Invalid variable JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a JSON object written by <see cref="SerializeVariables"/>.</summary>
    public static Dictionary<string, object?> DeserializeVariables(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, bytes);
            return DeserializeVariables(bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public static Dictionary<string, object?> DeserializeVariables(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        try
        {
            Advance(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("变量集合必须是 JSON 对象", "A variable map must be a JSON object.");
            }

            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            Advance(ref reader);
            while (reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                Advance(ref reader);
                result[name] = Read(ref reader, 1);
                Advance(ref reader);
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new VariableValueException($"变量 JSON 无效：{ex.Message}", $"Invalid variable JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Writes one value in the typed form; a non-canonical value is normalized first.</summary>
    public static void Write(Utf8JsonWriter writer, object? value) => Write(writer, value, 0);

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > VariableValues.MaxDepth)
        {
            throw Invalid($"变量值嵌套超过 {VariableValues.MaxDepth} 层", $"The value is nested deeper than {VariableValues.MaxDepth} levels.");
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case decimal d:
                writer.WriteNumberValue(d);
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case DateTimeOffset dt:
                writer.WriteStartObject();
                writer.WriteString(DateTimeTag, dt.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                return;
            case DateOnly date:
                writer.WriteStartObject();
                writer.WriteString(DateTag, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                return;
            case IsoDuration duration:
                writer.WriteStartObject();
                writer.WriteString(DurationTag, VariableValues.FormatDuration(duration));
                writer.WriteEndObject();
                return;
            case IReadOnlyDictionary<string, object?> map:
                var wrap = FirstKeyIsTag(map);
                writer.WriteStartObject();
                if (wrap)
                {
                    writer.WritePropertyName(ObjectTag);
                    writer.WriteStartObject();
                }

                foreach (var entry in map)
                {
                    writer.WritePropertyName(entry.Key);
                    Write(writer, entry.Value, depth + 1);
                }

                if (wrap)
                {
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                return;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                for (var i = 0; i < list.Count; i++)
                {
                    Write(writer, list[i], depth + 1);
                }

                writer.WriteEndArray();
                return;
            default:
                Write(writer, VariableValues.Normalize(value), depth);
                return;
        }
    }

    private static bool IsTag(string key) => key is DateTag or DateTimeTag or DurationTag or ObjectTag;

    private static bool FirstKeyIsTag(IReadOnlyDictionary<string, object?> map)
    {
        foreach (var entry in map)
        {
            return IsTag(entry.Key);
        }

        return false;
    }

    /// <summary>Reads one typed value; the reader must be positioned on the value's first token.</summary>
    public static object? Read(ref Utf8JsonReader reader) => Read(ref reader, 0);

    private static object? Read(ref Utf8JsonReader reader, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return VariableValues.True;
            case JsonTokenType.False:
                return VariableValues.False;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                if (reader.TryGetDecimal(out var number))
                {
                    return number;
                }

                throw Invalid("数字超出十进制范围", "A number is outside the decimal range.");
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                Advance(ref reader);
                while (reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(Read(ref reader, depth + 1));
                    Advance(ref reader);
                }

                return list;
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, depth);
            default:
                throw Invalid($"意外的 JSON 标记 {reader.TokenType}", $"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static object? ReadObject(ref Utf8JsonReader reader, int depth, bool plain = false)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        Advance(ref reader);
        var first = true;
        while (reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            Advance(ref reader);
            if (first && !plain && IsTag(name))
            {
                // Objects whose first key is a tag are always written wrapped, so a leading tag is never data.
                var tagged = name == ObjectTag && reader.TokenType == JsonTokenType.StartObject
                    ? ReadObject(ref reader, depth + 1, plain: true)
                    : FromTag(name, Read(ref reader, depth + 1));
                Advance(ref reader);
                if (reader.TokenType != JsonTokenType.EndObject)
                {
                    throw Invalid($"{name} 对象只能有一个键", $"A {name} object must have exactly one key.");
                }

                return tagged;
            }

            first = false;
            map[name] = Read(ref reader, depth + 1);
            Advance(ref reader);
        }

        return map;
    }

    private static object? FromTag(string tag, object? value)
    {
        if (tag == ObjectTag)
        {
            return value as IReadOnlyDictionary<string, object?>
                ?? throw Invalid("$object 的值必须是对象", "The value of $object must be an object.");
        }

        if (value is not string text)
        {
            throw Invalid($"{tag} 的值必须是字符串", $"The value of {tag} must be a string.");
        }

        switch (tag)
        {
            case DateTag when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date):
                return date;
            case DateTimeTag when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dateTime):
                return dateTime;
            case DurationTag when VariableValues.TryParseDuration(text, out var duration):
                return duration;
            default:
                throw Invalid($"{tag} 的值无效：{text}", $"Invalid {tag} value: {text}");
        }
    }

    private static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Invalid("JSON 不完整", "The JSON ends too early.");
        }
    }

    private static ArrayBufferWriter<byte> RentBuffer()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        return buffer;
    }

    private static Utf8JsonWriter RentWriter(ArrayBufferWriter<byte> buffer)
    {
        if (t_writer is null)
        {
            t_writer = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            t_writer.Reset(buffer);
        }

        return t_writer;
    }

    private static VariableValueException Invalid(string zh, string en) => new(zh, en);
}
