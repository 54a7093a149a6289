package org.decisiongraph.server.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;

import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Shared setup of the browser tests: one real server ({@link ConsoleHarness}, golden data in tenant-a) and one headless
 * Debian Chromium per test class, screenshots to {@code target/screenshots/<name>.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTestBase {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    ConsoleHarness h;
    WebDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void startBrowser() throws IOException {
        h = new ConsoleHarness(Clock.systemUTC());
        h.seed(ConsoleHarness.TENANT_A);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-gpu", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
        if (h != null) {
            h.close();
        }
    }

    String url(String path) {
        return h.base.resolve(path).toString();
    }

    void open(String path) {
        driver.get(url(path));
    }

    void login(String user) {
        open("/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(ConsoleHarness.PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("logout")));
    }

    void logout() {
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-submit")));
    }

    WebElement await(By by) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** Waits until the page's live stream is open (htmx's SSE extension connected). */
    void awaitLive() {
        wait.until(d -> "true".equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("return document.body.getAttribute('data-live-connected')")));
    }

    /** The texts of the elements found, read again when a live update replaced them meanwhile. */
    java.util.List<String> texts(By by) {
        return wait.until(d -> {
            try {
                return d.findElements(by).stream().map(WebElement::getText).toList();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
    }

    Object js(String script, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(script, args);
    }

    void screenshot(String name) throws IOException {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A new trace's TraceStarted event (fresh ids), in the golden events' shape. */
    static JsonObject newTraceStarted(String traceId) {
        JsonObject first = ConsoleHarness.goldenEvents().getFirst();
        return first.with("event_id", Json.of(java.util.UUID.randomUUID().toString()))
                .with("trace_id", Json.of(traceId))
                .with("idempotency_key", Json.of("start:" + traceId));
    }
}
