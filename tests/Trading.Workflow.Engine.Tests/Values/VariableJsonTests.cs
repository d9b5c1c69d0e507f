using System.Globalization;
using Trading.Workflow.Engine.Values;

namespace Trading.Workflow.Engine.Tests.Values;

public class VariableJsonTests
{
    private static object? RoundTrip(object? value) => VariableJson.Deserialize(VariableJson.Serialize(value));

    [Fact]
    public void Null_RoundTrips() => Assert.Null(RoundTrip(null));

    [Theory]
    [InlineData("")]
    [InlineData("招标 \"quoted\" \\ \n")]
    public void String_RoundTrips(string value) => Assert.Equal(value, RoundTrip(value));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Boolean_RoundTrips(bool value) => Assert.Equal(value, RoundTrip(value));

    [Theory]
    [InlineData("1.50")]
    [InlineData("0")]
    [InlineData("-0.001")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("12345678901234567890.12345678")]
    public void Decimal_RoundTripsWithScale(string text)
    {
        var value = decimal.Parse(text, CultureInfo.InvariantCulture);

        var result = (decimal)RoundTrip(value)!;

        Assert.Equal(text, result.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Decimal_IsWrittenAsJsonNumber() => Assert.Equal("1.50", VariableJson.Serialize(1.50m));

    [Fact]
    public void DateTimeOffset_RoundTripsWithOffsetAndTicks()
    {
        var value = new DateTimeOffset(2026, 1, 5, 9, 30, 15, TimeSpan.FromHours(8)).AddTicks(1234567);

        var result = (DateTimeOffset)RoundTrip(value)!;

        Assert.Equal(value.Ticks, result.Ticks);
        Assert.Equal(value.Offset, result.Offset);
    }

    [Fact]
    public void DateOnly_RoundTrips()
    {
        var value = new DateOnly(2026, 2, 28);

        Assert.Equal(value, RoundTrip(value));
        Assert.Equal("""{"$date":"2026-02-28"}""", VariableJson.Serialize(value));
    }

    public static TheoryData<IsoDuration> Durations => new()
    {
        new IsoDuration(1, 2, 3, new TimeSpan(0, 4, 5, 6).Add(TimeSpan.FromTicks(1234567))),
        new IsoDuration(0, 13, 0, TimeSpan.Zero),
        new IsoDuration(0, 0, 0, TimeSpan.FromHours(49)),
        new IsoDuration(0, 0, 2, TimeSpan.Zero, Negative: true),
        new IsoDuration(0, 0, 0, TimeSpan.FromTicks(1)),
        IsoDuration.Zero,
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void Duration_RoundTripsComponentByComponent(IsoDuration value) => Assert.Equal(value, RoundTrip(value));

    [Fact]
    public void NestedListAndObject_RoundTripWithTypedLeaves()
    {
        var value = new Dictionary<string, object?>
        {
            ["bids"] = new List<object?>
            {
                new Dictionary<string, object?> { ["price"] = 100.10m, ["at"] = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(8)) },
                null,
            },
            ["period"] = new IsoDuration(0, 1, 0, TimeSpan.Zero),
            ["open"] = new DateOnly(2026, 1, 2),
        };

        var result = (IReadOnlyDictionary<string, object?>)RoundTrip(value)!;

        Assert.True(VariableValues.DeepEquals(value, result));
        var bid = (IReadOnlyDictionary<string, object?>)((IReadOnlyList<object?>)result["bids"]!)[0]!;
        Assert.Equal("100.10", ((decimal)bid["price"]!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(8), ((DateTimeOffset)bid["at"]!).Offset);
    }

    [Fact]
    public void ObjectWhoseOnlyKeyIsATag_RoundTripsAsObject()
    {
        var value = new Dictionary<string, object?> { ["$date"] = "not a date" };

        var result = RoundTrip(value);

        var map = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result);
        Assert.Equal("not a date", map["$date"]);
    }

    [Fact]
    public void ObjectWithTagKeyAmongOthers_RoundTrips()
    {
        var value = new Dictionary<string, object?> { ["$date"] = "x", ["other"] = 1m };

        Assert.True(VariableValues.DeepEquals(value, RoundTrip(value)));
    }

    [Fact]
    public void ObjectWhoseFirstKeyIsWrapper_WithTaggedLookingValue_RoundTrips()
    {
        var value = new Dictionary<string, object?>
        {
            ["$object"] = new Dictionary<string, object?> { ["$date"] = "x" },
            ["k"] = 1m,
        };

        Assert.True(VariableValues.DeepEquals(value, RoundTrip(value)));
    }

    [Fact]
    public void TaggedObjectWithExtraKey_IsRejected() =>
        Assert.Throws<VariableValueException>(() => VariableJson.Deserialize("""{"$date":"2026-01-01","x":1}"""));

    [Fact]
    public void EmptyObjectAndList_RoundTrip()
    {
        Assert.Empty((IReadOnlyDictionary<string, object?>)RoundTrip(new Dictionary<string, object?>())!);
        Assert.Empty((IReadOnlyList<object?>)RoundTrip(new List<object?>())!);
    }

    [Fact]
    public void Variables_RoundTripAsOneObject()
    {
        var variables = new Dictionary<string, object?>
        {
            ["amount"] = 1500.00m,
            ["approved"] = true,
            ["due"] = new DateOnly(2026, 3, 1),
            ["note"] = null,
        };

        var json = VariableJson.SerializeVariables(variables);
        var result = VariableJson.DeserializeVariables(json);

        Assert.Equal(4, result.Count);
        Assert.True(VariableValues.DeepEquals(variables, result));
        Assert.Equal("1500.00", ((decimal)result["amount"]!).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Serialize_NonCanonicalValue_IsNormalizedFirst() => Assert.Equal("[1,2.5]", VariableJson.Serialize(new object[] { 1, 2.5 }));

    [Theory]
    [InlineData("""{"$date":"2026-13-01"}""")]
    [InlineData("""{"$duration":"5 days"}""")]
    [InlineData("""{"$dateTime":42}""")]
    [InlineData("1e400")]
    [InlineData("[1,")]
    [InlineData("1 2")]
    public void Deserialize_InvalidDocument_IsRejected(string json) =>
        Assert.Throws<VariableValueException>(() => VariableJson.Deserialize(json));

    [Fact]
    public void DeserializeVariables_NonObject_IsRejected() =>
        Assert.Throws<VariableValueException>(() => VariableJson.DeserializeVariables("[1]"));
}
