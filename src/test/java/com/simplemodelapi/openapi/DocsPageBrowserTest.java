package com.simplemodelapi.openapi;

import com.simplemodelapi.app.SimpleModelApiConfiguration;
import com.simplemodelapi.testing.Poll;
import com.simplemodelapi.testing.TestApp;
import com.simplemodelapi.testing.TestData;
import com.simplemodelapi.testing.TestPostgres;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static com.simplemodelapi.testing.Poll.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's use of the docs page, in headless Chromium: open /docs, paste a key under "Authorize", open the predict
 * operation, "Try it out" with its example body, "Execute", and see the 200. It saves the page as the README's
 * screenshot, docs/images/docs-page.png.
 *
 * <p>It drives Debian's {@code chromium} through its {@code chromedriver} (.ci/run installs both), found on the PATH or
 * where Debian puts them, never downloaded: Selenium is handed both paths, so Selenium Manager is not asked. With
 * neither to be had, the test is skipped and says why.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DocsPageBrowserTest {
    private static final String DATABASE = TestPostgres.newDatabase();
    private static final Path AUDIT_LOG =
            Path.of("target", "audit", "DocsPageBrowserTest-" + UUID.randomUUID() + ".log").toAbsolutePath();
    static final DropwizardAppExtension<SimpleModelApiConfiguration> APP = TestApp.extension(DATABASE, AUDIT_LOG);
    /** The README's picture of the page, at the project root (Surefire runs there). */
    private static final Path SCREENSHOT = Path.of("docs", "images", "docs-page.png");
    private static final Path FAILURE_SCREENSHOT = Path.of("target", "docs-page-failure.png");
    private static final String MODEL = "iris-species";
    private static final String OPERATION = "#operations-Predictions-predictLatest";

    /** Held, so that its level stays set: Selenium warns that it has no DevTools bindings for this Chromium. */
    private static final java.util.logging.Logger CDP_WARNINGS =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private static String key;
    private static ChromeDriver browser;

    @BeforeAll
    static void setUp() throws Exception {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("chromedriver").or(() -> existing(Path.of("/usr/lib/chromium/chromedriver")));
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(),
                "Skipped: no headless browser to drive. This test needs Chromium and its ChromeDriver, on the PATH or"
                        + " in /usr/bin (found: chromium " + chromium.map(Path::toString).orElse("none")
                        + ", chromedriver " + driver.map(Path::toString).orElse("none")
                        + "). On Debian: apt-get install chromium chromium-driver (.ci/run does).");

        TestData data = new TestData(DATABASE);
        key = data.user("reader");
        // The document's predict examples are for the demo model.
        try (InputStream iris = DocsPageBrowserTest.class.getResourceAsStream("/demo/" + MODEL + ".json")) {
            data.model(new String(iris.readAllBytes(), StandardCharsets.UTF_8));
        }
        data.grant("reader", MODEL);
        HttpResponse<String> refresh = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + APP.getAdminPort() + "/tasks/refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refresh.statusCode()).isEqualTo(200);

        CDP_WARNINGS.setLevel(java.util.logging.Level.OFF);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--window-size=1280,1900", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--hide-scrollbars");
        if ("root".equals(System.getProperty("user.name"))) {
            // Chromium's sandbox will not start as root; as anyone else it stays on.
            options.addArguments("--no-sandbox");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonAuthorizesWithAKeyAndTriesAPredictionThatAnswers200() throws IOException {
        try {
            authorizeAndPredict();
        } catch (AssertionError | RuntimeException e) {
            // What the page showed when it went wrong, for whoever reads the failure.
            Files.write(FAILURE_SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
            throw new AssertionError(e.getMessage() + " (the page as it was: " + FAILURE_SCREENSHOT.toAbsolutePath()
                    + ")", e);
        }
    }

    private void authorizeAndPredict() throws IOException {
        String origin = "http://localhost:" + APP.getLocalPort();
        browser.get(origin + "/docs");
        WebElement operation = await(() -> find(By.cssSelector(OPERATION)), "Swagger UI showing the predict operation");

        click(By.cssSelector(".auth-wrapper button.authorize"));
        WebElement keyInput = await(() -> find(By.cssSelector(".modal-ux input")), "the Authorize dialog's key field");
        keyInput.sendKeys(key);
        click(By.cssSelector(".modal-ux button.authorize"));
        await(() -> find(By.cssSelector(".modal-ux button.btn-done")), "the dialog saying the key is set").click();

        operation.findElement(By.cssSelector(".opblock-summary")).click();
        await(() -> find(By.cssSelector(OPERATION + " button.try-out__btn")), "the Try it out button").click();
        WebElement name = await(() -> find(By.cssSelector(OPERATION + " tr[data-param-name='name'] input")),
                "the model name field");
        name.clear();
        name.sendKeys(MODEL);
        String body = await(() -> find(By.cssSelector(OPERATION + " textarea.body-param__text")),
                "the example body").getAttribute("value");
        assertThat(body).as("the body Swagger UI fills in from the document's example").contains("sepal_length");
        click(By.cssSelector(OPERATION + " button.execute"));

        String status = Poll.until(PATIENCE, () -> textOf(OPERATION + " .live-responses-table tr.response .response-col_status"),
                text -> text.startsWith("200"), "the prediction's status shown on the page");
        assertThat(status).startsWith("200");
        String answer = textOf(OPERATION + " .live-responses-table tr.response .response-col_description");
        assertThat(answer).contains("\"model\": \"" + MODEL + "\"", "\"label\"");

        // The picture shows the operation from its summary to the server's answer. The key is this test's own, in a
        // database thrown away after it, but a key-shaped secret has no place in the README's picture.
        browser.executeScript("""
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                while (walker.nextNode()) {
                  walker.currentNode.nodeValue = walker.currentNode.nodeValue.split(arguments[0]).join("sma_...");
                }
                arguments[1].scrollIntoView(true);
                window.scrollBy(0, -10);""", key, operation);
        // Written beside it and renamed over it: the picture is whole or the old one, and replacing it needs only the
        // folder to be writable, not a file another user may have checked out.
        Files.createDirectories(SCREENSHOT.getParent());
        Path written = Files.write(SCREENSHOT.resolveSibling(".docs-page.png.tmp"),
                browser.getScreenshotAs(OutputType.BYTES));
        Files.move(written, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(entry => entry.name);");
        assertThat(loaded).as("everything the page loaded").isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith(origin + "/"));
    }

    private static void click(By selector) {
        await(() -> find(selector), selector.toString()).click();
    }

    /** The first element the selector finds, or null. */
    private static WebElement find(By selector) {
        return browser.findElements(selector).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    private static String textOf(String selector) {
        WebElement element = find(By.cssSelector(selector));
        return element == null ? "(nothing at " + selector + " yet)" : element.getText();
    }

    private static WebElement await(Supplier<WebElement> element, String what) {
        return Poll.until(PATIENCE, () -> {
            try {
                return element.get();
            } catch (WebDriverException stale) {
                return null;
            }
        }, found -> found != null, what);
    }

    private static Optional<Path> executable(String... names) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin";
        return Stream.of(names).flatMap(name -> Stream.of(path.split(File.pathSeparator))
                        .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    private static Optional<Path> existing(Path file) {
        return Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
    }
}
