using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Workflow.Engine.Calendar;

/// <summary>
/// The editable holiday data: one <see cref="HolidayYearData"/> per year. Immutable; the With/Without
/// methods return changed copies, so a loaded calendar never changes under a running computation.
/// </summary>
public sealed class HolidayCalendarData
{
    private const string OfficialResource = "Trading.Workflow.Engine.Calendar.holidays.cn.json";
    private static readonly Lazy<HolidayCalendarData> OfficialData = new(LoadOfficial);

    public HolidayCalendarData(IEnumerable<HolidayYearData> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        Years = [.. years.OrderBy(y => y.Year)];
    }

    public static HolidayCalendarData Empty { get; } = new([]);

    /// <summary>The arrangements shipped with the engine (2025 from memory, 2026 from the State Council notice of 4 Nov 2025).</summary>
    public static HolidayCalendarData Official => OfficialData.Value;

    /// <summary>Years in ascending order.</summary>
    public IReadOnlyList<HolidayYearData> Years { get; }

    public HolidayYearData? Find(int year) => Years.FirstOrDefault(y => y.Year == year);

    /// <summary>Adds the year, or replaces the data already held for it.</summary>
    public HolidayCalendarData WithYear(HolidayYearData year)
    {
        ArgumentNullException.ThrowIfNull(year);
        return new(Years.Where(y => y.Year != year.Year).Append(year));
    }

    public HolidayCalendarData WithoutYear(int year) => new(Years.Where(y => y.Year != year));

    /// <summary>Every problem in the data; empty when it is valid.</summary>
    public IReadOnlyList<HolidayCalendarProblem> Validate()
    {
        var problems = new List<HolidayCalendarProblem>();
        foreach (var group in Years.GroupBy(y => y.Year).Where(g => g.Count() > 1))
        {
            problems.Add(HolidayCalendarProblem.DuplicateYear(group.Key));
        }

        foreach (var year in Years)
        {
            problems.AddRange(year.Validate());
        }

        return problems;
    }

    /// <summary>Reads the JSON form (the shape of the shipped resource). Throws <see cref="FormatException"/> for malformed JSON; does not validate.</summary>
    public static HolidayCalendarData FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        HolidayCalendarJson? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, HolidayCalendarJsonContext.Default.HolidayCalendarJson);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"节假日数据不是有效的 JSON：{ex.Message} / The holiday data is not valid JSON: {ex.Message}", ex);
        }

        if (dto?.Years is null)
        {
            throw new FormatException("节假日数据缺少 \"years\" 列表。 / The holiday data has no \"years\" list.");
        }

        return new(dto.Years.Select(y => new HolidayYearData(
            y.Year, y.DaysOff ?? [], y.WorkedWeekendDays ?? [], y.Source, y.Verified, y.LastEditedBy, y.LastEditedAt)));
    }

    public string ToJson()
    {
        var dto = new HolidayCalendarJson
        {
            Years = [.. Years.Select(y => new HolidayYearJson
            {
                Year = y.Year,
                DaysOff = [.. y.DaysOff],
                WorkedWeekendDays = [.. y.WorkedWeekendDays],
                Source = y.Source,
                Verified = y.Verified,
                LastEditedBy = y.LastEditedBy,
                LastEditedAt = y.LastEditedAt,
            })],
        };
        return JsonSerializer.Serialize(dto, HolidayCalendarJsonContext.Default.HolidayCalendarJson);
    }

    private static HolidayCalendarData LoadOfficial()
    {
        using var stream = typeof(HolidayCalendarData).Assembly.GetManifestResourceStream(OfficialResource)
            ?? throw new InvalidOperationException($"Embedded resource {OfficialResource} is missing from the engine assembly.");
        using var reader = new StreamReader(stream);
        var data = FromJson(reader.ReadToEnd());
        var problems = data.Validate();
        return problems.Count == 0 ? data : throw new HolidayCalendarValidationException(problems);
    }
}

internal sealed class HolidayCalendarJson
{
    public List<HolidayYearJson>? Years { get; set; }
}

internal sealed class HolidayYearJson
{
    public int Year { get; set; }

    public List<DateOnly>? DaysOff { get; set; }

    public List<DateOnly>? WorkedWeekendDays { get; set; }

    public string? Source { get; set; }

    public bool Verified { get; set; }

    public string? LastEditedBy { get; set; }

    public DateTimeOffset? LastEditedAt { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(HolidayCalendarJson))]
internal sealed partial class HolidayCalendarJsonContext : JsonSerializerContext;
