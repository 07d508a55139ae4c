package dev.loudsync.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.examples.testing.Browsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in two real headless Chromiums (Debian's {@code chromium} and
 * {@code chromium-driver}) against a chat on 127.0.0.1 with the contract's timings: sign in, a room
 * created and opened, then opened at once by a shared link, messages both ways, the typing
 * indicator, history after a reload, and a forged token refused. Skipped, with the reason printed,
 * where no browser is installed. Leaves {@code target/chat-page.png} (the README's screenshot).
 */
class ChatPageBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Browsers browsers;
    private ChatTestHost host;

    @BeforeEach
    void needsABrowser() {
        browsers = Browsers.forTest("ChatPageBrowserIT");
        host = new ChatTestHost("jdbc:sqlite:" + dir.resolve("chat.db"), null, null, ChatApp.Settings.DEFAULTS);
    }

    @AfterEach
    void cleanUp() throws IOException {
        try (Browsers closing = browsers) {
            if (host != null) {
                host.close();
            }
        }
    }

    private WebDriver browser(String size) throws IOException {
        return browsers.open(size);
    }

    private static WebDriverWait waiting(WebDriver b) {
        return new WebDriverWait(b, WAIT, Duration.ofMillis(50));
    }

    private static void awaitText(WebDriver b, String id, String text) {
        waiting(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    private static void say(WebDriver b, String text) {
        b.findElement(By.id("text")).sendKeys(text);
        b.findElement(By.id("send")).click();
    }

    @Test
    void twoBrowsers_signInTalkSeeTypingKeepHistoryAndRefuseAForgedToken() throws Exception {
        String page = host.http + "/";
        WebDriver ann = browser("1000,720");
        ann.get(page);
        waiting(ann).until(ExpectedConditions.visibilityOfElementLocated(By.id("name"))).sendKeys("Ann");
        ann.findElement(By.id("signin")).click();
        waiting(ann).until(ExpectedConditions.visibilityOfElementLocated(By.id("new-room"))).sendKeys("Main stage");
        ann.findElement(By.id("create")).click();
        awaitText(ann, "room-name", "Main stage");
        String roomId = ann.getCurrentUrl().replaceAll(".*[?&]room=([^&]+).*", "$1");
        assertThat(host.app.room(roomId)).isPresent();

        WebDriver bob = browser("430,800");
        bob.get(page + "?room=" + roomId + "&name=Bob"); // a shared link: signs in and opens the room
        awaitText(bob, "room-name", "Main stage");
        for (WebDriver b : List.of(ann, bob)) {
            waiting(b).until(d -> d.findElements(By.cssSelector("#members li")).size() == 2);
            assertThat(b.findElement(By.id("members")).getText()).contains("Ann", "Bob");
        }

        ann.findElement(By.id("text")).sendKeys("hello B");
        awaitText(bob, "typing", "Ann is typing");
        ann.findElement(By.id("text")).sendKeys("ob");
        ann.findElement(By.id("send")).click();
        awaitText(bob, "messages", "hello Bob");
        waiting(bob).until(ExpectedConditions.textToBe(By.id("typing"), ""));

        say(bob, "hi Ann, the stage looks great");
        awaitText(ann, "messages", "hi Ann, the stage looks great");
        say(ann, "see you at the front");
        awaitText(bob, "messages", "see you at the front");
        bob.findElement(By.id("text")).sendKeys("on my way");
        awaitText(ann, "typing", "Bob is typing");
        Path shot = ((TakesScreenshot) ann).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "chat-page.png"), StandardCopyOption.REPLACE_EXISTING);
        bob.findElement(By.id("text")).clear();

        bob.navigate().refresh();
        awaitText(bob, "room-name", "Main stage");
        waiting(bob).until(d -> d.findElements(By.cssSelector("#messages li")).size() == 3);
        assertThat(bob.findElements(By.cssSelector("#messages .text"))).extracting(e -> e.getText())
                .containsExactly("hello Bob", "hi Ann, the stage looks great", "see you at the front");

        ChatTokens strangers = new ChatTokens(HexFormat.of().parseHex("11".repeat(32)), ChatTokens.DEFAULT_TTL);
        String forged = strangers.issue(new ChatUser("u-aaaaaaaaaa", "Mallory"), Instant.now());
        WebDriver mallory = browser("430,800");
        mallory.get(page);
        ((JavascriptExecutor) mallory).executeScript("sessionStorage.setItem('chat.me', JSON.stringify("
                + "{token: arguments[0], userId: 'u-aaaaaaaaaa', name: 'Mallory'}))", forged);
        mallory.get(page + "?room=" + roomId);
        awaitText(mallory, "status", "Sign-in refused: Invalid or expired token");
        assertThat(mallory.findElement(By.id("login")).isDisplayed()).isTrue();
        assertThat(host.app.server().session(roomId).orElseThrow().members()).extracting(m -> m.name())
                .containsExactlyInAnyOrder("Ann", "Bob");

        bob.findElement(By.id("leave")).click();
        awaitText(bob, "rooms", "Main stage");
        waiting(ann).until(d -> d.findElements(By.cssSelector("#members li")).size() == 1);
    }
}
