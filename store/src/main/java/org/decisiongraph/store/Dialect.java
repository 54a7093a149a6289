package org.decisiongraph.store;

/** The two SQL databases DecisionGraph runs on; each has its own Flyway migration folder. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRES("postgres");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** Classpath location of this dialect's migrations ({@code db/migration/<folder>}). */
    public String migrationLocation() {
        return "db/migration/" + folder;
    }
}
