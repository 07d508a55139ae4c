package dev.loudsync.examples.jam;

import static dev.loudsync.examples.jam.JamRig.awaitText;
import static dev.loudsync.examples.jam.JamRig.js;
import static dev.loudsync.examples.jam.JamRig.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * The jam page in three headless Chromium browsers against the host jar's {@code jam} command:
 * create, join by code and by link, add tracks, votes reorder the queue for everyone, the host plays
 * the next entry and every page shows (and plays) it, and when the host leaves the next member gets
 * the controls.
 */
class JamBrowserIT {

    // The page re-renders the queue with every change: read and click in one script, never through
    // an element found earlier.
    @SuppressWarnings("unchecked")
    private static List<String> queueTitles(WebDriver b) {
        return (List<String>) js(b, "return Array.from(document.querySelectorAll('#queue li .title'), e => e.textContent)");
    }

    private static void awaitQueue(WebDriver b, List<String> titles) {
        waiting(b).until(d -> queueTitles(d).equals(titles));
    }

    private static void add(WebDriver b, String trackId) {
        js(b, "document.querySelector(\"#catalog li[data-track='\" + arguments[0] + \"'] button.add\").click()", trackId);
    }

    private static void vote(WebDriver b, int index, String direction) {
        js(b, "document.querySelectorAll('#queue li')[arguments[0]].querySelector('button.' + arguments[1]).click()",
                index, direction);
    }

    @Test
    void threeBrowsers_createJoinQueueVotePlay_andTheHostRolePassesOn() throws Exception {
        try (JamRig jam = JamRig.start()) {
            WebDriver ann = jam.browser(null);
            WebDriver ben = jam.browser(null);
            WebDriver cat = jam.browser(null);
            String code = jam.create(ann, "Test jam", "Ann");
            assertThat(code).matches("[A-Z0-9]{3}-[A-Z0-9]{3}");

            // A shared link without a name opens the join form with the code filled in.
            ben.get(jam.page + "?session=" + code);
            assertThat(ben.findElement(By.id("code")).getAttribute("value")).isEqualTo(code);
            ben.findElement(By.id("name")).sendKeys("Ben");
            ben.findElement(By.id("join")).click();
            awaitText(ben, "status", "Connected");
            jam.joinByLink(cat, code, "Cat");

            for (WebDriver b : List.of(ann, ben, cat)) {
                waiting(b).until(d -> d.findElements(By.cssSelector("#members li")).size() == 3);
                awaitText(b, "session-meta", code);
            }
            assertThat(ann.findElement(By.id("controls")).isDisplayed()).as("the creator hosts").isTrue();
            assertThat(ben.findElement(By.id("controls")).isDisplayed()).isFalse();
            assertThat(cat.findElement(By.id("controls")).isDisplayed()).isFalse();

            add(ann, "g-sunrise");
            awaitQueue(ann, List.of("Sunrise Arpeggio"));
            add(ben, "g-walk");
            awaitQueue(ben, List.of("Sunrise Arpeggio", "Walking Bass Loop"));
            add(cat, "g-lullaby");
            for (WebDriver b : List.of(ann, ben, cat)) {
                awaitQueue(b, List.of("Sunrise Arpeggio", "Walking Bass Loop", "Lazy Lullaby"));
            }

            vote(ben, 2, "up");
            for (WebDriver b : List.of(ann, ben, cat)) {
                awaitQueue(b, List.of("Lazy Lullaby", "Sunrise Arpeggio", "Walking Bass Loop"));
            }
            vote(cat, 1, "down"); // Sunrise Arpeggio: -1
            for (WebDriver b : List.of(ann, ben, cat)) {
                awaitQueue(b, List.of("Lazy Lullaby", "Walking Bass Loop", "Sunrise Arpeggio"));
            }
            assertThat(js(ben, "return document.querySelector('#queue li button.up').getAttribute('aria-pressed')"))
                    .as("Ben sees his vote").isEqualTo("true");

            ann.findElement(By.id("play-next")).click();
            for (WebDriver b : List.of(ann, ben, cat)) {
                awaitText(b, "now-title", "Lazy Lullaby");
                awaitQueue(b, List.of("Walking Bass Loop", "Sunrise Arpeggio"));
                waiting(b).until(d -> Boolean.TRUE.equals(js(d, "return window.loudsyncJam.playing()")));
            }

            // The host's page a moment into the track: the picture in docs/jam-page.png.
            waiting(ann).until(d -> !String.valueOf(js(d, "return document.getElementById('now-time').textContent"))
                    .startsWith("0:00"));
            Path shot = ((TakesScreenshot) ann).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, Path.of("target", "jam-page.png"), StandardCopyOption.REPLACE_EXISTING);

            ann.findElement(By.id("leave")).click();
            awaitText(ben, "status", "Ben hosts now");
            waiting(ben).until(d -> d.findElement(By.id("controls")).isDisplayed());
            waiting(cat).until(d -> d.findElements(By.cssSelector("#members li")).size() == 2);
            assertThat(cat.findElement(By.id("controls")).isDisplayed()).isFalse();
            ben.findElement(By.id("play-next")).click();
            awaitText(cat, "now-title", "Walking Bass Loop");

            assertThat(jam.stop()).as("SIGTERM ends the jam with exit code 0").isTrue();
            awaitText(cat, "status", "The session ended");
        }
    }
}
