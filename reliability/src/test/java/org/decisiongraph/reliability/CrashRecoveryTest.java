package org.decisiongraph.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL at seeded random moments under concurrent single and batch appends, on SQLite and on Postgres
 * ({@code reliability.cycles} cycles each: 20 in CI, 100 with {@code -Pnightly}). See {@link CrashDriver}.
 */
class CrashRecoveryTest {
    private static final Path LOGS = Path.of("target", "reliability", "logs");

    @Test
    void sqliteSurvivesSigkillCycles() throws Exception {
        Path file = TestDatabases.newSqlitePath();
        CrashDriver driver = new CrashDriver(file.toString(), LOGS.resolve("crash-sqlite"), Settings.seed(), 2);
        CrashDriver.Outcome o = driver.run(Settings.cycles());
        Figures.record("crash-sqlite", CrashDriver.figures(o));
        assertClean(o);
        // offline check of the file after the clean stop: hashes, sequences, audit chain, projections
        for (String tenant : CrashDriver.TENANTS) {
            DgProcess.Result verify = DgProcess.run(Map.of(), "verify", file.toString(), "--tenant", tenant);
            assertThat(verify.exitCode()).as("dg verify %s: %s %s", tenant, verify.out(), verify.err()).isZero();
        }
    }

    @Test
    void postgresSurvivesSigkillCycles() throws Exception {
        String url = TestDatabases.newPostgresUrl();
        CrashDriver driver = new CrashDriver(url, LOGS.resolve("crash-postgres"), Settings.seed() + 1, 2);
        CrashDriver.Outcome o = driver.run(Settings.cycles());
        Figures.record("crash-postgres", CrashDriver.figures(o));
        assertClean(o);
        for (String tenant : CrashDriver.TENANTS) {
            DgProcess.Result verify = DgProcess.run(Map.of(), "verify", url, "--tenant", tenant);
            assertThat(verify.exitCode()).as("dg verify %s: %s %s", tenant, verify.out(), verify.err()).isZero();
        }
    }

    private static void assertClean(CrashDriver.Outcome o) {
        assertThat(o.failures()).isEmpty();
        assertThat(o.cycles()).isGreaterThanOrEqualTo(Settings.cycles());
        assertThat(o.acknowledged()).as("acknowledged events").isPositive();
        assertThat(o.lost()).as("lost").isZero();
        assertThat(o.duplicates()).as("duplicates").isZero();
        assertThat(o.halfStored()).as("half-stored").isZero();
        assertThat(o.spurious()).as("spurious").isZero();
        assertThat(o.digestVerifications()).as("digest verifications").isGreaterThanOrEqualTo(2);
    }
}
