package dev.loudsync.examples.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.testing.SocketGuest;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The guest page in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}),
 * against the shaded host jar started as a user would: two browser guests and one JDK-client guest
 * join, chat, one browser guest is kicked from the host console, and stopping the host ends the
 * session in the other browser; and a page whose host freezes (SIGSTOP) notices it from the
 * announced heartbeat timeout, says it is reconnecting, and is back once the host continues.
 * Skipped, with the reason printed, where no browser is installed.
 */
class GuestPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Process host;
    private final List<WebDriver> browsers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();

    @BeforeEach
    void needsABrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "Chromium or ChromeDriver not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): install Debian's chromium and chromium-driver, as .ci/run does";
            System.err.println("SKIPPED GuestPageBrowserIT: " + reason);
            Assumptions.abort(reason);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (WebDriver b : browsers) {
            b.quit();
        }
        if (host != null && host.isAlive()) {
            host.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Path p : profiles) {
            try (var files = Files.walk(p)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("loudsync-chromium");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=430,932", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        return driver;
    }

    private static void joinAs(WebDriver b, String page, String name) {
        b.get(page);
        WebDriverWait wait = new WebDriverWait(b, WAIT);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("session-meta"), "TES-T42"));
        b.findElement(By.id("name")).sendKeys(name);
        b.findElement(By.id("join")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Connected"));
    }

    private static void awaitMembers(WebDriver b, int count) {
        new WebDriverWait(b, WAIT).until(d -> d.findElements(By.cssSelector("#members li")).size() == count);
    }

    private static void awaitStatus(WebDriver b, String text) {
        new WebDriverWait(b, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), text));
    }

    @Test
    void twoBrowsersAndAJavaGuest_joinChatGetKickedAndSeeTheSessionEnd() throws Exception {
        URI ws = startHost();
        String page = "http://127.0.0.1:" + ws.getPort() + "/";
        WebDriver alice = browser();
        WebDriver bob = browser();
        joinAs(alice, page, "Alice");
        joinAs(bob, page, "Bob");
        try (SocketGuest carol = TestHost.sendJoin(ws, "TEST42", "carol", "Carol")) {
            carol.joined();
            awaitMembers(alice, 4); // the host and three guests
            awaitMembers(bob, 4);
            for (WebDriver b : List.of(alice, bob)) {
                assertThat(b.findElement(By.id("members")).getText()).contains("Alice", "Bob", "Carol", "TestHost");
            }

            alice.findElement(By.id("chat-input")).sendKeys("hello from alice");
            alice.findElement(By.id("chat-send")).click();
            new WebDriverWait(bob, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("chat-log"), "hello from alice"));
            assertThat(carol.next("CHAT").at("/payload/text").asText()).isEqualTo("hello from alice");

            Path shot = ((TakesScreenshot) alice).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "guest-page.png"), StandardCopyOption.REPLACE_EXISTING);

            String bobId = (String) ((JavascriptExecutor) bob).executeScript(
                    "return localStorage.getItem('loudsync.deviceId')");
            command("kick " + bobId + " Be nice");
            awaitStatus(bob, "You were kicked: Be nice");
            awaitMembers(alice, 3);

            host.destroy(); // SIGTERM
            awaitStatus(alice, "The session ended");
            assertThat(host.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(host.exitValue()).isZero();
        }
    }

    @Test
    void aFrozenHost_isNoticedByThePage_whichSaysSoAndReconnectsOnceTheHostContinues() throws Exception {
        URI ws = startHost("--heartbeat-timeout", "2s"); // interval and check: 666 ms
        WebDriver alice = browser();
        joinAs(alice, "http://127.0.0.1:" + ws.getPort() + "/", "Alice");
        awaitMembers(alice, 2);
        JavascriptExecutor js = (JavascriptExecutor) alice;
        // Each change of the status line, with the page's clock (the machine's, as System.currentTimeMillis).
        js.executeScript("window.statusLog = [];"
                + "new MutationObserver(() => window.statusLog.push("
                + "Date.now() + ' ' + document.getElementById('status').textContent))"
                + ".observe(document.getElementById('status'), {childList: true, characterData: true, subtree: true});");

        // A live host in a quiet session: two timeouts pass and the page stays connected.
        Thread.sleep(4_000);
        assertThat((List<?>) js.executeScript("return window.statusLog")).isEmpty();

        long frozenAt = System.currentTimeMillis();
        signal("STOP");
        awaitStatus(alice, "The host is not answering; reconnecting");
        String noticed = (String) js.executeScript("return window.statusLog[0]");
        assertThat(noticed).endsWith(" The host is not answering; reconnecting…");
        System.out.printf("GuestPageBrowserIT: the page noticed a frozen host after %d ms (heartbeat timeout 2000 ms,"
                + " interval 666 ms)%n", Long.parseLong(noticed.substring(0, noticed.indexOf(' '))) - frozenAt);
        Thread.sleep(1_000); // frozen a while longer
        signal("CONT");
        long back = System.nanoTime();
        awaitStatus(alice, "Connected");
        System.out.printf("GuestPageBrowserIT: connected again %d ms after the host continued%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        awaitMembers(alice, 2);
        assertThat(alice.findElement(By.id("members")).getText()).contains("Alice (you)", "TestHost");
        assertThat(alice.findElement(By.id("chat-input")).isEnabled()).isTrue();
    }

    /** Sends {@code signal} (STOP, CONT) to the host process. */
    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(host.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }

    private void command(String line) throws IOException {
        OutputStream in = host.getOutputStream();
        in.write((line + "\n").getBytes(UTF_8));
        in.flush();
    }

    private URI startHost(String... options) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(List.of(java, "-jar",
                System.getProperty("loudsync.host.jar", "target/loudsync-host.jar"), "--bind", "127.0.0.1", "--port", "0",
                "--session-id", "TEST42", "--host-name", "TestHost", "--no-qr"));
        command.addAll(List.of(options));
        host = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(host.getInputStream(), UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    stdout.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "host-stdout");
        reader.setDaemon(true);
        reader.start();
        Pattern url = Pattern.compile("(ws://127\\.0\\.0\\.1:\\d+/)");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            String line = stdout.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                Matcher m = url.matcher(line);
                if (m.find()) {
                    return URI.create(m.group(1));
                }
            }
        }
        throw new AssertionError("the host printed no ws:// address within 30 s");
    }
}
