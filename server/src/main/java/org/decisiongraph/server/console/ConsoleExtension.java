package org.decisiongraph.server.console;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.decisiongraph.server.AppendHook;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionHealthSource;
import org.decisiongraph.server.ProjectionService;
import org.decisiongraph.server.console.pages.GraphPage;
import org.decisiongraph.server.console.pages.OverviewPage;
import org.decisiongraph.server.console.pages.PrecedentsPage;
import org.decisiongraph.server.console.pages.ProjectionsPage;
import org.decisiongraph.server.console.pages.ReplayPage;
import org.decisiongraph.server.console.pages.StreamPage;
import org.decisiongraph.server.console.pages.TracePage;
import org.decisiongraph.server.console.pages.TracesPage;
import org.decisiongraph.workflow.Workflows;

/**
 * Wires the console into {@code dg serve}: the standard page groups in navigation order. Page groups of later parts
 * (workflow inbox and studio, admin, audit) are added to {@link #standardPages}.
 */
public final class ConsoleExtension {
    private ConsoleExtension() {
    }

    /** The console's page groups, in navigation order. */
    public static List<ConsolePages> standardPages(Samples samples, boolean allowRebuild) {
        List<ConsolePages> pages = new ArrayList<>();
        pages.add(new OverviewPage(samples));
        pages.add(new TracesPage());
        pages.add(new TracePage());
        pages.add(new org.decisiongraph.server.console.pages.EvidencePages());
        pages.add(new GraphPage());
        pages.add(new PrecedentsPage());
        pages.add(new ProjectionsPage(samples));
        pages.add(new ReplayPage(allowRebuild));
        pages.add(new StreamPage());
        pages.add(new org.decisiongraph.server.console.pages.WorkflowPages());
        pages.add(new org.decisiongraph.server.console.pages.StudioPages());
        pages.add(new org.decisiongraph.server.console.pages.AdminPages());
        pages.add(new org.decisiongraph.server.console.pages.AuditPages());
        return pages;
    }

    /**
     * The console as server extensions. {@code projections} and {@code workflows} may be null (their panels then show
     * {@code unavailable}).
     */
    public static DgServer.Extensions of(ConsoleConfig config, ProjectionService projections, Workflows workflows, Clock clock) {
        Samples samples = new Samples(projections == null ? null : projections.runtime(), clock, Duration.ofSeconds(5));
        Console console = new Console(config, projections == null ? null : projections.runtime(),
                projections == null ? null : projections.hub(), workflows,
                standardPages(samples, projections != null && projections.allowRebuild()));
        return new DgServer.Extensions(List.of(console), List.<AppendHook>of(), ProjectionHealthSource.NONE, List.of(samples));
    }
}
