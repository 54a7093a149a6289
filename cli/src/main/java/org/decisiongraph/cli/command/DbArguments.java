package org.decisiongraph.cli.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.decisiongraph.store.DbLocation;

/**
 * The {@code <db>} argument: parsed into a {@link DbLocation} (credentials for Postgres from
 * {@code DG_DB_USER}/{@code DG_DB_PASSWORD} when the URL has none), and the reference CLI's path checks for
 * read-only commands.
 */
final class DbArguments {
    private DbArguments() {
    }

    static DbLocation location(String db) {
        return DbLocation.parse(db, org.decisiongraph.server.Setting.DG_DB_USER.get(), org.decisiongraph.server.Setting.DG_DB_PASSWORD.get());
    }

    /**
     * The reference CLI's checks before opening a database file, with its exact messages: a symlink is
     * reported, a missing path or a non-file fails with exit 1. Returns null when the file may be opened.
     */
    static Integer checkPath(String db, PrintWriter err) {
        Path path = Path.of(db);
        Path resolved = resolveLenient(path);
        if (Files.isSymbolicLink(path)) {
            err.println("Warning: '" + db + "' is a symlink to '" + resolved + "'");
        }
        if (!Files.exists(resolved)) {
            err.println("Error: Database file '" + db + "' not found");
            return 1;
        }
        if (!Files.isRegularFile(resolved)) {
            err.println("Error: '" + db + "' is not a file");
            return 1;
        }
        return null;
    }

    /** Like Python's {@code Path.resolve(strict=False)}: follows links as far as they exist. */
    static Path resolveLenient(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            Path p = path.toAbsolutePath().normalize();
            for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
                try {
                    Path parent = p.getParent() == null ? p : p.getParent();
                    p = parent.resolve(Files.readSymbolicLink(p)).toAbsolutePath().normalize();
                } catch (IOException unreadable) {
                    return p;
                }
            }
            Path parent = p.getParent();
            if (parent != null && Files.exists(parent)) {
                try {
                    return parent.toRealPath().resolve(p.getFileName());
                } catch (IOException ignored) {
                    return p;
                }
            }
            return p;
        }
    }
}
