using Microsoft.EntityFrameworkCore;
using Trading.Workflow.Domain.Centres;
using Trading.Workflow.Domain.Persistence;
using Trading.Workflow.Engine.Persistence.Schema;

namespace Trading.Workflow.Domain.Tests.Persistence;

/// <summary>Trading centres for hosts that do not run the web's schema (which owns the centres table).</summary>
internal static class TestCentres
{
    /// <summary>Adds a province centre, demo data or not, and returns its id.</summary>
    public static async Task<Guid> AddAsync(ITradingDatabase database, DatabaseProvider provider, bool isDemo)
    {
        var centre = TradingCentre.CreateProvince("T-" + Guid.NewGuid().ToString("N")[..8], "测试省中心", "Test province centre", isDemo);
        await using var db = database.Create();
        await db.Database.ExecuteSqlRawAsync(provider == DatabaseProvider.PostgreSql
            ? """CREATE TABLE IF NOT EXISTS "TradingCentres" ("Id" uuid PRIMARY KEY, "Code" varchar(32) NOT NULL, "NameZh" varchar(200) NOT NULL, "NameEn" varchar(200) NOT NULL, "Level" integer NOT NULL, "ParentId" uuid NULL, "IsDemo" boolean NOT NULL)"""
            : """CREATE TABLE IF NOT EXISTS "TradingCentres" ("Id" TEXT PRIMARY KEY, "Code" TEXT NOT NULL, "NameZh" TEXT NOT NULL, "NameEn" TEXT NOT NULL, "Level" INTEGER NOT NULL, "ParentId" TEXT NULL, "IsDemo" INTEGER NOT NULL)""");
        db.Add(centre);
        await db.SaveChangesAsync();
        return centre.Id;
    }
}
