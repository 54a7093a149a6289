package org.decisiongraph.cli.command;

import java.time.Clock;
import java.util.List;

import org.decisiongraph.projection.Projections;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.audit.Redactions;

/** What {@code dg redact} and {@code dg retention} share: the default database, the CLI actor, the projection rebuild. */
final class LifecycleSupport {
    /** The database when none is given: {@code DG_DATABASE_URL}, else the default SQLite file of {@code dg serve}. */
    static final String DEFAULT_DB = "./data/decisiongraph.db";

    private LifecycleSupport() {
    }

    static String database(String given) {
        if (given != null) {
            return given;
        }
        String env = System.getenv("DG_DATABASE_URL");
        return env == null || env.isBlank() ? DEFAULT_DB : env;
    }

    /** The audit actor of a CLI change: {@code system}, {@code cli:<os user>}. */
    static Redactions.Actor actor() {
        return new Redactions.Actor("system", "cli:" + System.getProperty("user.name", "unknown"), List.of(), null);
    }

    /**
     * Rebuilds the tenant's projections from the log as it now is and stores fresh digest checkpoints, so that the
     * stored projections and digests equal a rebuild of the remaining (or redacted) log.
     */
    static void rebuildProjections(Database db, String tenant, Clock clock) {
        Projections p = Projections.open(db, tenant, clock);
        p.rebuild();
        p.checkpoint();
    }
}
