package org.decisiongraph.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Figures measured by the suite: each test adds named numbers here; they are also written to
 * {@code target/reliability/figures/<section>.properties} so {@link ReliabilityReport} can render the table
 * after the test plan (and a rerun of one class refreshes only its own section).
 */
final class Figures {
    static final Path DIR = Path.of("target", "reliability", "figures");

    private Figures() {
    }

    /** Replaces the figures of {@code section}. */
    static synchronized void record(String section, Map<String, ?> values) {
        Properties p = new Properties();
        values.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        try {
            Files.createDirectories(DIR);
            try (var out = Files.newBufferedWriter(DIR.resolve(section + ".properties"))) {
                p.store(out, section);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every section written so far (by this or an earlier run), sorted by name. */
    static Map<String, Map<String, String>> all() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        if (!Files.isDirectory(DIR)) {
            return out;
        }
        try (var files = Files.list(DIR)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(f)) {
                    p.load(in);
                }
                Map<String, String> m = new TreeMap<>();
                p.forEach((k, v) -> m.put((String) k, (String) v));
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - ".properties".length()), m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
