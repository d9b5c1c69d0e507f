using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Trading.Workflow.Web.Tests.Hosting;

/// <summary>The address comes from the usual ASP.NET Core places; the platform only supplies a default.</summary>
public sealed class ListeningAddressTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Start_WithAspNetCoreUrls_ListensAtThatAddress()
    {
        var address = $"http://127.0.0.1:{PlatformProcess.FreePort()}";
        await using var app = PlatformProcess.Start(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = address });

        Assert.True(await app.AnswersAtAsync(address, StartTimeout), $"Nothing answered at {address}.\n{app.Output}");
    }

    [Fact]
    public async Task Start_WithUrlsArgument_ListensAtThatAddress()
    {
        var address = $"http://127.0.0.1:{PlatformProcess.FreePort()}";
        await using var app = PlatformProcess.Start(new Dictionary<string, string?>(), "--urls", address);

        Assert.True(await app.AnswersAtAsync(address, StartTimeout), $"Nothing answered at {address}.\n{app.Output}");
    }

    [Fact]
    public void Configuration_WithoutAnyAddress_DefaultsToLocalhost5080()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration[WebHostDefaults.ServerUrlsKey] = null;

        builder.AddPlatformConfiguration();

        Assert.Equal("http://localhost:5080", builder.Configuration[WebHostDefaults.ServerUrlsKey]);
    }

    [Fact]
    public void Configuration_WithHttpPorts_KeepsThemInsteadOfTheDefault()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", Args = ["--http_ports=8080"] });

        builder.AddPlatformConfiguration();

        Assert.True(string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]));
    }
}
