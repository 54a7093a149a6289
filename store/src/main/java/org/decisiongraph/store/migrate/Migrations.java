package org.decisiongraph.store.migrate;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.decisiongraph.core.error.DgErrors;
import org.decisiongraph.store.Dialect;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings a database to the newest schema with Flyway, using the dialect's own migration folder. Both
 * folders hold the same versions (a test checks it). Never run on read-only or reference-layout databases.
 * A database whose history holds a version this build does not know (written by a newer build) is refused
 * before anything runs.
 */
public final class Migrations {
    private Migrations() {
    }

    /** What a run did: the versions it applied (in order) and the schema version afterwards. */
    public record Result(List<String> applied, String schemaVersion) {
    }

    /** Applies pending migrations; returns how many ran (0 when the schema is current). */
    public static int migrate(DataSource dataSource, Dialect dialect) {
        return run(dataSource, dialect).applied().size();
    }

    /** Applies pending migrations after refusing a schema newer than this build. */
    public static Result run(DataSource dataSource, Dialect dialect) {
        return run(dataSource, dialect, null);
    }

    /**
     * Applies pending migrations up to and including {@code targetVersion} ({@code null}: the newest) after
     * refusing a schema newer than this build. Used by restores and the upgrade tests, which bring a database to
     * an older version first.
     */
    public static Result run(DataSource dataSource, Dialect dialect, String targetVersion) {
        var config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + dialect.migrationLocation())
                .validateMigrationNaming(true);
        if (targetVersion != null) {
            config = config.target(targetVersion);
        }
        Flyway flyway = config.load();
        refuseFutureSchema(flyway);
        MigrateResult result = flyway.migrate();
        List<String> applied = new ArrayList<>();
        for (MigrateOutput m : result.migrations) {
            applied.add(m.version);
        }
        MigrationInfo current = flyway.info().current();
        return new Result(applied, current == null || current.getVersion() == null ? null : current.getVersion().getVersion());
    }

    private static void refuseFutureSchema(Flyway flyway) {
        String newest = null;
        String future = null;
        for (MigrationInfo info : flyway.info().all()) {
            if (info.getVersion() == null) {
                continue;
            }
            MigrationState state = info.getState();
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                future = info.getVersion().getVersion();
            } else {
                newest = info.getVersion().getVersion();
            }
        }
        if (future != null) {
            throw DgErrors.storage("the database schema is at version " + future + ", newer than this build knows ("
                    + newest + "); upgrade DecisionGraph to open it", null);
        }
    }
}
