package org.decisiongraph.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code DG_PROJECTION_*} settings of {@code dg serve}'s projection runtime. */
class ProjectionServiceOptionsTest {
    @Test
    void leaseTtlComesFromTheEnvironment() {
        assertThat(ProjectionService.Options.fromEnv(Map.of(), "dev").settings().leaseTtlMs()).isEqualTo(15_000);
        assertThat(ProjectionService.Options.fromEnv(Map.of("DG_PROJECTION_LEASE_TTL_MS", " 2000 "), "dev").settings().leaseTtlMs())
                .isEqualTo(2000);
        assertThatThrownBy(() -> ProjectionService.Options.fromEnv(Map.of("DG_PROJECTION_LEASE_TTL_MS", "soon"), "dev"))
                .hasMessage("DG_PROJECTION_LEASE_TTL_MS must be an integer, got 'soon' (default 15000)");
        assertThatThrownBy(() -> ProjectionService.Options.fromEnv(Map.of("DG_PROJECTION_LEASE_TTL_MS", "0"), "dev"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
