package dev.loudsync.moduletest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ModulePathApp} in a JVM of its own with everything on the module path: the
 * application's module and its runtime dependencies as the build lists them
 * ({@code target/module-path.txt}, written by {@code dependency:build-classpath}), so LoudSync's
 * module descriptors decide what resolves and what is readable. Nothing is on the class path.
 */
class ModulePathTest {

    @Test
    void anApplicationOnTheModulePathStartsAServerAndJoinsIt() throws Exception {
        Path target = Path.of("target");
        String dependencies = Files.readString(target.resolve("module-path.txt"), StandardCharsets.UTF_8).strip();
        assertThat(dependencies).contains("loudsync-netty").contains("loudsync-core").doesNotContain("jmdns");
        String modulePath = target.resolve("classes") + File.pathSeparator + dependencies;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "--module-path", modulePath,
                "-m", "dev.loudsync.moduletest/dev.loudsync.moduletest.ModulePathApp"))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the application ended; output:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("OK");
    }
}
