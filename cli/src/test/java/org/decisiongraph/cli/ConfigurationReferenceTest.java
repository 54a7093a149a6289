package org.decisiongraph.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.Setting;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/CONFIGURATION.md} is generated from {@link Setting}; this test fails when the document, the list and the
 * sources drift apart: the committed document must equal {@link Setting#markdown()}, every {@code DG_*} variable
 * named in a production source or resource of any module must be a {@link Setting}, and every {@link Setting} must be
 * read somewhere outside {@code Setting.java} (the launcher {@code dg}, the {@code Dockerfile} and {@code packaging/}
 * count too). Regenerate the document with {@code ./mvnw -q -B -pl cli -am verify -Dtest=ConfigurationReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Ddg.regenerateDocs=true}.
 */
class ConfigurationReferenceTest {
    private static final Pattern VARIABLE = Pattern.compile("\\b((?:DG|OTEL)_[A-Z][A-Z0-9_]*)\\b");

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("cli"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found");
    }

    @Test
    void theCommittedDocumentIsTheGeneratedOne() throws IOException {
        Path doc = repoRoot().resolve("docs/CONFIGURATION.md");
        if (Boolean.getBoolean("dg.regenerateDocs")) {
            Files.writeString(doc, Setting.markdown(), StandardCharsets.UTF_8);
        }
        assertThat(doc).exists();
        assertThat(Files.readString(doc, StandardCharsets.UTF_8))
                .as("docs/CONFIGURATION.md is stale; regenerate it with -Ddg.regenerateDocs=true (see the class comment)")
                .isEqualTo(Setting.markdown());
    }

    @Test
    void everyVariableTheSourcesNameIsASettingAndEverySettingIsRead() throws IOException {
        Map<String, Set<String>> named = new TreeMap<>();
        Path root = repoRoot();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main"))).toList()) {
                if (module.getFileName().toString().equals("bench")) {
                    continue; // load drivers read their own knobs, documented in docs/BENCHMARKS.md
                }
                try (Stream<Path> files = Files.walk(module.resolve("src/main"))) {
                    for (Path f : files.filter(Files::isRegularFile).filter(ConfigurationReferenceTest::isSource).toList()) {
                        if (f.getFileName().toString().equals("Setting.java")) {
                            continue;
                        }
                        Matcher m = VARIABLE.matcher(Files.readString(f, StandardCharsets.UTF_8));
                        while (m.find()) {
                            if (!m.group(1).startsWith("DG_ERR")) {
                                named.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(root.relativize(f).toString());
                            }
                        }
                    }
                }
            }
        }
        for (String extra : new String[] {"dg", "Dockerfile", "packaging", ".mvn/select-jdk.sh"}) {
            Path p = root.resolve(extra);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Matcher m = VARIABLE.matcher(read(f));
                    while (m.find()) {
                        named.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(root.relativize(f).toString());
                    }
                }
            }
        }
        Set<String> settings = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(settings).as("every DG_* variable named in the sources is a Setting (add it to server.Setting): " + named)
                .containsAll(named.keySet());
        // read somewhere: a named literal, or the constant used in code
        Set<String> unread = new TreeSet<>(settings);
        unread.removeAll(named.keySet());
        try (Stream<Path> files = Files.walk(root.resolve("server/src/main")); Stream<Path> cli = Files.walk(root.resolve("cli/src/main"))) {
            String all = Stream.concat(files, cli).filter(Files::isRegularFile).filter(ConfigurationReferenceTest::isSource)
                    .filter(f -> !f.getFileName().toString().equals("Setting.java"))
                    .map(ConfigurationReferenceTest::read).collect(Collectors.joining("\n"));
            unread.removeIf(k -> all.contains("Setting." + k));
        }
        assertThat(unread).as("settings nothing reads").isEmpty();
    }

    @Test
    void documentedDefaultsAreTheCodesDefaults() {
        assertThat(Setting.DG_DATABASE_URL.defaultValue()).isEqualTo(ServeCommand.DEFAULT_DB);
        assertThat(Setting.DG_PORT.defaultValue()).isEqualTo(String.valueOf(ServerConfig.DEFAULTS.port()));
        ServerConfig fromEmpty = ServerConfig.fromEnv(Map.of(), ServerConfig.DEFAULTS);
        assertThat(fromEmpty).isEqualTo(ServerConfig.DEFAULTS);
        assertThat(Setting.DG_RATE_LIMITS.defaultValue()).startsWith("`read=600,write=300,admin=60,auth_failures=30`");
    }

    private static boolean isSource(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".java") || n.endsWith(".xml") || n.endsWith(".properties");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
