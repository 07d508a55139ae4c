package dev.loudsync.examples.jam;

import dev.loudsync.examples.testing.Browsers;
import dev.loudsync.examples.testing.JarProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The jam as a user runs it, for the browser tests: the shaded host jar's {@code jam} command as a
 * process on 127.0.0.1, and headless Chromium pages that may run a script before the page's own.
 * Skips the test, saying why, where no browser is installed.
 */
final class JamRig implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final JarProcess host;
    final String page;
    private final Browsers browsers;

    private JamRig(Browsers browsers, JarProcess host, String page) {
        this.browsers = browsers;
        this.host = host;
        this.page = page;
    }

    /** Starts the jam, or skips the test without a browser. */
    static JamRig start() throws Exception {
        Browsers browsers = Browsers.forTest("the jam's browser test");
        JarProcess host = new JarProcess("loudsync.host.jar", "jam", "--bind", "127.0.0.1", "--port", "0", "--no-qr");
        try {
            return new JamRig(browsers, host,
                    host.awaitGroup(Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)"), "the page's http:// address"));
        } catch (Exception | Error e) {
            try (browsers) {
                host.close();
            }
            throw e;
        }
    }

    /** A new browser (own profile: own device id); {@code preload} runs before each page's scripts. */
    WebDriver browser(String preload) throws IOException {
        // A phone's page unlocks audio with the tap on Join; tests have no tap.
        ChromeDriver driver = browsers.open("430,932", "--autoplay-policy=no-user-gesture-required");
        if (preload != null) {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", preload));
        }
        return driver;
    }

    static Object js(WebDriver b, String script, Object... args) {
        return ((JavascriptExecutor) b).executeScript(script, args);
    }

    static WebDriverWait waiting(WebDriver b) {
        return new WebDriverWait(b, WAIT);
    }

    static void awaitText(WebDriver b, String id, String text) {
        waiting(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    /** Creates a session from the page; returns its code. */
    String create(WebDriver b, String session, String name) {
        b.get(page);
        b.findElement(By.id("session-name")).sendKeys(session);
        b.findElement(By.id("host-name")).sendKeys(name);
        b.findElement(By.id("create")).click();
        awaitText(b, "status", "Connected");
        return b.getCurrentUrl().replaceFirst(".*\\?session=", "");
    }

    /** Joins through a shared link with the name in it, as a QR code would. */
    void joinByLink(WebDriver b, String code, String name) {
        b.get(page + "?session=" + code + "&name=" + name);
        awaitText(b, "status", "Connected");
    }

    /** Stops the jam with SIGTERM; true if it exited with 0 in time. */
    boolean stop() throws InterruptedException {
        host.terminate();
        return host.exitCode() == 0;
    }

    @Override
    public void close() throws Exception {
        try (browsers) {
            host.close();
        }
    }
}
