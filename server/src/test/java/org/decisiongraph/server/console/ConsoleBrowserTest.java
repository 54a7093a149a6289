package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console in headless Chromium against a real server: log in, walk every page (screenshots), a live update
 * without reload, the replay console's verify run, empty and error states, access control, CSRF rejection, logout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest extends BrowserTestBase {
    static final String TRACE = "dddddddd-dddd-dddd-dddd-dddddddddddd";

    @Test
    @Order(1)
    void loginPageAndAFailedLogin() throws Exception {
        open("/login");
        screenshot("login");
        driver.findElement(By.id("username")).sendKeys("admin-a");
        driver.findElement(By.id("password")).sendKeys("wrong password!");
        driver.findElement(By.id("login-submit")).click();
        assertThat(await(By.id("login-error")).getText()).isEqualTo("Invalid user name or password");
        screenshot("login-failed");
    }

    @Test
    @Order(2)
    void walkThePages() throws Exception {
        login("admin-a");
        open("/?tenant=tenant-a");
        assertThat(await(By.id("state-chip")).getText()).isEqualTo("healthy");
        assertThat(driver.findElements(By.cssSelector("#health tr[data-projection]"))).hasSize(3);
        screenshot("overview");

        open("/traces?tenant=tenant-a");
        assertThat(driver.findElements(By.cssSelector("tr.trace-row"))).hasSize(5);
        screenshot("traces");
        driver.findElement(By.name("event_type")).sendKeys("ExceptionRequested");
        driver.findElement(By.id("filter-submit")).click();
        wait.until(ExpectedConditions.urlContains("event_type=ExceptionRequested"));
        int filtered = driver.findElements(By.cssSelector("tr.trace-row")).size();
        assertThat(filtered).isBetween(1, 4);
        screenshot("traces-filtered");
        driver.findElement(By.cssSelector("tr.trace-row a")).click();
        await(By.id("timeline"));

        open("/trace?tenant=tenant-a&trace_id=" + TRACE);
        assertThat(driver.findElements(By.cssSelector("#timeline li"))).hasSizeGreaterThan(3);
        assertThat(driver.findElement(By.id("handoff")).getText()).contains("trace=" + TRACE);
        screenshot("trace-explorer");

        driver.findElement(By.id("graph-link")).click();
        WebElement svg = await(By.id("graph-svg"));
        assertThat(svg.findElements(By.cssSelector("a.node")).size()).isGreaterThan(2);
        screenshot("graph");
        WebElement other = svg.findElements(By.cssSelector("a.node")).stream()
                .filter(a -> !a.getAttribute("class").contains("center")).findFirst().orElseThrow();
        String node = other.getAttribute("data-node");
        js("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", other);
        wait.until(ExpectedConditions.urlContains("node="));
        assertThat(await(By.cssSelector("a.node.center")).getAttribute("data-node")).isEqualTo(node);
        screenshot("graph-recentred");

        open("/precedents?tenant=tenant-a&trace_id=" + TRACE);
        await(By.id("precedents"));
        screenshot("precedents");
        open("/precedents/compare?tenant=tenant-a&a=" + TRACE + "&b=aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        assertThat(driver.findElements(By.cssSelector("#comparison tr[data-diff]"))).hasSize(9);
        screenshot("precedents-compare");

        open("/projections?tenant=tenant-a");
        assertThat(driver.findElements(By.cssSelector("svg.spark"))).hasSize(3);
        screenshot("projections");

        open("/stream?tenant=tenant-a");
        assertThat(driver.findElements(By.cssSelector("#events li.event"))).hasSize(24);
        screenshot("stream");
    }

    @Test
    @Order(3)
    void anAppendedEventAppearsWithoutReload() throws Exception {
        open("/stream?tenant=tenant-a");
        awaitLive();
        js("window.__noReload = 'still here'");
        h.client(ConsoleHarness.TENANT_A).appendEvent(newTraceStarted("live-trace-0001"));
        WebElement fresh = await(By.cssSelector("#events li.event[data-log-seq='41']"));
        assertThat(fresh.getText()).contains("TraceStarted").contains("live-trace-0001");
        assertThat(js("return window.__noReload")).isEqualTo("still here");
        screenshot("stream-live-update");

        open("/?tenant=tenant-a");
        awaitLive();
        js("window.__noReload = 'overview'");
        h.client(ConsoleHarness.TENANT_A).appendEvent(newTraceStarted("live-trace-0002"));
        wait.until(ExpectedConditions.textToBe(By.id("m-events"), "42"));
        assertThat(js("return window.__noReload")).isEqualTo("overview");
    }

    @Test
    @Order(4)
    void theReplayConsoleRunsAVerificationAndAReplay() throws Exception {
        h.awaitFresh(ConsoleHarness.TENANT_A);
        open("/replay?tenant=tenant-a");
        awaitLive();
        screenshot("replay");
        driver.findElement(By.id("verify-reason")).sendKeys("browser test verify");
        driver.findElement(By.id("verify-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("verification-status"), "passed"));
        List<String> rows = texts(By.cssSelector("#verification-results tr[data-digest]"));
        assertThat(rows).hasSize(4);
        assertThat(rows).allSatisfy(r -> assertThat(r).contains("match").doesNotContain("mismatch"));
        screenshot("replay-verified");

        driver.findElement(By.id("rp-reason")).sendKeys("browser catch up");
        driver.findElement(By.id("rp-confirm")).sendKeys("CATCH_UP TRACE");
        driver.findElement(By.id("replay-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"),
                "Type the exact confirmation phrase before queueing the replay."));
        assertThat(driver.findElement(By.id("rp-reason")).getAttribute("value")).as("kept after a failure").isEqualTo("browser catch up");
        driver.findElement(By.id("rp-confirm")).clear();
        driver.findElement(By.id("rp-confirm")).sendKeys("CATCH_UP TRACE_SUMMARY");
        driver.findElement(By.id("replay-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Replay queued: "));
        await(By.cssSelector("#runs tr[data-job]"));
        wait.until(d -> d.findElement(By.id("rp-reason")).getAttribute("value").isEmpty());
        screenshot("replay-queued");
    }

    @Test
    @Order(5)
    void aPostWithAWrongCsrfTokenIsRefused() throws Exception {
        open("/?tenant=tenant-a");
        js("document.querySelector('form[action=\"/logout\"] input[name=_csrf]').value = 'forged'");
        driver.findElement(By.id("logout")).click();
        assertThat(await(By.cssSelector(".error-page")).getText()).contains("Missing or invalid CSRF token");
        screenshot("csrf-rejected");
        open("/?tenant=tenant-a");
        assertThat(await(By.id("logout")).isDisplayed()).as("still logged in").isTrue();
    }

    @Test
    @Order(6)
    void narrowScreen() throws Exception {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            open("/trace?tenant=tenant-a&trace_id=" + TRACE);
            await(By.id("timeline"));
            screenshot("trace-explorer-narrow");
            open("/?tenant=tenant-a");
            await(By.id("health"));
            screenshot("overview-narrow");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(7)
    void aTenantAUserCannotSeeTenantBAndLogsOut() throws Exception {
        open("/?tenant=tenant-b");
        assertThat(await(By.cssSelector(".error-page")).getText()).contains("User is not a member of tenant tenant-b");
        screenshot("tenant-denied");
        open("/?tenant=tenant-a");
        List<String> tenants = driver.findElements(By.cssSelector("#tenant-select option")).stream().map(WebElement::getText).toList();
        assertThat(tenants).containsExactly("tenant-a");
        logout();
        open("/replay?tenant=tenant-a");
        await(By.id("login-submit"));
        assertThat(driver.getCurrentUrl()).contains("/login?next=");
    }

    @Test
    @Order(8)
    void aReaderCannotActAndAnEmptyTenantShowsEmptyStates() throws Exception {
        login("reader-a");
        open("/replay?tenant=tenant-a");
        assertThat(driver.findElements(By.id("replay-form"))).isEmpty();
        assertThat(driver.getPageSource()).contains("Replays need the admin role with projection_replay");
        screenshot("replay-reader");
        logout();

        login("admin-b");
        open("/?tenant=tenant-b");
        assertThat(await(By.cssSelector("#health [data-state='empty']")).getText()).contains("No events yet for tenant tenant-b");
        screenshot("overview-empty");
        open("/traces?tenant=tenant-b");
        assertThat(await(By.cssSelector("[data-state='empty']")).getText()).contains("No traces yet");
        screenshot("traces-empty");
        open("/graph?tenant=tenant-b");
        screenshot("graph-empty");
        open("/trace?tenant=tenant-b&trace_id=missing");
        assertThat(await(By.cssSelector("[data-state='empty']")).getText()).contains("Trace not found");
        screenshot("trace-not-found");
        logout();
    }
}
