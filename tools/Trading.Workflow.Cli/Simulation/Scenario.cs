using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Cli.Simulation;

/// <summary>A scenario file: the BPMN files to deploy (absolute paths), the clock's start and the steps.</summary>
public sealed record Scenario(string Path, IReadOnlyList<string> Files, DateTimeOffset Now, IReadOnlyList<ScenarioStep> Steps)
{
    /// <summary>Monday 5 January 2026, 09:00 in Beijing: a working day, so working-day timers behave plainly.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(8));
}

/// <summary>One step. <see cref="Json"/> is the step exactly as written, echoed in the report line.</summary>
public abstract record ScenarioStep(int Index, JsonElement Json)
{
    /// <summary>For actions: the step must be rejected and leave the state as it was.</summary>
    public bool ExpectFailure { get; init; }
}

public sealed record StartStep(int Index, JsonElement Json, string ProcessId, string? BusinessKey, IReadOnlyDictionary<string, object?>? Variables) : ScenarioStep(Index, Json);

public sealed record CompleteStep(int Index, JsonElement Json, string Task, IReadOnlyDictionary<string, object?>? Variables) : ScenarioStep(Index, Json);

public sealed record MessageStep(int Index, JsonElement Json, string MessageName, string? CorrelationKey, string? BusinessKey, IReadOnlyDictionary<string, object?>? Variables) : ScenarioStep(Index, Json);

public sealed record SignalStep(int Index, JsonElement Json, string SignalName, IReadOnlyDictionary<string, object?>? Variables) : ScenarioStep(Index, Json);

public sealed record AdvanceStep(int Index, JsonElement Json, IsoDuration By) : ScenarioStep(Index, Json);

public sealed record ExpectTasksStep(int Index, JsonElement Json, IReadOnlyList<string> Names) : ScenarioStep(Index, Json);

public sealed record ExpectEndedStep(int Index, JsonElement Json, bool Ended) : ScenarioStep(Index, Json);

public sealed record ExpectTimersStep(int Index, JsonElement Json, int Count) : ScenarioStep(Index, Json);

/// <summary>A scenario file that cannot be run as written; the message names the step and the key.</summary>
public sealed class ScenarioException(string messageZh, string messageEn, Exception? inner = null) : Exception(messageEn, inner)
{
    public string MessageZh { get; } = messageZh;
}

/// <summary>Reads scenario JSON strictly: an unknown key or a wrong type is an error, never silently ignored.</summary>
public static partial class ScenarioReader
{
    private static readonly string[] Actions = ["start", "complete", "message", "signal", "advance"];
    private static readonly string[] Expectations = ["expectTasks", "expectEnded", "expectTimers"];

