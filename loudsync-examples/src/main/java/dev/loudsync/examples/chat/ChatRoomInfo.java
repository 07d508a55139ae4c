package dev.loudsync.examples.chat;

/**
 * A room as stored: its id (also the id of its session, which guests name in {@code JOIN}) and
 * display name.
 */
record ChatRoomInfo(String roomId, String name, String createdBy, long createdAt) {
}
