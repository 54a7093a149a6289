package org.decisiongraph.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enforces the module direction core <- store <- projection <- workflow <- server <- cli
 * (client and testkit see core only), and keeps SQL (store), HTTP/Javalin/metrics/logging backends (server)
 * and picocli (cli) inside their modules.
 * Runs in cli because its classpath holds every production module. The {@code reliability} module (after cli in
 * the reactor) is tests only: a top module that may use every other one, and that no production class may use.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.decisiongraph");
    }

    @Test
    void importsEveryProductionModule() {
        assertThat(classes.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
                .contains("core", "store", "projection", "workflow", "server", "client", "cli");
    }

    @Test
    void coreDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.decisiongraph.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.decisiongraph.store..", "org.decisiongraph.projection..", "org.decisiongraph.workflow..",
                        "org.decisiongraph.server..", "org.decisiongraph.cli..", "org.decisiongraph.client..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void coreUsesOnlyTheJdk() {
        noClasses().that().resideInAPackage("org.decisiongraph.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.decisiongraph.core..", "java..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void storeDoesNotSeeHigherModules() {
        noClasses().that().resideInAPackage("org.decisiongraph.store..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.decisiongraph.projection..", "org.decisiongraph.workflow..", "org.decisiongraph.server..",
                        "org.decisiongraph.cli..", "org.decisiongraph.client..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void projectionDoesNotSeeHigherModules() {
        noClasses().that().resideInAPackage("org.decisiongraph.projection..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.decisiongraph.workflow..", "org.decisiongraph.server..", "org.decisiongraph.cli..",
                        "org.decisiongraph.client..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void workflowDoesNotSeeHigherModules() {
        noClasses().that().resideInAPackage("org.decisiongraph.workflow..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.decisiongraph.server..", "org.decisiongraph.cli..", "org.decisiongraph.client..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void serverDoesNotSeeCli() {
        noClasses().that().resideInAPackage("org.decisiongraph.server..")
                .should().dependOnClassesThat().resideInAnyPackage("org.decisiongraph.cli..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void clientSeesOnlyCore() {
        noClasses().that().resideInAPackage("org.decisiongraph.client..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.decisiongraph.store..", "org.decisiongraph.projection..", "org.decisiongraph.workflow..",
                        "org.decisiongraph.server..", "org.decisiongraph.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("org.decisiongraph.client..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.decisiongraph.core..",
                        "org.decisiongraph.client..", "java..")
                .check(classes);
    }

    @Test
    void noProductionModuleUsesTheClient() {
        // except the cli: dg release-validate checks a running service over HTTP with it
        noClasses().that().resideOutsideOfPackage("org.decisiongraph.client..")
                .and().resideOutsideOfPackage("org.decisiongraph.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.decisiongraph.client..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void httpStaysInTheServer() {
        noClasses().that().resideOutsideOfPackage("org.decisiongraph.server..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..",
                        "io.micrometer..", "ch.qos.logback..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void sqlStaysInTheStore() {
        // testkit (test support only, never on a production classpath) creates the test databases
        noClasses().that().resideOutsideOfPackage("org.decisiongraph.store..")
                .and().resideOutsideOfPackage("org.decisiongraph.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.flywaydb..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void picocliStaysInTheCli() {
        noClasses().that().resideOutsideOfPackage("org.decisiongraph.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void nothingDependsOnTheReliabilitySuite() {
        // reliability is a test-only top module (dg serve as a child process, fuzzing, the security matrix)
        noClasses().that().resideOutsideOfPackage("org.decisiongraph.reliability..")
                .should().dependOnClassesThat().resideInAnyPackage("org.decisiongraph.reliability..")
                .allowEmptyShould(true)
                .check(classes);
        assertThat(classes.stream().map(c -> c.getPackageName()))
                .as("the reliability module has no production classes").noneMatch(p -> p.startsWith("org.decisiongraph.reliability"));
    }

    @Test
    void noCyclesBetweenModules() {
        slices().matching("org.decisiongraph.(*)..").should().beFreeOfCycles().check(classes);
    }
}