    public static Scenario Load(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"无法读取场景文件 {path}：{e.Message}", $"Cannot read the scenario file '{path}': {e.Message}", e);
        }

        return Parse(text, fullPath);
    }

    public static Scenario Parse(string json, string fullPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"场景文件不是有效的 JSON：{e.Message}", $"The scenario file is not valid JSON: {e.Message}", e);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException("场景文件必须是 JSON 对象", "The scenario file must be a JSON object.");
        }

        var directory = System.IO.Path.GetDirectoryName(fullPath) ?? ".";
        var files = new List<string>();
        var now = Scenario.DefaultNow;
        var steps = new List<ScenarioStep>();
        var sawFiles = false;
        var sawSteps = false;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "files":
                    sawFiles = true;
                    foreach (var file in Array(property.Value, "files"))
                    {
                        files.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, String(file, "files[]"))));
                    }

                    break;
                case "now":
                    var nowText = String(property.Value, "now");
                    // An explicit offset is required: the machine's own time zone must not change what a scenario means.
                    if (!HasOffset().IsMatch(nowText) || !DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.None, out now))
                    {
                        throw new ScenarioException($"now 不是带时区的日期时间：{nowText}", $"'now' is not a date-time with offset: '{nowText}'.");
                    }

                    break;
                case "steps":
                    sawSteps = true;
                    var index = 0;
                    foreach (var step in Array(property.Value, "steps"))
                    {
                        steps.Add(ReadStep(++index, step));
                    }

                    break;
                default:
                    throw new ScenarioException($"场景文件中有未知的键 {property.Name}（允许：files、now、steps）", $"Unknown key '{property.Name}' in the scenario (allowed: files, now, steps).");
            }
        }

        if (!sawFiles || files.Count == 0)
        {
            throw new ScenarioException("场景文件必须用 files 列出至少一个 BPMN 文件", "The scenario must list at least one BPMN file in 'files'.");
        }

        if (!sawSteps)
        {
            throw new ScenarioException("场景文件缺少 steps", "The scenario has no 'steps'.");
        }

        return new Scenario(fullPath, files, now, steps);
    }

    private static ScenarioStep ReadStep(int index, JsonElement step)
    {
        var where = $"steps[{index}]";
        if (step.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException($"第 {index} 步必须是 JSON 对象", $"Step {index} must be a JSON object.");
        }

        string? kind = null;
        foreach (var property in step.EnumerateObject())
        {
            if (Actions.Contains(property.Name) || Expectations.Contains(property.Name))
            {
                if (kind is not null)
                {
                    throw new ScenarioException($"第 {index} 步同时有 {kind} 和 {property.Name}：每步只能做一件事", $"Step {index} has both '{kind}' and '{property.Name}': one thing per step.");
                }

                kind = property.Name;
            }
        }

        if (kind is null)
        {
            throw new ScenarioException(
                $"第 {index} 步没有动作或断言（start、complete、message、signal、advance、expectTasks、expectEnded、expectTimers）",
                $"Step {index} has no action or expectation (start, complete, message, signal, advance, expectTasks, expectEnded, expectTimers).");
        }

        string[] allowed = kind switch
        {
            "start" => ["start", "variables", "businessKey", "expectFailure"],
            "complete" => ["complete", "variables", "expectFailure"],
            "message" => ["message", "correlationKey", "businessKey", "variables", "expectFailure"],
            "signal" => ["signal", "variables", "expectFailure"],
            "advance" => ["advance", "expectFailure"],
            _ => [kind],
        };
        foreach (var property in step.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw new ScenarioException(
                    $"第 {index} 步（{kind}）不接受键 {property.Name}（允许：{string.Join("、", allowed)}）",
                    $"Step {index} ({kind}) does not take the key '{property.Name}' (allowed: {string.Join(", ", allowed)}).");
            }
        }

        var expectFailure = step.TryGetProperty("expectFailure", out var ef) && Bool(ef, $"{where}.expectFailure");
        var value = step.GetProperty(kind);
        ScenarioStep result = kind switch
        {
            "start" => new StartStep(index, step, String(value, $"{where}.start"), OptionalString(step, "businessKey", where), Variables(step, where)),
            "complete" => new CompleteStep(index, step, String(value, $"{where}.complete"), Variables(step, where)),
            "message" => new MessageStep(index, step, String(value, $"{where}.message"), OptionalString(step, "correlationKey", where), OptionalString(step, "businessKey", where), Variables(step, where)),
            "signal" => new SignalStep(index, step, String(value, $"{where}.signal"), Variables(step, where)),
            "advance" => new AdvanceStep(index, step, Duration(value, $"{where}.advance")),
            "expectTasks" => new ExpectTasksStep(index, step, Array(value, $"{where}.expectTasks").Select(e => String(e, $"{where}.expectTasks[]")).ToList()),
            "expectEnded" => new ExpectEndedStep(index, step, Bool(value, $"{where}.expectEnded")),
            "expectTimers" => new ExpectTimersStep(index, step, Count(value, $"{where}.expectTimers")),
            _ => throw new InvalidOperationException(kind),
        };
        return result with { ExpectFailure = expectFailure };
    }

    [GeneratedRegex(@"T.*(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex HasOffset();

    private static IReadOnlyDictionary<string, object?>? Variables(JsonElement step, string where)
    {
        if (!step.TryGetProperty("variables", out var variables) || variables.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (variables.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException($"{where}.variables 必须是 JSON 对象", $"{where}.variables must be a JSON object.");
        }

        try
        {
            // The engine's typed codec: numbers become decimals, {"$date": ...} and friends become dates and durations.
            return VariableJson.DeserializeVariables(variables.GetRawText());
        }
        catch (VariableValueException e)
        {
            throw new ScenarioException($"{where}.variables 无效：{e.Message}", $"{where}.variables is invalid: {e.Message}", e);
        }
    }

    private static IsoDuration Duration(JsonElement value, string where)
    {
        var text = String(value, where);
        if (!IsoDuration.TryParse(text, out var duration) || duration.Negative)
        {
            throw new ScenarioException(
                $"{where} 必须是非负的 ISO 8601 时长（如 PT1H30M、P2D、P1M）：{text}",
                $"{where} must be a non-negative ISO 8601 duration (e.g. PT1H30M, P2D, P1M): '{text}'.");
        }

        return duration;
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new ScenarioException($"{where} 必须是 JSON 数组", $"{where} must be a JSON array.");

    private static string String(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new ScenarioException($"{where} 必须是非空字符串", $"{where} must be a non-empty string.");

    private static string? OptionalString(JsonElement step, string key, string where) =>
        step.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? String(value, $"{where}.{key}") : null;

    private static bool Bool(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ScenarioException($"{where} 必须是 true 或 false", $"{where} must be true or false."),
    };

    private static int Count(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0
            ? count
            : throw new ScenarioException($"{where} 必须是非负整数", $"{where} must be a non-negative integer.");
}
