package dev.loudsync.netty.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The beacon's JSON and TXT forms: what is written, and what is refused when read. */
class BeaconTest {

    private static final String VALID = "{\"sessionId\":\"ABC-123\",\"sessionName\":\"Party\",\"hostId\":\"h-1\","
            + "\"hostName\":\"Host\",\"hostAddress\":\"192.168.1.20\",\"port\":8080,\"memberCount\":3,"
            + "\"maxMembers\":8,\"protocolVersion\":1,\"pinRequired\":true}";

    private static Beacon parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return Beacon.parse(b, 0, b.length);
    }

    @Test
    void aValidBeacon_isRead_andWrittenBackIdentically() throws Exception {
        Beacon b = parse(VALID);
        assertThat(b).isEqualTo(new Beacon("ABC-123", "Party", "h-1", "Host", InetAddress.getByName("192.168.1.20"),
                8080, 3, 8, 1, true, true));
        assertThat(new String(b.toJson(), StandardCharsets.UTF_8)).isEqualTo(VALID);
        assertThat(b.normalizedSessionId()).isEqualTo("ABC123");
    }

    @Test
    void aBeaconInTheOriginalFormat_isVersion1WithoutPin_notNative_andWrittenBackIdentically() throws Exception {
        String seed = VALID.replace(",\"protocolVersion\":1,\"pinRequired\":true", "");
        Beacon b = parse(seed);

        assertThat(b).isEqualTo(new Beacon("ABC-123", "Party", "h-1", "Host", InetAddress.getByName("192.168.1.20"),
                8080, 3, 8, 1, false, false));
        assertThat(new String(b.toJson(), StandardCharsets.UTF_8)).isEqualTo(seed);
        assertThat(Beacon.fromTxt(b.toTxt(), null, 0)).isEqualTo(b);
    }

    @Test
    void onlyOneOfTheNewFields_isReadWithTheOtherDefaulted_butNotNative() {
        Beacon versionOnly = parse(VALID.replace(",\"pinRequired\":true", ""));
        assertThat(versionOnly.pinRequired()).isFalse();
        assertThat(versionOnly.loudSyncNative()).isFalse();

        Beacon pinOnly = parse(VALID.replace(",\"protocolVersion\":1", ""));
        assertThat(pinOnly.pinRequired()).isTrue();
        assertThat(pinOnly.protocolVersion()).isEqualTo(1);
        assertThat(pinOnly.loudSyncNative()).isFalse();

        assertThat(parse(VALID).loudSyncNative()).isTrue();
    }

    @Test
    void unknownFieldsAndWhitespace_areAccepted() {
        assertThat(parse(" {\"v2\":{\"a\":[1,2]}," + VALID.substring(1) + "\n")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "null", "[]", "\"x\"", "{}", "{\"sessionId\":\"ABC\"}", "{",
        "VALID,", // trailing comma inside
        "VALID{}", // trailing data
        "DUP", // duplicate name
        "\"port\":8080=>\"port\":\"8080\"",
        "\"port\":8080=>\"port\":8080.0",
        "\"port\":8080=>\"port\":0",
        "\"port\":8080=>\"port\":65536",
        "\"port\":8080=>\"port\":99999999999",
        "\"memberCount\":3=>\"memberCount\":9",
        "\"memberCount\":3=>\"memberCount\":-1",
        "\"maxMembers\":8=>\"maxMembers\":100001",
        "\"protocolVersion\":1=>\"protocolVersion\":2",
        "\"pinRequired\":true=>\"pinRequired\":1",
        "\"pinRequired\":true=>\"pinRequired\":null",
        "\"sessionId\":\"ABC-123\"=>\"sessionId\":\"ABC_123\"",
        "\"sessionId\":\"ABC-123\"=>\"sessionId\":\"---\"",
        "\"sessionId\":\"ABC-123\"=>\"sessionId\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567\"",
        "\"sessionName\":\"Party\"=>\"sessionName\":\"\"",
        "\"sessionName\":\"Party\"=>\"sessionName\":\"Bell\\u0007\"",
        "\"sessionName\":\"Party\"=>\"sessionName\":[\"Party\"]",
        "\"hostName\":\"Host\"=>\"hostName\":null",
        "\"hostAddress\":\"192.168.1.20\"=>\"hostAddress\":\"example.invalid\"",
        "\"hostAddress\":\"192.168.1.20\"=>\"hostAddress\":\"0.0.0.0\"",
        "\"hostAddress\":\"192.168.1.20\"=>\"hostAddress\":\"224.0.0.251\"",
        "\"hostAddress\":\"192.168.1.20\"=>\"hostAddress\":\"192.168.1\"",
        "\"pinRequired\":true=>\"deep\":[[[1]]],\"pinRequired\":true",
        "\"port\":8080,=>", // missing field
        "\"memberCount\":3,=>", // missing field
    })
    void invalidBeacons_areRefused(String mutation) {
        String json;
        if (mutation.equals("VALID,")) {
            json = VALID.substring(0, VALID.length() - 1) + ",}";
        } else if (mutation.equals("VALID{}")) {
            json = VALID + "{}";
        } else if (mutation.equals("DUP")) {
            json = "{\"port\":1," + VALID.substring(1);
        } else if (mutation.contains("=>")) {
            String[] parts = mutation.split("=>", -1);
            assertThat(VALID).contains(parts[0]);
            json = VALID.replace(parts[0], parts[1]);
        } else {
            json = mutation;
        }
        assertThat(parse(json)).as(json).isNull();
    }

    @Test
    void sizeLimit_2048BytesAccepted_2049Refused() {
        String prefix = "{\"pad\":\"";
        String suffix = "\"," + VALID.substring(1);
        String fits = prefix + "x".repeat(2048 - prefix.length() - suffix.length()) + suffix;
        assertThat(fits.getBytes(StandardCharsets.UTF_8)).hasSize(2048);
        assertThat(parse(fits)).isNotNull();
        assertThat(parse(prefix + "x" + fits.substring(prefix.length()))).isNull();
    }

    @Test
    void invalidUtf8_isRefused() {
        byte[] b = VALID.replace("Party", "Pa@ty").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '@') {
                b[i] = (byte) 0xC3;
                b[i + 1] = (byte) 0x28; // not a continuation byte
            }
        }
        assertThat(Beacon.parse(b, 0, b.length)).isNull();
    }

    @Test
    void txtRecord_roundTrips_andFallsBackToTheServiceAddressAndPort() throws Exception {
        Beacon b = parse(VALID);
        assertThat(Beacon.fromTxt(b.toTxt(), null, 0)).isEqualTo(b);

        Map<String, String> txt = new HashMap<>(b.toTxt());
        txt.remove("hostAddress");
        txt.remove("port");
        Beacon fromService = Beacon.fromTxt(txt, InetAddress.getByName("10.1.2.3"), 9000);
        assertThat(fromService.hostAddress()).isEqualTo(InetAddress.getByName("10.1.2.3"));
        assertThat(fromService.port()).isEqualTo(9000);

        txt.put("memberCount", "+3");
        assertThat(Beacon.fromTxt(txt, InetAddress.getByName("10.1.2.3"), 9000)).isNull();
        txt.put("memberCount", "3");
        txt.put("pinRequired", "yes");
        assertThat(Beacon.fromTxt(txt, InetAddress.getByName("10.1.2.3"), 9000)).isNull();
    }

    @Test
    void instanceNames_areCutTo63BytesAtACharacterBoundary() {
        assertThat(DnsSdPublisher.instanceName("Party")).isEqualTo("Party");
        String name = "é".repeat(40); // 80 bytes
        String cut = DnsSdPublisher.instanceName(name);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(cut).isEqualTo("é".repeat(31));
    }
}
