namespace Trading.Workflow.Engine.Timers;

/// <summary>The parse errors, each naming what was written and showing what is accepted.</summary>
internal static class TimerErrors
{
    private const string DurationExamplesZh = "例如 P5D、PT1H、P1M、P5WD（5 个工作日）、P10CD（10 个日历日，遇节假日顺延）";
    private const string DurationExamplesEn = "e.g. P5D, PT1H, P1M, P5WD (5 working days), P10CD (10 calendar days, moved past holidays)";

    public static TimerParseError Empty() => new(
        TimerParseErrorCode.Empty,
        "定时器定义为空。",
        "The timer definition is empty.");

    public static TimerParseError Expression(string text) => new(
        TimerParseErrorCode.Expression,
        $"定时器定义“{text}”是表达式，须先求值再解析。",
        $"The timer definition '{text}' is an expression; evaluate it before parsing.");

    public static TimerParseError InvalidDate(string text) => new(
        TimerParseErrorCode.InvalidDate,
        $"“{text}”不是有效的 ISO 8601 日期时间（例如 2026-10-08T09:00:00+08:00；不写时区按北京时间 +08:00）。",
        $"'{text}' is not a valid ISO 8601 date-time (e.g. 2026-10-08T09:00:00+08:00; without an offset China Standard Time +08:00 is assumed).");

    public static TimerParseError InvalidDuration(string text) => new(
        TimerParseErrorCode.InvalidDuration,
        $"“{text}”不是有效的时长（{DurationExamplesZh}）。",
        $"'{text}' is not a valid duration ({DurationExamplesEn}).");

    public static TimerParseError NegativeDuration(string text) => new(
        TimerParseErrorCode.NegativeDuration,
        $"定时器时长“{text}”不能为负数。",
        $"The timer duration '{text}' cannot be negative.");

    public static TimerParseError ZeroCycleDuration(string text) => new(
        TimerParseErrorCode.ZeroCycleDuration,
        $"循环定时器“{text}”的间隔不能为零。",
        $"The interval of the cycle '{text}' cannot be zero.");

    public static TimerParseError InvalidRepetitions(string text, string part) => new(
        TimerParseErrorCode.InvalidRepetitions,
        $"循环定时器“{text}”的重复次数“{part}”无效：应为 R（不限次数）或 R 加正整数，如 R3。",
        $"The repetition count '{part}' of the cycle '{text}' is invalid: write R (unbounded) or R with a positive whole number, e.g. R3.");

    public static TimerParseError InvalidCycle(string text) => new(
        TimerParseErrorCode.InvalidCycle,
        $"“{text}”不是有效的循环定时器：应为 R/时长、R3/时长、R/开始时间/时长、R/时长/结束时间，或 cron 表达式（秒 分 时 日 月 星期 [年]）。",
        $"'{text}' is not a valid cycle: write R/duration, R3/duration, R/start/duration, R/duration/end, or a cron expression (second minute hour day-of-month month day-of-week [year]).");

    public static TimerParseError StartAndEnd(string text) => new(
        TimerParseErrorCode.StartAndEndNotSupported,
        $"循环定时器“{text}”写了开始和结束时间却没有间隔；请写 R/开始时间/时长 或 R/时长/结束时间。",
        $"The cycle '{text}' has a start and an end but no interval; write R/start/duration or R/duration/end.");

    public static TimerParseError EndOfDayNotAllowed(string text) => new(
        TimerParseErrorCode.EndOfDayNotAllowed,
        $"“{text}”中的 /EOD（当日 24:00 截止）只能用于单个时长（timeDuration），不能用于日期或循环。",
        $"/EOD (end of day, 24:00) in '{text}' is allowed only on a single duration (timeDuration), not on a date or a cycle.");

    public static TimerParseError KindMismatch(string text, TimerKind expected, TimerKind actual) => new(
        TimerParseErrorCode.KindMismatch,
        $"“{text}”是{Zh(actual)}，不能用作{Zh(expected)}。",
        $"'{text}' is a {En(actual)} and cannot be used as a {En(expected)}.");

    private static string Zh(TimerKind kind) => kind switch
    {
        TimerKind.Date => "日期（timeDate）",
        TimerKind.Duration => "时长（timeDuration）",
        _ => "循环（timeCycle）",
    };

    private static string En(TimerKind kind) => kind switch
    {
        TimerKind.Date => "date (timeDate)",
        TimerKind.Duration => "duration (timeDuration)",
        _ => "cycle (timeCycle)",
    };
}
