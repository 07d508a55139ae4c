package dev.loudsync.core;

/**
 * A join waiting for the host's approval (sessions with {@link SessionConfig#requireApproval()}).
 * Approve or deny it with {@link Session#approve} or {@link Session#deny}, naming its device id.
 *
 * @param deviceId      the device that asks to join
 * @param deviceName    its display name
 * @param remoteAddress the connection's address
 * @param requestedAt   when the request arrived, in milliseconds since the epoch
 */
public record JoinRequest(String deviceId, String deviceName, String remoteAddress, long requestedAt) {
}
