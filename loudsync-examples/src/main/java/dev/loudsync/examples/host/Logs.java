package dev.loudsync.examples.host;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/** Switches Logback to another configuration of the host's resources, such as the JSON one. */
final class Logs {

    private Logs() {
    }

    /**
     * Replaces the logging configuration with the resource {@code name} (next to {@code logback.xml}).
     *
     * @throws IllegalStateException if Logback is not the logging backend or the resource is missing or broken
     */
    static void useConfiguration(String name) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("log format: Logback is not the logging backend");
        }
        URL config = Logs.class.getClassLoader().getResource(name);
        if (config == null) {
            throw new IllegalStateException("log format: " + name + " not found");
        }
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("log format: " + name + " is broken", e);
        }
    }
}
