package org.decisiongraph.store.migrate;

import javax.sql.DataSource;

import org.decisiongraph.store.Dialect;
import org.flywaydb.core.Flyway;

/**
 * Brings a database to the newest schema with Flyway, using the dialect's own migration folder. Both
 * folders hold the same versions (a test checks it). Never run on read-only or reference-layout databases.
 */
public final class Migrations {
    private Migrations() {
    }

    /** Applies pending migrations; returns how many ran (0 when the schema is current). */
    public static int migrate(DataSource dataSource, Dialect dialect) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + dialect.migrationLocation())
                .validateMigrationNaming(true)
                .load();
        return flyway.migrate().migrationsExecuted;
    }
}
