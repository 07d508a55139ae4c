package dev.loudsync.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionConfigTest {

    private static SessionConfig.Builder withHost() {
        return SessionConfig.builder().host("h", "Host");
    }

    @Test
    void defaults_areThoseOfTheProtocol() {
        SessionConfig c = withHost().build();
        assertThat(c.name()).isEqualTo("LoudSync Party");
        assertThat(c.maxMembers()).isEqualTo(10);
        assertThat(c.pin()).isEmpty();
        assertThat(c.requireApproval()).isFalse();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.heartbeatCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.reconnectGrace()).isEqualTo(Duration.ZERO);
        assertThat(c.batchWindow()).isEqualTo(Duration.ofMillis(20));
        assertThat(c.latencyProbes()).isTrue();
        assertThat(c.sessionId()).hasSize(6).matches("[" + SessionCodes.ALPHABET + "]+");
    }

    @Test
    void everySetting_isKept() {
        SessionConfig c = withHost().sessionId("party-1").name("Jam").maxMembers(4).pin("1234")
                .requireApproval(true).heartbeatInterval(Duration.ofSeconds(2)).heartbeatTimeout(Duration.ofSeconds(6))
                .heartbeatCheckInterval(Duration.ofMillis(500)).reconnectGrace(Duration.ofSeconds(30))
                .batchWindow(Duration.ofMillis(50)).latencyProbes(false).build();
        assertThat(c.sessionId()).isEqualTo("party-1");
        assertThat(c.name()).isEqualTo("Jam");
        assertThat(c.maxMembers()).isEqualTo(4);
        assertThat(c.pin()).hasValue("1234");
        assertThat(c.requireApproval()).isTrue();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.heartbeatCheckInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.reconnectGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.batchWindow()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.latencyProbes()).isFalse();
        assertThat(c.toString()).doesNotContain("1234");
    }

    @Test
    void badValues_failAtOnce_withTheExpectedRange() {
        assertThatThrownBy(() -> withHost().maxMembers(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMembers: 1 (expected: 2-100000)");
        assertThatThrownBy(() -> withHost().batchWindow(Duration.ofMillis(51)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("batchWindow: PT0.051S");
        assertThatThrownBy(() -> withHost().reconnectGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withHost().sessionId("no/slashes")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withHost().sessionId("--")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withHost().sessionId("A".repeat(33))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withHost().name("tab\there")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withHost().pin("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SessionConfig.builder().host("", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingTwice_isAnError() {
        assertThatThrownBy(() -> withHost().maxMembers(3).maxMembers(4)).isInstanceOf(IllegalStateException.class)
                .hasMessage("maxMembers was already set");
        assertThatThrownBy(() -> withHost().host("x", "y")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void missingHost_orTimeoutNotAboveInterval_failsOnBuild() {
        assertThatThrownBy(() -> SessionConfig.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("host");
        assertThatThrownBy(() -> withHost().heartbeatInterval(Duration.ofSeconds(20)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("heartbeatTimeout");
    }

    @Test
    void aHeartbeatTimeoutAlone_setsTheIntervalAndTheCheckToAThirdOfIt() {
        SessionConfig c = withHost().heartbeatTimeout(Duration.ofSeconds(1)).build();
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofMillis(333));
        assertThat(c.heartbeatCheckInterval()).isEqualTo(Duration.ofMillis(333));
        SessionConfig slow = withHost().heartbeatTimeout(Duration.ofMinutes(1)).build();
        assertThat(slow.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(slow.heartbeatCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        SessionConfig both = withHost().heartbeatTimeout(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofSeconds(2))
                .build();
        assertThat(both.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void the1_1Settings_haveTheirDefaults_andAreKept() {
        SessionConfig d = withHost().build();
        assertThat(d.isServerHosted()).isFalse();
        assertThat(d.emptyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(d.authenticator()).isEmpty();
        assertThat(d.maxStateBytes()).isEqualTo(256 * 1024);
        assertThat(d.takeoverProbe()).isEqualTo(Duration.ofSeconds(2));
        SessionConfig c = SessionConfig.builder().serverHosted().emptyTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofMinutes(30)).maxStateBytes(1024).takeoverProbe(Duration.ZERO).build();
        assertThat(c.isServerHosted()).isTrue();
        assertThat(c.hostId()).isNull();
        assertThat(c.emptyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.maxStateBytes()).isEqualTo(1024);
        assertThat(c.takeoverProbe()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aSessionHasAHostDeviceOrIsServerHosted_notBothNorNeither() {
        assertThatThrownBy(() -> SessionConfig.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("serverHosted()");
        assertThatThrownBy(() -> withHost().serverHosted()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SessionConfig.builder().serverHosted().host("h", "H"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> withHost().idleTimeout(Duration.ofDays(8))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleTimeout");
    }
}
