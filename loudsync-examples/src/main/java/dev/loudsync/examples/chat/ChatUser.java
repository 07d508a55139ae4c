package dev.loudsync.examples.chat;

/** Who a token names: the user id (a member's device id starts with it) and display name. */
record ChatUser(String userId, String name) {
}
