package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.examples.testing.Browsers;
import dev.loudsync.examples.testing.JarProcess;
import dev.loudsync.testing.SocketGuest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
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

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Browsers browsers;
    private JarProcess host;

    @BeforeEach
    void needsABrowser() {
        browsers = Browsers.forTest("GuestPageBrowserIT");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Browsers closing = browsers) {
            if (host != null) {
                host.close();
            }
        }
    }

    private WebDriver browser() throws IOException {
        return browsers.open("430,932");
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
            host.type("kick " + bobId + " Be nice");
            awaitStatus(bob, "You were kicked: Be nice");
            awaitMembers(alice, 3);

            host.terminate();
            awaitStatus(alice, "The session ended");
            assertThat(host.exitCode()).isZero();
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
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(host.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }

    private URI startHost(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--session-id", "TEST42",
                "--host-name", "TestHost", "--no-qr"));
        args.addAll(List.of(options));
        host = new JarProcess("loudsync.host.jar", args.toArray(String[]::new));
        return URI.create(host.awaitGroup(Pattern.compile("(ws://127\\.0\\.0\\.1:\\d+/)"), "the ws:// address"));
    }
}
