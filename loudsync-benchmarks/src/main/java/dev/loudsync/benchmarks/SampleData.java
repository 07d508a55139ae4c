package dev.loudsync.benchmarks;

import dev.loudsync.core.Member;
import dev.loudsync.core.MemberStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Realistic members and frames for the benchmarks, in the shapes of {@code PROTOCOL.md}. */
public final class SampleData {

    /** 2025-02-02T00:00:00Z, the session's creation: the host's {@code joinedAt}. */
    public static final long CREATED_AT = 1738454400000L;

    /** A {@code JOIN} as the mobile apps send it, with the batching capability. */
    public static final String JOIN_JSON = "{\"type\":\"JOIN\",\"timestamp\":1738454400000,\"payload\":"
            + "{\"sessionId\":\"ABC123\",\"deviceId\":\"device-456\",\"deviceName\":\"Android\","
            + "\"version\":\"1.0.0\",\"capabilities\":[\"membersChanged\"]}}";

    /** A {@code HEARTBEAT} with the client-measured latency. */
    public static final String HEARTBEAT_JSON =
            "{\"type\":\"HEARTBEAT\",\"payload\":{\"deviceId\":\"d-42\",\"latency\":45}}";

    /** Display names as phones report them, one non-ASCII. */
    private static final String[] NAMES = {
        "Android", "iPhone", "Pixel 8", "Galaxy S23", "Léa's iPad", "Kitchen speaker",
    };

    private SampleData() {
    }

    /** The host device: first in every list, no latency. */
    public static Member host() {
        return new Member("host-1", "Laptop", Member.Role.HOST, MemberStatus.CONNECTED, CREATED_AT,
                OptionalInt.empty());
    }

    /** Guest number {@code i}: {@code device-<i>}, joined {@code i} seconds after the host, 20-119 ms latency. */
    public static Member guest(int i) {
        return new Member("device-" + i, NAMES[i % NAMES.length], Member.Role.CLIENT, MemberStatus.CONNECTED,
                CREATED_AT + 1000L * i, OptionalInt.of(20 + (i * 37) % 100));
    }

    /** A member list of {@code size} entries: the host, then guests 1 to {@code size - 1}. */
    public static List<Member> memberList(int size) {
        List<Member> members = new ArrayList<>(size);
        members.add(host());
        for (int i = 1; i < size; i++) {
            members.add(guest(i));
        }
        return List.copyOf(members);
    }
}
