package org.decisiongraph.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.decisiongraph.core.event.EventTypeSet;
import org.decisiongraph.core.json.JsonWriter;
import org.decisiongraph.projection.runtime.RuntimeSettings;
import org.decisiongraph.server.DgServer;
import org.decisiongraph.server.ProjectionService;
import org.decisiongraph.server.ServerConfig;
import org.decisiongraph.server.auth.Permissions;
import org.decisiongraph.store.Database;
import org.decisiongraph.store.access.AuditEntry;
import org.decisiongraph.store.access.AuditQuery;
import org.decisiongraph.store.log.EventLog;
import org.decisiongraph.store.workflow.WorkflowStore;
import org.decisiongraph.testkit.TestDatabases;
import org.decisiongraph.workflow.WorkflowConfig;
import org.decisiongraph.workflow.Workflows;
import org.decisiongraph.workflow.demo.ReleaseDemo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review console in a real headless Chromium against a real server seeded like {@code dg serve} + {@code dg demo}:
 * the demo user opens the escalated live renewal item, approves it with a rationale, sees the {@code ApprovalRecorded}
 * in the trace timeline, then watches the page update live (server push, no reload) when the agent appends the next
 * event over the API; a reader sees no action controls and a forged post is refused; other tenants stay closed.
 * Screenshots of every page go to {@code target/screenshots/}. One browser for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowConsoleBrowserTest {
    static final String PASSWORD = "demo password 2026";
    static final String TENANT = ReleaseDemo.TENANT;
    static final Path SHOTS = Path.of("target", "screenshots");

    Database db;
    ProjectionService projections;
    Workflows workflows;
    DgServer server;
    String base;
    String apiToken;
    WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        db = Database.sqlite(TestDatabases.newSqlitePath());
        ServerConfig config = ServerConfig.DEFAULTS.withPort(0).withDeploymentEnv("test")
                .withRateLimits(new ServerConfig.RateLimits(100_000, 100_000, 100_000, 1_000));
        projections = ProjectionService.start(db, new ProjectionService.Options(true, RuntimeSettings.DEFAULTS, null), clock);
        workflows = new Workflows(db, EventLog.open(db, EventTypeSet.PLATFORM, clock), clock, WorkflowConfig.DEFAULTS);
        server = DgServer.create(db, config, clock, projections.extensions()
                .plus(org.decisiongraph.server.WorkflowExtension.of(workflows))
                .plus(ConsoleExtension.of(ConsoleConfig.defaults(false), projections, workflows, clock))).start();
        base = "http://127.0.0.1:" + server.port();
        // what `dg demo` does against a running server: seed the database directly, then the console login
        ReleaseDemo.Result seeded = ReleaseDemo.seed(db, TENANT, 0, clock, WorkflowConfig.DEFAULTS);
        assertThat(seeded.appended()).isEqualTo(22);
        ConsoleAccounts users = new ConsoleAccounts(db, new PasswordHasher(1024, 1, 1), clock);
        users.create("demo", "Demo operator", PASSWORD, TENANT, List.of("admin"), ConsoleAccounts.defaultPermissions("admin"));
        users.create("auditor", "Reader", PASSWORD, TENANT, List.of("reader"), List.of());
        users.create("other-admin", "Other tenant", PASSWORD, "other-tenant", List.of("admin"), List.of());
        apiToken = server.services().accounts().create("revenue-agent", null, List.of("writer", "reader"), List.of(), List.of(TENANT),
                null, "test").orElseThrow().key().token();

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        server.stop();
        workflows.close();
        db.close();
    }

    private void login(String user) {
        browser.manage().deleteAllCookies();
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !d.getCurrentUrl().contains("/login"));
    }

    private void shot(String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
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
        login("demo");
        browser.get(base + "/console/workflows?tenant=" + TENANT);
        assertThat(browser.findElements(By.cssSelector("tr[data-workflow-id='" + ReleaseDemo.LIVE_WORKFLOW + "']"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-count='escalated'] .value")).getText()).isEqualTo("2");
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
        List<AuditEntry> audit = server.services().access().queryAudit(new AuditQuery(TENANT, "approve", "accepted", "demo", null,
                null, null, null, null, 10));
        assertThat(audit).hasSize(1);
        assertThat(audit.getFirst().record().actorKind()).isEqualTo("user");

        // live: the agent appends the next event over the API; the open page shows it without a reload
        ((JavascriptExecutor) browser).executeScript("window.__noReload = 'still here';");
        waitUp().until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-live-connected")));
        String digestAfterApproval = waitUp().until(d -> d.findElement(By.id("full-digest")).getText());
        long seq = server.services().log().nextTraceSeq(TENANT, ReleaseDemo.LIVE_TRACE);
        String body = JsonWriter.canonical(org.decisiongraph.core.json.JsonParser.parse("""
                {"event_id":"trace-live-renewal-002-action_proposed-%d","trace_id":"trace-live-renewal-002","trace_seq":%d,
                 "event_type":"ActionProposed","occurred_at":"2026-03-07T10:30:00Z",
                 "source":{"producer_id":"revenue-agent","system":"decisiongraph","subsystem":"agent"},
                 "actor":{"actor_type":"agent","actor_id":"revenue-agent"},
                 "idempotency_key":"actionproposed:trace-live-renewal-002:%d",
                 "payload":{"action_id":"action:live:002","action_type":"update","changes":[{"new_value":{"type":"number","value":21},"old_value":{"type":"number","value":12},"path":"discount_pct"}],"target_entity":{"entity_id":"oppty-acme-renewal-2026-002","entity_type":"opportunity","system":"crm"},"target_system":"crm"}}
                """.formatted(seq, seq, seq)));
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                .header("Authorization", "Bearer " + apiToken).header("x-tenant-id", TENANT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        waitUp().until(d -> !d.findElements(By.cssSelector("#trace-timeline li[data-event-type='ActionProposed']")).isEmpty());
        waitUp().until(d -> !d.findElement(By.id("full-digest")).getText().equals(digestAfterApproval));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__noReload;")).isEqualTo("still here");
        shot("workflow-item-live-update");
    }

    @Test
    @Order(2)
    void theOtherPagesRenderForTheAdmin() throws Exception {
        login("demo");
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
        assertThat(browser.findElements(By.cssSelector("tr[data-user-id='auditor']"))).hasSize(1);
        shot("admin");

        browser.get(base + "/console/audit?tenant=" + TENANT + "&action=approve");
        assertThat(browser.findElements(By.cssSelector("#audit-table tr[data-action='approve']"))).isNotEmpty();
        shot("audit-log");
        browser.get(base + "/console/audit?tenant=" + TENANT);
        assertThat(browser.findElements(By.cssSelector("#audit-table tr[data-action='service_account_create']"))).isNotEmpty();
    }

    @Test
    @Order(3)
    void aReaderSeesNoControlsAndAForgedPostIsRefused() throws Exception {
        login("auditor");
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
        assertThat(new WorkflowStore(db).item(TENANT, ReleaseDemo.INCIDENT_WORKFLOW).orElseThrow().status()).isEqualTo("escalated");
        assertThat(server.services().access().queryAudit(new AuditQuery(TENANT, "auth_denied", "denied", "auditor", null, null, null,
                null, null, 10))).isNotEmpty();
        // and the admin pages are not offered
        browser.get(base + "/console/admin?tenant=" + TENANT);
        assertThat(browser.getPageSource()).contains("Access denied");
    }

    @Test
    @Order(4)
    void anotherTenantsUserCannotSeeTheDemo() throws Exception {
        login("other-admin");
        browser.get(itemUrl(ReleaseDemo.LIVE_WORKFLOW));
        assertThat(browser.getPageSource()).contains("Access denied").doesNotContain("Live renewal exception review");
        browser.get(base + "/console/workflows?tenant=other-tenant");
        assertThat(browser.findElements(By.cssSelector("#inbox-table tr[data-workflow-id]"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(ReleaseDemo.LIVE_WORKFLOW);
        browser.get(base + "/console/workflow?tenant=other-tenant&id=" + Urls.encode(ReleaseDemo.LIVE_WORKFLOW));
        assertThat(browser.getPageSource()).contains("Workflow not found");
        assertThat(browser.findElement(By.id("message")).getText()).contains("Not found");
    }
}
