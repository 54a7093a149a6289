package org.decisiongraph.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.decisiongraph.testkit.TestDatabases;

class SqliteLifecycleCommandsTest extends LifecycleCommandsContract {
    @Override
    String importedDb() {
        String db = TestDatabases.newSqlitePath().toString();
        CliRun imported = CliRun.dg("import", db, GoldenFiles.bundle().toString(), "--quiet");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        return db;
    }

    @Override
    void tamper(String db, List<String> guards, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            for (String g : guards) {
                if (g.equals("log")) {
                    st.execute("DROP TRIGGER dg_event_log_no_update");
                    st.execute("DROP TRIGGER dg_event_log_no_delete");
                } else {
                    st.execute("DROP TRIGGER " + g + "_no_update");
                }
            }
            for (String s : statements) {
                st.execute(s);
            }
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }
}
