package org.decisiongraph.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a database lives, as given on the command line: a filesystem path is an embedded SQLite file,
 * a {@code jdbc:postgresql://} URL is Postgres (credentials from the URL, or the user and password given
 * here, e.g. from {@code DG_DB_USER} / {@code DG_DB_PASSWORD}).
 */
public sealed interface DbLocation {

    record SqliteFile(Path path) implements DbLocation {
        public SqliteFile {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** {@code user}/{@code password} may be null when the URL carries them (or none are needed). */
    record PostgresUrl(String url, String user, String password) implements DbLocation {
        public PostgresUrl {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            // never print the password
            int q = url.indexOf('?');
            return q < 0 ? url : url.substring(0, q);
        }
    }

    String POSTGRES_PREFIX = "jdbc:postgresql:";

    /** Parses a {@code <db>} argument; {@code user}/{@code password} are used for Postgres only. */
    static DbLocation parse(String text, String user, String password) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith(POSTGRES_PREFIX)) {
            return new PostgresUrl(text, blankToNull(user), blankToNull(password));
        }
        return new SqliteFile(Path.of(text));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
