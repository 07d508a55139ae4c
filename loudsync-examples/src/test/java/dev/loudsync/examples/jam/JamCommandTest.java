package dev.loudsync.examples.jam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The jam command's options and its refusals, without starting a server. */
class JamCommandTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        // As the host jar sets it up for every command (HostMain.commandLine).
        CommandLine c = new CommandLine(new JamCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        c.setErr(new PrintWriter(err, true));
        c.setOut(new PrintWriter(out, true));
        return c.execute(args);
    }

    @Test
    void help_namesTheMusicFolderAndTheSharedServerOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--music=DIR", "--port=N", "--bind=ADDR", "--no-qr", "--tls-self-signed");
    }

    @Test
    void aMusicFolderThatIsNoFolder_isAUsageError() {
        assertThat(run("--music", "/nonexistent/jam-music", "--port", "0", "--bind", "127.0.0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("--music: not a folder: /nonexistent/jam-music");
    }
}
