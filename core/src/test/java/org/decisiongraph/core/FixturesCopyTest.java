package org.decisiongraph.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The repository's {@code fixtures/} are verbatim copies of the shared golden files: when the shared folder is
 * next to the repository ({@code ../shared/fixtures}, as on the development machines), their SHA-256 must match.
 * A clone without it has only its own copy to test against.
 */
class FixturesCopyTest {

    @Test
    void fixturesEqualTheSharedCopy() throws IOException, NoSuchAlgorithmException {
        Path shared = CoreFixtures.dir().toAbsolutePath().getParent().getParent().resolve("shared").resolve("fixtures");
        assumeTrue(Files.isDirectory(shared), "no shared fixtures folder at " + shared);
        for (String name : new String[] {"vectors-core.json", "vectors-projections.json", "reference_fixture_bundle.json"}) {
            assertThat(sha256(CoreFixtures.file(name))).as(name).isEqualTo(sha256(shared.resolve(name)));
        }
    }

    @Test
    void theBundleHasTheDocumentedShape() {
        var bundle = CoreFixtures.bundle();
        assertThat(bundle.getString("format")).isEqualTo("decisiongraph.reference_fixture_bundle");
        assertThat(bundle.get("version")).isEqualTo(org.decisiongraph.core.json.Json.of(1));
        assertThat(bundle.get("scenario_count")).isEqualTo(org.decisiongraph.core.json.Json.of(5));
        assertThat(CoreFixtures.bundleEvents()).hasSize(40);
    }

    private static String sha256(Path p) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
