package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.demo.ReleaseDemo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review console in a real headless Chromium against a real server seeded like {@code dg serve} + {@code dg demo}:
 * the demo user opens the escalated live renewal item, approves it with a rationale, sees the {@code ApprovalRecorded}
 * in the trace timeline, then watches the page update live (server push, no reload) when the agent appends the next
 * event over the API; a reader sees no action controls and a forged post is refused; other tenants stay closed.
 * Screenshots of every page go to {@code target/screenshots/}. One browser for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowConsoleBrowserTest extends BrowserTestBase {
    static final String TENANT = ConsoleHarness.TENANT_A;

    String base;
    WebDriver browser;

    @BeforeAll
    void seedDemo() {
        // what `dg demo` does against a running server: seed the database directly (tenant-a also holds the golden data)
        ReleaseDemo.Result seeded = ReleaseDemo.seed(h.db, TENANT, 0, Clock.systemUTC(), WorkflowConfig.DEFAULTS);
        assertThat(seeded.appended()).isEqualTo(22);
        base = "http://127.0.0.1:" + h.server.port();
        browser = driver;
    }

    /** Logs in as {@code user} (admin-a: admin of tenant-a, reader-a: reader, admin-b: admin of tenant-b only). */
    @Override
    void login(String user) {
        browser.manage().deleteAllCookies();
        super.login(user);
    }

    private void shot(String name) throws Exception {
        screenshot(name);
    }

    private String itemUrl(String workflowId) {
        return base + "/console/workflow?tenant=" + TENANT + "&id=" + Urls.encode(workflowId);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private WebDriverWait waitUp() {
        // live sections are swapped in place: an element found a moment ago may be replaced before it is read
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class);
    }

    @Test
    @Order(1)
    void theDemoUserApprovesTheEscalatedLiveRenewalAndSeesTheDecisionAndDigestsLive() throws Exception {
        login("admin-a");
        browser.get(base + "/console/workflows?tenant=" + TENANT);
        assertThat(browser.findElements(By.cssSelector("tr[data-workflow-id='" + ReleaseDemo.LIVE_WORKFLOW + "']"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("tr[data-workflow-id='" + ReleaseDemo.LIVE_WORKFLOW + "']")).getText())
                .contains("escalated").contains("Live renewal exception review");
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("[data-count='escalated'] .value")).getText())).isGreaterThanOrEqualTo(2);
        shot("workflow-inbox");

        browser.get(itemUrl(ReleaseDemo.LIVE_WORKFLOW));
        assertThat(browser.findElement(By.id("item-status")).getAttribute("data-status")).isEqualTo("escalated");
        assertThat(browser.findElements(By.cssSelector("#action-timeline li[data-action='escalate']"))).hasSize(1);
        String digestBefore = text("full-digest");
        shot("workflow-item-escalated");

        browser.findElement(By.id("decide-reason")).sendKeys("Strategic renewal; the approved precedent trace-precedent-renewal-001 applies.");
        browser.findElement(By.id("btn-approve")).click();
        waitUp().until(d -> "approved".equals(d.findElement(By.id("item-status")).getAttribute("data-status")));
        assertThat(text("flash")).contains("approve").contains("approved");
        assertThat(browser.findElements(By.cssSelector("#trace-timeline li[data-event-type='ApprovalRecorded']"))).hasSize(1);
        assertThat(text("trace-timeline")).contains("approved: Strategic renewal");
        // the decision reached the projections: the full digest moves (checkpoint after the workers' catch-up)
        waitUp().until(d -> !d.findElement(By.id("full-digest")).getText().equals(digestBefore)
                && d.findElements(By.id("digests-catching-up")).isEmpty());
        shot("workflow-item-approved");
        List<AuditEntry> audit = h.server.services().access().queryAudit(new AuditQuery(TENANT, "approve", "accepted", "admin-a", null,
                null, null, null, null, 10));
        assertThat(audit).hasSize(1);
        assertThat(audit.getFirst().record().actorKind()).isEqualTo("user");

        // live: the agent appends the next event over the API; the open page shows it without a reload
        ((JavascriptExecutor) browser).executeScript("window.__noReload = 'still here';");
        waitUp().until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-live-connected")));
        String digestAfterApproval = waitUp().until(d -> d.findElement(By.id("full-digest")).getText());
        long seq = h.server.services().log().nextTraceSeq(TENANT, ReleaseDemo.LIVE_TRACE);
        String body = JsonWriter.canonical(org.decisiongraph.core.json.JsonParser.parse("""
                {"event_id":"trace-live-renewal-002-action_proposed-%d","trace_id":"trace-live-renewal-002","trace_seq":%d,
                 "event_type":"ActionProposed","occurred_at":"2026-03-07T10:30:00Z",
                 "source":{"producer_id":"revenue-agent","system":"decisiongraph","subsystem":"agent"},
                 "actor":{"actor_type":"agent","actor_id":"revenue-agent"},
                 "idempotency_key":"actionproposed:trace-live-renewal-002:%d",
                 "payload":{"action_id":"action:live:002","action_type":"update","changes":[{"new_value":{"type":"number","value":21},"old_value":{"type":"number","value":12},"path":"discount_pct"}],"target_entity":{"entity_id":"oppty-acme-renewal-2026-002","entity_type":"opportunity","system":"crm"},"target_system":"crm"}}
                """.formatted(seq, seq, seq)));
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Authorization", "Bearer " + h.apiToken).header("x-tenant-id", TENANT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        waitUp().until(d -> !d.findElements(By.cssSelector("#trace-timeline li[data-event-type='ActionProposed']")).isEmpty());
        waitUp().until(d -> !d.findElement(By.id("full-digest")).getText().equals(digestAfterApproval));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__noReload;")).isEqualTo("still here");
        shot("workflow-item-live-update");
    }

    @Test
    @Order(2)
    void anOperationalChangeByAnotherUserShowsUpWithoutAReload() throws Exception {
        login("admin-a");
        browser.get(itemUrl(ReleaseDemo.INCIDENT_WORKFLOW));
        awaitLive();
        ((JavascriptExecutor) browser).executeScript("window.__noReload = 'still here';");
        // a colleague comments on the same item from another session (a plain HTTP client)
        ConsoleHarness.Browser colleague = h.loggedIn("admin-a");
        String csrf = ConsoleHarness.Browser.csrf(colleague.get("/console/workflow?tenant=" + TENANT + "&id="
                + Urls.encode(ReleaseDemo.INCIDENT_WORKFLOW)).body());
        HttpResponse<String> posted = colleague.post("/console/workflow/act", java.util.Map.of("_csrf", csrf, "tenant", TENANT,
                "id", ReleaseDemo.INCIDENT_WORKFLOW, "action", "comment", "note", "Owen's rejection stands; capture guidance"), null);
        assertThat(posted.statusCode()).isEqualTo(303);
        waitUp().until(d -> d.findElement(By.id("action-timeline")).getText().contains("Owen's rejection stands"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__noReload;")).isEqualTo("still here");
    }

    @Test
    @Order(3)
    void theOtherPagesRenderForTheAdmin() throws Exception {
        login("admin-a");
        browser.get(base + "/console/studio?tenant=" + TENANT + "&trace_id=" + ReleaseDemo.INCIDENT_TRACE);
        assertThat(browser.findElements(By.cssSelector("#templates tbody tr"))).isNotEmpty();
        assertThat(text("simulation")).contains("trace_review");
        shot("workflow-studio");

        browser.get(base + "/console/admin?tenant=" + TENANT);
        browser.findElement(By.id("account-id")).sendKeys("demo-agent");
        browser.findElement(By.id("btn-create-account")).click();
        waitUp().until(d -> !d.findElements(By.id("token-value")).isEmpty());
        String token = text("token-value");
        assertThat(token).isNotBlank();
        shot("admin-token-shown-once");
        browser.get(base + "/console/admin?tenant=" + TENANT);
        assertThat(browser.getPageSource()).doesNotContain(token);
        assertThat(browser.findElements(By.cssSelector("tr[data-account-id='demo-agent']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("tr[data-user-id='reader-a']"))).hasSize(1);
        shot("admin");

        browser.get(base + "/console/audit?tenant=" + TENANT + "&action=approve");
        assertThat(browser.findElements(By.cssSelector("#audit-table tr[data-action='approve']"))).isNotEmpty();
        shot("audit-log");
        browser.get(base + "/console/audit?tenant=" + TENANT);
        assertThat(browser.findElements(By.cssSelector("#audit-table tr[data-action='service_account_create']"))).isNotEmpty();
    }

    @Test
    @Order(4)
    void aReaderSeesNoControlsAndAForgedPostIsRefused() throws Exception {
        login("reader-a");
        browser.get(itemUrl(ReleaseDemo.INCIDENT_WORKFLOW));
        assertThat(browser.findElement(By.id("item-status")).getAttribute("data-status")).isEqualTo("escalated");
        assertThat(browser.findElements(By.cssSelector("#item-actions button"))).isEmpty();
        assertThat(browser.findElements(By.id("read-only"))).hasSize(1);
        shot("workflow-item-reader");
        // a forged decision with the reader's own valid CSRF token, from the page's origin
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = document.querySelector('meta[name="csrf-token"]').content;
                const body = new URLSearchParams({_csrf: csrf, tenant: arguments[0], id: arguments[1], action: 'approve', reason: 'forged'});
                fetch('/console/workflow/act', {method: 'POST', body: body, redirect: 'manual'}).then(r => done(r.status));
                """, TENANT, ReleaseDemo.INCIDENT_WORKFLOW);
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(new WorkflowStore(h.db).item(TENANT, ReleaseDemo.INCIDENT_WORKFLOW).orElseThrow().status()).isEqualTo("escalated");
        assertThat(h.server.services().access().queryAudit(new AuditQuery(TENANT, "auth_denied", "denied", "reader-a", null, null, null,
                null, null, 10))).isNotEmpty();
        // and the admin pages are not offered
        browser.get(base + "/console/admin?tenant=" + TENANT);
        assertThat(browser.getPageSource()).contains("Access denied");
    }

    @Test
    @Order(5)
    void anotherTenantsUserCannotSeeTheDemo() throws Exception {
        login("admin-b");
        browser.get(itemUrl(ReleaseDemo.LIVE_WORKFLOW));
        assertThat(browser.getPageSource()).contains("Access denied").doesNotContain("Live renewal exception review");
        browser.get(base + "/console/workflows?tenant=" + ConsoleHarness.TENANT_B + "");
        assertThat(browser.findElements(By.cssSelector("#inbox-table tr[data-workflow-id]"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(ReleaseDemo.LIVE_WORKFLOW);
        browser.get(base + "/console/workflow?tenant=" + ConsoleHarness.TENANT_B + "&id=" + Urls.encode(ReleaseDemo.LIVE_WORKFLOW));
        assertThat(browser.getPageSource()).contains("Workflow not found");
        assertThat(browser.findElement(By.id("message")).getText()).contains("Not found");
    }
}
