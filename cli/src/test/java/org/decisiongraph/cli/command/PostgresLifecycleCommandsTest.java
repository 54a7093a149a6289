package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.decisiongraph.testkit.TestDatabases;

class PostgresLifecycleCommandsTest extends LifecycleCommandsContract {
    @Override
    String importedDb() {
        String url = TestDatabases.newPostgresUrl();
        CliRun imported = CliRun.dg("import", url, GoldenFiles.bundle().toString(), "--quiet");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        return url;
    }

    @Override
    void tamper(String db, List<String> guards, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
            for (String g : guards) {
                st.execute(g.equals("log") ? "ALTER TABLE dg_event_log DISABLE TRIGGER dg_event_log_append_only"
                        : "ALTER TABLE " + g + " DISABLE TRIGGER " + g + "_append_only");
            }
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
