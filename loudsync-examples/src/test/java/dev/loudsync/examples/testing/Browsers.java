package dev.loudsync.examples.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium pages for the browser tests (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs), each with a profile of its own (its own
 * storage: its own device). Closing quits them all and deletes their profiles.
 */
public final class Browsers implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private Browsers() {
    }

    /** Browsers for {@code test}, or the test skipped (saying why) where none is installed. */
    public static Browsers forTest(String test) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String reason = "Chromium or ChromeDriver not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): install Debian's chromium and chromium-driver, as .ci/run does";
            System.err.println("SKIPPED " + test + ": " + reason);
            Assumptions.abort(reason);
        }
        return new Browsers();
    }

    /**
     * A new page of {@code windowSize} ("430,932": a phone), with {@code extraArguments} for
     * Chromium besides the usual headless ones.
     */
    public ChromeDriver open(String windowSize, String... extraArguments) throws IOException {
        Path profile = Files.createTempDirectory("loudsync-chromium");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=" + windowSize, "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        return driver;
    }

    @Override
    public void close() throws IOException {
        for (WebDriver d : drivers) {
            d.quit();
        }
        drivers.clear();
        for (Path p : profiles) {
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        profiles.clear();
    }
}
