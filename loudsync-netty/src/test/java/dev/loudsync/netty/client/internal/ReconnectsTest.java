package dev.loudsync.netty.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loudsync.netty.client.ReconnectPolicy;
import dev.loudsync.netty.client.internal.Reconnects.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReconnectsTest {

    private final Reconnects reconnects = new Reconnects(
            new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3));

    @ParameterizedTest
    @ValueSource(ints = {1001, 1006, 1011, 1012, 1013, 4000, 4001, 4499})
    void aLostOrReconnectableConnectionOfAJoinedMember_isRetried(int code) {
        assertThat(reconnects.decide(code, false, true)).isEqualTo(Outcome.RETRY);
    }

    @ParameterizedTest
    @ValueSource(ints = {4500, 4501, 4505, 4999})
    void aFinalCode_isARefusal_joinedOrNot(int code) {
        assertThat(reconnects.decide(code, false, true)).isEqualTo(Outcome.REFUSED);
        assertThat(reconnects.decide(code, false, false)).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void aKickOrTheSessionsEnd_endsWhateverTheCode() {
        assertThat(reconnects.decide(1006, true, true)).isEqualTo(Outcome.ENDED);
        assertThat(reconnects.decide(4505, true, true)).isEqualTo(Outcome.ENDED);
    }

    @Test
    void aNormalClose_endsAJoinedMember_andFailsANewOne() {
        assertThat(reconnects.decide(1000, false, true)).isEqualTo(Outcome.ENDED);
        assertThat(reconnects.decide(1000, false, false)).isEqualTo(Outcome.GAVE_UP);
    }

    @ParameterizedTest
    @ValueSource(ints = {1002, 1003, 1007, 1008, 1009, 1010})
    void otherCodes_areNotRetried(int code) {
        assertThat(reconnects.decide(code, false, true)).isEqualTo(Outcome.GAVE_UP);
    }

    @Test
    void aConnectionThatNeverJoined_isNotRetried() {
        assertThat(reconnects.decide(1006, false, false)).isEqualTo(Outcome.GAVE_UP);
    }

    @Test
    void afterThePolicysAttempts_itGivesUp_untilReset() {
        for (int i = 0; i < 3; i++) {
            assertThat(reconnects.decide(1006, false, true)).as("attempt %d", i).isEqualTo(Outcome.RETRY);
            Duration d = reconnects.nextDelay();
            long cap = Math.min(1000, 100L << i);
            assertThat(d).isBetween(Duration.ofMillis(cap / 2), Duration.ofMillis(cap));
        }
        assertThat(reconnects.decide(1006, false, true)).isEqualTo(Outcome.GAVE_UP);
        reconnects.reset();
        assertThat(reconnects.decide(1006, false, true)).isEqualTo(Outcome.RETRY);
    }
}
