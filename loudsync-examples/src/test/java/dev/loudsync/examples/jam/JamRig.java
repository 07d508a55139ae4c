package dev.loudsync.examples.jam;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The jam as a user runs it, for the browser tests: the shaded host jar's {@code jam} command as a
 * process on 127.0.0.1, and headless Chromium pages (Debian's {@code chromium} and
 * {@code chromium-driver}) that may run a script before the page's own. Skips the test, saying why,
 * where no browser is installed.
 */
final class JamRig implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);

    final Process host;
    final String page;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<WebDriver> browsers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private JamRig() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        host = new ProcessBuilder(java, "-jar", System.getProperty("loudsync.host.jar", "target/loudsync-host.jar"),
                "jam", "--bind", "127.0.0.1", "--port", "0", "--no-qr")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(host.getInputStream(), UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    stdout.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "jam-stdout");
        reader.setDaemon(true);
        reader.start();
        page = awaitPage();
    }

    /** Starts the jam, or skips the test without a browser. */
    static JamRig start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "Chromium or ChromeDriver not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): install Debian's chromium and chromium-driver, as .ci/run does";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        return new JamRig();
    }

    private String awaitPage() throws InterruptedException {
        Pattern url = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/)");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = stdout.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                Matcher m = url.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("the jam printed no http:// address within 30 s");
    }

    /** A new browser (own profile: own device id); {@code preload} runs before each page's scripts. */
    WebDriver browser(String preload) throws IOException {
        Path profile = Files.createTempDirectory("loudsync-jam-chromium");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=430,932", "--user-data-dir=" + profile,
                // A phone's page unlocks audio with the tap on Join; tests have no tap.
                "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
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
        host.destroy();
        return host.waitFor(15, TimeUnit.SECONDS) && host.exitValue() == 0;
    }

    @Override
    public void close() throws Exception {
        for (WebDriver b : browsers) {
            b.quit();
        }
        if (host.isAlive()) {
            host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Path p : profiles) {
            try (var files = Files.walk(p)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
