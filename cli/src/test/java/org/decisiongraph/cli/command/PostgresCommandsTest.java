package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;


import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.decisiongraph.testkit.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code dg import} and {@code dg dump-trace} against a real (embedded) Postgres given as a JDBC URL. */
class PostgresCommandsTest {
    private static EmbeddedPostgres pg;
    private static String url;

    @BeforeAll
    static void start() {
        pg = TestDatabases.postgresServer();
        url = TestDatabases.newPostgresUrl();
    }


    @Test
    void importThenReimportThenDumpTrace() throws Exception {
        CliRun first = CliRun.dg("import", url, GoldenFiles.bundle().toString(), "--tenant", "pg");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out().lines()).hasSize(40).allSatisfy(l -> assertThat(l).contains("\"outcome\":\"appended\""));
        assertThat(first.out().lines().toList().get(39)).contains("\"log_seq\":40");

        CliRun again = CliRun.dg("import", url, GoldenFiles.bundle().toString(), "--tenant", "pg");
        assertThat(again.out().lines()).hasSize(40).allSatisfy(l -> assertThat(l).contains("\"outcome\":\"reused\""));

        CliRun dump = CliRun.dg("dump-trace", url, "12121212-1212-1212-1212-121212121212", "--tenant", "pg");
        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out().lines().filter(l -> l.equals("  {"))).hasSize(7);
        assertThat(dump.out()).startsWith("[\n  {\n    \"event_id\": ").endsWith("\n]\n");

        CliRun unknown = CliRun.dg("dump-trace", url, "nope", "--tenant", "pg");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("Error getting trace events: DG_ERR_NOT_FOUND: Trace not found: nope\n");
    }

    @Test
    void unreachableDatabaseExitsOne() throws Exception {
        java.nio.file.Path input = java.nio.file.Files.createTempFile("dg", ".jsonl");
        java.nio.file.Files.writeString(input, ImportCommandTest.validLine("a", "A") + "\n");
        CliRun run = CliRun.dg("import", "jdbc:postgresql://localhost:" + pg.getPort() + "/no_such_db?user=postgres",
                input.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("Error: DG_ERR_STORAGE: Database error: ");
    }
}
