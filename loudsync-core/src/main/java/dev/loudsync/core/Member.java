package dev.loudsync.core;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One member of a session, as every member sees it: an immutable snapshot.
 *
 * <p>Exactly one member is the host ({@link Role#HOST}), first in every list. In a LAN-hosted
 * session it is the host device, with no latency and {@code joinedAt} equal to the session's
 * creation; in a server-hosted session (1.1) it is a guest. Lists of members are ordered: host first,
 * then by {@code joinedAt}, then by {@code id}.
 *
 * @param id            the device id the member joined with
 * @param name          the display name
 * @param role          host, cohost or client; the wire form also carries {@code isHost}
 * @param status        connection status
 * @param joinedAt      when the member joined, in milliseconds since the epoch (host clock)
 * @param latencyMillis round-trip time in milliseconds, empty when unknown
 */
public record Member(String id, String name, Role role, MemberStatus status, long joinedAt,
        OptionalInt latencyMillis) {

    /**
     * A member's role: exactly one member is the {@link #HOST}; the host may make clients
     * {@link #COHOST}s (1.1), who may approve joins and kick clients.
     */
    public enum Role {
        HOST("host"), COHOST("cohost"), CLIENT("client");

        private final String wireName;

        Role(String wireName) {
            this.wireName = wireName;
        }

        /** The lower-case form used on the wire. */
        public String wireName() {
            return wireName;
        }

        /** The role whose {@link #wireName()} is {@code name}, if any. */
        public static Optional<Role> ofWireName(String name) {
            for (Role r : values()) {
                if (r.wireName.equals(name)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(latencyMillis, "latencyMillis");
    }

    /** Whether this is the host device; mirrors {@link #role()}. */
    public boolean isHost() {
        return role == Role.HOST;
    }

    /** A copy with another status. */
    public Member withStatus(MemberStatus newStatus) {
        return new Member(id, name, role, newStatus, joinedAt, latencyMillis);
    }

    /** A copy with another latency. */
    public Member withLatencyMillis(OptionalInt newLatency) {
        return new Member(id, name, role, status, joinedAt, newLatency);
    }

    /** A copy with another role. */
    public Member withRole(Role newRole) {
        return new Member(id, name, newRole, status, joinedAt, latencyMillis);
    }

    /** A copy with another display name. */
    public Member withName(String newName) {
        return new Member(id, newName, role, status, joinedAt, latencyMillis);
    }
}
