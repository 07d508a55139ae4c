package dev.loudsync.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanAddressesTest {

    @Test
    void boundToOneAddress_onlyThatOne() throws Exception {
        assertThat(LanAddresses.webSocketUrls(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080)))
                .containsExactly("ws://127.0.0.1:8080/");
        assertThat(LanAddresses.webSocketUrls(new InetSocketAddress(InetAddress.getByName("::1"), 8080)))
                .containsExactly("ws://[0:0:0:0:0:0:0:1]:8080/");
    }

    @Test
    void boundToAll_ipv4LanAddresses_orElseLoopback() throws Exception {
        List<InetAddress> addresses = LanAddresses.of(InetAddress.getByName("0.0.0.0"));

        assertThat(addresses).isNotEmpty().allMatch(a -> a instanceof java.net.Inet4Address);
        if (addresses.stream().anyMatch(InetAddress::isLoopbackAddress)) {
            assertThat(addresses).containsExactly(InetAddress.getLoopbackAddress());
        }
        assertThat(LanAddresses.webSocketUrls(new InetSocketAddress(0)))
                .allMatch(url -> url.matches("ws://\\d+\\.\\d+\\.\\d+\\.\\d+:0/"));
    }
}
